"""The debrief as data: what every presenter shows after a conversation.

Built from a conversation's history (or, later, from a session log), it holds
the scores, the coach metrics rated against the rubric's thresholds, the
empathic opportunities met and missed, the outcome in the articles' terms, and
the annotated transcript in which the customer's unsaid thoughts appear for
the first time. Texts stay as Text (all languages); presenters pick one.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.engine.rules import Mood
from game.engine.scoring import Result, Turn
from game.i18n import Catalog, number, percent, pick
from game.scenario.model import Scenario, Text

_ = Catalog({
    "listening": ("Listening", "Kuuntelu"),
    "empathy": ("Empathy", "Empatia"),
    "ratio": ("Reflections per question", "Heijastuksia kysymystä kohden"),
    "complex": ("Complex reflections", "Syviä heijastuksia"),
    "answered": ("Empathic opportunities answered", "Vastatut empatian paikat"),
    "rating_good": ("good", "hyvä"),
    "rating_fair": ("fair", "kohtalainen"),
    "rating_below": ("below fair", "alle kohtalaisen"),
    "rating_none": ("not measured", "ei mitattu"),
    "returns_yes": ("Would they come back? Very likely.", "Tuleeko asiakas takaisin? Hyvin todennäköisesti."),
    "returns_maybe": ("Would they come back? Perhaps.", "Tuleeko asiakas takaisin? Ehkä."),
    "returns_no": ("Would they come back? Probably not.", "Tuleeko asiakas takaisin? Tuskin."),
    "tells_good": ("The article's figure: a good experience is told to about {n} people.",
                   "Artikkelin luku: hyvästä kokemuksesta kerrotaan noin {n} ihmiselle."),
    "tells_bad": ("The article's figure: a bad experience is told to about {n} people, and it takes about 12 good ones to make up for it.",
                  "Artikkelin luku: huonosta kokemuksesta kerrotaan noin {n} ihmiselle, ja sen korjaamiseen tarvitaan noin 12 hyvää."),
    "walked_out": ("They walked out before anything was solved.", "Asiakas lähti kesken, ennen kuin mitään ratkaistiin."),
    "tells_mixed": ("A story like this is not one they will pass on; nor is it one that brings them back.",
                    "Tällaista tarinaa asiakas tuskin kertoo eteenpäin, eikä se myöskään tuo häntä takaisin."),
    "not_finished": ("The conversation did not reach an ending.", "Keskustelu ei päättynyt mihinkään loppuun."),
})


@dataclass(frozen=True)
class Metric:
    key: str
    value: float | None
    fair: float | None
    good: float | None
    as_percent: bool

    @property
    def rating(self) -> str:
        if self.value is None:
            return "none"
        if self.good is not None and self.value >= self.good:
            return "good"
        if self.fair is not None and self.value >= self.fair:
            return "fair"
        return "below"

    def label(self, lang: str) -> str:
        return _(self.key, lang)

    def rating_text(self, lang: str) -> str:
        return _("rating_" + self.rating, lang)

    def value_text(self, lang: str = "en") -> str:
        if self.value is None:
            return "–"
        return percent(self.value, lang) if self.as_percent else number(self.value, lang, 1) + ":1"


@dataclass(frozen=True)
class Step:
    turn: Turn
    line: Text
    cue: Text | None
    thought: Text | None
    opportunity: Text | None
    choice_text: Text
    feedback: Text | None
    answered: bool | None  # for opportunities: at acknowledgement level or better

    @property
    def mood_before(self) -> Mood:
        return self.turn.mood_before

    @property
    def mood_after(self) -> Mood:
        return self.turn.mood_after


@dataclass(frozen=True)
class Debrief:
    scenario: Scenario
    result: Result
    steps: tuple[Step, ...]
    final_line: Text | None
    final_thought: Text | None
    ending_title: Text | None
    ending_summary: Text | None
    metrics: tuple[Metric, ...]

    def outcome_lines(self, lang: str) -> list[str]:
        result = self.result
        if not result.ended:
            return [_("not_finished", lang)]
        lines = [_("walked_out", lang)] if result.outcome == "left" else []
        lines.append(_("returns_" + result.returns, lang))
        if result.tells is None:
            lines.append(_("tells_mixed", lang))
        else:
            lines.append(_("tells_good" if result.outcome == "good" else "tells_bad", lang, n=result.tells))
        return lines

    def tag_label(self, tag: str, lang: str) -> str:
        entry = self.scenario.rubric.tags.get(tag)
        return pick(entry.label, lang) if entry else tag

    def axis_label(self, axis: str, lang: str) -> str:
        return _(axis, lang)


def build_debrief(scenario: Scenario, history: list[Turn], result: Result) -> Debrief:
    rubric = scenario.rubric
    steps = []
    for turn in history:
        node = scenario.nodes[turn.node_id]
        choice = node.choice(turn.choice_id)
        steps.append(Step(turn=turn, line=node.line, cue=node.cue, thought=node.thought, opportunity=node.opportunity,
                          choice_text=choice.text if choice else turn.choice_id,
                          feedback=choice.feedback if choice else None,
                          answered=(turn.eccs or 0) >= rubric.acknowledged_level if turn.opportunity else None))
    last = scenario.nodes.get(result.ending) if result.ending else None
    thresholds = rubric.thresholds or {}

    def metric(key, name, value, percent):
        bounds = thresholds.get(name, {})
        return Metric(key, value, bounds.get("fair"), bounds.get("good"), percent)

    metrics = (
        metric("ratio", "reflection_to_question", result.reflection_to_question, False),
        metric("complex", "complex_reflections", result.complex_reflection_share, True),
        metric("answered", "opportunities_answered", result.opportunity_share, True),
    )
    return Debrief(scenario=scenario, result=result, steps=tuple(steps),
                   final_line=last.line if last else None, final_thought=last.thought if last else None,
                   ending_title=last.ending.title if last else None,
                   ending_summary=last.ending.summary if last else None, metrics=metrics)


def debrief_for(conversation) -> Debrief:
    return build_debrief(conversation.scenario, list(conversation.history), conversation.result)
