"""Writing one session's score log: a JSON Lines file, one line per event, each synced to disk.

    log = SessionLog.start(scenario, trainee="Aino", mode="practice", lang="fi", seed=None, log_dir=None)
    conversation = Conversation(scenario, seed=log.seed, listeners=[log])
    ...
    log.close()

The log is a listener of the Conversation. Each line is written with a single
`write` and `os.fsync`ed before the engine goes on, so a crash or a killed
process loses at most the line being written and never touches earlier lines.
Lines form a hash chain (see `chain`). A session without an `end` line is
unfinished and can be resumed (see `resume`).

File names are a UTC timestamp and a random ID, never anything from the
trainee, so no name can steer a log outside the log folder. Beside the logs,
`scenarios/<content hash>/` keeps a copy of each scenario version played (and
its rubric), so reports and replays show the exact texts of that version.

Line kinds: header, line (a customer line shown), choice (with tags, points,
mood before and after, response time, and in own-words mode an optional
`own_words`: {"text", "lang", "codes", "group", "closest"} — what the trainee typed,
its codes main first, their group, and the answer Kuule marked as closest), redirect (interrupt or branch),
rollback, resumed, reloaded (the trainer's hot reload: the version the session
goes on with, whose content hash and snapshot then stand in for the header's),
end (Result.as_dict(), outcome, duration) and abandoned (a trainee chose not
to resume). Mood changes are not separate lines: every
choice line carries the mood before and after.
"""

from __future__ import annotations

import os
import random
import secrets
import shutil
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

from game import APP_NAME, __version__
from game.engine.events import ChoiceMade, Ended, LineShown, Redirected, RolledBack
from game.session import chain

LOG_FORMAT = 1
SUFFIX = ".jsonl"
SNAPSHOT_DIR = "scenarios"


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def resolve_log_dir(log_dir: str | os.PathLike | None) -> Path:
    if log_dir is None:
        from game.paths import session_log_dir

        return session_log_dir()
    return Path(log_dir)


