"""Scoring arithmetic: axes, harm weighting, share of the best, MITI ratio, ECCS opportunities, outcome."""

from pathlib import Path

import pytest

from dataclasses import replace

from game.debrief import debrief_for
from game.engine.scoring import compute_result
from game.engine import Conversation
from game.scenario.loader import load_or_raise

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def scenario():
    return load_or_raise(FIXTURES / "engine.yaml")


def result_of(scenario, *choices):
    conversation = Conversation(scenario, seed=1)
    for choice in choices:
        conversation.choose(choice)
    return conversation.result


@pytest.fixture(scope="module")
def variety():
    return load_or_raise(FIXTURES / "variety.yaml")


def test_format_1_choices_get_their_main_code_from_their_tags(scenario):
    codes = {c.id: c.code for node in scenario.nodes.values() for c in node.choices}
    assert codes["reflect"] == "complex_reflection"  # [complex_reflection, names_emotion]: the first tag's code
    assert codes["lecture"] == "lecture" and codes["give_up"] == "jargon" and codes["fine"] == "seek_collaboration"
    assert scenario.rubric.main_code(["validates", "lectures", "righting_reflex"]) == "lecture"  # harm is what is heard


def test_each_answer_is_judged_against_the_answers_offered_at_that_moment(scenario):
    # start offers complex_reflection (3, 2), open_question (2, 1) and two roadblocks; hub then offers
    # closed_question (1, 0), open_question (2, 1, open since `asked`), seek_collaboration (1, 2), jargon
    result = result_of(scenario, "reflect", "deep")
    assert (result.listening.points, result.listening.best) == (5, 5) and result.listening.share == 1.0
    assert (result.empathy.points, result.empathy.best) == (3, 4) and result.empathy.share == pytest.approx(0.75)
    assert result.ceiling == 1.0 and result.capped_by == ()


def test_a_short_exact_reflection_beats_a_long_answer_that_does_three_things(variety):
    rubric = variety.rubric
    start = variety.nodes["start"]
    reflect, plan_all = start.choice("reflect"), start.choice("plan_all")
    assert len(reflect.text["en"]) < len(plan_all.text["en"]) / 3
    assert sum(rubric.points(reflect.code).values()) > sum(rubric.points(plan_all.code).values())
    short = Conversation(variety, seed=1, drawn={"trait": "talkative", "stake": "job"})
    long = Conversation(variety, seed=1, drawn={"trait": "talkative", "stake": "job"})
    short.choose("reflect")
    long.choose("plan_all")
    assert short.result.overall > long.result.overall
    assert long.result.tag_counts == {"seek_collaboration": 1, "supports": 1, "explores": 1}  # tags add no points
    assert long.history[0].points == rubric.points("seek_collaboration")


def test_silence_can_be_the_best_answer(variety):
    conversation = Conversation(variety, seed=1, drawn={"trait": "talkative", "stake": "job"})
    conversation.choose("reflect")
    conversation.choose("quiet")
    turn = conversation.history[-1]
    assert turn.code == "attentive_silence" and turn.points["listening"] == turn.best["listening"]


def test_one_harmful_move_leaves_a_mark_that_repairs_do_not_erase(variety):
    clean = Conversation(variety, seed=1, drawn={"trait": "talkative", "stake": "job"})
    harmed = Conversation(variety, seed=1, drawn={"trait": "talkative", "stake": "job"})
    for choice in ("reflect", "quiet", "together"):
        clean.choose(choice)
    for choice in ("reflect", "blame", "together"):
        harmed.choose(choice)
    assert clean.result.outcome == harmed.result.outcome == "good"
    assert clean.result.overall == pytest.approx(1.0)
    assert harmed.result.harmful_moves == 1 and harmed.result.capped_by == ("harm",)
    assert harmed.result.ceiling == 0.75 and harmed.result.overall <= 0.75
    # however many good answers follow, the mark stays: twenty repairs after one harm still score 75 %
    good, bad = clean.history[0], harmed.history[1]
    history = [bad] + [replace(good, number=n) for n in range(2, 22)]
    long = compute_result(variety, history, clean.mood, "good")
    assert long.listening.raw > 0.75 and long.listening.share == 0.75 and long.overall == 0.75
    twice = compute_result(variety, [bad, bad] + history[1:], clean.mood, "good")
    assert twice.overall == 0.5


