"""Scoring arithmetic: axes, harm weighting, share of the best, MITI ratio, ECCS opportunities, outcome."""

from pathlib import Path

import pytest

from game.debrief import debrief_for
from game.engine import Conversation
from game.engine.paths import solve
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


def test_best_and_worst_paths_are_found_over_states(scenario):
    solution = solve(scenario)
    assert solution.complete
    assert solution.best["listening"].points == 3  # complex_reflection
    assert solution.best["empathy"].points == 6  # names_emotion + explores, or + plans_together
    assert solution.best["empathy"].choices[0] == "start.reflect"
    # lecture (-3 x2) then give_up (-2 x2): trust drops to 0 and hub2 branches straight to `bad`
    assert solution.worst["empathy"].points == -6 - 4
    assert solution.worst["empathy"].choices[0] == "start.lecture" and solution.worst["empathy"].choices[-1] == "hub.give_up"


def test_a_perfect_path_scores_full_marks(scenario):
    result = result_of(scenario, "reflect", "deep")
    assert (result.listening.points, result.listening.best, result.listening.share) == (3, 3, 1.0)
    assert (result.empathy.points, result.empathy.best, result.empathy.share) == (6, 6, 1.0)
    assert result.overall == 1.0


def test_scores_are_a_share_of_the_best_the_scenario_allows(scenario):
    result = result_of(scenario, "ask", "plan", "fine")
    assert result.listening.share == pytest.approx(2 / 3)
    assert result.empathy.share == pytest.approx(5 / 6)
    assert result.tag_counts == {"open_question": 1, "plans_together": 1, "supports": 1}


def test_harm_costs_more_than_good_earns_and_shares_never_go_below_zero(scenario):
    result = result_of(scenario, "lecture", "plan", "fine")
    rubric = scenario.rubric
    assert rubric.harm_multiplier > 1
    assert result.empathy.points == rubric.tags["lectures"].weight * rubric.harm_multiplier + 3 + 2
    assert result.empathy.points < 0 and result.empathy.share == 0.0
    assert result.harmful_moves == 1


def test_miti_reflection_to_question_ratio_and_complex_share(scenario):
    result = result_of(scenario, "reflect", "again", "deep")
    assert (result.reflections, result.questions, result.complex_reflections) == (1, 1, 1)
    assert result.reflection_to_question == 1.0 and result.complex_reflection_share == 1.0
    assert result_of(scenario, "lecture", "give_up").reflection_to_question is None  # no questions asked


@pytest.mark.parametrize("choice, answered", [("reflect", True), ("ask", True), ("lecture", False), ("rude", False)])
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
    assert ratings == {"ratio": "fair", "complex": "good", "answered": "good"}
    assert debrief.final_thought == {"en": "That helped.", "fi": "Tuo auttoi."}
    assert "3" in debrief.outcome_lines("en")[1] and "3" in debrief.outcome_lines("fi")[1]
