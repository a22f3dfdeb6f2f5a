"""Reading session logs: streaming their records, and telling people why a file is not a readable log.

Readers never hold a session's events all at once unless they ask to: the
report streams, `stats` reads only the first and last lines, `resume` reads
the one unfinished log it restores.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterable, Iterator
from itertools import accumulate
from dataclasses import dataclass
from pathlib import Path

from game import APP_NAME
from game.i18n import Catalog
from game.session import chain
from game.session.log import LOG_FORMAT, SUFFIX

_ = Catalog({
    "missing": ("no such file or folder", "tiedostoa tai kansiota ei ole"),
    "unreadable": ("cannot be read ({reason})", "ei voi lukea ({reason})"),
    "empty": ("empty file", "tyhjä tiedosto"),
    "foreign": ("not a Kuule session log", "ei ole Kuulen istuntoloki"),
    "newer": ("written by a newer Kuule (log format {format}); update Kuule to read it",
              "uudemman Kuulen kirjoittama (lokimuoto {format}); päivitä Kuule lukeaksesi sen"),
    "damaged": ("line {line} is damaged (not a complete record)", "rivi {line} on vioittunut (ei kokonainen tietue)"),
    "finished": ("the session has already ended", "istunto on jo päättynyt"),
    "no_logs": ("no session logs (*.jsonl) in this folder", "kansiossa ei ole istuntolokeja (*.jsonl)"),
    "not_file": ("not a regular file (a folder, pipe or device is never read as a log)",
                 "ei ole tavallinen tiedosto (kansiota, putkea tai laitetta ei lueta lokina)"),
    "too_big": ("too big to be a session log ({size} MB)", "liian suuri ollakseen istuntoloki ({size} Mt)"),
    "in_use": ("the session is open in another Kuule window or terminal; finish or close it there first",
               "istunto on auki toisessa Kuulen ikkunassa tai päätteessä; lopeta tai sulje se ensin siellä"),
    "cut_back": ("the session had already ended, but its end was cut off the log; it cannot be resumed (start a new attempt)",
                 "istunto oli jo päättynyt, mutta sen loppu on leikattu lokista; sitä ei voi jatkaa (aloita uusi yritys)"),
})

MAX_LINE = 1 << 20  # bytes: a line Kuule writes is a few hundred; a longer one is not read, only skipped
MAX_LOG = 64 << 20  # bytes: a long session's log is well under a megabyte; a bigger file is not read whole
MAX_DEPTH = 32  # nesting of brackets: Kuule's records are at most 4 deep; deeper is never handed to json.loads
OVERLONG = b"\x00"  # stands for a line longer than MAX_LINE (never valid JSON, never a hashed line)


class LogError(Exception):
    """A file that cannot be read as a session log; `message(lang)` says why, for people.

    Its reason is one of the reader's (READER_REASONS: not a log at all) or a problem `verify` found."""

    READER_REASONS = frozenset(_.keys())

    def __init__(self, path, reason: str, **params):
        self.path, self.reason, self.params = Path(path), reason, params
        super().__init__(f"{path}: {self.message('en')}")

    def message(self, lang: str) -> str:
        if self.reason not in _.keys():  # a problem `verify` found (edited, removed, ...): its own wording
            from game.session.verify import problem_message

            return problem_message(self.reason, lang, self.params)
        return _(self.reason, lang, **self.params)


_BRACKETS = bytes(range(256)).translate(None, b"[]{}")  # every byte but the brackets: deleted by translate
_STRING = __import__("re").compile(rb'"(?:[^"\\]|\\.)*"')
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


def nesting(raw: bytes) -> int:
    """How deep brackets nest in a JSON text (brackets inside strings do not count), without parsing it."""
    if raw.count(b"[") + raw.count(b"{") <= MAX_DEPTH:
        return min(MAX_DEPTH, raw.count(b"[") + raw.count(b"{"))  # cannot be deeper than it has brackets
    brackets = _STRING.sub(b"", raw).translate(None, _BRACKETS)
    return max(accumulate(_STEP[b] for b in brackets), default=0)


