"""`analyze` and the path checks: exact numbers on small scenarios, bad input located, limits honoured."""

from __future__ import annotations

import json
from itertools import count
from pathlib import Path

import pytest

from game.analysis.analyze import analyze
from game.analysis.findings import path_problems, proven_finite
from game.cli import main
from game.engine import rules
from game.engine.paths import UNBOUNDED, StateGraph, solve, solve_graph
from game.scenario.loader import load_or_raise, load_scenario
from game.scenario.rubric import AXES

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def _home(tmp_path, monkeypatch):
    monkeypatch.setenv("KUULE_HOME", str(tmp_path / "home"))


HEAD = """\
format: 1
id: t
title: T
languages: [en]
customer: {name: A, situation: S., hidden: H.}
mood: {trust: 40, distress: 40, heard: 0}
flags: {asked: false}
"""


def node(node_id, *choices, extra=""):
    text = f"  - id: {node_id}\n    line: L.\n    cue: C.\n    thought: T.\n{extra}"
    if choices:
        text += "    choices:\n" + "".join(choices)
    return text


def choice(choice_id, goto, tags="[]", more=""):
    return f"      - {{id: {choice_id}, text: X., tags: {tags}, goto: {goto}{more}}}\n"


def ending(node_id, outcome="good"):
    return f"  - id: {node_id}\n    line: Bye.\n    ending: {{outcome: {outcome}}}\n"


def write(tmp_path, body, interrupts=""):
    path = tmp_path / "t.yaml"
    path.write_text(HEAD + interrupts + "nodes:\n" + body, encoding="utf-8")
    return path


