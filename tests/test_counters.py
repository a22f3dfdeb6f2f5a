"""Counters: `add:` counts a whole-number flag up or down, kept within 0–99, read by conditions and by the path analysis."""

from pathlib import Path

from game.analysis.analyze import analyze
from game.engine import Conversation
from game.engine.paths import StateGraph
from game.scenario.loader import load_or_raise, load_scenario
from game.scenario.model import COUNTER_MAX

FIXTURES = Path(__file__).parent / "fixtures"


def counters():
    return load_or_raise(FIXTURES / "counters.yaml")


def test_apologies_are_counted_and_a_branch_reads_the_count():
    conversation = Conversation(counters(), seed=1)
    for answer in ("sorry", "sorry_again", "sorry_again"):
        conversation.choose(answer)
    assert dict(conversation.state.flags)["apologies"] == 3
    conversation.choose("sorry2")
    assert conversation.ended and conversation.line.node_id == "too_much"
    conversation.rollback()
    assert dict(conversation.state.flags)["apologies"] == 3 and conversation.line.node_id == "start"


def test_a_counter_stays_within_its_bounds():
    conversation = Conversation(counters(), seed=1)
    for _ in range(COUNTER_MAX + 20):
        conversation.choose("sorry_again")
    assert dict(conversation.state.flags)["apologies"] == COUNTER_MAX


def test_the_path_analysis_counts_too_and_agrees_with_the_engine():
    graph = StateGraph(counters()).explore()
    assert graph.complete and graph.drift is None  # the explorer's compiled rules matched rules.step throughout
    report = analyze(counters())
    assert sorted(report.reachable_endings) == ["good", "too_much"]
    route = {ending.id: ending.example for ending in report.endings}["too_much"]
    assert route.count("start.sorry_again") + route.count("start.sorry") >= 3


def test_adding_to_a_true_false_flag_or_starting_out_of_range_is_refused(tmp_path):
    text = (FIXTURES / "counters.yaml").read_text(encoding="utf-8")
    path = tmp_path / "bad.yaml"
    path.write_text(text.replace("add: {apologies: 1}\n        goto: start\n        once: true",
                                 "add: {asked: 1}\n        goto: start\n        once: true")
                    .replace("apologies: 0,", "apologies: 150,"), encoding="utf-8")
    found = load_scenario(path).diagnostics
    codes = [(d.code, d.line) for d in found]
    assert ("KU047", 18) in codes and ("KU048", 8) in codes
    ku048 = next(d for d in found if d.code == "KU048")
    assert ku048.message() == "the counter 'apologies' starts at 150, outside 0–99"
    assert "laskuri" in ku048.message("fi")
    path.write_text(text.replace("add: {apologies: 1}\n        goto: start\n        once: true",
                                 "add: {apologise: 1}\n        goto: start\n        once: true"), encoding="utf-8")
    unknown = next(d for d in load_scenario(path).diagnostics if d.code == "KU033")
    assert unknown.hint_text() == "did you mean 'apologies'?"
