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
from game.engine.rules import draw
from game.session import chain
from game.session.ledger import Ledger

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


def _live_sender():
    try:
        from game.xapi.outbox import live_sender

        return live_sender()
    except Exception:  # noqa: BLE001 - sending to an LRS never stops a session
        return None


class Locked(Exception):
    """Another process holds the log open."""


def lock(fd: int) -> None:
    """Hold the log for this process while the descriptor is open. The operating system lets go when the
    descriptor closes or the process ends however it ends, so a crash never leaves a stale lock."""
    try:
        import fcntl
    except ImportError:  # Windows: a lock on the first byte, also let go when the process ends
        try:
            import msvcrt

            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except ImportError:  # pragma: no cover - neither: no lock
            return
        except OSError:
            raise Locked() from None
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise Locked() from None
    except OSError:  # a file system without locks (some network shares): go on without one
        return


class SessionLog:
    """A listener that writes every event of one conversation to its log file."""

    def __init__(self, path: Path, fd: int, seed: int, n: int, prev: str, elapsed_ms: int = 0, session: str = ""):
        self.path = Path(path)
        self.seed = seed
        self.session = session
        self.error: OSError | None = None  # set if writing failed; the presenter may tell the user
        self.cut_back: dict | None = None  # set by reopen: the log ends before the line the ledger saw written
        self.ended = False
        self._fd: int | None = fd
        self._n = n
        self._prev = prev
        self._origin = time.monotonic() - elapsed_ms / 1000
        self._shown_at = time.monotonic()
        self._ledger = Ledger(session)
        self._live = _live_sender()  # the organisation's LRS, when one is set up: each line goes there too
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
            "drawn": draw(scenario, seed),  # the customer of this session (trait, stake): the seed draws it
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
                try:
                    lock(fd)
                except Locked:  # pragma: no cover - a name just made, random: nobody else has it
                    pass
                break
            finally:
                try:
                    os.unlink(temporary)
                except OSError:
                    pass
        else:  # pragma: no cover - ten random collisions in one second
            raise FileExistsError(str(path))
        log = cls(path, fd, seed, n=1, prev=header_hash, session=session)
        log._ledger.note(1, "header")
        if log._live is not None:
            log._live.logged(path, session)
        _fsync_dir(folder)
        return log

    @classmethod
    def reopen(cls, path: str | os.PathLike, check_ledger: bool = True) -> "SessionLog":
        """Continue an unfinished log: drop a half-written last line (or end a whole one that lacks only its
        newline), then append after the last whole one.

        The log is locked first: while one process writes to it, another reopen raises LogError "in_use".
        `cut_back` is set when the installation's ledger saw more lines written than the log now has; a
        session the ledger saw end raises LogError "cut_back" (see game.session.ledger)."""
        from game.session.ledger import mark
        from game.session.reader import LogError, open_fd, read_chain_end

        path = Path(path)
        os.close(open_fd(path))  # a regular file, or LogError (never waits on a pipe)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_APPEND)
        except OSError as error:
            raise LogError(path, "unreadable", reason=error.strerror or type(error).__name__) from None
        try:
            lock(fd)
            end = read_chain_end(path)  # raises LogError for a file that is not a readable log
        except Locked:
            os.close(fd)
            raise LogError(path, "in_use") from None
        except BaseException:
            os.close(fd)
            raise
        session = end.header.get("session", "")
        log = cls(path, fd, end.header["seed"], n=end.n, prev=end.hash, elapsed_ms=end.elapsed_ms, session=session)
        if end.finished:
            log.close()
            raise LogError(path, "finished")
        seen = mark(session) if check_ledger else None
        torn = end.good_bytes < end.size  # a crash tears at most the line being written: the ledger may hold it
        if seen is not None and seen.n > end.n + torn:
            if seen.end is not None:
                log.close()
                raise LogError(path, "cut_back")
            log.cut_back = {"had": seen.n, "found": end.n}
        if end.good_bytes < end.size:
            try:
                os.ftruncate(fd, end.good_bytes)
                os.fsync(fd)
            except OSError as error:
                log.close()
                raise LogError(path, "unreadable", reason=error.strerror or type(error).__name__) from None
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
        self._ledger.note(self._n, record.get("kind", ""))
        if self._live is not None:
            self._live.logged(self.path, self.session, record.get("kind", ""))

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
                "code": turn.code, "best": dict(turn.best) if turn.best is not None else None, "variant": turn.variant,
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
        ledger = getattr(self, "_ledger", None)
        if ledger is not None:
            ledger.close()
        live, self._live = getattr(self, "_live", None), None
        if live is not None and self._fd is not None:
            live.drain(3.0)  # a moment for the last statements to go; what does not go waits on disk
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
