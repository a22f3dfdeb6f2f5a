"""The dialogue engine: transitions, guards, events, rollback, determinism, and refusing bad requests."""

import subprocess
import sys
from pathlib import Path

import pytest

from game.engine import ChoiceUnavailable, Conversation, ConversationOver, Mood, NothingToUndo, UnknownChoice
from game.engine import rules
from game.engine.events import ChoiceMade, Ended, LineShown, MoodChanged, Redirected, RolledBack
from game.scenario.loader import load_or_raise

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def scenario():
    return load_or_raise(FIXTURES / "engine.yaml")


def play(scenario, *choices, seed=1, listeners=()):
    conversation = Conversation(scenario, seed=seed, listeners=listeners)
    for choice in choices:
        conversation.choose(choice)
    return conversation


def test_starts_at_the_start_node_with_the_starting_mood(scenario):
    conversation = Conversation(scenario, seed=1)
    assert conversation.line.node_id == "start"
    assert conversation.mood == Mood(trust=30, distress=50, heard=0)
    assert sorted(view.id for view in conversation.choices) == ["ask", "lecture", "reflect", "rude"]
    assert [view.number for view in conversation.choices] == [1, 2, 3, 4]
    assert not conversation.ended and conversation.history == []


def test_a_choice_applies_its_mood_and_flags_and_moves_to_its_target(scenario):
    conversation = play(scenario, "reflect")
    assert conversation.line.node_id == "hub"
    assert conversation.mood == Mood(trust=38, distress=40, heard=20)
    assert dict(conversation.state.flags)["asked"] is True


def test_the_machine_gets_a_state_for_each_node_as_the_conversation_reaches_it_and_no_auto_transitions(scenario):
    """Starting a conversation costs the same however big the scenario: states are added as nodes are reached."""
    conversation = Conversation(scenario, seed=1)
    assert set(conversation.machine.states) == {scenario.start, conversation.line.node_id}
    walked = {conversation.line.node_id}
    while not conversation.ended:
        conversation.choose(next(c.id for c in conversation.choices if c.available))
        walked.add(conversation.line.node_id)
        assert walked <= set(conversation.machine.states) <= set(scenario.nodes)
    assert set(conversation.machine.states) < set(scenario.nodes) | {"never"}  # no more than the nodes
    assert not hasattr(conversation._walker, "to_hub")  # auto_transitions=False
    assert set(conversation.machine.events) == {"choose", "interrupt", "branch"}


def test_the_machine_gets_a_nodes_transitions_when_the_conversation_first_leaves_it(scenario):
    """A big scenario starts fast: only the nodes a conversation reaches are wired into the machine."""
    conversation = Conversation(scenario, seed=1)
    start = conversation.line.node_id
    assert conversation.machine.get_transitions("choose", source=start) == []
    conversation.choose(conversation.choices[0].id)
    wired = conversation.machine.get_transitions("choose", source=start)
    assert [(t.source, t.dest) for t in wired] == [(start, c.goto) for c in scenario.nodes[start].choices]
    untouched = [node_id for node_id in scenario.nodes if node_id not in (start, conversation.line.node_id)]
    assert untouched and all(conversation.machine.get_transitions(source=n) == [] for n in untouched)


def test_an_unavailable_choice_is_greyed_and_refused_without_changing_anything(scenario):
    conversation = play(scenario, "ask")  # `asked` stays false, so `deep` is unavailable
    views = {view.id: view for view in conversation.choices}
    assert views["deep"].available is False and views["plan"].available is True
    before = (conversation.line, conversation.mood, conversation.state, list(conversation.history))
    with pytest.raises(ChoiceUnavailable):
        conversation.choose("deep")
    assert (conversation.line, conversation.mood, conversation.state, list(conversation.history)) == before


def test_an_unknown_choice_raises_a_clear_error_and_changes_nothing(scenario):
    conversation = Conversation(scenario, seed=1)
    state = conversation.state
    with pytest.raises(UnknownChoice) as caught:
        conversation.choose("shout")
    assert "shout" in str(caught.value) and "start" in str(caught.value) and "reflect" in str(caught.value)
    assert conversation.state == state and conversation.history == []


def test_once_only_choices_disappear_after_use_and_return_on_rollback(scenario):
    conversation = play(scenario, "ask", "again")
    assert conversation.line.node_id == "hub"
    assert "again" not in [view.id for view in conversation.choices]
    with pytest.raises(UnknownChoice):
        conversation.choose("again")
    conversation.rollback()
    assert "again" in [view.id for view in conversation.choices]


