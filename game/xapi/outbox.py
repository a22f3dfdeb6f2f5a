"""Sending each session to the organisation's LRS as it is played, through a queue on disk.

When an LRS is set up (game.xapi.settings), every line a session log gets also
updates that session's statements: the new ones (the start, each answer, the end
and its verdict) are appended to `<data>/outbox/<session>.jsonl` and synced to disk,
and an answer taken back gets a voiding statement. A background thread sends what
is waiting and notes each stored statement's ID in `<session>.sent`. A crash, a
closed laptop or an LRS that is down loses nothing: what is not yet sent waits on
disk and goes with the next session, or with `xapi --outbox`. Nothing is stored
twice: statement IDs come from the log, and the LRS keeps one statement per ID.
A session's files are removed once it has ended and all of it is stored.
"""

from __future__ import annotations

import json
import os
import threading
import uuid
from pathlib import Path

from game.xapi.send import VOIDED, Client, SendReport, send

ENDED_VERBS = ("http://adlnet.gov/expapi/verbs/completed",)
SELECTED = "https://w3id.org/xapi/adb/verbs/selected"


def outbox_dir() -> Path:
    from game.paths import user_data_dir

    return user_data_dir() / "outbox"


def _append(path: Path, lines: list[str]) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, "".join(line + "\n" for line in lines).encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


def _lines(path: Path) -> list[str]:
    try:
        from game.session.reader import read_bytes

        data = read_bytes(path)
    except Exception:  # missing, or not a regular file: nothing queued there
        return []
    # a line cut off by a crash is left out: its statement is queued again from the log, same ID
    return [line for line in data.decode("utf-8", "replace").split("\n")[:-1] if line]


class Outbox:
    def __init__(self, folder: Path | None = None):
        self.folder = Path(folder) if folder is not None else outbox_dir()
        self._lock = threading.Lock()  # the queue files
        self._flushing = threading.Lock()  # one flush at a time

    def _files(self, session: str) -> tuple[Path, Path, Path]:
        """The queue, the IDs the LRS stored, and the mark of a session over (ended, or abandoned)."""
        safe = "".join(c for c in session if c.isalnum())[:64] or "session"
        return self.folder / f"{safe}.jsonl", self.folder / f"{safe}.sent", self.folder / f"{safe}.over"

    def queued(self, session: str) -> list[dict]:
        found = []
        for line in _lines(self._files(session)[0]):
            try:
                statement = json.loads(line)
            except ValueError:
                continue
            if isinstance(statement, dict) and "id" in statement:
                found.append(statement)
        return found

    def sent(self, session: str) -> set[str]:
        return set(_lines(self._files(session)[1]))

    def over(self, session: str) -> None:
        """The session will not go on (abandoned): once all of it is stored, its files go."""
        try:
            _append(self._files(session)[2], [])
        except OSError:
            pass

    def update(self, session: str, statements: list[dict]) -> int:
        """Queue the statements not queued yet, and a voiding statement for each answer queued earlier that is no
        longer in `statements` (taken back). Returns how many were queued."""
        with self._lock:
            self.folder.mkdir(parents=True, exist_ok=True)
            try:
                os.chmod(self.folder, 0o700)
            except OSError:
                pass
            before = self.queued(session)
            known = {s["id"] for s in before}
            now = {s["id"] for s in statements}
            new = [s for s in statements if s["id"] not in known]
            for old in before:
                if old.get("verb", {}).get("id") == SELECTED and old["id"] not in now:
                    void_id = str(uuid.uuid5(uuid.UUID(old["id"]), "voided"))
                    if void_id not in known:
                        new.append({"id": void_id, "actor": old["actor"], "verb": {"id": VOIDED, "display": {"en-US": "voided"}},
                                    "object": {"objectType": "StatementRef", "id": old["id"]},
                                    "context": {"registration": old.get("context", {}).get("registration")},
                                    "timestamp": old.get("timestamp")})
            if new:
                _append(self._files(session)[0], [json.dumps(s, ensure_ascii=False, separators=(",", ":")) for s in new])
            return len(new)

    def sessions(self) -> list[str]:
        try:
            return sorted(path.stem for path in self.folder.glob("*.jsonl"))
        except OSError:
            return []

    def pending(self) -> int:
        return sum(len([s for s in self.queued(k) if s["id"] not in self.sent(k)]) for k in self.sessions())

    def flush(self, client: Client) -> SendReport:
        """Send everything waiting; note what the LRS stored (or already had); remove finished sessions' files.
        Only one flush runs at a time; queueing never waits for the network (the game goes on meanwhile)."""
        total = SendReport()
        with self._flushing:
            for session in self.sessions():
                with self._lock:
                    queued = self.queued(session)
                    done = self.sent(session)
                waiting = [s for s in queued if s["id"] not in done]
                if waiting:
                    report = send(waiting, client)  # the network: outside the lock
                    for key in ("stored", "already", "retries"):
                        setattr(total, key, getattr(total, key) + getattr(report, key))
                    total.conflicts += report.conflicts
                    total.rejected += report.rejected
                    total.errors += report.errors
                    total.unsent += report.unsent
                    unsent = {s["id"] for s in report.unsent}
                    stored = [s["id"] for s in waiting if s["id"] not in unsent]
                    if stored:
                        with self._lock:
                            _append(self._files(session)[1], stored)
                        done.update(stored)
                    if unsent:
                        break  # the LRS is not answering: the rest waits too
                with self._lock:
                    queued = self.queued(session)  # a line may have come meanwhile
                    ended = any(s.get("verb", {}).get("id") in ENDED_VERBS for s in queued) \
                        or self._files(session)[2].exists()
                    if ended and all(s["id"] in done for s in queued):
                        for path in self._files(session):
                            try:
                                path.unlink()
                            except OSError:
                                pass
        return total


