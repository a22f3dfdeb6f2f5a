"""A seeded random walker: many random playthroughs of a scenario through the real engine.

    report = walk(scenario, walks=2000, seed=1, rollback_rate=0.1)
    assert report.ok, report.problems

Each walk starts a `Conversation` and takes random available choices (now and
then taking one back, as practice mode allows) until an ending. Along the way
it checks that the engine and the analysis agree:

* every state the conversation is in equals what the pure `rules.step` gives
  for the same choice from the same state, hops included;
* every state is one the path explorer found (after merging), with exactly the
  choices the explorer says are available there;
* a rollback restores the exact state before the choice.

Any difference, error or a walk that does not end within `max_turns` is a problem.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

from game.engine import Conversation, ConversationError
from game.engine import rules
from game.engine.paths import explored
from game.scenario.model import Scenario


@dataclass
class WalkReport:
    walks: int = 0
    turns: int = 0
    rollbacks: int = 0
    endings: Counter = field(default_factory=Counter)
    checked_states: int = 0
    graph_checked: bool = False
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


GRAPH_LIMIT = 150_000  # explore at most this many states for the engine-versus-explorer check


def walk(scenario: Scenario, walks: int = 1000, seed: int = 0, rollback_rate: float = 0.1,
         max_turns: int = 500, check_graph: bool = True, max_problems: int = 10,
         graph_limit: int = GRAPH_LIMIT) -> WalkReport:
    """Random playthroughs; with `check_graph`, also against the explorer's graph when it fits in `graph_limit`."""
    rng = random.Random(seed)
    report = WalkReport()
    graph = explored(scenario, graph_limit) if check_graph else None
    if graph is not None and not graph.complete:
        graph = None  # a state beyond the limit would look like a disagreement
    report.graph_checked = graph is not None
    offered = {}
    if graph is not None:
        for number in range(graph.expanded):
            offered[graph.states[number]] = {choice.id for choice, _ in graph.edges[number]}

    def problem(text: str):
        if len(report.problems) < max_problems:
            report.problems.append(text)

    def agree(conversation: Conversation, where: str):
        if graph is None:
            return
        key = graph.normal(conversation.state)
        known = offered.get(key)
        report.checked_states += 1
        if known is None:
            problem(f"{where}: the engine is in a state the explorer never found: {key}")
            return
        available = {view.id for view in conversation.choices if view.available}
        if conversation.ended:
            available = set()
        if available != known:
            problem(f"{where}: the engine offers {sorted(available)}, the explorer {sorted(known)}")

    for number in range(walks):
        walk_seed = rng.randrange(2**31)
        try:
            conversation = Conversation(scenario, seed=walk_seed)
        except Exception as error:  # noqa: BLE001 - any crash is what the walker is for
            problem(f"walk {number}: the conversation could not start: {type(error).__name__}: {error}")
            continue
        report.walks += 1
        agree(conversation, f"walk {number} start")
        turns = 0
        while not conversation.ended and turns < max_turns:
            views = [view for view in conversation.choices if view.available]
            where = f"walk {number} (seed {walk_seed}) turn {turns} at '{conversation.node.id}'"
            if not views:
                problem(f"{where}: no choice is available and the conversation has not ended")
                break
            choice_id = rng.choice(views).id
            before = conversation.state
            node = conversation.node
            choice = node.choice(choice_id)
            expected, hops = rules.step(scenario, before, choice)
            try:
                turn = conversation.choose(choice_id)
            except ConversationError as error:
                problem(f"{where}: choosing '{choice_id}' failed: {error}")
                break
            except Exception as error:  # noqa: BLE001
                problem(f"{where}: choosing '{choice_id}' crashed: {type(error).__name__}: {error}")
                break
            turns += 1
            report.turns += 1
            if conversation.state != expected:
                problem(f"{where}: after '{choice_id}' the engine is in {conversation.state}, rules.step says {expected}")
            if tuple(turn.hops) != tuple(hops):
                problem(f"{where}: after '{choice_id}' the engine hopped {turn.hops}, rules.step says {hops}")
            agree(conversation, where)
            if conversation.can_rollback and rng.random() < rollback_rate:
                conversation.rollback()
                report.rollbacks += 1
                if conversation.state != before:
                    problem(f"{where}: rolling back '{choice_id}' gave {conversation.state}, not {before}")
        if conversation.ended:
            report.endings[conversation.node.id] += 1
            try:
                result = conversation.result
                if result.ending != conversation.node.id:
                    problem(f"walk {number}: the result names the ending {result.ending}, not {conversation.node.id}")
            except Exception as error:  # noqa: BLE001
                problem(f"walk {number}: scoring crashed: {type(error).__name__}: {error}")
        elif turns >= max_turns:
            problem(f"walk {number} (seed {walk_seed}): no ending after {max_turns} turns")
    return report
