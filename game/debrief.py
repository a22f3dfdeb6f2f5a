"""The debrief as data: what every presenter shows after a conversation.

Built from a conversation's history (or, later, from a session log), it holds
the scores, the moves used by behaviour code, the coach metrics rated against
the rubric's thresholds, the empathic opportunities met and missed, what set
the score's ceiling on this path, the outcome in the articles' terms, and the
annotated transcript in which the customer's unsaid thoughts appear for the
first time. Texts stay as Text (all languages); presenters pick one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from game.engine.rules import Mood
from game.engine.scoring import OUTCOME_TERMS, Result, Turn
from game.i18n import Catalog, number, percent, pick
from game.scenario.model import Scenario, Text
from game.scenario.rubric import OUTCOME_CEILINGS

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
    "returns_maybe": ("Would they come back? It could go either way: nothing here will make them stay, or leave.",
                      "Tuleeko asiakas takaisin? Voi mennä kummin päin vain: tämä ei yksin pidä häntä eikä aja pois."),
    "returns_no": ("Would they come back? Probably not.", "Tuleeko asiakas takaisin? Tuskin."),
    "returns_perhaps_harmed": ("Would they come back? Perhaps: it ended well, but the harm left its mark.",
                               "Tuleeko asiakas takaisin? Ehkä: loppu oli hyvä, mutta vahinko jätti jälkensä."),
    "returns_no_harmed_good": ("Would they come back? Probably not: it ended well, but one good ending does not make up for this much harm.",
                               "Tuleeko asiakas takaisin? Tuskin: loppu oli hyvä, mutta yksi hyvä loppu ei korvaa näin paljon vahinkoa."),
    "returns_no_harmed": ("Would they come back? Probably not: nothing here will make them stay, and the harm is what they will remember.",
                          "Tuleeko asiakas takaisin? Tuskin: mikään tässä ei pidä häntä, ja vahinko on se, mikä hänelle jää mieleen."),
    "figure_return": ("The article's figure: up to 75 % of people return to a company just because of a good customer experience, and every 1 % more returning customers raises sales by about 10 %.",
                      "Artikkelin luku: jopa 75 % palaa yritykseen pelkän hyvän asiakaskokemuksen takia, ja jokainen prosentti lisää palaavia asiakkaita nostaa myyntiä keskimäärin noin 10 %."),
    "tells_good": ("The article's figure: a good experience is told to about {n} people.",
                   "Artikkelin luku: hyvästä kokemuksesta kerrotaan noin {n} ihmiselle."),
    "tells_bad": ("The article's figure: a bad experience is told to about {n} people (a good one to about 3), and it takes about 12 good experiences before the customer counts a failed one as made up for.",
                  "Artikkelin luku: huonosta kokemuksesta kerrotaan noin {n} ihmiselle (hyvästä noin kolmelle), ja epäonnistunut kokemus vaatii noin 12 hyvää, ennen kuin asiakas pitää sitä hyvitettynä."),
    "tells_harmed": ("The article's figure: it takes about 12 good experiences before the customer counts a failed one as made up for, and a bad experience is told to about {n} people (a good one to about 3).",
                     "Artikkelin luku: epäonnistunut kokemus vaatii noin 12 hyvää, ennen kuin asiakas pitää sitä hyvitettynä, ja huonosta kokemuksesta kerrotaan noin {n} ihmiselle (hyvästä noin kolmelle)."),
    "walked_out": ("They walked out before anything was solved.", "Asiakas lähti kesken, ennen kuin mitään ratkaistiin."),
    "tells_mixed": ("A story like this is rarely passed on, good or bad: the next encounter decides.",
                    "Tällaista tarinaa ei juuri kerrota eteenpäin, hyvää eikä pahaa: seuraava kohtaaminen ratkaisee."),
    "not_finished": ("The conversation did not reach an ending.", "Keskustelu ei päättynyt mihinkään loppuun."),
    "cap_harm_1": ("One harmful move: the score can be at most {cap}. A harm leaves a mark that later repairs do not erase (the articles: one failure needs about twelve corrections).",
                   "Yksi vahingollinen siirto: tulos voi olla enintään {cap}. Vahinko jättää jäljen, jota myöhemmät korjaukset eivät pyyhi (artikkelit: yksi epäonnistuminen vaatii noin kaksitoista korjausta)."),
    "cap_harm": ("{n} harmful moves: the score can be at most {cap}. A harm leaves a mark that later repairs do not erase (the articles: one failure needs about twelve corrections).",
                 "Vahingollisia siirtoja {n}: tulos voi olla enintään {cap}. Vahinko jättää jäljen, jota myöhemmät korjaukset eivät pyyhi (artikkelit: yksi epäonnistuminen vaatii noin kaksitoista korjausta)."),
    "cap_ending": ("This ending caps the score at {cap}: how the conversation ends is the point.",
                   "Tämä loppu rajaa tuloksen enintään {cap}: se, miten keskustelu päättyy, on koko asian ydin."),
    "first_harm": ("The turning point came at turn {turn}: \u201c{move}\u201d", "Käänne tuli vuorolla {turn}: \u201d{move}\u201d"),
    "missed_count": ("{n} of {total} moments when the customer showed a feeling went unanswered.",
                     "Asiakas näytti tunteensa {total} kertaa, ja niistä {n} jäi vaille vastausta."),
    "all_answered": ("You answered every moment when the customer showed a feeling.",
                     "Vastasit joka kerta, kun asiakas näytti tunteensa."),
    "drawn_trait": ("This customer was {trait} today.", "Asiakas oli tänään {trait}."),
})

_VERDICTS = ("yes", "maybe", "no")  # would they come back, best first


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
class MitiCounts:
    """MITI 4.2.1 summary counts of a list of behaviour codes (see `miti_from_codes`)."""
    reflections: int
    complex_reflections: int
    questions: int

    @property
    def reflection_to_question(self) -> float | None:
        return self.reflections / self.questions if self.questions else None

    @property
    def complex_share(self) -> float | None:
        return self.complex_reflections / self.reflections if self.reflections else None


def miti_from_codes(codes, rubric) -> MitiCounts:
    """Reflections, complex reflections and questions among `codes` (one main code per answer), by the MITI
    kind the rubric gives each code. Used for the trainee's own words, the honest MITI measure: what they
    said themselves, not which offered answer they recognised."""
    kinds = [rubric.miti(code) for code in codes if code]
    simple, complex_ = kinds.count("simple_reflection"), kinds.count("complex_reflection")
    return MitiCounts(simple + complex_, complex_, kinds.count("question"))


def miti_metrics(counts: MitiCounts, thresholds) -> tuple[Metric, Metric]:
    """The ratio and complex-share metrics of `counts`, rated against the rubric's thresholds."""
    thresholds = thresholds or {}
    ratio, complex_ = thresholds.get("reflection_to_question", {}), thresholds.get("complex_reflections", {})
    return (Metric("ratio", counts.reflection_to_question, ratio.get("fair"), ratio.get("good"), False),
            Metric("complex", counts.complex_share, complex_.get("fair"), complex_.get("good"), True))