def test_an_interrupt_walks_the_customer_out_when_distress_passes_the_threshold(scenario):
    events = []
    conversation = play(scenario, "rude", listeners=[events.append])
    assert conversation.ended and conversation.line.node_id == "left"
    assert conversation.result.outcome == "left"
    redirect = next(e for e in events if isinstance(e, Redirected))
    assert (redirect.source, redirect.target, redirect.reason) == ("hub", "left", "walks_out")
    assert conversation.history[-1].landed == "left"


def test_a_guarded_branch_redirects_on_arrival(scenario):
    conversation = play(scenario, "lecture", "give_up")  # trust 20 -> -30 clamps to 0 -> hub2 branches to bad
    assert conversation.mood.trust == 0
    assert conversation.line.node_id == "bad" and conversation.result.outcome == "bad"


def test_trust_recovers_slowly_after_a_harmful_move(scenario):
    # reflect (+8 trust, no harm) then plan (+8): full gains -> 46 -> router branches to good
    assert play(scenario, "reflect", "plan").line.node_id == "good"
    # lecture (harm) then plan: the +8 counts at the recovery floor 0.25 -> +2 only
    conversation = play(scenario, "lecture", "plan")
    assert conversation.mood.trust == 30 - 10 + 2
    assert conversation.line.node_id == "router"  # 22 < 40: no branch to good
    assert conversation.state.healing == 1  # one correction of the twelve


def test_recovery_factor_climbs_back_to_one_over_the_corrections(scenario):
    rubric = scenario.rubric
    assert rules.recovery_factor(scenario, 0) == rubric.recovery_floor
    assert rules.recovery_factor(scenario, rubric.corrections_per_failure) == 1.0
    halfway = rules.recovery_factor(scenario, rubric.corrections_per_failure // 2)
    assert rubric.recovery_floor < halfway < 1.0


def test_events_come_in_order_for_presenters_and_logs(scenario):
    events = []
    conversation = Conversation(scenario, seed=3, listeners=[events.append])
    conversation.choose("reflect")
    conversation.choose("deep")
    kinds = [event.kind for event in events]
    assert kinds == ["line_shown", "choice_made", "mood_changed", "line_shown", "choice_made", "line_shown", "ended"]
    assert isinstance(events[0], LineShown) and events[0].node_id == "start"
    assert isinstance(events[1], ChoiceMade) and events[1].turn.choice_id == "reflect"
    assert isinstance(events[2], MoodChanged) and events[2].after.trust == 38
    assert isinstance(events[-1], Ended) and events[-1].outcome == "good"
    assert events[-1].result.ended


def test_rollback_restores_everything_and_is_announced(scenario):
    events = []
    conversation = Conversation(scenario, seed=5, listeners=[events.append])
    start_state, start_order = conversation.state, [v.id for v in conversation.choices]
    conversation.choose("lecture")
    conversation.rollback()
    assert conversation.state == start_state and conversation.history == []
    assert [v.id for v in conversation.choices] == start_order
    assert isinstance(events[-1], RolledBack) and events[-1].node_id == "start"
    with pytest.raises(NothingToUndo):
        conversation.rollback()


def test_choosing_after_the_end_is_refused(scenario):
    conversation = play(scenario, "reflect", "deep")
    assert conversation.ended
    with pytest.raises(ConversationOver):
        conversation.choose("plan")


def test_same_seed_same_game_and_replay_restores_the_exact_point(scenario):
    first = play(scenario, "ask", "again", seed=42)
    second = Conversation.replay(scenario, 42, first.choice_log)
    assert second.state == first.state
    assert [v.id for v in second.choices] == [v.id for v in first.choices]
    orders = {tuple(v.id for v in Conversation(scenario, seed=seed).choices) for seed in range(20)}
    assert len(orders) > 1  # the seed really shuffles


def test_choice_order_is_stable_within_a_seed(scenario):
    orders = [[v.id for v in Conversation(scenario, seed=9).choices] for _ in range(3)]
    assert orders[0] == orders[1] == orders[2]


def test_the_engine_and_the_pure_rules_agree_step_for_step(scenario):
    import random
    for seed in range(30):
        rng = random.Random(seed)
        conversation = Conversation(scenario, seed=seed)
        state, _ = rules.settle(scenario, rules.initial_state(scenario), after_choice=False)
        while not conversation.ended:
            options = [v.id for v in conversation.choices if v.available]
            choice_id = rng.choice(options)
            conversation.choose(choice_id)
            state, _ = rules.step(scenario, state, scenario.nodes[state.node].choice(choice_id))
            assert conversation.state == state


def test_the_engine_imports_no_screen_code():
    code = ("import sys, game.engine, game.scenario, game.debrief, game.describe, game.terminal, game.cli;"
            "sys.exit('pygame' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).parent.parent).returncode == 0