def test_the_ending_caps_the_score(scenario, variety):
    rubric = scenario.rubric
    mixed = result_of(scenario, "ask", "plan", "fine")
    assert mixed.outcome == "mixed" and mixed.capped_by == ("ending",)
    assert mixed.overall <= rubric.ending_ceiling["mixed"] < 1.0
    left = result_of(scenario, "rude")
    assert left.outcome == "left" and left.overall <= rubric.ending_ceiling["left"] <= 0.5
    both = result_of(scenario, "lecture", "give_up")
    assert both.outcome == "bad" and both.capped_by == ("harm", "ending")
    assert both.ceiling == min(rubric.ceiling(2, None), rubric.ending_ceiling["bad"])


def test_harm_costs_more_than_good_earns_and_shares_never_go_below_zero(scenario):
    result = result_of(scenario, "lecture", "plan", "fine")
    rubric = scenario.rubric
    assert rubric.harm_multiplier > 1
    lecture = rubric.codes["lecture"]
    assert result.empathy.points == lecture.empathy * rubric.harm_multiplier + 2 + 2
    assert result.empathy.points < 0 and result.empathy.share == 0.0
    assert result.harmful_moves == 1


def test_miti_reflection_to_question_ratio_and_complex_share(scenario):
    result = result_of(scenario, "reflect", "again", "deep")  # deep explores the feeling: a question too (MITI 4.2.1)
    assert (result.reflections, result.questions, result.complex_reflections) == (1, 2, 1)
    assert result.reflection_to_question == 0.5 and result.complex_reflection_share == 1.0
    assert result_of(scenario, "lecture", "give_up").reflection_to_question is None  # no questions asked


# an open question that does not explore the feeling is implicit recognition (ECCS 2), not an answer to it
@pytest.mark.parametrize("choice, answered", [("reflect", True), ("ask", False), ("lecture", False), ("rude", False)])
def test_empathic_opportunities_answered_at_acknowledgement_or_better(scenario, choice, answered):
    result = result_of(scenario, choice)
    assert result.opportunities == 1
    assert result.opportunities_answered == (1 if answered else 0)
    assert result.missed_opportunities == (() if answered else ("start",))


@pytest.mark.parametrize("choices, outcome, returns, tells", [
    (("reflect", "deep"), "good", "yes", 3),
    (("ask", "plan", "fine"), "mixed", "maybe", None),
    (("lecture", "give_up"), "bad", "no", 11),
    (("rude",), "left", "no", 11),
])
def test_outcome_in_the_articles_terms(scenario, choices, outcome, returns, tells):
    result = result_of(scenario, *choices)
    assert (result.outcome, result.returns, result.tells, result.ended) == (outcome, returns, tells, True)


def test_an_unfinished_conversation_has_no_outcome_yet(scenario):
    result = result_of(scenario, "ask")
    assert not result.ended and result.outcome is None and result.turns == 1


def test_debrief_reveals_thoughts_and_rates_metrics_against_thresholds(scenario):
    conversation = Conversation(scenario, seed=1)
    conversation.choose("reflect")
    conversation.choose("again")
    conversation.choose("deep")
    debrief = debrief_for(conversation)
    assert [step.thought["en"] for step in debrief.steps] == ["Nobody listens.", "Well?", "Well?"]
    assert debrief.steps[0].answered is True and debrief.steps[1].answered is None
    ratings = {metric.key: metric.rating for metric in debrief.metrics}
    assert ratings == {"ratio": "below", "complex": "good", "answered": "good"}
    assert debrief.final_thought == {"en": "That helped.", "fi": "Tuo auttoi."}
    assert "3" in debrief.outcome_lines("en")[1] and "3" in debrief.outcome_lines("fi")[1]
