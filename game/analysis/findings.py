"""What is wrong with a scenario's paths, found on its explored state graph.

The loader runs `path_problems` on every scenario it builds, so `validate`
reports these like its other diagnostics; `analyze` shows the same findings
with more detail. Everything found is certain, never a guess: an ending
"can never be reached" only when every state was explored, a loop "never
ends" only when no state inside it can reach an ending or an unexplored state.

Each finding says *why*, in both languages, with the values the variables
really take where it matters ("trust 20–55"), and a shortest route to the
spot as "node.choice" steps that a trainer can replay or paste into a test plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from game.engine.paths import CHECK_LIMIT, STATE_LIMIT, CompiledRules, StateGraph, explored, static_edges
from game.engine.rules import is_available, step
from game.scenario import graph as static_graph
from game.scenario.diagnostics import Diagnostic
from game.scenario.model import Scenario

Bilingual = tuple[str, str]  # (English, Finnish)
MAX_ROUTE_STEPS = 12
MAX_PER_KIND = 20
# What `validate` reports: certain problems. A branch or interrupt that never fires is often a
# deliberate safety net, so only `analyze` mentions those (KU065, KU067).
VALIDATE_CODES = frozenset({"KU060", "KU061", "KU062", "KU063", "KU064", "KU066"})


@dataclass
class Finding:
    code: str
    line: int
    col: int
    params: dict
    hint: tuple[str, dict] | None = None
    subject: str = ""  # the node, choice or ending it is about


@dataclass
class Findings:
    graph: StateGraph
    problems: list[Finding] = field(default_factory=list)
    reached_nodes: set[str] = field(default_factory=set)
    unreachable_endings: dict[str, list[Bilingual]] = field(default_factory=dict)
    never_taken: list[tuple[str, str, Bilingual]] = field(default_factory=list)  # (node, choice, why)


# -- wording ------------------------------------------------------------------------------------------
def join(parts: list[Bilingual], en_and: str = "; ", fi_and: str = "; ") -> Bilingual:
    return en_and.join(p[0] for p in parts), fi_and.join(p[1] for p in parts)


def _bool(value: bool, lang: str) -> str:
    return "true" if value else "false"


def value_ranges(graph: StateGraph, numbers, names, variables_of=None) -> Bilingual:
    """How the named variables vary over some states: 'trust 20–55, asked is always false'."""
    found_en, found_fi = [], []
    variables_of = variables_of or (lambda number: graph.states[number].variables())
    for name in sorted(names):
        values = set()
        for number in numbers:
            values.add(variables_of(number).get(name))
        values.discard(None)
        if not values:
            continue
        if all(isinstance(v, bool) for v in values):
            if len(values) == 1:
                value = _bool(next(iter(values)), "en")
                found_en.append(f"{name} is always {value}")
                found_fi.append(f"{name} on aina {value}")
            else:
                found_en.append(f"{name} is true or false")
                found_fi.append(f"{name} on true tai false")
        else:
            low, high = min(values), max(values)
            if low == high:
                found_en.append(f"{name} is always {low}")
                found_fi.append(f"{name} on aina {low}")
            else:
                found_en.append(f"{name} {low}–{high}")
                found_fi.append(f"{name} {low}–{high}")
    return ", ".join(found_en), ", ".join(found_fi)


def route_text(steps: list[str]) -> str:
    if not steps:
        return "(the start)"
    if len(steps) > MAX_ROUTE_STEPS:
        steps = steps[:3] + ["…"] + steps[-(MAX_ROUTE_STEPS - 4):]
    return " → ".join(steps)


def _never(expr: str, where_en: str, where_fi: str, ranges: Bilingual) -> Bilingual:
    en = f"`{expr}` never holds {where_en}"
    fi = f"`{expr}` ei koskaan päde{',' if where_fi.startswith('kun ') else ''} {where_fi}"
    if ranges[0]:
        en += f" ({ranges[0]})"
        fi += f" ({ranges[1]})"
    return en, fi


# -- finding ------------------------------------------------------------------------------------------
def find(scenario: Scenario, limit: int = STATE_LIMIT, fresh: bool = False) -> Findings:
    """Everything wrong with the paths; `fresh` explores anew instead of reusing the shared graph (a lower limit)."""
    graph = StateGraph(scenario).explore(limit) if fresh else explored(scenario, limit)
    findings = Findings(graph)
    complete = graph.complete
    structure = graph.structure()
    at_node = graph.at_node()
    expanded = graph.expanded
    reached = set(at_node) | set(graph.passed)
    findings.reached_nodes = reached
    nodes = scenario.nodes
    edges = static_edges(scenario)
    statically_reachable = static_graph.reachable([scenario.start], edges)

    # choices never available where their node is reached
    never_available: dict[tuple[str, str], Bilingual] = {}
    for node_id, numbers in at_node.items():
        node = nodes[node_id]
        if node.is_ending:
            continue
        resting = [n for n in numbers if n < expanded]
        if not resting:
            continue
        for choice in node.choices:
            if any(is_available(graph.states[n], node, choice) for n in resting):
                continue
            if choice.condition is not None:
                why = _never(choice.condition.source, "here", "täällä",
                             value_ranges(graph, resting, choice.condition.names))
            else:
                why = ("it is never offered here", "sitä ei tarjota täällä koskaan")
            never_available[(node_id, choice.id)] = why
            if complete:
                findings.never_taken.append((node_id, choice.id, why))
                findings.problems.append(Finding("KU064", choice.line, choice.col,
                                                 {"id": choice.id, "node": node_id, "reason": why[0], "reason_fi": why[1]},
                                                 ("check_conditions", {}), f"{node_id}.{choice.id}"))

    def variables_of(number: int) -> dict:
        # merged states leave out flags nothing ahead reads; the declared defaults stand in for them
        return {**scenario.flags, **graph.states[number].variables()}

    def passing_values(node_id: str) -> list[dict]:
        """The values as conversations reached `node_id`: where they rested there, and where they passed through
        (each passing move taken again unmerged: the state it rests at forgets what only this node's branches read)."""
        found = [variables_of(n) for n in at_node.get(node_id, [])]
        for parent, choice in graph.passing.get(node_id, ()):
            raw, _hops = step(scenario, graph.states[parent], choice)
            found.append({**scenario.flags, **raw.variables()})
        if not found:  # passed only while settling at the start
            found = [variables_of(n) for n in sorted(graph.passed.get(node_id, ()))]
        return found

    # branches and interrupts that never fire
    def branch_why(node_id: str, position: int) -> Bilingual | None:
        node = nodes[node_id]
        branch = node.branches[position]
        values = passing_values(node_id)
        if not values:
            return None
        numbers = range(len(values))
        holds = [n for n in numbers if branch.condition is None or branch.condition(values[n])]
        if not holds:
            return _never(branch.condition.source, "when the conversation gets here", "kun keskustelu tulee tänne",
                          value_ranges(graph, numbers, branch.condition.names, values.__getitem__))
        for number in holds:
            variables = values[number]
            earlier = node.branches[:position]
            if not any(b.condition is None or b.condition(variables) for b in earlier):
                return None  # it can be taken (unless the target was passed already in this same hop)
        return ("an earlier branch of this node always goes first", "joku tämän solmun aiempi haara menee aina ensin")

    after_choice = [n for n in range(1, len(graph.states)) if not nodes[graph.states[n].node].is_ending]

    def interrupt_why(position: int) -> Bilingual | None:
        interrupt = scenario.interrupts[position]
        if interrupt.id in graph.fired:
            return None
        if any(interrupt.condition(variables_of(n)) for n in after_choice):
            return ("an earlier interrupt always goes first", "joku aiempi keskeytys menee aina ensin")
        return _never(interrupt.condition.source, "after a choice", "valinnan jälkeen",
                      value_ranges(graph, after_choice, interrupt.condition.names))

    if complete:
        for node_id in nodes:
            if node_id not in reached:
                continue
            for position, branch in enumerate(nodes[node_id].branches):
                if (node_id, branch.goto) in graph.branched:
                    continue
                why = branch_why(node_id, position) or ("its target was passed already on the same move",
                                                        "sen kohde on ohitettu jo samalla siirrolla")
                if why is not None:
                    findings.problems.append(Finding(
                        "KU065", branch.line, branch.col,
                        {"target": branch.goto, "node": node_id, "reason": why[0], "reason_fi": why[1]},
                        ("check_conditions", {}), node_id))
        for position, interrupt in enumerate(scenario.interrupts):
            why = interrupt_why(position)
            if why is not None:
                findings.problems.append(Finding("KU067", interrupt.line, interrupt.col,
                                                 {"id": interrupt.id, "reason": why[0], "reason_fi": why[1]},
                                                 ("check_conditions", {}), interrupt.id))

    # why an ending (or node) is never reached: look at everything that leads to it
    def reasons_for(target: str) -> list[Bilingual]:
        found: list[Bilingual] = []
        for node_id, node in nodes.items():
            for choice in node.choices:
                if choice.goto != target:
                    continue
                if node_id not in reached:
                    found.append((f"node '{node_id}', whose choice '{choice.id}' leads there, is never reached",
                                  f"solmuun '{node_id}', jonka valinta '{choice.id}' vie sinne, ei päädytä koskaan"))
                elif (node_id, choice.id) in never_available:
                    why = never_available[(node_id, choice.id)]
                    found.append((f"choice '{node_id}.{choice.id}' (line {choice.line}) can never be taken: {why[0]}",
                                  f"valintaa '{node_id}.{choice.id}' (rivi {choice.line}) ei voi koskaan tehdä: {why[1]}"))
                else:
                    found.append((f"after '{node_id}.{choice.id}' (line {choice.line}) a branch or interrupt always moves on",
                                  f"valinnan '{node_id}.{choice.id}' (rivi {choice.line}) jälkeen haara tai keskeytys vie aina muualle"))
            for position, branch in enumerate(node.branches):
                if branch.goto != target:
                    continue
                if node_id not in reached:
                    found.append((f"node '{node_id}', whose branch leads there, is never reached",
                                  f"solmuun '{node_id}', jonka haara vie sinne, ei päädytä koskaan"))
                    continue
                why = branch_why(node_id, position) or ("", "")
                found.append((f"the branch in '{node_id}' (line {branch.line}): {why[0] or 'never taken'}",
                              f"solmun '{node_id}' haara (rivi {branch.line}): {why[1] or 'ei käytetä koskaan'}"))
        for position, interrupt in enumerate(scenario.interrupts):
            if interrupt.goto != target:
                continue
            why = interrupt_why(position) or ("an earlier interrupt always goes first",
                                              "joku aiempi keskeytys menee aina ensin")
            found.append((f"the interrupt '{interrupt.id}' (line {interrupt.line}): {why[0]}",
                          f"keskeytys '{interrupt.id}' (rivi {interrupt.line}): {why[1]}"))
        if not found:
            found.append(("no choice, branch or interrupt leads there", "mikään valinta, haara tai keskeytys ei vie sinne"))
        return found

    if complete:
        for ending in scenario.endings:
            if ending.id in reached:
                continue
            reasons = reasons_for(ending.id)
            findings.unreachable_endings[ending.id] = reasons
            if ending.id in statically_reachable:  # otherwise the loader's KU024 has said it already
                reason = join(reasons)
                findings.problems.append(Finding("KU060", ending.source_line, ending.source_col,
                                                 {"id": ending.id, "reason": reason[0], "reason_fi": reason[1]},
                                                 ("check_conditions", {}), ending.id))
        # nodes never reached: report where an unreached part begins (a reached node leads to it)
        backwards = static_graph.reverse(edges)
        for node_id, node in nodes.items():
            if node_id in reached or node.is_ending or node_id not in statically_reachable:
                continue
            if not any(source in reached for source in backwards.get(node_id, ())):
                continue
            reason = join(reasons_for(node_id))
            findings.problems.append(Finding("KU066", node.source_line, node.source_col,
                                             {"id": node_id, "reason": reason[0], "reason_fi": reason[1]},
                                             ("check_conditions", {}), node_id))

    # stuck: a state that is not an ending and has no choice it can take
    stuck_nodes: set[str] = set()
    for number in range(expanded):
        state = graph.states[number]
        node = nodes[state.node]
        if node.is_ending or graph.edges[number] or state.node in stuck_nodes:
            continue
        stuck_nodes.add(state.node)
        names = set()
        for choice in node.choices:
            if choice.condition is not None:
                names |= choice.condition.names
        values = value_ranges(graph, [number], names) if names else ("every choice was taken already",
                                                                     "jokainen valinta on jo tehty")
        findings.problems.append(Finding("KU062", node.source_line, node.source_col,
                                         {"id": state.node, "values": values[0], "values_fi": values[1],
                                          "route": route_text(graph.route(number))},
                                         ("add_fallback_choice", {}), state.node))

    # loops that never end: a part of the graph with no way to an ending and nothing unexplored after it
    trap_nodes: set[str] = set()
    for part, members in enumerate(structure.components):
        if not structure.cyclic[part] or structure.mask[part] or structure.open[part]:
            continue
        first = min(members)  # found first, by the shortest route
        node_id = graph.states[first].node
        if node_id in trap_nodes:
            continue
        trap_nodes.add(node_id)
        node = nodes[node_id]
        findings.problems.append(Finding("KU061", node.source_line, node.source_col,
                                         {"id": node_id, "route": route_text(graph.route(first))},
                                         ("open_loop", {}), node_id))
    if not complete:
        findings.problems.append(Finding("KU063", 1, 1, {"limit": f"{graph.limit:,}"},
                                         ("raise_limit", {"file": scenario.path or "FILE", "more": graph.limit * 10}), ""))
    return findings


def proven_finite(scenario: Scenario) -> bool:
    """True when no conversation can get stuck or loop for ever, proven from the graph alone.

    A node is *safe* when, from any state at it, some choice is always offered
    (no `if:`, and not a once-only choice at a node it could come back to) whose
    every possible outcome (its target, any interrupt, then any branches) rests
    at a safe node or an ending. Safe nodes are found from the endings backwards;
    if every node the start can reach is safe, every conversation can still end.
    """
    nodes = scenario.nodes
    edges = static_edges(scenario)
    revisitable = static_graph.nodes_on_cycles(edges)
    interrupt_targets = [interrupt.goto for interrupt in scenario.interrupts]
    branch_edges = {node_id: [branch.goto for branch in node.branches] for node_id, node in nodes.items()}

    def resting(target: str) -> set[str]:
        landing = {target}
        if interrupt_targets and not nodes[target].is_ending:
            landing.update(interrupt_targets)
        return static_graph.reachable(landing, branch_edges)

    outcomes = {}
    for node_id, node in nodes.items():
        outcomes[node_id] = [resting(choice.goto) for choice in node.choices
                             if choice.condition is None and not (choice.once and node_id in revisitable)]
    safe = {node_id for node_id, node in nodes.items() if node.is_ending}
    # backwards from the endings, each node once: an outcome is safe when its last unsafe place becomes safe
    missing: list[int] = []
    owners: list[str] = []
    waiting: dict[str, list[int]] = {}
    newly = list(safe)
    for node_id, node_outcomes in outcomes.items():
        if node_id in safe:
            continue
        for places in node_outcomes:
            unsafe = [place for place in places if place not in safe]
            if not unsafe:
                safe.add(node_id)
                newly.append(node_id)
                break
            for place in unsafe:
                waiting.setdefault(place, []).append(len(missing))
            missing.append(len(unsafe))
            owners.append(node_id)
    while newly:
        place = newly.pop()
        for outcome in waiting.get(place, ()):
            missing[outcome] -= 1
            owner = owners[outcome]
            if missing[outcome] == 0 and owner not in safe:
                safe.add(owner)
                newly.append(owner)
    start_places = static_graph.reachable([scenario.start], branch_edges)
    reachable = static_graph.reachable(start_places, edges)
    # a node passed through by an unconditional branch never rests: it needs no way on of its own
    never_rests = {node_id for node_id, node in nodes.items()
                   if any(branch.condition is None for branch in node.branches)}
    return all(node_id in safe or node_id in never_rests for node_id in reachable)


FIRST_LOOK = 120  # states explored breadth-first before looking for examples one by one
SEARCH_BUDGET = 3_000  # states a directed search for one example may visit
_WEIGHT = 0.5  # how much the points so far weigh against the distance left (tuned on the shipped scenarios)
DIRECTED_MAX = 64  # look for examples one by one only when this few are missing; else explore on


def find_example(scenario: Scenario, graph: StateGraph, target: str, choice_id: str | None = None,
                 budget: int = SEARCH_BUDGET, visit=None) -> bool:
    """Whether a directed search finds an example of the target: first steering by good moves, then by bad ones.

    `visit(state)` is called with every state the searches reach (each is reachable, so each is an
    example of its own node: the caller can tick off other targets on the way).
    """
    searches = [_directed(scenario, graph, target, choice_id, budget, bias, visit) for bias in (1, -1)]
    while searches:  # in turns, so a search that steers the wrong way costs no more than the right one
        for search in list(searches):
            found = next(search, False)
            if found is True:
                return True
            if found is False:
                searches.remove(search)
    return False


def _directed(scenario: Scenario, graph: StateGraph, target: str, choice_id: str | None, budget: int,
              bias: int, visit=None):
    """One best-first search as a generator: yields None after each state, True when found, False when it gives up."""
    """Whether a directed search finds a state resting at (or passing) `target` (where `choice_id` can be taken).

    Best first: always go on from the state whose node is nearest the target
    in the graph, so a reachable target is usually found in a few dozen steps.
    A failure proves nothing; the caller then explores exhaustively.
    """
    import heapq

    nodes = scenario.nodes
    distance = {target: 0}
    backwards = static_graph.reverse(static_edges(scenario))
    frontier = [target]
    while frontier:
        following = []
        for node_id in frontier:
            for source in backwards.get(node_id, ()):
                if source not in distance:
                    distance[source] = distance[node_id] + 1
                    following.append(source)
        frontier = following
    starts = [graph.states[root] for root in graph.roots if graph.states[root].node in distance]
    if not starts:
        yield False
        return
    # nearest first; among equally near, the conversation that has gone best so far (bias 1: good
    # endings usually need trust that only good moves build) or worst so far (bias -1: walk-outs)
    rubric = scenario.rubric
    compiled = graph._compiled or CompiledRules(scenario, graph._plans, graph._base)
    queue = [(float(distance[start.node]), 0.0, number, start) for number, start in enumerate(starts)]
    heapq.heapify(queue)
    seen = set(starts)
    counter = len(starts)
    while queue and counter < budget:
        _, minus_points, _, state = heapq.heappop(queue)
        node = nodes[state.node]
        if visit is not None:
            visit(state)
        if state.node == target:
            if choice_id is None:
                yield True
                return
            choice = node.choice(choice_id)
            if choice is not None and is_available(state, node, choice):
                yield True
                return
        yield None
        if node.is_ending:
            continue
        for choice in node.choices:
            if not is_available(state, node, choice):
                continue
            following, hops = compiled.step(state, choice)  # merged already; checked against rules.step in tests
            if choice_id is None and any(source == target for source, _, _ in hops):
                yield True
                return
            if following in seen or following.node not in distance:
                continue
            seen.add(following)
            counter += 1
            gained = bias * sum(rubric.points(choice.code).values())
            score = minus_points - gained
            heapq.heappush(queue, (distance[following.node] + _WEIGHT * score, score, counter, following))
    yield False


COVER_AFTER = FIRST_LOOK * 16  # states explored breadth-first before a big finite scenario is covered node by node


def _cover(scenario: Scenario, graph: StateGraph, visit, passed, done, budget: int) -> None:
    """Breadth-first, but going on from only the first few states that reach each node.

    Breadth-first exploration of a long scenario spends its budget on the many moods of the
    first few turns and never reaches the end; one example state per node is all the check
    needs. So each round goes on from at most `per_node` states per node, doubling it while
    examples are missing, until `done()` or `budget` states. Every state reached is real, so
    each one `visit` sees is a sound example (and `passed` hears of each node a branch or an
    interrupt passed through on the way); what is still missing afterwards is looked for
    by the directed search and, failing that, the exhaustive one.
    """
    compiled = graph._compiled or CompiledRules(scenario, graph._plans, graph._base)
    nodes = scenario.nodes
    starts = [graph.states[root] for root in graph.roots]
    spent = 0
    per_node = 1
    while spent < budget and not done():
        expanded: dict[str, int] = {}
        seen = set(starts)
        frontier = list(starts)
        while frontier and spent < budget:
            following = []
            for state in frontier:
                count = expanded.get(state.node, 0)
                node = nodes[state.node]
                if count >= per_node or node.is_ending:
                    continue
                expanded[state.node] = count + 1
                for choice in node.choices:
                    if not is_available(state, node, choice):
                        continue
                    after, hops = compiled.step(state, choice)
                    for source, _, _ in hops:
                        passed(source)
                    if after not in seen:
                        seen.add(after)
                        visit(after)
                        following.append(after)
                        spent += 1
            frontier = following
        if done() or per_node >= 64:
            return
        per_node *= 2


_CHECKED: dict[tuple, list[Diagnostic]] = {}  # the same file loaded twice (e.g. by a plan) is checked once


CHECK_STATES_PER_NODE = 8  # a big scenario may explore a little more than CHECK_LIMIT: its load costs more too


def path_problems(scenario: Scenario, file: str, limit: int | None = None) -> list[Diagnostic]:
    if limit is None:
        limit = max(CHECK_LIMIT, CHECK_STATES_PER_NODE * len(scenario.nodes))
    key = (scenario.content_hash, id(scenario.rubric), file, limit) if scenario.content_hash else None
    if key is not None and key in _CHECKED:
        return list(_CHECKED[key])
    found = _path_problems(scenario, file, limit)
    if key is not None:
        if len(_CHECKED) >= 64:
            _CHECKED.clear()
        _CHECKED[key] = list(found)
    return found


def _path_problems(scenario: Scenario, file: str, limit: int) -> list[Diagnostic]:
    """The located diagnostics of the paths, for the loader (and so `validate`); at most a few of each kind.

    Quick on a sound scenario: loops are ruled out from the graph alone
    (`proven_finite`), and every ending, node and conditional choice only needs
    one example state: breadth-first exploration in growing chunks finds most,
    and once only a few are missing, a directed search finds each of those.
    Only when something has no example does the exploration go on to `limit`
    states and report what it can prove (and that it stopped, if it did).
    """
    edges = static_edges(scenario)
    reachable = static_graph.reachable([scenario.start], edges)
    nodes = scenario.nodes
    wanted_nodes = set(reachable)
    wanted_choices = {(node_id, choice.id) for node_id in reachable for choice in nodes[node_id].choices
                      if choice.condition is not None}
    finite = proven_finite(scenario)
    def visit(state):
        wanted_nodes.discard(state.node)
        if wanted_choices:
            node = nodes[state.node]
            for choice in node.choices:
                if (choice.condition is not None and (state.node, choice.id) in wanted_choices
                        and is_available(state, node, choice)):
                    wanted_choices.discard((state.node, choice.id))

    seen = 0
    chunk = FIRST_LOOK
    while True:
        graph = explored(scenario, min(chunk, limit))
        for state in graph.states[seen:]:  # every state found is reachable, expanded or not
            visit(state)
        seen = len(graph.states)
        wanted_nodes -= set(graph.passed)
        few = len(wanted_nodes) + len(wanted_choices) <= DIRECTED_MAX
        if graph.complete or chunk >= limit or (finite and few):
            break
        if finite and chunk >= COVER_AFTER:
            _cover(scenario, graph, visit, wanted_nodes.discard,
                   lambda: len(wanted_nodes) + len(wanted_choices) <= DIRECTED_MAX, limit)
            break
        chunk *= 4
    if finite and not graph.complete and len(wanted_nodes) + len(wanted_choices) <= DIRECTED_MAX:
        for node_id in sorted(wanted_nodes):
            if node_id in wanted_nodes and find_example(scenario, graph, node_id, visit=visit):
                wanted_nodes.discard(node_id)
        for node_id, choice_id in sorted(wanted_choices):
            if (node_id, choice_id) in wanted_choices and find_example(scenario, graph, node_id, choice_id, visit=visit):
                wanted_choices.discard((node_id, choice_id))
    if finite and not wanted_nodes and not wanted_choices:
        return []  # every ending, node and choice has an example, and nothing can loop for ever
    per_code: dict[str, int] = {}
    found = []
    for finding in find(scenario, limit).problems:
        if finding.code not in VALIDATE_CODES:
            continue
        per_code[finding.code] = per_code.get(finding.code, 0) + 1
        if per_code[finding.code] > MAX_PER_KIND:
            continue
        found.append(Diagnostic(finding.code, file, finding.line or 1, finding.col or 1, finding.params, finding.hint))
    return found