def new_log_name() -> str:
    """A file name from the time and a random ID: sortable, unique, and free of user input."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
    return f"{stamp}-{secrets.token_hex(4)}{SUFFIX}"


def _mood(mood) -> dict:
    return mood.as_dict()


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def snapshot_scenario(scenario, log_dir: Path) -> Path | None:
    """Keep a copy of the scenario file (and its rubric) played, by content hash; None if it cannot be copied."""
    if not scenario.content_hash or not scenario.path:
        return None
    folder = log_dir / SNAPSHOT_DIR / scenario.content_hash
    target = folder / "scenario.yaml"
    if target.is_file():
        return target
    try:
        source = Path(scenario.path)
        data = source.read_bytes()
        import hashlib

        if hashlib.sha256(data).hexdigest() != scenario.content_hash:
            return None  # changed on disk since it was loaded: this copy would be another version
        folder.mkdir(parents=True, exist_ok=True)
        rubric_path = getattr(scenario.rubric, "path", None)
        if rubric_path and Path(rubric_path).is_file():
            shutil.copyfile(rubric_path, folder / "rubric.yaml")
        temporary = folder / f".scenario.{secrets.token_hex(4)}.tmp"
        temporary.write_bytes(data)
        os.replace(temporary, target)
        return target
    except OSError:
        return None


class SessionLog:
    """A listener that writes every event of one conversation to its log file."""

    def __init__(self, path: Path, fd: int, seed: int, n: int, prev: str, elapsed_ms: int = 0, session: str = ""):
        self.path = Path(path)
        self.seed = seed
        self.session = session
        self.error: OSError | None = None  # set if writing failed; the presenter may tell the user
        self.ended = False
        self._fd: int | None = fd
        self._n = n
        self._prev = prev
        self._origin = time.monotonic() - elapsed_ms / 1000
        self._shown_at = time.monotonic()
        self._own_words: dict | None = None

    # -- opening ----------------------------------------------------------------------------------
    @classmethod
    def start(cls, scenario, trainee: str = "", mode: str = "practice", lang: str = "en", seed: int | None = None,
              log_dir: str | os.PathLike | None = None) -> "SessionLog":
        """Create a new log file and write its header. Raises OSError if the folder cannot be written."""
        folder = resolve_log_dir(log_dir)
        folder.mkdir(parents=True, exist_ok=True)
        if seed is None:
            seed = random.SystemRandom().randrange(2**31)
        session = uuid.uuid4().hex
        snapshot = snapshot_scenario(scenario, folder)
        header = {
            "kind": "header", "format": LOG_FORMAT, "app": APP_NAME, "app_version": __version__, "session": session,
            "scenario_id": scenario.id, "scenario_path": str(Path(scenario.path).resolve()) if scenario.path else "",
            "content_hash": scenario.content_hash, "scenario_title": scenario.title,
            "snapshot": str(snapshot.relative_to(folder)) if snapshot else None,
            "trainee": str(trainee), "mode": mode, "lang": lang, "seed": seed, "started": now_iso(),
        }
        # The header is written to a hidden file that gets the log's name only once the header is on disk,
        # so a crash while starting leaves a whole log or none, never an empty or half-written one.
        data, header_hash = chain.encode(header, 1, "")
        for _attempt in range(10):
            path = folder / new_log_name()
            temporary = folder / f".{path.name}.tmp"
            try:
                fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                continue
            try:
                try:
                    view = memoryview(data)
                    while view:
                        view = view[os.write(fd, view):]
                    os.fsync(fd)
                finally:
                    os.close(fd)
                try:
                    os.link(temporary, path)  # fails if the name is taken: never overwrites another log
                except FileExistsError:
                    continue
                except OSError:  # a file system without hard links
                    if path.exists():
                        continue
                    os.replace(temporary, path)
                fd = os.open(path, os.O_WRONLY | os.O_APPEND)
                break
            finally:
                try:
                    os.unlink(temporary)
                except OSError:
                    pass
        else:  # pragma: no cover - ten random collisions in one second
            raise FileExistsError(str(path))
        log = cls(path, fd, seed, n=1, prev=header_hash, session=session)
        _fsync_dir(folder)
        return log

    @classmethod
    def reopen(cls, path: str | os.PathLike) -> "SessionLog":
        """Continue an unfinished log: drop a half-written last line (or end a whole one that lacks only its
        newline), then append after the last whole one."""
        from game.session.reader import LogError, read_chain_end

        path = Path(path)
        end = read_chain_end(path)  # raises LogError for a file that is not a readable log
        if end.good_bytes < end.size:
            with open(path, "r+b") as handle:
                handle.truncate(end.good_bytes)
                handle.flush()
                os.fsync(handle.fileno())
        fd = os.open(path, os.O_WRONLY | os.O_APPEND)
        log = cls(path, fd, end.header["seed"], n=end.n, prev=end.hash, elapsed_ms=end.elapsed_ms,
                  session=end.header.get("session", ""))
        if end.finished:
            log.close()
            raise LogError(path, "finished")
        if end.unterminated:
            log._append_newline()
        return log

    # -- writing ----------------------------------------------------------------------------------
    def elapsed_ms(self) -> int:
        return int((time.monotonic() - self._origin) * 1000)

    def _write(self, record: dict) -> None:
        if self._fd is None or self.error is not None:
            return
        data, line_hash = chain.encode(record, self._n + 1, self._prev)
        try:
            view = memoryview(data)
            while view:  # one write in practice; a loop in case the system writes less
                written = os.write(self._fd, view)
                view = view[written:]
            os.fsync(self._fd)
        except OSError as error:
            self.error = error  # later lines would break the chain: stop writing, keep what is safe
            return
        self._n += 1
        self._prev = line_hash

    def _append_newline(self) -> None:
        try:
            os.write(self._fd, b"\n")
            os.fsync(self._fd)
        except OSError as error:
            self.error = error

    def note(self, kind: str, **fields) -> None:
        """Write a line of another kind (resumed, abandoned, reloaded)."""
        self._write({"kind": kind, "at": self.elapsed_ms(), "time": now_iso(), **fields})

    def reloaded(self, scenario) -> None:
        """The session goes on with another version of its scenario (the trainer's hot reload): note the
        version, with its own snapshot, so resume, replay and the report take the version played last."""
        snapshot = snapshot_scenario(scenario, self.path.parent)
        self.note("reloaded", content_hash=scenario.content_hash, scenario_title=scenario.title,
                  snapshot=str(snapshot.relative_to(self.path.parent)) if snapshot else None)

    def own_words(self, record: dict | None) -> None:
        """The trainee's own reply and its coding, written into the next choice line (None forgets it)."""
        self._own_words = record

    def __call__(self, event) -> None:
        at = self.elapsed_ms()
        if isinstance(event, LineShown):
            self._shown_at = time.monotonic()
            self._write({"kind": "line", "at": at, "node": event.node_id, "turn": event.turn,
                         "mood": _mood(event.mood), "order": list(event.choice_order)})
        elif isinstance(event, ChoiceMade):
            turn = event.turn
            record = {
                "kind": "choice", "at": at, "turn": turn.number, "node": turn.node_id, "choice": turn.choice_id,
                "tags": list(turn.tags), "points": dict(turn.points), "mood_before": _mood(turn.mood_before),
                "mood_after": _mood(turn.mood_after), "harmful": turn.harmful, "opportunity": turn.opportunity,
                "eccs": turn.eccs, "landed": turn.landed, "hops": [list(hop) for hop in turn.hops],
                "response_ms": int((time.monotonic() - self._shown_at) * 1000)}
            if self._own_words is not None:
                record["own_words"], self._own_words = self._own_words, None
            self._write(record)
        elif isinstance(event, Redirected):
            self._write({"kind": "redirect", "at": at, "source": event.source, "target": event.target,
                         "reason": event.reason})
        elif isinstance(event, RolledBack):
            self._shown_at = time.monotonic()
            self._write({"kind": "rollback", "at": at, "node": event.node_id, "turn": event.turn})
        elif isinstance(event, Ended):
            self._write({"kind": "end", "at": at, "time": now_iso(), "node": event.node_id, "outcome": event.outcome,
                         "duration_ms": at, "result": event.result.as_dict()})
            self.ended = True
        # MoodChanged is not written: each choice line holds the mood before and after.

    def close(self) -> None:
        """Close the file (idempotent). Without an end line the session stays unfinished and resumable."""
        if self._fd is not None:
            try:
                os.close(self._fd)
            except OSError:
                pass
            self._fd = None

    @property
    def closed(self) -> bool:
        return self._fd is None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):  # a forgotten close() must not leak the descriptor
        try:
            self.close()
        except Exception:
            pass
