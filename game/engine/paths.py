"""Exploring every path the engine allows, merging identical states.

Two conversations that reach the same node with the same mood, flags,
once-only choices and healing are in the same state, whatever route they
took: what can still happen is the same. So the explorer walks states, not
paths, and a scenario with millions of paths stays cheap.

States are merged further wherever a difference can never matter (exactly, not
approximately): turns unless some condition reads `turn`; a mood dimension or
flag that no condition reads; healing when no condition reads trust (healing
only changes how fast trust grows); and once-only choices taken at a node the
conversation can never come back to. Scores never depend on the state (a
choice's points come from its tags), so best and worst scores, path counts and
reachability are the same on the merged graph as on the full one.

Every step is taken with `rules.step`, the same function the engine's
Conversation obeys, so the analysis and the game cannot disagree.

`StateGraph` is the explored graph (breadth-first, so the route by which a
state was first found is a shortest one); it can be explored in stages, up to
a state limit, and `structure()` adds its strongly connected parts, which
endings each state can still reach, and the number of complete paths.
`solve` gives, for the start, the best and worst points on each axis that any
complete conversation can reach, with a choice sequence achieving each. A loop
is counted once: a path that comes back to a state on the current route stops there.
"""

from __future__ import annotations

import gc
import weakref
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

from game.engine.rules import (MOOD_MAX, MOOD_MIN, Mood, State, all_draws, count, initial_state, recovery_factor,
                               settle, step)
from game.scenario import graph as static_graph
from game.scenario.model import MOOD_DIMENSIONS, Choice, Scenario
from game.scenario.rubric import AXES

STATE_LIMIT = 400_000  # `analyze`: about 8 s and 400 MB at most; past it, the figures say they cover only what was found
CHECK_LIMIT = 50_000  # the quick check every load runs (validate, play): cheap on any scenario

UNBOUNDED = "unbounded"
PASSING_SAMPLES = 256  # moves kept per pass-through node, to explain its branches' conditions


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


def condition_names(scenario: Scenario) -> set[str]:
    """Every variable some condition of the scenario reads."""
    names: set[str] = set()
    for interrupt in scenario.interrupts:
        names |= interrupt.condition.names
    for node in scenario.nodes.values():
        for item in (*node.branches, *node.choices):
            if item.condition is not None:
                names |= item.condition.names
    return names


_EDGES: "weakref.WeakKeyDictionary[Scenario, dict[str, list[str]]]" = weakref.WeakKeyDictionary()


def static_edges(scenario: Scenario) -> dict[str, list[str]]:
    """Where each node can lead without looking at conditions: choices, branches, and interrupts after a choice.

    Worked out once per scenario (the load-time check asks three times); callers must not change it.
    """
    edges = _EDGES.get(scenario)
    if edges is None:
        edges = _EDGES[scenario] = _static_edges(scenario)
    return edges


def _static_edges(scenario: Scenario) -> dict[str, list[str]]:
    interrupt_targets = [interrupt.goto for interrupt in scenario.interrupts]
    edges: dict[str, list[str]] = {}
    for node_id, node in scenario.nodes.items():
        targets = [branch.goto for branch in node.branches] + [choice.goto for choice in node.choices]
        if node.choices and not node.is_ending:
            targets += interrupt_targets
        edges[node_id] = targets
    return edges


_NOTHING_USED: frozenset = frozenset()


