"""Guards on how Kuule scales that time nothing (so a busy machine cannot make them fail): a whole
conversation of a 300-node scenario, to its debrief, must never need the exhaustive search of every state.

The search (`game.engine.paths`: the state graph, its best and worst scores) takes seconds and hundreds of
megabytes on such a scenario; it belongs to `analyze` and the load-time check (bounded), never to playing.
The timed figures (`play_300`, `start_cost`) are in `python -m bench --quick --check`, against bench/bounds.toml.
"""

from __future__ import annotations

import io

import pytest

from bench.generate import write_scenario
from game.debrief import debrief_for
from game.engine import Conversation, paths
from game.scenario.loader import load_or_raise
from game.scenario.rubric import AXES
from game.terminal import TerminalGame


@pytest.fixture(scope="module")
def scenario_300(tmp_path_factory):
    # loaded before the search is forbidden: loading runs the bounded load-time check, which may explore
    return load_or_raise(write_scenario(tmp_path_factory.mktemp("generated"), 300))


@pytest.fixture
def no_search(monkeypatch):
    """Every way into the exhaustive search raises."""
    def forbidden(*args, **kwargs):
        raise AssertionError("a conversation or its debrief asked for the exhaustive search of every state")

    for name in ("explored", "solve", "solve_graph", "walked", "relaxed_range", "bounded"):
        monkeypatch.setattr(paths, name, forbidden)
    monkeypatch.setattr(paths.StateGraph, "explore", forbidden)
    monkeypatch.setattr(paths.StateGraph, "__init__", forbidden)
    monkeypatch.setattr(paths.Explorer, "solve", forbidden)


def test_the_generated_scenario_sets_flags_and_reads_them(scenario_300):
    """The bench's scenario has the issue's shape: answers set flags, conditions read them, an interrupt watches."""
    sets = {name for node in scenario_300.nodes.values() for choice in node.choices for name in (choice.sets or {})}
    read = paths.condition_names(scenario_300)
    assert {"asked", "named"} <= sets and {"asked", "named"} <= read
    assert {"trust", "heard", "distress"} <= read and scenario_300.interrupts


@pytest.mark.parametrize("pick", ["first", "last"])
def test_a_300_node_conversation_reaches_its_debrief_without_the_search(scenario_300, no_search, pick):
    conversation = Conversation(scenario_300, seed=1)
    while not conversation.ended:
        offered = [view.id for view in conversation.choices if view.available]
        conversation.choose(offered[0] if pick == "first" else offered[-1])
    debrief = debrief_for(conversation)
    assert debrief.result.ending is not None and debrief.steps
    for axis in AXES:
        assert 0.0 <= getattr(debrief.result, axis).share <= 1.0


def test_the_terminal_game_plays_a_300_node_scenario_to_the_debrief_without_the_search(scenario_300, no_search):
    out = io.StringIO()
    from bench.core import PLAY_INPUT

    # what the bench's `play_300` types: it must reach the debrief, or the figure would time half a session
    game = TerminalGame(scenario_300, lang="en", seed=1, stdin=io.StringIO(PLAY_INPUT.decode()), stdout=out)
    game.run()
    assert "DEBRIEF" in out.getvalue() and "Input ended" not in out.getvalue()