class LiveSender:
    """Keeps one session's statements in the outbox as its log grows, and sends them in the background."""

    def __init__(self, settings, outbox: Outbox | None = None):
        self.settings = settings
        self.outbox = outbox or Outbox()
        self.client = Client(settings.url, settings.user, settings.password, timeout=5.0, retries=1, backoff=0.2)
        self._wake = threading.Event()
        self._idle = threading.Event()
        self._idle.set()
        self._stop = False
        self.last: SendReport | None = None
        self._thread = threading.Thread(target=self._run, name="kuule-lrs", daemon=True)
        self._thread.start()

    def logged(self, path: Path, session: str, kind: str = "") -> None:
        """The session's log got a line: queue its new statements (never raises: a game never stops for this)."""
        from game.xapi.statements import statements_for_log

        try:
            if kind == "abandoned":
                self.outbox.over(session)
            statements = statements_for_log(path, homepage=self.settings.homepage, pass_mark=self.settings.pass_mark,
                                            include_unfinished=True)
            if self.outbox.update(session, statements):
                self.kick()
        except Exception:  # noqa: BLE001 - an unreadable log is verify's to report
            pass

    def kick(self) -> None:
        self._idle.clear()
        self._wake.set()

    def _run(self) -> None:
        while not self._stop:
            self._wake.wait()
            self._wake.clear()
            try:
                self.last = self.outbox.flush(self.client)
            except Exception:  # noqa: BLE001 - tried again with the next line
                pass
            if not self._wake.is_set():
                self._idle.set()

    def drain(self, timeout: float = 3.0) -> bool:
        """Wait a moment for what is queued to go (a session just ended); True if nothing was left to send."""
        self.kick()
        self._idle.wait(timeout)
        return self._idle.is_set() and not (self.last and self.last.unsent)


_live: LiveSender | None = None
_live_lock = threading.Lock()


def live_sender() -> LiveSender | None:
    """The process's sender, if an LRS is set up and its settings can be used; None otherwise."""
    global _live
    with _live_lock:
        if _live is None:
            try:
                from game.xapi.settings import load

                settings = load()
            except Exception:  # noqa: BLE001 - settings that cannot be used: `xapi --outbox` says why
                return None
            if settings is None:
                return None
            _live = LiveSender(settings)
            _live.kick()  # whatever an earlier run left waiting
        return _live