@dataclass(frozen=True)
class Move:
    """A behaviour code the trainee used, and how often."""
    code: str
    count: int
    group: str | None
    harmful: bool
    label: Text
    framework: str
    grounding: Text


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
    hidden: Text | None = None  # what the customer did not say (the drawn stake's, if any)
    trait: Text | None = None  # the drawn trait's label, if the scenario has traits

    @property
    def returns(self) -> str | None:
        """Would they come back: "yes", "maybe" or "no", weighing the harm as well as the ending.

        The ending alone says yes (good), maybe (mixed) or no (bad, left). A harmful move leaves a mark a
        good ending does not erase, so with any harm the verdict is at most "maybe"; and a harm that held the
        score as low as a bad ending would (the rubric's own ceilings) makes it "no", whatever the ending.
        """
        result = self.result
        if not result.ended:
            return None
        ending = result.returns or "maybe"
        if not result.harmful_moves:
            return ending
        rubric = self.scenario.rubric
        mark = rubric.ceiling(result.harmful_moves, None)
        harm = "no" if mark <= rubric.ending_ceiling.get("bad", OUTCOME_CEILINGS["bad"]) else "maybe"
        return max(ending, harm, key=_VERDICTS.index)

    def outcome_lines(self, lang: str) -> list[str]:
        """Would they come back (the harm weighed with the ending), and the articles' figures for this
        outcome, labelled as the articles'."""
        result = self.result
        if not result.ended:
            return [_("not_finished", lang)]
        lines = [_("walked_out", lang)] if result.outcome == "left" else []
        verdict, ending = self.returns, result.returns
        if verdict == ending:
            lines.append(_("returns_" + verdict, lang))
        elif ending == "yes":  # it ended well, but after harm
            lines.append(_("returns_perhaps_harmed" if verdict == "maybe" else "returns_no_harmed_good", lang))
        else:
            lines.append(_("returns_no_harmed", lang))
        if verdict == "yes":
            lines.append(_("tells_good", lang, n=result.tells))
            lines.append(_("figure_return", lang))
        elif verdict == "maybe" and ending == "maybe":
            lines.append(_("tells_mixed", lang))
        elif verdict == ending:  # a bad ending, or the customer left
            lines.append(_("tells_bad", lang, n=result.tells))
        else:  # harm that a good or mixed ending does not make up for
            lines.append(_("tells_harmed", lang, n=OUTCOME_TERMS["bad"]["tells"]))
        return lines

    def path_lines(self, lang: str) -> list[str]:
        """What shaped this particular conversation: the ceiling and why, the turning point, the feelings missed."""
        result, lines = self.result, []
        if self.trait is not None:
            lines.append(_("drawn_trait", lang, trait=pick(self.trait, lang)))
        if "harm" in result.capped_by:
            cap = self.scenario.rubric.ceiling(result.harmful_moves, None)
            key = "cap_harm_1" if result.harmful_moves == 1 else "cap_harm"
            lines.append(_(key, lang, n=result.harmful_moves, cap=percent(cap, lang)))
            first = next((step for step in self.steps if step.turn.harmful), None)
            if first is not None:
                lines.append(_("first_harm", lang, turn=first.turn.number, move=pick(first.choice_text, lang)))
        if "ending" in result.capped_by:
            cap = self.scenario.rubric.ending_ceiling.get(result.outcome, 1.0)
            lines.append(_("cap_ending", lang, cap=percent(cap, lang)))
        if result.opportunities:
            missed = result.opportunities - result.opportunities_answered
            lines.append(_("missed_count", lang, n=missed, total=result.opportunities) if missed
                         else _("all_answered", lang))
        return lines

    @property
    def moves(self) -> list[Move]:
        """The behaviour codes used, most used first (harmful ones first among equals)."""
        rubric = self.scenario.rubric
        found = []
        for code, count in self.result.code_counts.items():
            entry = rubric.codes.get(code)
            found.append(Move(code, count, entry.group if entry else None, bool(entry and entry.harmful),
                              entry.label if entry else code, entry.framework if entry else "",
                              entry.grounding if entry else ""))
        return sorted(found, key=lambda move: (-move.count, not move.harmful, move.code))

    def tag_label(self, tag: str, lang: str) -> str:
        return pick(self.scenario.rubric.label(tag), lang)

    def step_label(self, step: "Step", lang: str) -> str:
        """The answer's code, then its secondary tags, e.g. 'Complex reflection · Names the feeling'."""
        names = ([step.turn.code] if step.turn.code else []) + [t for t in step.turn.tags if t != step.turn.code]
        return " · ".join(self.tag_label(name, lang) for name in names)

    def axis_label(self, axis: str, lang: str) -> str:
        return _(axis, lang)