@contextmanager
def _no_collection():
    """Pause the cyclic garbage collector: exploring builds many objects and no cycles,
    and full collections over them cost more than the work itself (as in safe_yaml)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _reads(scenario: Scenario, node) -> set[str]:
    """The variables a node's own conditions read, with the interrupts' (checked after its choices)."""
    names: set[str] = set()
    for item in (*node.branches, *node.choices):
        if item.condition is not None:
            names |= item.condition.names
    return names


def _merge_plans(scenario: Scenario) -> dict[str, tuple | None]:
    """For each node: which parts of a state resting there can still matter.

    A variable matters at a node if a condition at that node or at any node
    reachable from it reads it (classic liveness); healing matters while trust
    does; a once-only choice taken matters only while the conversation can come
    back to its node, i.e. inside the loop (strongly connected part) it belongs to.
    `None` means everything matters: nothing to merge.
    """
    edges = static_edges(scenario)
    interrupt_names: set[str] = set()
    for interrupt in scenario.interrupts:
        interrupt_names |= interrupt.condition.names
    own = {}
    for node_id, node in scenario.nodes.items():
        names = _reads(scenario, node)
        if not node.is_ending:
            names |= interrupt_names  # checked after every choice that lands on a node that is not an ending
        own[node_id] = names
    live: dict[str, frozenset[str]] = {}
    loop_of: dict[str, frozenset[str] | None] = {}
    for members in static_graph.strongly_connected(edges):  # sinks first
        names = set()
        member_set = set(members)
        for member in members:
            names |= own[member]
            for target in edges[member]:
                if target not in member_set:
                    names |= live[target]
        frozen = frozenset(names)
        cyclic = len(members) > 1 or members[0] in edges[members[0]]
        for member in members:
            live[member] = frozen
            loop_of[member] = frozenset(member_set) if cyclic else None
    every_flag = frozenset(scenario.flags) | frozenset(scenario.traits) | frozenset(scenario.stakes)  # all true/false in a state
    plans: dict[str, tuple | None] = {}
    for node_id in scenario.nodes:
        names = live[node_id]
        keep_mood = tuple(dimension in names for dimension in MOOD_DIMENSIONS)
        keep_flags = frozenset(names & every_flag)
        plan = (None if all(keep_mood) else keep_mood, None if keep_flags == every_flag else keep_flags,
                "trust" in names, "turn" in names, loop_of[node_id])
        plans[node_id] = plan
    return plans


class CompiledRules:
    """`rules.step` specialised to one scenario: the same arithmetic, without the generic overhead.

    It must give exactly what `rules.step` gives; `StateGraph.explore` checks a sample of
    moves against `rules.step` every time, and the tests check every move of every scenario.
    """

    def __init__(self, scenario: Scenario, plans: dict | None = None, base: State | None = None):
        """With `plans` (StateGraph's merge plans) and `base` (the initial state) it also merges the result."""
        self.scenario = scenario
        self.plans = plans
        self.base = base
        rubric = scenario.rubric
        self.steps = rubric.corrections_per_failure
        self.factors = [recovery_factor(scenario, healing) for healing in range(self.steps + 1)]
        self.choices = {}
        for node in scenario.nodes.values():
            for choice in node.choices:
                mood = choice.mood
                points = rubric.points(choice.code)
                self.choices[id(choice)] = (
                    mood.get("trust"), mood.get("distress"), mood.get("heard"),
                    tuple(choice.sets.items()) if choice.sets else None,
                    tuple(choice.adds.items()) if choice.adds else None,
                    rubric.is_harmful(choice.code), any(value > 0 for value in points.values()),
                    (node.id, choice.id) if choice.once else None, choice.goto)
        self.endings = {node_id for node_id, node in scenario.nodes.items() if node.is_ending}
        self.defaults = scenario.flags
        self.interrupts = tuple((i.id, i.condition, i.goto) for i in scenario.interrupts)
        self.branches = {node_id: node.branches for node_id, node in scenario.nodes.items() if node.branches}

    def step(self, state: State, choice: Choice) -> tuple[State, list[tuple[str, str, str]]]:
        trust_delta, distress_delta, heard_delta, sets, adds, harmful, positive, once_key, goto = self.choices[id(choice)]
        mood = state.mood
        trust, distress, heard = mood.trust, mood.distress, mood.heard
        # the clamps written out: min(max(...)) calls are most of this function's time on big scenarios
        if trust_delta is not None:
            if trust_delta > 0:
                trust_delta = int(trust_delta * self.factors[min(state.healing, self.steps)] + 0.5)
            trust += trust_delta
            trust = MOOD_MAX if trust > MOOD_MAX else MOOD_MIN if trust < MOOD_MIN else trust
        if distress_delta is not None:
            distress += distress_delta
            distress = MOOD_MAX if distress > MOOD_MAX else MOOD_MIN if distress < MOOD_MIN else distress
        if heard_delta is not None:
            heard += heard_delta
            heard = MOOD_MAX if heard > MOOD_MAX else MOOD_MIN if heard < MOOD_MIN else heard
        flags = state.flags
        if sets is not None or adds is not None:
            merged = dict(flags)
            if sets is not None:
                merged.update(sets)
            if adds is not None:
                for name, delta in adds:
                    merged[name] = count(merged.get(name, self.defaults.get(name, 0)), delta)
            flags = tuple(merged.items())
        healing = state.healing
        if harmful:
            healing = 0
        elif positive:
            healing = min(self.steps, healing + 1)
        used = state.used | {once_key} if once_key is not None else state.used
        turn = state.turn + 1
        node = goto
        hops = []
        variables = None
        if self.interrupts and node not in self.endings:
            variables = dict(flags)
            variables.update(trust=trust, distress=distress, heard=heard, turn=turn)
            for interrupt_id, condition, target in self.interrupts:
                if condition(variables):
                    hops.append((node, target, interrupt_id))
                    node = target
                    break
        if node in self.branches:
            if variables is None:
                variables = dict(flags)
                variables.update(trust=trust, distress=distress, heard=heard, turn=turn)
            seen = {node}
            while node in self.branches:
                for branch in self.branches[node]:
                    if branch.goto not in seen and (branch.condition is None or branch.condition(variables)):
                        hops.append((node, branch.goto, "branch"))
                        node = branch.goto
                        seen.add(node)
                        break
                else:
                    break
        plan = self.plans[node] if self.plans is not None else None
        if plan is not None:  # merge at once, as StateGraph.normal would (one State built, not two)
            keep_mood, keep_flags, keep_healing, keep_turn, loop = plan
            if keep_mood is not None:
                base = self.base.mood
                if not keep_mood[0]:
                    trust = base.trust
                if not keep_mood[1]:
                    distress = base.distress
                if not keep_mood[2]:
                    heard = base.heard
            if keep_flags is not None and flags:
                flags = tuple(item for item in flags if item[0] in keep_flags)
            if used:
                if loop is None:
                    used = _NOTHING_USED
                elif any(key[0] not in loop for key in used):
                    used = frozenset(key for key in used if key[0] in loop)
            if not keep_healing:
                healing = self.base.healing
            if not keep_turn:
                turn = 0
        if trust != mood.trust or distress != mood.distress or heard != mood.heard:
            mood = Mood(trust, distress, heard)
        return State(node, mood, flags, used, healing, turn), hops


class StateGraph:
    """The states a scenario can be in, and the choices between them, explored breadth-first."""

    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        base = initial_state(scenario)
        self._base = base
        self._plans = _merge_plans(scenario)
        self.states: list[State] = []
        self.index: dict[State, int] = {}
        self.edges: list[tuple[tuple[Choice, int], ...]] = []  # per expanded state, in the node's choice order
        self.parent: list[int] = []  # the state each was first found from (-1 for the start)
        self.via: list[Choice | None] = []  # ...and the choice taken there
        self.passed: dict[str, set[int]] = {}  # node -> states whose route passed through it by a branch or interrupt
        # node -> up to PASSING_SAMPLES moves (state, choice) that passed through it: the values a pass-through
        # node's branches read are those before the move's state is merged at the node it rests at
        self.passing: dict[str, list[tuple[int, Choice]]] = {}
        self.branched: set[tuple[str, str]] = set()  # (node, target) of every branch ever taken
        self.fired: set[str] = set()  # IDs of the interrupts that ever happened
        self.limit = 0
        self._structure: Structure | None = None
        self._compiled: CompiledRules | None = None
        self._checked = 0
        self.drift: str | None = None  # set if the compiled rules ever differed from rules.step
        # One start per customer a session can draw (trait and stake): all of them are explored.
        self.roots: list[int] = []
        for drawn in all_draws(scenario):
            state, hops = settle(scenario, initial_state(scenario, drawn), after_choice=False)
            state = self.normal(state)
            start = self.index.get(state)
            if start is None:
                start = self._add(state, -1, None)
                self.roots.append(start)
            self._note_hops(hops, start)

    # -- merging ---------------------------------------------------------------------------------
    def normal(self, state: State) -> State:
        """The representative of every state that behaves exactly like `state` from here on."""
        plan = self._plans[state.node]
        if plan is None:
            return state
        keep_mood, keep_flags, keep_healing, keep_turn, loop = plan
        base = self._base
        mood, flags, used, healing, turn = state.mood, state.flags, state.used, state.healing, state.turn
        if keep_mood is not None:
            if keep_mood == (False, False, False):
                mood = base.mood
            else:
                kept = Mood(mood.trust if keep_mood[0] else base.mood.trust,
                            mood.distress if keep_mood[1] else base.mood.distress,
                            mood.heard if keep_mood[2] else base.mood.heard)
                if kept != mood:
                    mood = kept
        if keep_flags is not None and flags:
            flags = tuple(item for item in flags if item[0] in keep_flags)
        if used:
            if loop is None:
                used = _NOTHING_USED
            elif any(key[0] not in loop for key in used):
                used = frozenset(key for key in used if key[0] in loop)
        if not keep_healing:
            healing = base.healing
        if not keep_turn:
            turn = 0
        if (mood is state.mood and flags == state.flags and used is state.used and healing == state.healing
                and turn == state.turn):
            return state
        return State(state.node, mood, flags, used, healing, turn)

    # -- exploring -------------------------------------------------------------------------------
    def _add(self, state: State, parent: int, via: Choice | None) -> int:
        number = len(self.states)
        self.states.append(state)
        self.index[state] = number
        self.parent.append(parent)
        self.via.append(via)
        return number

    def _note_hops(self, hops, target: int, move: tuple[int, Choice] | None = None):
        for source, destination, why in hops:
            self.passed.setdefault(source, set()).add(target)
            if move is not None:
                moves = self.passing.setdefault(source, [])
                if len(moves) < PASSING_SAMPLES:
                    moves.append(move)
            if why == "branch":
                self.branched.add((source, destination))
            else:
                self.fired.add(why)

    @property
    def expanded(self) -> int:
        return len(self.edges)

    @property
    def complete(self) -> bool:
        return len(self.edges) == len(self.states)

    def explore(self, limit: int = STATE_LIMIT) -> "StateGraph":
        """Expand states until every one is known or `limit` states have been found; can be called again.

        Moves are computed by `CompiledRules`, a copy of `rules.step` specialised to this scenario
        (several times faster); a sample of moves is also computed with `rules.step` itself, and
        at the first difference the graph is explored again from scratch with `rules.step` alone,
        and the difference is kept in `drift` (the tests require it to stay None).
        """
        with _no_collection():
            return self._explore(limit)

    def _explore(self, limit: int) -> "StateGraph":
        self.limit = max(self.limit, limit)
        if self._compiled is None and self.drift is None:
            self._compiled = CompiledRules(self.scenario, self._plans, self._base)
        compiled = self._compiled
        scenario, nodes, index, states, edges = self.scenario, self.scenario.nodes, self.index, self.states, self.edges
        normal, add, note = self.normal, self._add, self._note_hops
        before = len(edges)
        checked = self._checked
        while len(edges) < len(states) and len(states) < limit:
            number = len(edges)
            state = states[number]
            node = nodes[state.node]
            found = []
            if not node.is_ending:
                variables = None
                used = state.used
                for choice in node.choices:
                    if choice.once and used and (node.id, choice.id) in used:
                        continue
                    if choice.condition is not None:
                        if variables is None:
                            variables = state.variables()
                        if not choice.condition(variables):
                            continue
                    if compiled is not None:
                        following, hops = compiled.step(state, choice)
                        checked += 1
                        if checked <= 256 or checked % 61 == 0:
                            expected, expected_hops = step(scenario, state, choice)
                            if (normal(expected), expected_hops) != (following, hops):
                                self._restart_with_rules(f"at {state} taking {choice.id}: compiled {following, hops}, "
                                                         f"rules.step {expected}")
                                return self._explore(limit)
                    else:
                        following, hops = step(scenario, state, choice)
                        following = normal(following)
                    target = index.get(following)
                    if target is None:
                        target = add(following, number, choice)
                    if hops:
                        note(hops, target, (number, choice))
                    found.append((choice, target))
            edges.append(tuple(found))
        self._checked = checked
        if len(edges) != before:
            self._structure = None
        return self

    def _restart_with_rules(self, difference: str):
        limit = self.limit
        self.__init__(self.scenario)
        self.drift = difference
        self.limit = limit

    # -- reading it ---------------------------------------------------------------------------------
    def route(self, number: int) -> list[str]:
        """A shortest choice sequence, as "node.choice" steps, that reaches state `number`."""
        steps = []
        while self.parent[number] >= 0:
            parent = self.parent[number]
            steps.append(f"{self.states[parent].node}.{self.via[number].id}")
            number = parent
        steps.reverse()
        return steps

    def at_node(self) -> dict[str, list[int]]:
        """The explored states resting at each node."""
        found: dict[str, list[int]] = {}
        for number, state in enumerate(self.states):
            found.setdefault(state.node, []).append(number)
        return found

    def structure(self) -> "Structure":
        if self._structure is None or self._structure.expanded != self.expanded:
            with _no_collection():
                self._structure = Structure(self)
        return self._structure


class Structure:
    """Loops, which endings each state can still reach, and how many complete paths there are."""

    def __init__(self, graph: StateGraph):
        self.expanded = graph.expanded
        self.roots = tuple(graph.roots)
        scenario = graph.scenario
        self.endings = [node.id for node in scenario.endings]
        bit = {node_id: 1 << number for number, node_id in enumerate(self.endings)}
        count = len(graph.states)
        edges = graph.edges
        expanded = len(edges)
        successors = [tuple(target for _, target in out) for out in edges] + [()] * (count - expanded)
        components, component_of = _strongly_connected(successors)
        self.component_of = component_of
        self.components = components  # sinks first: every successor's part comes before
        self.cyclic: list[bool] = []
        self.mask: list[int] = []  # the endings each part can still reach, one bit per ending
        self.open: list[bool] = []  # whether it can reach a state left unexplored at the limit
        self.paths: list[int | None] = []  # complete paths from it; None for unbounded
        nodes = scenario.nodes
        for number, members in enumerate(components):
            cyclic = len(members) > 1 or members[0] in successors[members[0]]
            mask, is_open, paths = 0, False, 0
            for member in members:
                if member >= expanded:
                    is_open = True
                    continue
                node_id = graph.states[member].node
                if nodes[node_id].is_ending:
                    mask |= bit[node_id]
                    paths += 1
                for target in successors[member]:
                    part = component_of[target]
                    if part == number:
                        continue
                    mask |= self.mask[part]
                    is_open = is_open or self.open[part]
                    if paths is not None:
                        after = self.paths[part]
                        paths = None if after is None else paths + after
            if cyclic and mask:
                paths = None
            self.cyclic.append(cyclic)
            self.mask.append(mask)
            self.open.append(is_open)
            self.paths.append(paths)

    def of(self, state: int) -> int:
        return self.component_of[state]

    def total_paths(self, roots=None) -> int | str:
        """Complete paths from the start of every customer a session can draw (or from `roots`)."""
        total = 0
        for root in self.roots if roots is None else roots:
            paths = self.paths[self.component_of[root]]
            if paths is None:
                return UNBOUNDED
            total += paths
        return total

    def endings_from(self, state: int) -> list[str]:
        mask = self.mask[self.component_of[state]]
        return [ending for number, ending in enumerate(self.endings) if mask >> number & 1]


def _strongly_connected(successors: list[tuple[int, ...]]) -> tuple[list[list[int]], list[int]]:
    """Tarjan's algorithm over state numbers, without recursion; parts come out sinks first."""
    count = len(successors)
    index = [-1] * count
    low = [0] * count
    on_stack = [False] * count
    component_of = [-1] * count
    stack: list[int] = []
    components: list[list[int]] = []
    counter = 0
    for root in range(count):
        if index[root] >= 0:
            continue
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        work = [(root, 0)]
        while work:
            node, position = work[-1]
            out = successors[node]
            advanced = False
            while position < len(out):
                target = out[position]
                position += 1
                if index[target] < 0:
                    work[-1] = (node, position)
                    index[target] = low[target] = counter
                    counter += 1
                    stack.append(target)
                    on_stack[target] = True
                    work.append((target, 0))
                    advanced = True
                    break
                if on_stack[target] and index[target] < low[node]:
                    low[node] = index[target]
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                if low[node] < low[parent]:
                    low[parent] = low[node]
            if low[node] == index[node]:
                members = []
                while True:
                    member = stack.pop()
                    on_stack[member] = False
                    component_of[member] = len(components)
                    members.append(member)
                    if member == node:
                        break
                components.append(members)
    return components, component_of


_GRAPHS: "weakref.WeakKeyDictionary[Scenario, StateGraph]" = weakref.WeakKeyDictionary()


def explored(scenario: Scenario, limit: int = STATE_LIMIT) -> StateGraph:
    """The scenario's state graph explored up to `limit` states, shared by everything that asks
    (the load-time check, scoring, analyze); a later call with a higher limit goes on from where it stopped."""
    found = _GRAPHS.get(scenario)
    if found is None:
        found = _GRAPHS[scenario] = StateGraph(scenario)
    if not found.complete and found.limit < limit:
        found.explore(limit)
    return found


class Explorer:
    """Kept for callers of the first version: `Explorer(scenario).solve()` is `solve` without the cache."""

    def __init__(self, scenario: Scenario, state_limit: int = STATE_LIMIT):
        self.scenario = scenario
        self.state_limit = state_limit

    def solve(self) -> Solution:
        return solve_graph(StateGraph(self.scenario).explore(self.state_limit))


def solve_graph(graph: StateGraph) -> Solution:
    """Best and worst reachable points per axis, by depth-first search over the explored states."""
    with _no_collection():
        return _solve_graph(graph)


def _solve_graph(graph: StateGraph) -> Solution:
    rubric = graph.scenario.rubric
    nodes = graph.scenario.nodes
    edges, states = graph.edges, graph.states
    expanded = len(edges)
    count = len(AXES)
    axes = range(count)
    points_of = {id(choice): tuple(rubric.points(choice.code)[axis] for axis in AXES)
                 for node in nodes.values() for choice in node.choices}
    nothing = ((0.0,) * count, (None,) * count, (0.0,) * count, (None,) * count)
    # memo[state] = (best per axis, its edge, worst per axis, its edge), or None where no ending is reachable
    memo: list = [None] * len(states)
    mark = bytearray(len(states))  # 0 not seen yet, 1 on the depth-first stack, 2 done
    for root in graph.roots:  # one start per customer a session can draw
        if mark[root]:
            continue
        stack = [(root, 0)]
        mark[root] = 1
        while stack:
            number, position = stack[-1]
            out = edges[number] if number < expanded else ()
            pushed = False
            while position < len(out):
                target = out[position][1]
                position += 1
                if not mark[target]:
                    stack[-1] = (number, position)
                    stack.append((target, 0))
                    mark[target] = 1
                    pushed = True
                    break
            if pushed:
                continue
            stack.pop()
            mark[number] = 2
            if number >= expanded:
                continue  # beyond the limit: unknown
            if nodes[states[number].node].is_ending:
                memo[number] = nothing
                continue
            best: list = [None] * count
            best_edge: list = [None] * count
            worst: list = [None] * count
            worst_edge: list = [None] * count
            for edge in out:
                after = memo[edge[1]]
                if after is None:
                    continue  # no ending that way, or a loop back onto the route
                points = points_of[id(edge[0])]
                highs, lows = after[0], after[2]
                for axis in axes:
                    value = points[axis]
                    high, low = value + highs[axis], value + lows[axis]
                    if best[axis] is None or high > best[axis]:
                        best[axis], best_edge[axis] = high, edge
                    if worst[axis] is None or low < worst[axis]:
                        worst[axis], worst_edge[axis] = low, edge
            if best[0] is not None:
                memo[number] = (tuple(best), tuple(best_edge), tuple(worst), tuple(worst_edge))

    def bound(axis: int, slot: int) -> Bound | None:
        found = [(memo[root][slot][axis], root) for root in graph.roots if memo[root] is not None]
        if not found:
            return None
        total, number = (max if slot == 0 else min)(found)
        entry = memo[number]
        steps, seen = [], set()
        while entry is not None and entry[slot + 1][axis] is not None and number not in seen:
            seen.add(number)
            choice, following = entry[slot + 1][axis]
            steps.append(f"{states[number].node}.{choice.id}")
            number = following
            entry = memo[number]
        return Bound(points=total, choices=tuple(steps))

    return Solution(best={axis: bound(n, 0) for n, axis in enumerate(AXES)},
                    worst={axis: bound(n, 2) for n, axis in enumerate(AXES)},
                    states=len(states), complete=graph.complete)


@lru_cache(maxsize=64)
def solve(scenario: Scenario) -> Solution:
    """The scenario's best and worst achievable scores.

    Cached per loaded scenario, and on disk (the user's cache folder) by the scenario's bytes,
    the rubric's bytes and the source of the code that works it out: a big scenario takes
    seconds to explore, and the game needs the answer for every debrief.
    """
    key = _solution_key(scenario)
    cached = _read_solution(key) if key else None
    if cached is not None:
        return cached
    solution = solve_graph(explored(scenario))
    if key and solution.complete:
        _write_solution(key, solution)
    return solution


_SOLUTION_SOURCES = ("engine/paths.py", "engine/rules.py", "scenario/conditions.py", "scenario/model.py",
                     "scenario/rubric.py")


def _solution_key(scenario: Scenario) -> str | None:
    import hashlib
    from pathlib import Path

    if not scenario.content_hash:
        return None
    digest = hashlib.sha256(b"solution 1\0" + scenario.content_hash.encode())
    try:
        rubric = getattr(scenario.rubric, "path", "")
        digest.update(Path(rubric).read_bytes() if rubric else repr(scenario.rubric).encode())
        package = Path(__file__).resolve().parent.parent
        for name in _SOLUTION_SOURCES:
            digest.update((package / name).read_bytes())
    except OSError:
        return None
    return digest.hexdigest()


def _solution_file(key: str):
    from game.paths import user_cache_dir

    return user_cache_dir() / "solutions" / key[:2] / f"{key}.json"


def _read_solution(key: str) -> Solution | None:
    import json

    try:
        data = json.loads(_solution_file(key).read_text(encoding="utf-8"))

        def bounds(name):
            return {axis: (Bound(float(value["points"]), tuple(value["choices"])) if value else None)
                    for axis, value in ((axis, data[name][axis]) for axis in AXES)}
        return Solution(best=bounds("best"), worst=bounds("worst"), states=int(data["states"]),
                        complete=bool(data["complete"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None  # none yet, or unreadable: work it out again


def _write_solution(key: str, solution: Solution) -> None:
    import json
    import os

    def bounds(found):
        return {axis: ({"points": value.points, "choices": list(value.choices)} if value else None)
                for axis, value in found.items()}
    target = _solution_file(key)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps({"best": bounds(solution.best), "worst": bounds(solution.worst),
                                         "states": solution.states, "complete": solution.complete}), encoding="utf-8")
        os.replace(temporary, target)
    except (OSError, TypeError, ValueError):
        pass  # a cache that cannot be written only costs time


# -- when the exploration stops at its limit -------------------------------------------------------------
#
# The search above is exact only over the states it explored: past its limit, the best it found covers only
# the conversations that ended early, and a long conversation the engine allows can score far more. So
# `analyze` then states what it bounded instead: the best found (at least what any complete conversation
# below reached) and the most any conversation could reach (from the node graph with every condition taken
# as true), or that this is unknown.

WALK_SEEDS = 8  # seeded walks of each kind, per axis and direction
WALK_TURNS_PER_NODE = 4  # a walk caught in a loop stops after this many turns per node (it found nothing)


@dataclass(frozen=True)
class Bounded:
    """Best and worst points per axis, with whether each is exact and the other side of its range:
    `at_most` for a best (None when unknown), `at_least` for a worst."""
    best: dict[str, Bound | None]
    worst: dict[str, Bound | None]
    best_exact: dict[str, bool]
    worst_exact: dict[str, bool]
    at_most: dict[str, float | None]
    at_least: dict[str, float | None]


def _points_per_choice(scenario: Scenario) -> dict[int, tuple[float, ...]]:
    rubric = scenario.rubric
    return {id(choice): tuple(rubric.points(choice.code)[axis] for axis in AXES)
            for node in scenario.nodes.values() for choice in node.choices}


def walk(scenario: Scenario, pick, drawn: dict | None = None) -> tuple[tuple[float, ...], tuple[str, ...]] | None:
    """One conversation on the engine's rules (`rules.step`, as a Conversation takes it), `pick(offered, turn)`
    choosing each answer; its points per axis and its route, or None if it reached no ending."""
    from game.engine.rules import is_available, is_hidden

    points_of = _points_per_choice(scenario)
    nodes = scenario.nodes
    state, _hops = settle(scenario, initial_state(scenario, drawn), after_choice=False)
    totals = [0.0] * len(AXES)
    route: list[str] = []
    turns = WALK_TURNS_PER_NODE * len(nodes) + 100
    while not nodes[state.node].is_ending:
        node = nodes[state.node]
        offered = [c for c in node.choices if not is_hidden(state, node, c) and is_available(state, node, c)]
        if not offered or len(route) >= turns:
            return None
        choice = pick(offered, len(route))
        for axis, value in enumerate(points_of[id(choice)]):
            totals[axis] += value
        route.append(f"{node.id}.{choice.id}")
        state, _hops = step(scenario, state, choice)
    return tuple(totals), tuple(route)


def walked(scenario: Scenario, seeds: int = WALK_SEEDS) -> tuple[dict[str, Bound | None], dict[str, Bound | None]]:
    """The best and worst points per axis over cheap walks played to an ending, for every customer a session
    can draw: on each axis always the answer worth most (and least), ties either way; always the first and
    always the last answer offered; and seeded walks, at random and mostly-greedy. Every one is a complete
    conversation the engine allows, so its points are at most the best (at least the worst) there is."""
    import random

    points_of = _points_per_choice(scenario)
    count_ = len(AXES)
    best: list[Bound | None] = [None] * count_
    worst: list[Bound | None] = [None] * count_

    def greedy(axis: int, sign: int, last: bool = False, rng=None, wander: float = 0.0):
        def pick(offered, turn):
            if rng is not None and rng.random() < wander:
                return rng.choice(offered)
            ordered = reversed(offered) if last else offered
            return max(ordered, key=lambda choice: sign * points_of[id(choice)][axis])
        return pick

    pickers = [lambda offered, turn: offered[0], lambda offered, turn: offered[-1]]
    for axis in range(count_):
        for sign in (1, -1):
            pickers += [greedy(axis, sign), greedy(axis, sign, last=True)]
            pickers += [greedy(axis, sign, rng=random.Random(f"kuule-walk:{axis}:{sign}:{seed}"), wander=0.15)
                        for seed in range(seeds)]
    for seed in range(seeds):
        rng = random.Random(f"kuule-walk:random:{seed}")
        pickers.append(lambda offered, turn, rng=rng: rng.choice(offered))
    for drawn in all_draws(scenario):
        for pick in pickers:
            found = walk(scenario, pick, drawn)
            if found is None:
                continue
            totals, route = found
            for axis in range(count_):
                if best[axis] is None or totals[axis] > best[axis].points:
                    best[axis] = Bound(totals[axis], route)
                if worst[axis] is None or totals[axis] < worst[axis].points:
                    worst[axis] = Bound(totals[axis], route)
    return dict(zip(AXES, best)), dict(zip(AXES, worst))


def relaxed_range(scenario: Scenario) -> tuple[dict[str, float | None], dict[str, float | None]]:
    """The most and fewest points per axis along any path of the node graph from the start to an ending, every
    condition taken as true (answers, branches, and interrupts after every answer): every conversation the
    engine allows is such a path, so these bound its best from above and its worst from below. None on every
    axis when the node graph has a loop (a relaxed path could go round it for ever)."""
    unknown = {axis: None for axis in AXES}
    edges = static_edges(scenario)
    parts = static_graph.strongly_connected(edges)
    if any(len(members) > 1 or members[0] in edges[members[0]] for members in parts):
        return unknown, dict(unknown)
    points_of = _points_per_choice(scenario)
    interrupt_targets = [interrupt.goto for interrupt in scenario.interrupts]
    nodes = scenario.nodes
    high: dict[str, list] = {}
    low: dict[str, list] = {}
    for (node_id,) in parts:  # sinks first: every successor is done before
        node = nodes[node_id]
        options = [((0.0,) * len(AXES), branch.goto) for branch in node.branches]
        if not node.is_ending:
            for choice in node.choices:
                landing = [choice.goto] + ([] if nodes[choice.goto].is_ending else interrupt_targets)
                options += [(points_of[id(choice)], target) for target in landing]
        most = [0.0] * len(AXES) if node.is_ending else [None] * len(AXES)
        fewest = list(most)
        for points, target in options:
            for axis, value in enumerate(points):
                after_high, after_low = high[target][axis], low[target][axis]
                if after_high is not None and (most[axis] is None or value + after_high > most[axis]):
                    most[axis] = value + after_high
                if after_low is not None and (fewest[axis] is None or value + after_low < fewest[axis]):
                    fewest[axis] = value + after_low
        high[node_id], low[node_id] = most, fewest
    return dict(zip(AXES, high[scenario.start])), dict(zip(AXES, low[scenario.start]))


def bounded(scenario: Scenario, solution: Solution) -> Bounded:
    """The best and worst as `analyze` states them: exact when every state was explored; otherwise the best of
    the explored conversations and of `walked`'s (never below a score some conversation reaches), with
    `relaxed_range`'s other side, and exact only where the two meet."""
    if solution.complete:
        exact = {axis: solution.best[axis] is not None for axis in AXES}
        return Bounded(solution.best, solution.worst, exact, dict(exact),
                       {axis: b.points if b else None for axis, b in solution.best.items()},
                       {axis: b.points if b else None for axis, b in solution.worst.items()})
    walked_best, walked_worst = walked(scenario)
    at_most, at_least = relaxed_range(scenario)
    best, worst = {}, {}
    for axis in AXES:
        found = [b for b in (solution.best[axis], walked_best[axis]) if b is not None]
        best[axis] = max(found, key=lambda b: b.points) if found else None
        found = [b for b in (solution.worst[axis], walked_worst[axis]) if b is not None]
        worst[axis] = min(found, key=lambda b: b.points) if found else None
    return Bounded(best, worst,
                   {axis: best[axis] is not None and at_most[axis] == best[axis].points for axis in AXES},
                   {axis: worst[axis] is not None and at_least[axis] == worst[axis].points for axis in AXES},
                   at_most, at_least)
