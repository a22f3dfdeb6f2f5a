"""The installation's own note of how far each session's log was written: a cut-back log shows on resume.

A score log is a plain file its trainee can edit. Cutting lines off the end of a
finished assessment would otherwise read as "unfinished" and let it be resumed and
played again. So, beside writing each line, Kuule appends `<session> <n> <kind>`
to this ledger, a file kept 0600 in the user's config folder. A note is written only
once its line is synced to disk, so after any crash the ledger is never ahead of the
log by more than the one line a crash can tear. On resume the log's chain end is
compared with the ledger: a session the ledger saw end is not resumed again, and a
log that ends before the ledger's last line is resumed with a `cut_back` note in its
`resumed` line, which `verify` and the report name.

What it cannot do: a user who edits or deletes this file as well (it is theirs),
or who forges the log's chain, is not caught here. An organisation's record of
truth is the LRS, which receives each session's statements as it is played.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

FILE = "sessions.ledger"
FINISHED = ("end", "abandoned")


def ledger_path() -> Path:
    from game.paths import user_config_dir

    return user_config_dir() / FILE


@dataclass(frozen=True)
class Mark:
    n: int  # the highest line number written
    end: int | None  # the number of the end (or abandoned) line written, if one was


class Ledger:
    """An append-only writer for one session (errors are ignored: the ledger never stops a session)."""

    def __init__(self, session: str, path: Path | None = None):
        self.session = session
        self._fd: int | None = None
        try:
            target = path or ledger_path()
            target.parent.mkdir(parents=True, exist_ok=True)
            self._fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        except (OSError, ImportError):
            self._fd = None

    def note(self, n: int, kind: str) -> None:
        if self._fd is None or not self.session:
            return
        try:
            os.write(self._fd, f"{self.session} {n} {kind}\n".encode("ascii", "replace"))
        except OSError:
            pass

    def close(self) -> None:
        if self._fd is not None:
            try:
                os.close(self._fd)
            except OSError:
                pass
            self._fd = None


def mark(session: str, path: Path | None = None) -> Mark | None:
    """How far the session was written, by the ledger; None if the ledger has no line of it."""
    if not session:
        return None
    prefix = (session + " ").encode("ascii", "replace")
    highest, end, seen = 0, None, False
    try:
        from game.session.reader import open_fd

        with os.fdopen(open_fd(path or ledger_path()), "rb") as handle:
            for raw in handle:
                if not raw.startswith(prefix):
                    continue
                parts = raw.split()
                if len(parts) != 3 or not parts[1].isdigit():
                    continue
                seen = True
                highest = max(highest, int(parts[1]))
                if end is None and parts[2].decode("ascii", "replace") in FINISHED:
                    end = int(parts[1])
    except Exception:  # no ledger, or one that cannot be read: nothing known
        return None
    return Mark(highest, end) if seen else None
