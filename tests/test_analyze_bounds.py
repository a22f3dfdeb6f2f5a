"""`analyze` past its state limit: the best it prints is never below a score some conversation reaches, and it
says that the figure is a bound (the best found, at least so much; at most so much, or that this is unknown)."""

from __future__ import annotations

import json

import pytest

from bench.generate import write_scenario
from game.analysis.analyze import analyze
from game.cli import main
from game.engine import Conversation
from game.engine.paths import StateGraph, relaxed_range, solve_graph, walked
from game.scenario.loader import load_or_raise
from game.scenario.rubric import AXES

LIMIT = 2000  # far below what a generated 100-node scenario needs


def always_first(scenario) -> dict[str, float]:
    """The points of the conversation in which the trainee always takes the first answer, `c0`, played on the engine."""
    conversation = Conversation(scenario, seed=1)
    totals = dict.fromkeys(AXES, 0.0)
    while not conversation.ended:
        turn = conversation.choose("c0")
        for axis in AXES:
            totals[axis] += turn.points[axis]
    return totals


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    path = write_scenario(tmp_path_factory.mktemp("generated"), 100)
    scenario = load_or_raise(path)
    return path, scenario, always_first(scenario)


def test_the_search_alone_stops_short_of_the_first_answers_score(generated):
    """What went wrong: the explored conversations alone all end early and score far less."""
    _, scenario, first = generated
    graph = StateGraph(scenario).explore(LIMIT)
    assert not graph.complete
    assert solve_graph(graph).best["listening"].points < first["listening"]


def test_past_the_limit_the_json_best_is_at_least_the_first_answers_score_and_marked_a_bound(generated, capsys):
    path, _, first = generated
    assert main(["analyze", str(path), "--limit", str(LIMIT), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["complete"] is False
    for axis in AXES:
        best, worst = data["best"][axis], data["worst"][axis]
        assert best["points"] >= first[axis], (axis, best["points"], first[axis])
        assert best["exact"] is False and best["at_most"] >= best["points"]
        assert worst["exact"] is False and worst["at_least"] <= worst["points"] <= first[axis]


@pytest.mark.parametrize("lang, words", [("en", ("listening, best found: at least ", "(at most ")),
                                         ("fi", ("kuuntelu, paras löytynyt: vähintään ", "(yläraja "))])
def test_past_the_limit_the_text_says_best_found_at_least_in_both_languages(generated, capsys, lang, words):
    path, _, first = generated
    assert main(["analyze", str(path), "--limit", str(LIMIT), "--lang", lang]) == 0
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if words[0] in line)
    assert words[1] in line
    printed = float(line.split(words[0])[1].split()[0].replace("\u00a0", "").replace(",", "."))
    assert printed >= first["listening"]


def test_a_loop_leaves_the_upper_bound_unknown_and_says_so(capsys):
    from tests.test_analyze import FIXTURES

    assert main(["analyze", str(FIXTURES / "mini.yaml"), "--limit", "3"]) == 0
    out = capsys.readouterr().out
    assert "best found: at least 4 (upper bound unknown: the scenario can loop)" in out
    report = analyze(load_or_raise(FIXTURES / "mini.yaml"), limit=3)
    assert report.best_at_most["listening"] is None and not report.best_exact["listening"]
    assert report.as_json()["best"]["listening"]["at_most"] is None


def test_when_every_state_is_explored_the_figures_stay_exact(capsys):
    from tests.test_analyze import FIXTURES

    report = analyze(load_or_raise(FIXTURES / "mini.yaml"))
    assert report.complete and all(report.best_exact.values()) and all(report.worst_exact.values())
    assert report.as_json()["best"]["empathy"]["exact"] is True
    assert main(["analyze", str(FIXTURES / "mini.yaml")]) == 0
    out = capsys.readouterr().out
    assert "listening, best: 4 " in out and "best found" not in out and "bounds" not in out


def test_walks_and_the_relaxed_range_bracket_the_exact_best_and_worst(tmp_path):
    scenario = load_or_raise(write_scenario(tmp_path, 15))
    graph = StateGraph(scenario).explore(400_000)
    assert graph.complete
    exact = solve_graph(graph)
    walked_best, walked_worst = walked(scenario)
    at_most, at_least = relaxed_range(scenario)
    for axis in AXES:
        assert walked_best[axis].points <= exact.best[axis].points <= at_most[axis]
        assert at_least[axis] <= exact.worst[axis].points <= walked_worst[axis].points
