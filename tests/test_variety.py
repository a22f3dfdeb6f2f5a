"""Customers who vary: traits and stakes drawn from the seed, lines said by variant, authored expressions."""

from pathlib import Path

import pytest

from game.debrief import debrief_for
from game.engine import Conversation
from game.engine.rules import all_draws, draw
from game.scenario.loader import load_or_raise, load_scenario
from game.session.log import SessionLog
from game.session.reader import read_header
from game.session.resume import restore, unfinished_sessions

FIXTURES = Path(__file__).parent / "fixtures"
SCENARIOS = Path(__file__).parent.parent / "scenarios"


@pytest.fixture(scope="module")
def variety():
    return load_or_raise(FIXTURES / "variety.yaml")


def said(conversation, answers):
    lines = [(conversation.line.node_id, conversation.line.text["en"])]
    for answer in answers:
        if conversation.ended:
            break
        conversation.choose(answer)
        lines.append((conversation.line.node_id, conversation.line.text["en"]))
    return tuple(lines)


def test_the_seed_draws_a_trait_and_a_stake_and_the_same_seed_draws_the_same(variety):
    assert draw(variety, 7) == draw(variety, 7)
    drawn = {tuple(draw(variety, seed).items()) for seed in range(40)}
    assert {dict(d)["trait"] for d in drawn} == set(variety.traits)
    assert {dict(d)["stake"] for d in drawn} == set(variety.stakes)
    assert len(all_draws(variety)) == len(variety.traits) * len(variety.stakes)


def test_a_trait_changes_the_starting_mood_and_is_true_in_conditions(variety):
    guarded = Conversation(variety, seed=1, drawn={"trait": "guarded", "stake": "job"})
    talkative = Conversation(variety, seed=1, drawn={"trait": "talkative", "stake": "job"})
    assert guarded.mood.trust == variety.mood["trust"] - 15
    flags = dict(guarded.state.flags)
    assert flags["guarded"] is True and flags["talkative"] is False and flags["job"] is True
    assert guarded.line.text["en"] == "Yes. The bill." and guarded.line.variant == 1
    assert talkative.line.text["en"] == "It's about the bill." and talkative.line.variant is None


def test_the_same_answers_meet_different_customers_with_different_seeds(variety):
    answers = ["reflect", "ask", "together"]
    conversations = {said(Conversation(variety, seed=seed), answers) for seed in range(8)}
    assert len(conversations) >= 3


def test_the_authored_expression_wins_over_the_mood(variety):
    conversation = Conversation(variety, seed=1, drawn={"trait": "talkative", "stake": "job"})
    assert (conversation.line.expression, conversation.line.intensity) == ("tired", 0.5)
    guarded = Conversation(variety, seed=1, drawn={"trait": "guarded", "stake": "job"})
    assert guarded.line.expression == "irritated" and guarded.line.intensity == 0.7  # the default intensity


def test_a_line_variant_can_follow_the_mood(variety):
    conversation = Conversation(variety, seed=1, drawn={"trait": "guarded", "stake": "job"})
    conversation.choose("order")  # trust 25 - 10: below 35 when the next line is said
    assert conversation.line.text["en"] == "Third time. Third!" and conversation.line.expression == "angry"
    conversation.rollback()
    assert conversation.line.text["en"] == "Yes. The bill."


def test_the_debrief_tells_this_path_with_the_stake_drawn_and_the_ending_variant(variety):
    conversation = Conversation(variety, seed=1, drawn={"trait": "guarded", "stake": "health"})
    for answer in ("reflect", "quiet", "together"):
        conversation.choose(answer)
    debrief = debrief_for(conversation)
    assert debrief.ending_summary["en"] == "Even guarded, he felt heard."
    assert debrief.hidden["en"] == "He is ill."
    assert debrief.steps[0].line["en"] == "Yes. The bill."  # the variant the customer said
    assert any("guarded" in line for line in debrief.path_lines("en"))
    assert any("varautunut" in line for line in debrief.path_lines("fi"))