def line_of(path, text):
    return next(number for number, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def starts(scenario):
    """The settled start of every customer a session can draw (trait and stake)."""
    return [rules.settle(scenario, rules.initial_state(scenario, drawn), after_choice=False)[0]
            for drawn in rules.all_draws(scenario)]


def brute_force_paths(scenario, limit=100_000):
    """Count complete conversations by enumerating choice sequences with rules.step, no merging."""
    total, stack, steps = 0, starts(scenario), count()
    while stack:
        assert next(steps) < limit, "too many paths for brute force"
        state = stack.pop()
        node = scenario.nodes[state.node]
        if node.is_ending:
            total += 1
            continue
        for option in node.choices:
            if rules.is_available(state, node, option):
                stack.append(rules.step(scenario, state, option)[0])
    return total


def brute_force_bounds(scenario):
    """Best and worst points per axis over every complete conversation (acyclic scenarios only)."""
    best = {axis: None for axis in AXES}
    worst = {axis: None for axis in AXES}
    stack = [(start, {axis: 0.0 for axis in AXES}) for start in starts(scenario)]
    while stack:
        state, points = stack.pop()
        node = scenario.nodes[state.node]
        if node.is_ending:
            for axis in AXES:
                best[axis] = points[axis] if best[axis] is None else max(best[axis], points[axis])
                worst[axis] = points[axis] if worst[axis] is None else min(worst[axis], points[axis])
            continue
        for option in node.choices:
            if rules.is_available(state, node, option):
                gained = scenario.rubric.points(option.code)
                stack.append((rules.step(scenario, state, option)[0], {a: points[a] + gained[a] for a in AXES}))
    return best, worst


# -- exact numbers ------------------------------------------------------------------------------------

def test_mini_endings_paths_and_bounds():
    report = analyze(load_or_raise(FIXTURES / "mini.yaml"))
    assert report.complete
    assert report.reachable_endings == ["good", "bad", "left"] and report.unreachable_endings == []
    # ask→help, ask→shrug, ask→again→help, ask→again→shrug, lecture (walks out at distress 95)
    assert report.paths == 5
    # codes: ask open_question (2, 1), again closed_question (1, 0), help seek_collaboration (1, 2)
    assert report.best["listening"].points == 4
    assert report.best["listening"].choices == ("start.ask", "middle.again", "middle.help")
    assert report.worst["empathy"].points == -6 and report.worst["empathy"].choices == ("start.lecture",)
    assert {e.id: e.example for e in report.endings}["left"] == ["start.lecture"]


@pytest.mark.parametrize("name", ["mini.yaml", "engine.yaml", "guide_example.yaml"])
def test_merged_states_give_the_same_counts_and_bounds_as_brute_force(name):
    scenario = load_or_raise(FIXTURES / name)
    graph = StateGraph(scenario).explore()
    assert graph.structure().total_paths() == brute_force_paths(scenario)
    best, worst = brute_force_bounds(scenario)
    solution = solve_graph(graph)
    for axis in AXES:
        assert solution.best[axis].points == best[axis]
        assert solution.worst[axis].points == worst[axis]


def test_merging_only_drops_what_no_condition_can_read():
    scenario = load_or_raise(FIXTURES / "engine.yaml")
    graph = StateGraph(scenario)
    end_state = rules.State("good", rules.Mood(1, 2, 3), (("asked", True),), frozenset({("hub", "again")}), 5, 9)
    merged = graph.normal(end_state)
    assert merged.mood == graph.states[0].mood and merged.flags == () and merged.used == frozenset() and merged.turn == 0
    hub = rules.State("hub", rules.Mood(33, 44, 55), (("asked", True),), frozenset({("hub", "again")}), 5, 9)
    kept = graph.normal(hub)  # trust, distress and `asked` are read later; heard never is; hub can be revisited
    assert (kept.mood.trust, kept.mood.distress, kept.mood.heard) == (33, 44, scenario.mood["heard"])
    assert kept.flags == (("asked", True),) and kept.used == frozenset({("hub", "again")})


def test_solve_is_the_scoring_reference_and_agrees_with_analyze():
    scenario = load_or_raise(FIXTURES / "engine.yaml")
    report = analyze(scenario)
    assert {axis: solve(scenario).best[axis].points for axis in AXES} == {axis: report.best[axis].points for axis in AXES}


def test_committed_nodes_and_tags():
    report = analyze(load_or_raise(FIXTURES / "engine.yaml"))
    assert report.committed == {"router": "mixed"}
    assert report.unreachable_tags == ["apologise", "sincere_apology"]  # hub2.sorry: hub2 always branches to `bad` first
    assert "lecture" not in report.unused_tags and "emphasise_autonomy" in report.unused_tags


def test_naive_players_and_ceilings_show_whether_a_scenario_can_be_gamed(capsys):
    """A trainer sees what always-longest, always-shortest and random players score, and the score's ceilings."""
    assert main(["analyze", str(FIXTURES / "variety.yaml"), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    players = {(p["strategy"], p["lang"]): p for p in data["naive_players"]}
    assert set(players) == {(s, lang) for s in ("longest", "shortest", "random") for lang in ("en", "fi")}
    longest = players[("longest", "en")]
    # always-longest takes plan_all (long, one code), then the longest of each later node
    assert longest["runs"] == 6 and sum(longest["endings"].values()) == 6  # one run per customer drawn
    assert 0 <= longest["listening"] <= 1 and players[("random", "en")]["runs"] == 200
    assert data["longest_is_best"]["en"] == {"points": 1, "of": 3}  # `order` at start is long-ish but not best
    assert data["ceiling_caps"] == {"one_harmful_move": 0.75, "bad_or_left_ending": 0.45}  # the rubric's
    ceilings = data["ceilings"]  # measured: the highest overall share on any such conversation
    assert data["ceilings_exact"] is True
    assert ceilings["one_harmful_move"] == pytest.approx(2 / 7) and ceilings["bad_or_left_ending"] == 0.45
    assert data["ceiling_routes"]["one_harmful_move"] and data["ceiling_routes"]["bad_or_left_ending"]


def test_length_is_read_both_ways_without_changing_analyze_json(capsys):
    """`analyze --format json` keeps its players and keys; the two-sided length figures (the best answer the
    shortest, the length-points correlation) and the players who avoid the longest answer come from
    game.analysis.naive, which `python -m bench scoring` reads."""
    from game.analysis.naive import (LENGTH_STRATEGIES, STRATEGIES, length_correlation, longest_is_best,
                                     naive_players, shortest_is_best)

    scenario = load_or_raise(FIXTURES / "variety.yaml")
    assert longest_is_best(scenario, "en") == (1, 3) and shortest_is_best(scenario, "en") == (1, 3)
    assert shortest_is_best(scenario, "fi") == (0, 3)
    # longer answers score a little more here, more so in Finnish
    assert length_correlation(scenario, "en") == pytest.approx(0.204, abs=1e-3)
    assert length_correlation(scenario, "fi") == pytest.approx(0.285, abs=1e-3)
    players = naive_players(scenario, "en", random_runs=20, strategies=STRATEGIES + LENGTH_STRATEGIES)
    assert [p.strategy for p in players] == ["longest", "shortest", "random", "second_longest", "never_longest"]
    assert players[2].runs == players[4].runs == 20  # never the longest: the random player's seeds
    assert main(["analyze", str(FIXTURES / "variety.yaml"), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {p["strategy"] for p in data["naive_players"]} == set(STRATEGIES)
    assert set(data["longest_is_best"]) == {"en", "fi"} and set(data["naive_players"][0]) >= {
        "strategy", "lang", "runs", "listening", "empathy", "overall", "endings", "good_rate"}


def test_a_scenario_with_equal_lengths_or_scores_has_no_length_correlation(tmp_path):
    from game.analysis.naive import length_correlation

    body = node("start", choice("a", "end", tags="[open_question]"), choice("b", "end", tags="[lecture]")) + ending("end")
    scenario = load_or_raise(write(tmp_path, body))
    assert length_correlation(scenario, "en") is None  # every answer is as long as the other


def every_result(scenario, drawn=None, prefix=()):
    """The result of every complete conversation (depth first over the answers offered at each turn)."""
    from game.analysis.naive import play

    class Branch(Exception):
        pass

    offered_next = []

    def pick(offered, state):
        depth = len(offered_next)
        if depth < len(prefix):
            offered_next.append(None)
            return next(c for c in offered if c.id == prefix[depth])
        offered_next.append([c.id for c in offered])
        raise Branch

    try:
        yield play(scenario, pick, "", 0, drawn)
    except Branch:
        for choice_id in offered_next[-1]:
            yield from every_result(scenario, drawn, prefix + (choice_id,))


@pytest.mark.parametrize("name", ["engine.yaml", "harm_then_good.yaml", "mini.yaml"])
def test_the_ceilings_are_the_highest_share_on_any_path(name):
    """"ceilings" is measured over every complete conversation: checked against every route played out."""
    from game.analysis.naive import ceilings

    scenario = load_or_raise(FIXTURES / name)
    results = [result for result in every_result(scenario) if result.ended]
    harmed = max((r.overall for r in results if r.harmful_moves), default=None)
    bad = max((r.overall for r in results if r.outcome in ("bad", "left")), default=None)
    found = ceilings(scenario)
    assert found.exact
    assert found.reached_harmful == pytest.approx(harmed) and found.reached_bad_or_left == pytest.approx(bad)
    assert found.reached_harmful <= found.one_harmful_move
    assert bad is None or found.reached_bad_or_left <= found.bad_or_left_ending  # harm_then_good has no bad ending


def test_a_ceiling_search_cut_short_says_it_is_a_lower_bound():
    from game.analysis.naive import ceilings

    scenario = load_or_raise(FIXTURES / "engine.yaml")
    exact = ceilings(scenario)
    assert exact.exact
    cut = ceilings(scenario, budget=1)
    assert not cut.exact or (cut.reached_harmful, cut.reached_bad_or_left) == (cut.one_harmful_move, cut.bad_or_left_ending)
    assert cut.reached_harmful <= exact.reached_harmful and cut.reached_bad_or_left <= exact.reached_bad_or_left


# -- bad input ----------------------------------------------------------------------------------------

def test_a_loop_that_never_ends_is_reported_by_analyze_and_validate(tmp_path, capsys):
    # `spin` can only leave through `out`, which needs `asked`, and nothing sets it
    body = (node("start", choice("go", "spin"), choice("fine", "done")) +
            node("spin", choice("again", "spin"), choice("out", "done", more=", if: asked")) + ending("done"))
    path = write(tmp_path, body)
    result = load_scenario(path)
    codes = [(d.code, d.line, d.col) for d in result.diagnostics]
    assert ("KU061", line_of(path, "- id: spin"), 5) in codes
    [loop] = [d for d in result.diagnostics if d.code == "KU061"]
    assert loop.is_error and "loop for ever" in loop.message() and "start.go" in loop.message()
    assert "kiertää loputtomiin" in loop.message("fi")
    assert ("KU064", line_of(path, "id: out"), 9) in codes  # spin.out can never be taken
    assert not proven_finite(result.scenario)
    assert main(["validate", str(path)]) == 1
    assert "KU061" in capsys.readouterr().out
    assert main(["analyze", str(path)]) == 1
    text = capsys.readouterr().out
    assert "KU061" in text and "spin" in text


def test_an_impossible_ending_is_located_with_the_condition_that_rules_it_out(tmp_path, capsys):
    body = (node("start", choice("calm", "mid", more=", mood: {trust: 5}"), choice("rude", "mid", more=", mood: {trust: -5}")) +
            node("mid", choice("win", "great", more=", if: trust >= 80"), choice("ok", "fine")) +
            ending("great") + ending("fine", "mixed"))
    path = write(tmp_path, body)
    result = load_scenario(path)
    [impossible] = [d for d in result.diagnostics if d.code == "KU060"]
    assert (impossible.line, impossible.col) == (line_of(path, "- id: great"), 5)
    message = impossible.message()
    assert "ending 'great' can never be reached" in message and "trust >= 80" in message and "trust 35–45" in message
    assert "loppuun 'great' ei voi koskaan päätyä" in impossible.message("fi")
    assert main(["analyze", str(path), "--format", "json"]) == 0  # warnings only
    data = json.loads(capsys.readouterr().out)
    assert data["reachable_endings"] == ["fine"] and data["unreachable_endings"] == ["great"]
    assert any("trust >= 80" in reason for reason in data["endings"]["great"]["why_not"])


def test_a_stuck_conversation_is_an_error_with_a_route(tmp_path):
    body = (node("start", choice("lecture", "mid", more=", mood: {trust: -30}"), choice("ask", "mid")) +
            node("mid", choice("help", "done", more=", if: trust > 20")) + ending("done"))
    result = load_scenario(write(tmp_path, body))
    [stuck] = [d for d in result.diagnostics if d.code == "KU062"]
    assert stuck.is_error and "trust is always 10" in stuck.message() and "start.lecture" in stuck.message()


def test_a_loop_with_a_way_out_is_fine_and_makes_paths_unbounded(tmp_path):
    body = node("start", choice("again", "start"), choice("done", "end")) + ending("end")
    result = load_scenario(write(tmp_path, body))
    assert result.diagnostics == []
    report = analyze(result.scenario)
    assert report.paths == UNBOUNDED and report.loops


def test_the_state_limit_cuts_short_and_says_so(tmp_path, capsys):
    scenario = load_or_raise(FIXTURES / "engine.yaml")
    report = analyze(scenario, limit=3)
    assert not report.complete and report.unreachable_endings == [] and report.unknown_endings
    [stopped] = [d for d in report.problems if d.code == "KU063"]
    # the hint points past the limit that stopped it, not back to the command that just stopped
    assert f"analyze {FIXTURES / 'engine.yaml'} --limit 30`" in stopped.hint_text("en")
    assert stopped.hint_text("en").startswith("raise the state limit")
    assert f"--limit 30`" in stopped.hint_text("fi") and stopped.hint_text("fi").startswith("nosta tilarajaa")
    assert main(["analyze", str(FIXTURES / "engine.yaml"), "--limit", "3", "--lang", "fi"]) == 0
    out = capsys.readouterr().out
    assert "pysähtyi" in out and "vihje: nosta tilarajaa" in out


def test_validate_check_is_quick_and_silent_on_sound_scenarios():
    for name in ("mini.yaml", "engine.yaml", "guide_example.yaml"):
        scenario = load_or_raise(FIXTURES / name)
        assert proven_finite(scenario)
        assert [d.code for d in path_problems(scenario, name)] == []


# -- the command --------------------------------------------------------------------------------------

def test_json_has_the_promised_keys(capsys):
    assert main(["analyze", str(FIXTURES / "mini.yaml"), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    for key in ("reachable_endings", "unreachable_endings", "paths", "best", "worst", "states", "committed_nodes"):
        assert key in data
    assert data["paths"] == 5 and data["best"]["empathy"] == {"points": 3.0, "choices": ["start.ask", "middle.help"],
                                                              "exact": True, "at_most": 3.0}


@pytest.mark.parametrize("lang, words", [("en", ["Endings", "Distinct paths: 5", "listening, best: 4"]),
                                         ("fi", ["Loppuratkaisut", "Erilaisia polkuja: 5", "kuuntelu, paras: 4"])])
def test_text_output_in_both_languages(capsys, lang, words):
    assert main(["analyze", str(FIXTURES / "mini.yaml"), "--lang", lang]) == 0
    out = capsys.readouterr().out
    for word in words:
        assert word in out


def test_a_broken_scenario_gives_diagnostics_not_a_traceback(capsys):
    assert main(["analyze", str(FIXTURES / "bad" / "endless_loop.yaml")]) == 1
    err = capsys.readouterr().err
    assert "KU028" in err and "Traceback" not in err


def test_the_generated_benchmark_scenario_is_valid_and_explored_completely(tmp_path):
    from bench.analyze import write_scenario

    result = load_scenario(write_scenario(tmp_path, nodes=300))
    assert result.scenario is not None and not result.errors
    report = analyze(result.scenario)
    assert report.complete and len(report.reachable_endings) >= 3


# -- the compiled rules never drift from rules.step ------------------------------------------------------

MOVES_CHECKED = 40_000


def _every_scenario():
    from game.commands.files import shipped_scenarios

    return [FIXTURES / "mini.yaml", FIXTURES / "engine.yaml", FIXTURES / "guide_example.yaml", *shipped_scenarios()]


@pytest.mark.parametrize("path", _every_scenario(), ids=lambda p: p.name)
def test_compiled_rules_agree_with_rules_step_on_every_move(path):
    from game.engine.paths import CompiledRules

    scenario = load_or_raise(path)
    graph = StateGraph(scenario).explore(MOVES_CHECKED)
    assert graph.drift is None
    compiled = CompiledRules(scenario)  # without merging: the raw result must equal rules.step's
    merging = CompiledRules(scenario, graph._plans, graph._base)
    # every move of the first states found (breadth-first: every node and depth), then a spread sample
    numbers = list(range(min(graph.expanded, MOVES_CHECKED // 4)))
    numbers += list(range(len(numbers), graph.expanded, 7))
    for number in numbers:
        state = graph.states[number]
        for option, target in graph.edges[number]:
            expected, hops = rules.step(scenario, state, option)
            assert compiled.step(state, option) == (expected, hops)
            assert merging.step(state, option) == (graph.normal(expected), hops) == (graph.states[target], hops)


def test_a_drifting_compiled_rule_is_caught_and_the_exploration_redone_with_rules_step(monkeypatch):
    from game.engine import paths

    scenario = load_or_raise(FIXTURES / "engine.yaml")
    honest = StateGraph(scenario).explore()
    real = paths.CompiledRules.step

    def drifting(self, state, option):
        following, hops = real(self, state, option)
        return rules.State(following.node, following.mood, following.flags, following.used, following.healing,
                           following.turn + 7), hops

    monkeypatch.setattr(paths.CompiledRules, "step", drifting)
    graph = StateGraph(scenario).explore()
    assert graph.drift is not None and "rules.step" in graph.drift
    assert graph.states == honest.states and graph.edges == honest.edges


def test_best_and_worst_are_kept_on_disk_so_the_next_debrief_need_not_explore(monkeypatch):
    from game.engine import paths

    scenario = load_or_raise(FIXTURES / "engine.yaml")
    paths.solve.cache_clear()
    first = paths.solve(scenario)
    paths.solve.cache_clear()
    paths._GRAPHS.pop(scenario, None)

    def no_exploring(*args, **kwargs):
        raise AssertionError("explored although the answer was on disk")

    monkeypatch.setattr(paths, "explored", no_exploring)
    assert paths.solve(scenario) == first
    paths.solve.cache_clear()


@pytest.mark.parametrize("name", ["variety.yaml", "engine.yaml", "counters.yaml"])
def test_naive_players_score_exactly_as_a_conversation_would(name):
    """The naive players play on the engine's rules without a Conversation's bookkeeping: same route, same score."""
    from game.analysis.naive import play
    from game.engine import Conversation

    scenario = load_or_raise(FIXTURES / name)
    for seed in range(5):
        route = []
        quick = play(scenario, "random", "en", seed, route=route)
        conversation = Conversation(scenario, seed=seed)
        for step in route:
            conversation.choose(step.split(".", 1)[1])
        assert conversation.result == quick
