"""Thousands of seeded random playthroughs: every one ends, nothing crashes, engine and analysis agree."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.analysis.walker import walk
from game.commands.files import shipped_scenarios
from game.scenario.loader import load_or_raise

FIXTURES = Path(__file__).parent / "fixtures"
SCENARIOS = shipped_scenarios() + [FIXTURES / "mini.yaml", FIXTURES / "engine.yaml", FIXTURES / "guide_example.yaml"]


@pytest.fixture(autouse=True)
def _home(tmp_path, monkeypatch):
    monkeypatch.setenv("KUULE_HOME", str(tmp_path / "home"))


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_random_walks_all_end_without_error_and_agree_with_the_rules(path):
    scenario = load_or_raise(path)
    report = walk(scenario, walks=2000, seed=20240601, rollback_rate=0.15)
    assert report.ok, "\n".join(report.problems)
    assert report.walks == 2000 and sum(report.endings.values()) == 2000
    assert report.rollbacks > 100
    if report.graph_checked:
        assert report.checked_states > 2000
    reachable = {node.id for node in scenario.endings}
    assert set(report.endings) <= reachable


def test_the_explorer_check_runs_on_the_fixtures_and_small_scenarios():
    for name in ("mini.yaml", "engine.yaml"):
        report = walk(load_or_raise(FIXTURES / name), walks=50, seed=3)
        assert report.graph_checked and report.checked_states >= 50 and report.ok


def test_walks_are_repeatable_with_the_same_seed():
    scenario = load_or_raise(FIXTURES / "engine.yaml")
    first, second = walk(scenario, walks=200, seed=5), walk(scenario, walks=200, seed=5)
    assert first.endings == second.endings and first.turns == second.turns and first.rollbacks == second.rollbacks


def test_the_walker_notices_an_engine_that_drifts_from_the_rules(monkeypatch):
    from game.engine import rules

    scenario = load_or_raise(FIXTURES / "mini.yaml")
    real = rules.step

    def drifting(scenario, state, choice):  # the analysis side believes in an extra point of trust
        following, hops = real(scenario, state, choice)
        mood = rules.Mood(min(100, following.mood.trust + 1), following.mood.distress, following.mood.heard)
        return rules.State(following.node, mood, following.flags, following.used, following.healing, following.turn), hops

    monkeypatch.setattr(rules, "step", drifting)
    report = walk(scenario, walks=20, seed=1, check_graph=False)
    assert not report.ok and "rules.step says" in report.problems[0]