def test_the_debrief_names_the_harm_and_the_ceiling_without_contradicting_itself(variety):
    conversation = Conversation(variety, seed=1, drawn={"trait": "talkative", "stake": "job"})
    for answer in ("reflect", "blame", "promise"):  # blaming, then a promise that cannot be kept: two harms
        conversation.choose(answer)
    debrief = debrief_for(conversation)
    lines = debrief.path_lines("en")
    assert any(line.startswith("2 harmful moves") and "50%" in line for line in lines)
    assert any("turn 2" in line and "billing" in line for line in lines)
    assert any("70%" in line for line in lines)  # and the mixed ending's own ceiling
    outcome = " ".join(debrief.outcome_lines("en"))
    assert "either way" in outcome and "brings them back" not in outcome
    assert "12" not in outcome  # the twelve corrections belong to failures, not to a mixed ending


def test_the_log_records_the_customer_drawn_and_resume_meets_the_same_one(variety, tmp_path):
    log = SessionLog.start(variety, seed=3, log_dir=tmp_path)
    conversation = Conversation(variety, seed=3, listeners=[log])
    conversation.choose(conversation.choices[0].id)
    log.close()
    header = read_header(log.path)
    assert header["drawn"] == conversation.drawn == draw(variety, 3)
    unfinished = unfinished_sessions(tmp_path)[0]
    assert unfinished.drawn == conversation.drawn
    restored = restore(unfinished, variety)
    assert restored.drawn == conversation.drawn and restored.line == conversation.line


def test_variants_are_checked_like_everything_else(tmp_path):
    text = (FIXTURES / "variety.yaml").read_text(encoding="utf-8")
    broken = text.replace('      - if: guarded\n        line: {en: "Yes. The bill."',
                          '      - if: gaurded\n        line: {en: "Yes. The bill."')
    broken = broken.replace("  hurried: {label: {en: hurried, fi: kiireinen}, mood: {distress: 15}}",
                            "  hurried: {label: {en: hurried, fi: kiireinen}, mood: {distress: 15}}\n"
                            "  sleepy: {label: {en: sleepy, fi: uninen}}")
    broken = broken.replace("  job: {label:", "  hurried_too: {label: {en: x, fi: x}, hidden: {en: x}}\n  job: {label:")
    path = tmp_path / "variety.yaml"
    path.write_text(broken, encoding="utf-8")
    found = {(d.code, d.line) for d in load_scenario(path).diagnostics}
    codes = {code for code, _ in found}
    assert "KU032" in codes  # the unknown name in a variant's condition, with did-you-mean
    assert "KU046" in codes  # a trait that changes nothing
    assert "KU014" in codes  # a stake's hidden text without Finnish
    unknown = next(d for d in load_scenario(path).diagnostics if d.code == "KU032")
    assert unknown.hint_text() == "did you mean 'guarded'?"


def test_a_trait_named_like_a_flag_is_refused(tmp_path):
    text = (FIXTURES / "variety.yaml").read_text(encoding="utf-8")
    path = tmp_path / "clash.yaml"
    path.write_text(text.replace("interrupts:", "flags: {guarded: false}\ninterrupts:"), encoding="utf-8")
    result = load_scenario(path)
    assert [d.code for d in result.errors] == ["KU044"] and result.scenario is None


def test_a_branch_or_a_choice_may_read_the_trait_and_the_path_check_follows_it(tmp_path):
    """Traits and stakes are true/false in conditions everywhere, so the path analysis must keep them."""
    from game.analysis.analyze import analyze

    text = (FIXTURES / "variety.yaml").read_text(encoding="utf-8").replace(
        "      - when: trust < 30\n        goto: bad", "      - when: trust < 30 and not talkative\n        goto: bad")
    text = text.replace("        code: false_promise\n", "        code: false_promise\n        if: not guarded\n")
    text = text.replace("interrupts:", "flags: {noted: false}\ninterrupts:")  # with a flag, the rest are merged away
    path = tmp_path / "v.yaml"
    path.write_text(text, encoding="utf-8")
    result = load_scenario(path)
    assert result.errors == [] and result.scenario is not None
    report = analyze(result.scenario)
    assert report.complete and "bad" in report.reachable_endings
