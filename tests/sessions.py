"""Checks shared by the soak and crash-safety suites: what a score log says was done, and whether two
conversations stand at exactly the same point."""

from game.debrief import debrief_for
from game.engine import Conversation
from game.session.reader import iter_records


def logged_actions(path) -> list[tuple[str, str | None]]:
    """The answers and take-backs in a log, read straight from its lines: ("choose", id) or ("rollback", None)."""
    actions = []
    for _number, record in iter_records(path, skip_lines=True):
        if record["kind"] == "choice":
            actions.append(("choose", record["choice"]))
        elif record["kind"] == "rollback":
            actions.append(("rollback", None))
    return actions


def same_point(restored: Conversation, expected: Conversation) -> None:
    """The same node, customer state (mood, flags, healing), scores, answers on offer in the same order, take-backs
    still possible, and transcript."""
    assert restored.node.id == expected.node.id
    assert restored.state == expected.state
    assert restored.result == expected.result
    assert restored.choices == expected.choices
    assert restored.history == expected.history
    assert restored.can_rollback == expected.can_rollback
    assert debrief_for(restored).steps == debrief_for(expected).steps


def crashed_at(path, keep: int, newline: bool = True) -> None:
    """The log as a crash after its first `keep` lines leaves it: only those lines on disk (the last one without
    its newline if not `newline`), and the installation's ledger noting no line after them (a crash stops the
    ledger where it stops the log: each note follows its line's sync; see game.session.ledger)."""
    from pathlib import Path

    from game.session.ledger import ledger_path

    path = Path(path)
    lines = path.read_bytes().splitlines(keepends=True)
    session = next(iter_records(path))[1]["session"].encode()
    data = b"".join(lines[:keep])
    path.write_bytes(data if newline else data.rstrip(b"\n"))
    ledger = ledger_path()
    if ledger.exists():
        notes = ledger.read_bytes().splitlines(keepends=True)
        ledger.write_bytes(b"".join(n for n in notes if not n.startswith(session) or int(n.split()[1]) <= keep))