def parse(raw: bytes):
    """One line's record (a dict), or None for anything else: not JSON, too long or nested too deep to be
    Kuule's. The depth is checked before json.loads, which would hit the interpreter's recursion limit."""
    if len(raw) > MAX_LINE or nesting(raw) > MAX_DEPTH:
        return None
    try:
        value = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def record_of(raw: bytes):
    """The record on a line, or None if the line is not one: a record is a JSON object with a `kind` and its
    number in the chain (`n`). Every reader leaves the same lines out, so none counts what `verify` ignores."""
    value = parse(raw)
    if value is None or not isinstance(value.get("kind"), str):
        return None
    n = value.get("n")
    return value if isinstance(n, int) and not isinstance(n, bool) else None


_loads = record_of


def check_header(path, record) -> dict:
    if not isinstance(record, dict) or record.get("kind") != "header" or record.get("app") != APP_NAME:
        raise LogError(path, "foreign")
    version = record.get("format")
    if not isinstance(version, int):
        raise LogError(path, "foreign")
    if version > LOG_FORMAT:
        raise LogError(path, "newer", format=version)
    for key, kind in (("scenario_id", str), ("seed", int), ("session", str)):
        if not isinstance(record.get(key), kind):
            raise LogError(path, "foreign")
    return record


VERSION_FIELDS = ("content_hash", "snapshot", "scenario_title")  # what a "reloaded" line changes


def with_version(header: dict, record: dict) -> dict:
    """The header as it stands after a "reloaded" line: the scenario version the session went on with."""
    return {**header, **{key: record.get(key) for key in VERSION_FIELDS if key in record}}


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)


def open_fd(path) -> int:
    """A descriptor of a regular file, for reading. Opening does not wait (a pipe named *.jsonl would block
    an ordinary open until someone writes to it) and anything but a regular file is refused with LogError."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        raise LogError(path, "missing") from None
    except IsADirectoryError:
        raise LogError(path, "not_file") from None
    except OSError as error:
        raise LogError(path, "unreadable", reason=error.strerror or type(error).__name__) from None
    try:
        regular = stat.S_ISREG(os.fstat(fd).st_mode)
    except OSError:
        regular = False
    if not regular:
        os.close(fd)
        raise LogError(path, "not_file")
    return fd


def _open(path: Path):
    return os.fdopen(open_fd(path), "rb")


def read_bytes(path) -> bytes:
    """A whole log's bytes (regular files only, at most MAX_LOG; see open_fd)."""
    fd = open_fd(path)
    try:
        size = os.fstat(fd).st_size
        if size > MAX_LOG:
            raise LogError(path, "too_big", size=size >> 20)
        data = os.read(fd, 65536)
        if len(data) == 65536:
            parts = [data]
            while chunk := os.read(fd, 1 << 20):
                parts.append(chunk)
            data = b"".join(parts)
        return data
    except OSError as error:
        raise LogError(path, "unreadable", reason=error.strerror or type(error).__name__) from None
    finally:
        os.close(fd)


def iter_raw(path) -> Iterator[tuple[int, bytes, bool]]:
    """(line number, bytes without the newline, whether the line was complete) for every line.

    A line longer than MAX_LINE is read past in pieces and given as OVERLONG: memory stays bounded."""
    path = Path(path)
    with _open(path) as handle:
        number = 0
        while raw := handle.readline(MAX_LINE + 1):
            number += 1
            if len(raw) > MAX_LINE and not raw.endswith(b"\n"):
                while (more := handle.readline(MAX_LINE)) and not more.endswith(b"\n"):
                    pass
                yield number, OVERLONG, bool(more)
                continue
            complete = raw.endswith(b"\n")
            yield number, raw.rstrip(b"\r\n"), complete


def iter_records(path, skip_lines: bool = False) -> Iterator[tuple[int, dict]]:
    """(line number, record) for each line, header first. A half-written last line (a crash) is left out.

    With `skip_lines`, records of kind "line" are not parsed at all (readers that need only
    choices and results go faster). A line that is not a record (garbage, too long, too deep) is
    left out: whether the records left prove the session is `verify`'s to say. Raises LogError for
    an empty or foreign file, or a damaged header.
    """
    path = Path(path)
    seen = False
    for number, raw, complete in iter_raw(path):
        if skip_lines and raw.startswith(b'{"kind":"line"'):
            continue
        record = _loads(raw)
        if not seen:
            if record is None and (not complete or raw.startswith(b'{"kind":"header"')):
                raise LogError(path, "damaged", line=number)
            check_header(path, record)
            seen = True
        elif record is None:
            continue  # not a record: left out (a half-written last line, or a line that is not Kuule's)
        yield number, record
    if not seen:
        raise LogError(path, "empty")


