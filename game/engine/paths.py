"""Exploring every path the engine allows, merging identical states.

Two conversations that reach the same node with the same mood, flags,
once-only choices and healing are in the same state, whatever route they
took: what can still happen is the same. So the explorer walks states, not
paths, and a scenario with millions of paths stays cheap. Turns are merged
too unless some condition reads `turn`.

`solve` gives, for the start, the best and worst points on each axis that any
complete conversation can reach, with a choice sequence achieving each. A loop
is counted once: a path that comes back to a state on the current route stops there.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from game.engine.rules import State, initial_state, is_available, settle, step
from game.scenario.model import Choice, Scenario
from game.scenario.rubric import AXES

STATE_LIMIT = 2_000_000


@dataclass(frozen=True)
class Bound:
    points: float
    choices: tuple[str, ...]  # "node.choice" steps achieving it


@dataclass(frozen=True)
class Solution:
    best: dict[str, Bound | None]
    worst: dict[str, Bound | None]
    states: int
    complete: bool


class Explorer:
    def __init__(self, scenario: Scenario, state_limit: int = STATE_LIMIT):
        self.scenario = scenario
        self.merge_turns = not scenario.uses_turn
        self.state_limit = state_limit
        self.successors: dict[State, list[tuple[Choice, State]]] = {}

    def normal(self, state: State) -> State:
        return replace(state, turn=0) if self.merge_turns and state.turn else state

    def start(self) -> State:
        state, _ = settle(self.scenario, initial_state(self.scenario), after_choice=False)
        return self.normal(state)

    def next_states(self, state: State) -> list[tuple[Choice, State]]:
        known = self.successors.get(state)
        if known is not None:
            return known
        node = self.scenario.nodes[state.node]
        found = []
        if not node.is_ending:
            for choice in node.choices:
                if is_available(state, node, choice):
                    found.append((choice, self.normal(step(self.scenario, state, choice)[0])))
        self.successors[state] = found
        return found

    def solve(self) -> Solution:
        """Best and worst reachable points per axis, by depth-first search with memoised states."""
        rubric = self.scenario.rubric
        points_of: dict[str, dict[str, float]] = {}
        # memo[state] = per axis (best, best_next, worst, worst_next); None where no ending is reachable
        memo: dict[State, tuple | None] = {}
        start = self.start()
        stack = [start]
        on_stack = {start}
        complete = True
        while stack:
            state = stack[-1]
            if len(self.successors) >= self.state_limit and state not in self.successors:
                complete = False
                memo[state] = None
                stack.pop()
                on_stack.discard(state)
                continue
            successors = self.next_states(state)
            pending = next((s for _, s in successors if s not in memo and s not in on_stack), None)
            if pending is not None:
                stack.append(pending)
                on_stack.add(pending)
                continue
            stack.pop()
            on_stack.discard(state)
            if self.scenario.nodes[state.node].is_ending:
                memo[state] = {axis: (0.0, None, 0.0, None) for axis in AXES}
                continue
            result = None
            for choice, following in successors:
                after = memo.get(following)
                if after is None:
                    continue  # no ending that way, or a loop back onto the route
                key = choice.id + "|" + ",".join(choice.tags)
                points = points_of.get(key)
                if points is None:
                    points = points_of[key] = rubric.points(choice.tags)
                step_id = (state.node, choice.id, following)
                if result is None:
                    result = {}
                for axis in AXES:
                    best, worst = points[axis] + after[axis][0], points[axis] + after[axis][2]
                    old = result.get(axis)
                    if old is None:
                        result[axis] = (best, step_id, worst, step_id)
                    else:
                        result[axis] = (
                            *(old[0:2] if old[0] >= best else (best, step_id)),
                            *(old[2:4] if old[2] <= worst else (worst, step_id)))
            memo[state] = result
        return Solution(best={axis: self._path(memo, start, axis, 0) for axis in AXES},
                        worst={axis: self._path(memo, start, axis, 2) for axis in AXES},
                        states=len(memo), complete=complete)

    @staticmethod
    def _path(memo, start: State, axis: str, slot: int) -> Bound | None:
        entry = memo.get(start)
        if entry is None:
            return None
        total = entry[axis][slot]
        steps = []
        state, seen = start, set()
        while entry is not None and entry[axis][slot + 1] is not None and state not in seen:
            seen.add(state)
            node_id, choice_id, state = entry[axis][slot + 1]
            steps.append(f"{node_id}.{choice_id}")
            entry = memo.get(state)
        return Bound(points=total, choices=tuple(steps))


@lru_cache(maxsize=64)
def solve(scenario: Scenario) -> Solution:
    """The scenario's best and worst achievable scores (cached per loaded scenario)."""
    return Explorer(scenario).solve()
