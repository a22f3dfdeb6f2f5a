"""The debrief's verdict ("Would they come back?") weighs the harm as well as the ending: it never says
"Very likely" beside a ceiling that harm has held near zero, whatever the trainer's scenario or rubric."""

from dataclasses import replace
from pathlib import Path

import pytest

from game.debrief import debrief_for
from game.engine import Conversation
from game.scenario.loader import load_or_raise

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def scenario():
    return load_or_raise(FIXTURES / "harm_then_good.yaml")


def played(scenario, *answers):
    conversation = Conversation(scenario, seed=1)
    for answer in answers:
        conversation.choose(answer)
    assert conversation.ended
    return debrief_for(conversation)


def test_four_harmful_moves_then_the_good_ending_is_no_confident_verdict(scenario):
    debrief = played(scenario, "lecture", "blame", "minimise", "order", "friday")
    assert debrief.result.outcome == "good" and debrief.result.harmful_moves == 4
    assert any("at most 0%" in line for line in debrief.path_lines("en"))
    assert debrief.returns == "no"
    for lang, verdict, not_said in (("en", "Probably not: it ended well", "Very likely"),
                                    ("fi", "Tuskin: loppu oli hyvä", "Hyvin todennäköisesti")):
        outcome = " ".join(debrief.outcome_lines(lang))
        assert verdict in outcome and not_said not in outcome
        assert "12" in outcome  # the articles' twelve corrections belong to a failure
    assert "75 %" not in " ".join(debrief.outcome_lines("en"))  # not the good experience's return figure


def test_one_harmful_move_then_the_good_ending_is_perhaps(scenario):
    debrief = played(scenario, "reflect", "blame", "validate", "together", "friday")
    assert debrief.returns == "maybe"
    assert debrief.outcome_lines("en")[0] == "Would they come back? Perhaps: it ended well, but the harm left its mark."
    assert debrief.outcome_lines("fi")[0] == "Tuleeko asiakas takaisin? Ehkä: loppu oli hyvä, mutta vahinko jätti jälkensä."


def test_no_harm_and_the_good_ending_is_very_likely(scenario):
    debrief = played(scenario, "reflect", "ask", "validate", "together", "friday")
    assert debrief.returns == "yes"
    assert debrief.outcome_lines("en")[:2] == ["Would they come back? Very likely.",
                                               "The article's figure: a good experience is told to about 3 people."]


def test_a_mixed_ending_after_heavy_harm_is_probably_not(scenario):
    debrief = played(scenario, "lecture", "blame", "minimise", "together", "maybe")
    assert debrief.result.outcome == "mixed" and debrief.returns == "no"
    assert "Probably not" in debrief.outcome_lines("en")[0] and "Tuskin" in debrief.outcome_lines("fi")[0]
    light = played(scenario, "reflect", "blame", "validate", "together", "maybe")  # one harm: as the ending says
    assert light.returns == "maybe" and "either way" in light.outcome_lines("en")[0]


def test_the_verdict_follows_the_trainers_own_ceilings(scenario):
    """With a rubric whose harm leaves no ceiling, harm still keeps a good ending from a confident verdict; with
    one where a single harm caps as low as a bad ending, one harm is enough for "Probably not"."""
    gentle = replace(scenario, rubric=replace(scenario.rubric, harm_ceiling_step=0.0))
    debrief = played(gentle, "lecture", "blame", "minimise", "order", "friday")
    assert debrief.result.ceiling == 1.0 and debrief.returns == "maybe"
    strict = replace(scenario, rubric=replace(scenario.rubric, harm_ceiling_step=0.6))
    assert played(strict, "reflect", "blame", "validate", "together", "friday").returns == "no"
