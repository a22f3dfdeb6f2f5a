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