def read_header(path) -> dict:
    for _number, record in iter_records(path):
        return record
    raise LogError(path, "empty")  # pragma: no cover - iter_records raises first


def read_last_record(path, header: dict | None = None, block: int = 65536) -> dict | None:
    """The last complete record, read from the end of the file (stats read thousands of logs)."""
    path = Path(path)
    with _open(path) as handle:
        handle.seek(0, os.SEEK_END)
        size = handle.tell()
        start = max(0, size - block)
        handle.seek(start)
        data = handle.read()
    lines = data.split(b"\n")
    if not data.endswith(b"\n"):
        lines.pop()  # half-written
    for raw in reversed(lines[1:] if start else lines):
        record = _loads(raw)
        if record is not None:
            return record
    if start:  # a last line longer than the block: read it all
        last = None
        for _number, record in iter_records(path):
            last = record
        return last
    return None


@dataclass(frozen=True)
class ChainEnd:
    header: dict
    n: int  # the number of the last whole line
    hash: str  # its hash
    elapsed_ms: int  # play time so far
    finished: bool
    good_bytes: int  # the file length up to the end of the last whole line
    size: int
    unterminated: bool = False  # the last whole line lacks only its newline (the write stopped just before it)


def read_chain_end(path) -> ChainEnd:
    """Where a log's chain ends, for appending to it (resume)."""
    path = Path(path)
    header, last, good, offset, elapsed, finished, unterminated = None, None, 0, 0, 0, False, False
    for number, raw, complete in iter_raw(path):
        offset += len(raw) + (1 if complete else 0)
        record = _loads(raw)
        if not complete and (record is None or chain.stated_hash(raw) is None
                             or chain.actual_hash(raw) != chain.stated_hash(raw)):
            break  # the line being written when the process stopped
        if record is None:
            if header is None:
                raise LogError(path, "damaged", line=number)
            good = offset  # not a record: left where it is, and the chain goes on from the last record
            continue
        unterminated = not complete  # whole, as verify and iter_records take it: keep it, add the newline
        if header is None:
            header = check_header(path, record)
        last = record
        good = offset
        if isinstance(record.get("at"), int):
            elapsed = record["at"]
        if record.get("kind") in ("end", "abandoned"):
            finished = True
    if header is None or last is None:
        raise LogError(path, "empty")
    try:
        size = path.stat().st_size
    except OSError as error:
        raise LogError(path, "unreadable", reason=error.strerror or type(error).__name__) from None
    return ChainEnd(header, int(last.get("n", 0)), str(last.get("hash", "")), elapsed, finished, good, size,
                    unterminated)


def _logs_in(folder: Path) -> list[Path]:
    """The files `folder.rglob("*.jsonl")` finds, by os.scandir: no stat call per file (ten thousand logs)."""
    found, todo = [], [str(folder)]
    windows = os.name == "nt"
    while todo:
        try:
            with os.scandir(todo.pop()) as entries:
                entries = list(entries)
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.is_dir() and not entry.is_symlink():  # as rglob: into folders, not links to folders
                    todo.append(entry.path)
                elif (entry.name.lower() if windows else entry.name).endswith(SUFFIX) and entry.is_file():
                    found.append(Path(entry.path))
            except OSError:
                pass
    return found


def _path_order(path: Path) -> tuple[str, ...]:
    """The order of sorted(paths), worked out once per path (comparing Path objects is slow)."""
    return path.parts if os.name != "nt" else tuple(part.lower() for part in path.parts)


def expand_logs(paths: Iterable[str | os.PathLike]) -> tuple[list[Path], list[tuple[Path, LogError]]]:
    """The log files named, and the *.jsonl files in folders named (sorted, scenario copies left out)."""
    found: list[Path] = []
    problems: list[tuple[Path, LogError]] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = sorted(_logs_in(path), key=_path_order)
            if not files:
                problems.append((path, LogError(path, "no_logs")))
            found.extend(files)
        elif path.exists() or path.is_symlink():
            found.append(path)  # whatever it is: reading it says why it is not a log (never waits on a pipe)
        else:
            problems.append((path, LogError(path, "missing")))
    return found, problems