def _variant(node, number):
    if number and 0 < number <= len(node.variants):
        return node.variants[number - 1]
    return None


def _said(node, number):
    """The line, cue and thought as the customer said them (the variant's, where one was used)."""
    variant = _variant(node, number)
    if variant is None:
        return node.line, node.cue, node.thought
    return (variant.line if variant.line is not None else node.line, variant.cue if variant.cue is not None else node.cue,
            variant.thought if variant.thought is not None else node.thought)


def build_debrief(scenario: Scenario, history: list[Turn], result: Result, final_variant: int | None = None,
                  render: Callable[[Text | None], Text | None] | None = None) -> Debrief:
    """The debrief of a conversation. `render` fills a text's {variables} in as the conversation had them
    (Conversation.render); the turns carry their own lines, answers and thoughts already filled in."""
    render = render or (lambda text: text)
    rubric = scenario.rubric
    steps = []
    for turn in history:
        node = scenario.nodes[turn.node_id]
        choice = node.choice(turn.choice_id)
        line, cue, thought = _said(node, turn.variant)
        steps.append(Step(turn=turn, line=turn.said if turn.said is not None else render(line), cue=render(cue),
                          thought=turn.thought if turn.thought is not None else render(thought),
                          opportunity=render(node.opportunity),
                          choice_text=turn.answer if turn.answer is not None else choice.text if choice else turn.choice_id,
                          feedback=turn.feedback if turn.feedback is not None else choice.feedback if choice else None,
                          answered=(turn.eccs or 0) >= rubric.acknowledged_level if turn.opportunity else None))
    last = scenario.nodes.get(result.ending) if result.ending else None
    drawn = result.drawn or {}
    stake = scenario.stakes.get(drawn.get("stake") or "")
    trait = scenario.traits.get(drawn.get("trait") or "")
    thresholds = rubric.thresholds or {}

    def metric(key, name, value, percent):
        bounds = thresholds.get(name, {})
        return Metric(key, value, bounds.get("fair"), bounds.get("good"), percent)

    metrics = (
        metric("ratio", "reflection_to_question", result.reflection_to_question, False),
        metric("complex", "complex_reflections", result.complex_reflection_share, True),
        metric("answered", "opportunities_answered", result.opportunity_share, True),
    )
    final_line = final_thought = title = summary = None
    if last is not None:
        final_line, _cue, final_thought = _said(last, final_variant)
        variant = _variant(last, final_variant)
        title = variant.title if variant is not None and variant.title is not None else last.ending.title
        summary = variant.summary if variant is not None and variant.summary is not None else last.ending.summary
    hidden = stake.hidden if stake is not None and stake.hidden is not None else scenario.customer.hidden
    return Debrief(scenario=scenario, result=result, steps=tuple(steps), final_line=render(final_line),
                   final_thought=render(final_thought), ending_title=render(title), ending_summary=render(summary),
                   metrics=metrics, hidden=render(hidden), trait=render(trait.label) if trait is not None else None)


def debrief_for(conversation) -> Debrief:
    final = conversation.line.variant if conversation.ended else None
    return build_debrief(conversation.scenario, list(conversation.history), conversation.result, final,
                         getattr(conversation, "render", None))
