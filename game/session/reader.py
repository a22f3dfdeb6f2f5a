"""Reading session logs: streaming their records, and telling people why a file is not a readable log.

Readers never hold a session's events all at once unless they ask to: the
report streams, `stats` reads only the first and last lines, `resume` reads
the one unfinished log it restores.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
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
})


class LogError(Exception):
    """A file that cannot be read as a session log; `message(lang)` says why, for people."""

    def __init__(self, path, reason: str, **params):
        self.path, self.reason, self.params = Path(path), reason, params
        super().__init__(f"{path}: {self.message('en')}")

    def message(self, lang: str) -> str:
        return _(self.reason, lang, **self.params)


def _loads(raw: bytes):
    try:
        value = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None
    return value if isinstance(value, dict) else None


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


def _open(path: Path):
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise LogError(path, "missing") from None
    except OSError as error:
        raise LogError(path, "unreadable", reason=error.strerror or type(error).__name__) from None


def iter_raw(path) -> Iterator[tuple[int, bytes, bool]]:
    """(line number, bytes without the newline, whether the line was complete) for every line."""
    path = Path(path)
    with _open(path) as handle:
        for number, raw in enumerate(handle, 1):
            complete = raw.endswith(b"\n")
            yield number, raw.rstrip(b"\r\n"), complete


def iter_records(path, skip_lines: bool = False) -> Iterator[tuple[int, dict]]:
    """(line number, record) for each line, header first. A half-written last line (a crash) is left out.

    With `skip_lines`, records of kind "line" are not parsed at all (readers that need only
    choices and results go faster). Raises LogError for an empty, foreign or damaged file.
    """
    path = Path(path)
    seen = False
    for number, raw, complete in iter_raw(path):
        if skip_lines and raw.startswith(b'{"kind":"line"'):
            continue
        record = _loads(raw)
        if not seen:
            if record is None and not complete:
                raise LogError(path, "damaged", line=number)
            check_header(path, record)
            seen = True
        elif record is None or "kind" not in record:
            if not complete:
                return  # the line being written when the process stopped
            raise LogError(path, "damaged", line=number)
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
        if record is not None and "kind" in record:
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
            raise LogError(path, "damaged", line=number)
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
    size = path.stat().st_size
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
        elif path.exists():
            found.append(path)
        else:
            problems.append((path, LogError(path, "missing")))
    return found, problems
