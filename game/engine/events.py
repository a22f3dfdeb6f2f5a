"""What a conversation tells its listeners: presenters, the session log, tests.

Listeners are plain callables taking one event. Each event has a `kind`, so a
listener can dispatch on it or on the class.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from game.engine.rules import Mood
from game.engine.scoring import Result, Turn


@dataclass(frozen=True)
class LineShown:
    kind: ClassVar[str] = "line_shown"
    node_id: str
    turn: int
    mood: Mood
    choice_order: tuple[str, ...]


@dataclass(frozen=True)
class ChoiceMade:
    kind: ClassVar[str] = "choice_made"
    turn: Turn


@dataclass(frozen=True)
class MoodChanged:
    kind: ClassVar[str] = "mood_changed"
    before: Mood
    after: Mood
    turn: int


@dataclass(frozen=True)
class Redirected:
    """An interrupt or a branch moved the conversation on without a choice."""
    kind: ClassVar[str] = "redirected"
    source: str
    target: str
    reason: str  # the interrupt's ID, or "branch"


@dataclass(frozen=True)
class RolledBack:
    kind: ClassVar[str] = "rolled_back"
    node_id: str
    turn: int


@dataclass(frozen=True)
class Ended:
    kind: ClassVar[str] = "ended"
    node_id: str
    outcome: str
    result: Result


Event = LineShown | ChoiceMade | MoodChanged | Redirected | RolledBack | Ended
