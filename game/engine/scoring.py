"""Scoring a conversation: listening and empathy, MITI-style metrics, empathic opportunities, outcome.

Scores are a share of the best the scenario allows (found by path
exploration), so 80 % means the same in an easy scenario and a hard one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from game.engine.paths import solve
from game.engine.rules import Mood
from game.scenario.model import Scenario
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
    tags: tuple[str, ...]
    points: dict[str, float]
    mood_before: Mood
    mood_after: Mood
    harmful: bool
    opportunity: bool
    eccs: int | None
    landed: str  # the node the conversation rested at after this choice
    hops: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class AxisScore:
    points: float
    best: float
    share: float  # points / best, between 0 and 1


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

    @property
    def overall(self) -> float:
        return (self.listening.share + self.empathy.share) / 2

    def as_dict(self) -> dict:
        data = asdict(self)
        data["overall"] = self.overall
        return data


def _axis(points: float, best: float | None) -> AxisScore:
    best = best if best and best > 0 else 0.0
    share = points / best if best else (1.0 if points >= 0 else 0.0)
    return AxisScore(points=points, best=best, share=max(0.0, min(1.0, share)))


def compute_result(scenario: Scenario, history: Sequence[Turn], mood: Mood, ending: str | None) -> Result:
    rubric = scenario.rubric
    solution = solve(scenario)
    totals = {axis: 0.0 for axis in AXES}
    tags: Counter[str] = Counter()
    miti: Counter[str] = Counter()
    answered, opportunities, missed = 0, 0, []
    for turn in history:
        for axis in AXES:
            totals[axis] += turn.points[axis]
        tags.update(turn.tags)
        for name in turn.tags:
            kind = rubric.tags[name].miti if name in rubric.tags else None
            if kind:
                miti[kind] += 1
        if turn.opportunity:
            opportunities += 1
            if (turn.eccs or 0) >= rubric.acknowledged_level:
                answered += 1
            else:
                missed.append(turn.node_id)
    reflections = miti["simple_reflection"] + miti["complex_reflection"]
    questions = miti["open_question"] + miti["closed_question"]
    node = scenario.nodes.get(ending) if ending else None
    outcome = node.ending.outcome if node is not None and node.ending else None
    terms = OUTCOME_TERMS.get(outcome, {})
    return Result(
        listening=_axis(totals["listening"], solution.best["listening"].points if solution.best["listening"] else None),
        empathy=_axis(totals["empathy"], solution.best["empathy"].points if solution.best["empathy"] else None),
        tag_counts=dict(tags), reflections=reflections, complex_reflections=miti["complex_reflection"],
        questions=questions, reflection_to_question=reflections / questions if questions else None,
        complex_reflection_share=miti["complex_reflection"] / reflections if reflections else None,
        opportunities=opportunities, opportunities_answered=answered,
        opportunity_share=answered / opportunities if opportunities else None,
        missed_opportunities=tuple(missed), turns=len(history),
        harmful_moves=sum(1 for turn in history if turn.harmful), ended=outcome is not None,
        ending=ending if outcome else None, outcome=outcome, returns=terms.get("returns"), tells=terms.get("tells"),
        final_mood=mood.as_dict())
