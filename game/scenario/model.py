"""The scenario as the engine sees it: immutable, with the author's IDs and source positions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from game.scenario.conditions import Condition

Text = str | Mapping[str, str]
MOOD_DIMENSIONS = ("trust", "distress", "heard")
MOOD_DEFAULTS = {"trust": 50, "distress": 30, "heard": 0}
OUTCOMES = ("good", "mixed", "bad", "left")
CHANNELS = ("counter", "phone", "video", "chat", "email")
EXPRESSIONS = ("calm", "worried", "sad", "irritated", "angry", "relieved", "embarrassed", "hopeful", "afraid", "tired")
DEFAULT_INTENSITY = 0.7
COUNTER_MIN, COUNTER_MAX = 0, 99  # a counter (a whole-number flag that `add:` changes) stays within these


@dataclass(frozen=True, slots=True)
class Choice:
    id: str
    text: Text
    goto: str
    code: str | None = None  # the one main behaviour; decides the points
    tags: tuple[str, ...] = ()  # secondary: never add points
    mood: Mapping[str, int] = field(default_factory=dict)
    sets: Mapping[str, int | bool] = field(default_factory=dict)
    adds: Mapping[str, int] = field(default_factory=dict)  # counters: added, then kept within COUNTER_RANGE
    feedback: Text | None = None
    condition: Condition | None = None
    once: bool = False
    eccs: int | None = None
    line: int = 0
    col: int = 0


@dataclass(frozen=True, slots=True)
class Branch:
    goto: str
    condition: Condition | None = None
    line: int = 0
    col: int = 0


@dataclass(frozen=True, slots=True)
class Interrupt:
    id: str
    condition: Condition
    goto: str
    line: int = 0
    col: int = 0


@dataclass(frozen=True, slots=True)
class Ending:
    outcome: str
    title: Text | None = None
    summary: Text | None = None


@dataclass(frozen=True, slots=True)
class Variant:
    """Another way a node's line is said, used when its condition holds as the line is reached."""
    condition: Condition
    line: Text | None = None
    cue: Text | None = None
    thought: Text | None = None
    expression: str | None = None
    intensity: float | None = None
    title: Text | None = None
    summary: Text | None = None
    source_line: int = 0


@dataclass(frozen=True, slots=True)
class Draw:
    """A trait or a hidden stake a session can draw."""
    id: str
    label: Text
    weight: int = 1
    mood: Mapping[str, int] = field(default_factory=dict)
    hidden: Text | None = None  # stakes: what the customer does not say


@dataclass(frozen=True, slots=True)
class Speaker:
    """Someone other than the customer who speaks: a colleague, a manager, a relative on the line."""
    id: str
    name: Text
    role: Text | None = None
    age: int | None = None
    look: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Node:
    id: str
    line: Text
    cue: Text | None = None
    thought: Text | None = None
    opportunity: Text | None = None
    expression: str | None = None
    intensity: float | None = None
    variants: tuple[Variant, ...] = ()
    speaker: str | None = None  # one of the scenario's speakers; None: the customer
    branches: tuple[Branch, ...] = ()
    choices: tuple[Choice, ...] = ()
    ending: Ending | None = None
    source_line: int = 0
    source_col: int = 0

    @property
    def is_ending(self) -> bool:
        return self.ending is not None

    def choice(self, choice_id: str) -> Choice | None:
        for choice in self.choices:
            if choice.id == choice_id:
                return choice
        return None


@dataclass(frozen=True, slots=True)
class Customer:
    name: Text
    situation: Text
    hidden: Text
    age: int | None = None
    look: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one loaded file, one object
class Scenario:
    id: str
    title: Text
    languages: tuple[str, ...]
    customer: Customer
    nodes: Mapping[str, Node]
    start: str
    mood: Mapping[str, int]
    flags: Mapping[str, int | bool]
    interrupts: tuple[Interrupt, ...]
    rubric: "Rubric"  # noqa: F821 - game.scenario.rubric
    description: Text | None = None
    difficulty: str = "medium"
    shuffle_choices: bool = True
    path: str = ""
    content_hash: str = ""
    format: int = 2
    channel: str = "counter"
    traits: Mapping[str, Draw] = field(default_factory=dict)
    stakes: Mapping[str, Draw] = field(default_factory=dict)
    texts: Mapping[str, Text] = field(default_factory=dict)  # text variables, {name} in texts
    speakers: Mapping[str, Speaker] = field(default_factory=dict)

    @property
    def variables(self) -> tuple[str, ...]:
        """Every name a condition may use."""
        return MOOD_DIMENSIONS + ("turn",) + tuple(self.flags) + tuple(self.traits) + tuple(self.stakes)

    @property
    def uses_turn(self) -> bool:
        """Whether any condition reads `turn` (path analysis can then not merge turns)."""
        conditions = [i.condition for i in self.interrupts]
        for node in self.nodes.values():
            conditions += [b.condition for b in node.branches] + [c.condition for c in node.choices]
        return any(c is not None and "turn" in c.names for c in conditions)

    @property
    def endings(self) -> list[Node]:
        return [node for node in self.nodes.values() if node.is_ending]
