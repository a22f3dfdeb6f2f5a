"""Scoring a conversation: listening and empathy, MITI-style metrics, empathic opportunities, outcome.

Each answer is judged against the answers offered at that moment: on each axis a turn earns the
points of its one main behaviour code, and could have earned the points of the best answer then
available. A score is the points earned as a share of the points that were there to earn, so 80 %
means the same in an easy scenario and a hard one, and no search over the whole scenario is needed.

Two ceilings then make failures cost, as the articles say: each harmful move leaves a mark that later
repairs cannot erase (the rubric's harm_ceiling_step: one harmful move caps the score at 75 %), and the
ending counts (a conversation that ends badly or with the customer leaving is capped lower still).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from game.engine.rules import Mood
from game.scenario.model import Scenario, Text
from game.scenario.rubric import AXES

# The articles' figures, shown as theirs: a good experience is told to about 3 people,
# a bad one to about 11; up to 75 % return because of a good experience.
OUTCOME_TERMS = {
    "good": {"returns": "yes", "tells": 3},
    "mixed": {"returns": "maybe", "tells": None},
    "bad": {"returns": "no", "tells": 11},
    "left": {"returns": "no", "tells": 11},
}


@dataclass(frozen=True)
class Turn:
    """One choice as it happened: what the log, the debrief and the replay are made of."""
    number: int
    node_id: str
    choice_id: str
    tags: tuple[str, ...]  # secondary tags: they describe the answer, never add points
    points: dict[str, float]  # what the answer's code earns on each axis
    mood_before: Mood
    mood_after: Mood
    harmful: bool
    opportunity: bool
    eccs: int | None
    landed: str  # the node the conversation rested at after this choice
    hops: tuple[tuple[str, str, str], ...] = ()
    code: str | None = None  # the answer's one main behaviour
    best: dict[str, float] | None = None  # the most any answer offered at that moment earned, per axis
    variant: int | None = None  # which variant of the node's line the customer said (1-based), if any
    said: Text | None = None  # the line as the customer said it, its text variables filled in
    answer: Text | None = None  # the answer as the trainee saw it
    thought: Text | None = None  # the customer's unsaid thought then, its variables filled in
    feedback: Text | None = None  # the coach's note on the answer, its variables filled in


@dataclass(frozen=True)
class AxisScore:
    points: float
    best: float  # the sum, over the turns taken, of the best points offered at each
    share: float  # points / best between 0 and 1, then held under the ceiling
    raw: float | None = None  # the share before the ceiling


@dataclass(frozen=True)
class Result:
    listening: AxisScore
    empathy: AxisScore
    tag_counts: dict[str, int]
    reflections: int
    complex_reflections: int
    questions: int
    reflection_to_question: float | None  # None when no questions were asked
    complex_reflection_share: float | None
    opportunities: int
    opportunities_answered: int
    opportunity_share: float | None
    missed_opportunities: tuple[str, ...]
    turns: int
    harmful_moves: int
    ended: bool
    ending: str | None = None
    outcome: str | None = None
    returns: str | None = None
    tells: int | None = None
    final_mood: dict[str, int] = field(default_factory=dict)
    ceiling: float = 1.0  # the highest share this conversation could get
    capped_by: tuple[str, ...] = ()  # what set the ceiling: "harm", "ending"
    code_counts: dict[str, int] = field(default_factory=dict)
    drawn: dict[str, str | None] = field(default_factory=dict)  # the trait and stake of this customer

    @property
    def overall(self) -> float:
        return (self.listening.share + self.empathy.share) / 2

    def as_dict(self) -> dict:
        data = asdict(self)
        data["overall"] = self.overall
        return data


def _axis(points: float, best: float, ceiling: float) -> AxisScore:
    if best > 0:
        raw = points / best
    else:  # nothing was there to earn on this axis: full marks unless the trainee lost points
        raw = 1.0 if points >= best else 0.0
    raw = max(0.0, min(1.0, raw))
    return AxisScore(points=points, best=best, share=min(raw, ceiling), raw=raw)


def turn_best(rubric, choices) -> dict[str, float]:
    """The most any of these (available) answers earns on each axis: what the moment offered."""
    best = {axis: None for axis in AXES}
    for choice in choices:
        for axis, value in rubric.points(choice.code).items():
            if best[axis] is None or value > best[axis]:
                best[axis] = value
    return {axis: value or 0.0 for axis, value in best.items()}


def turn_for(scenario: Scenario, number: int, node, choice, before, after, offered, hops=(), **said) -> Turn:
    """The Turn of taking `choice` at `node` (from state `before` to `after`), judged against the answers
    `offered` then: what a Conversation records, and what the naive players in analysis compute."""
    rubric = scenario.rubric
    return Turn(
        number=number, node_id=node.id, choice_id=choice.id, tags=choice.tags, points=rubric.points(choice.code),
        mood_before=before.mood, mood_after=after.mood, harmful=rubric.is_harmful(choice.code),
        opportunity=node.opportunity is not None,
        eccs=rubric.eccs_level(choice.code, choice.tags, choice.eccs) if node.opportunity is not None else None,
        landed=after.node, hops=tuple(hops), code=choice.code, best=turn_best(rubric, offered), **said)


def compute_result(scenario: Scenario, history: Sequence[Turn], mood: Mood, ending: str | None,
                   drawn: dict | None = None) -> Result:
    rubric = scenario.rubric
    totals = {axis: 0.0 for axis in AXES}
    bests = {axis: 0.0 for axis in AXES}
    tags: Counter[str] = Counter()
    codes: Counter[str] = Counter()
    miti: Counter[str] = Counter()
    answered, opportunities, missed = 0, 0, []
    for turn in history:
        best = turn.best if turn.best is not None else turn.points
        for axis in AXES:
            totals[axis] += turn.points[axis]
            bests[axis] += best[axis]
        # moves: the answer's code and its secondary tags, each once
        tags.update(list(dict.fromkeys(((turn.code,) if turn.code else ()) + tuple(turn.tags))))
        if turn.code:
            codes[turn.code] += 1
            kind = rubric.miti(turn.code)
            if kind:
                miti[kind] += 1
        if turn.opportunity:
            opportunities += 1
            if (turn.eccs or 0) >= rubric.acknowledged_level:
                answered += 1
            else:
                missed.append(turn.node_id)
    reflections = miti["simple_reflection"] + miti["complex_reflection"]
    questions = miti["question"]
    node = scenario.nodes.get(ending) if ending else None
    outcome = node.ending.outcome if node is not None and node.ending else None
    terms = OUTCOME_TERMS.get(outcome, {})
    harmful = sum(1 for turn in history if turn.harmful)
    ceiling = rubric.ceiling(harmful, outcome)
    capped_by = tuple(name for name, holds in (
        ("harm", harmful > 0), ("ending", outcome is not None and rubric.ending_ceiling.get(outcome, 1.0) < 1.0)) if holds)
    return Result(
        listening=_axis(totals["listening"], bests["listening"], ceiling),
        empathy=_axis(totals["empathy"], bests["empathy"], ceiling),
        tag_counts=dict(tags), reflections=reflections, complex_reflections=miti["complex_reflection"],
        questions=questions, reflection_to_question=reflections / questions if questions else None,
        complex_reflection_share=miti["complex_reflection"] / reflections if reflections else None,
        opportunities=opportunities, opportunities_answered=answered,
        opportunity_share=answered / opportunities if opportunities else None,
        missed_opportunities=tuple(missed), turns=len(history),
        harmful_moves=harmful, ended=outcome is not None,
        ending=ending if outcome else None, outcome=outcome, returns=terms.get("returns"), tells=terms.get("tells"),
        final_mood=mood.as_dict(), ceiling=ceiling, capped_by=capped_by, code_counts=dict(codes),
        drawn=dict(drawn or {}))
