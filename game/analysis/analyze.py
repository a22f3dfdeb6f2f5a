"""`analyze`: everything the engine allows in a scenario, from its explored state graph.

    report = analyze(scenario)
    report.reachable_endings, report.paths, report.best["empathy"].choices, report.as_json()

The numbers come from `game.engine.paths` (the same exploration scoring uses,
so "best" here is exactly the 100 % a trainee's share is measured against)
and the problems from `game.analysis.findings` (the same ones `validate` shows).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from game.analysis import naive as naive_players
from game.analysis.findings import Bilingual, find
from game.engine.paths import STATE_LIMIT, UNBOUNDED, Bound, bounded, solve_graph
from game.scenario.diagnostics import Diagnostic
from game.scenario.model import Scenario
from game.scenario.rubric import AXES


@dataclass
class EndingInfo:
    id: str
    outcome: str
    reachable: bool
    line: int
    example: list[str] | None = None  # a shortest choice sequence reaching it
    reasons: list[Bilingual] = field(default_factory=list)  # why not, when it cannot be reached


@dataclass
class Analysis:
    scenario: Scenario
    endings: list[EndingInfo]
    paths: int | str  # complete conversations; UNBOUNDED when a loop can be gone round as often as one likes
    best: dict[str, Bound | None]
    worst: dict[str, Bound | None]
    states: int
    moves: int
    complete: bool
    limit: int
    unreachable_tags: list[str]  # used on choices, but on none that can ever be taken
    unused_tags: list[str]  # in the rubric, on no choice of this scenario
    committed: dict[str, str]  # node -> the only ending that can still follow it
    unreached_nodes: list[str]
    never_taken: list[tuple[str, str, Bilingual]]  # (node, choice, why)
    loops: bool  # whether some state can come round again
    problems: list[Diagnostic]
    naive: list = field(default_factory=list)  # NaiveResult per strategy and language: can it be gamed?
    longest_best: dict = field(default_factory=dict)  # lang -> (points where the best is the longest, points)
    ceilings: object = None  # naive.Ceilings
    # exact when every state was explored; past the limit `best` is the best found (a lower bound) and
    # `best_at_most` the most any conversation could score (None: unknown), and the other way round for `worst`
    best_exact: dict = field(default_factory=dict)
    worst_exact: dict = field(default_factory=dict)
    best_at_most: dict = field(default_factory=dict)
    worst_at_least: dict = field(default_factory=dict)

    @property
    def reachable_endings(self) -> list[str]:
        return [ending.id for ending in self.endings if ending.reachable]

    @property
    def unreachable_endings(self) -> list[str]:
        """Endings proven impossible (only when every state was explored)."""
        return [ending.id for ending in self.endings if not ending.reachable and self.complete]

    @property
    def unknown_endings(self) -> list[str]:
        """Endings not reached before the state limit: maybe reachable, maybe not."""
        return [ending.id for ending in self.endings if not ending.reachable and not self.complete]

    def as_json(self, lang: str = "en") -> dict:
        pick = 1 if lang == "fi" else 0

        def bound(value: Bound | None, exact: bool, side: str, other: float | None):
            if value is None:
                return None
            return {"points": value.points, "choices": list(value.choices), "exact": exact, side: other}

        return {
            "scenario": self.scenario.id, "file": self.scenario.path,
            "reachable_endings": self.reachable_endings, "unreachable_endings": self.unreachable_endings,
            "unknown_endings": self.unknown_endings,
            "endings": {e.id: {"outcome": e.outcome, "reachable": e.reachable, "example": e.example,
                               "why_not": [reason[pick] for reason in e.reasons]} for e in self.endings},
            "paths": self.paths,
            "best": {axis: bound(self.best[axis], self.best_exact.get(axis, self.complete), "at_most",
                                 self.best_at_most.get(axis)) for axis in AXES},
            "worst": {axis: bound(self.worst[axis], self.worst_exact.get(axis, self.complete), "at_least",
                                  self.worst_at_least.get(axis)) for axis in AXES},
            "states": self.states, "moves": self.moves, "complete": self.complete, "state_limit": self.limit,
            "loops": self.loops,
            "unreachable_tags": self.unreachable_tags, "unused_tags": self.unused_tags,
            "committed_nodes": self.committed, "unreached_nodes": self.unreached_nodes,
            "never_taken_choices": [{"node": node, "choice": choice, "why": why[pick]}
                                    for node, choice, why in self.never_taken],
            "problems": [d.as_json(lang) for d in self.problems],
            "naive_players": [result.as_dict() for result in self.naive],
            "longest_is_best": {code: {"points": hits, "of": total} for code, (hits, total) in self.longest_best.items()},
            # the highest overall share measured on any complete conversation with a harmful move / ending badly
            # or with the customer leaving (exact, or the best found: a lower bound); the rubric's caps for both
            "ceilings": self.ceilings.as_dict() if self.ceilings else None,
            "ceilings_exact": self.ceilings.exact if self.ceilings else None,
            "ceiling_routes": self.ceilings.routes_dict() if self.ceilings else None,
            "ceiling_caps": self.ceilings.caps_dict() if self.ceilings else None,
        }


def analyze(scenario: Scenario, limit: int = STATE_LIMIT) -> Analysis:
    findings = find(scenario, limit, fresh=limit < STATE_LIMIT)
    graph = findings.graph
    structure = graph.structure()
    solution = bounded(scenario, solve_graph(graph))  # past the limit: bounds, never a best below a score reached
    nodes = scenario.nodes
    complete = graph.complete

    first_at: dict[str, int] = {}
    for number, state in enumerate(graph.states):
        first_at.setdefault(state.node, number)
    endings = []
    for node in scenario.endings:
        reachable = node.id in first_at
        endings.append(EndingInfo(
            id=node.id, outcome=node.ending.outcome, reachable=reachable, line=node.source_line,
            example=graph.route(first_at[node.id]) if reachable else None,
            reasons=findings.unreachable_endings.get(node.id, [])))

    taken_tags: set[str] = set()
    for out in graph.edges:
        for choice, _ in out:
            taken_tags.update(choice.tags + ((choice.code,) if choice.code else ()))
    used_tags = {tag for node in nodes.values() for choice in node.choices
                 for tag in choice.tags + ((choice.code,) if choice.code else ())}
    unreachable_tags = sorted(used_tags - taken_tags) if complete else []
    # the codes no answer uses (secondary tags are optional, so leaving one unused says nothing)
    unused_tags = sorted(set(scenario.rubric.codes) - used_tags)

    committed: dict[str, str] = {}
    if complete:
        reach: dict[str, int] = {}
        for number in range(graph.expanded):
            node_id = graph.states[number].node
            if nodes[node_id].is_ending:
                continue
            reach[node_id] = reach.get(node_id, 0) | structure.mask[structure.of(number)]
        for node_id, mask in reach.items():
            if mask and mask & (mask - 1) == 0:
                committed[node_id] = structure.endings[mask.bit_length() - 1]

    loops = any(structure.cyclic)
    diagnostics = [Diagnostic(f.code, scenario.path, f.line or 1, f.col or 1, f.params, f.hint)
                   for f in findings.problems]
    unreached = [node_id for node_id in nodes if node_id not in findings.reached_nodes] if complete else []
    return Analysis(
        scenario=scenario, endings=endings, paths=structure.total_paths(graph.roots), best=solution.best, worst=solution.worst,
        best_exact=solution.best_exact, worst_exact=solution.worst_exact, best_at_most=solution.at_most,
        worst_at_least=solution.at_least,
        states=len(graph.states), moves=sum(len(out) for out in graph.edges), complete=complete, limit=graph.limit,
        unreachable_tags=unreachable_tags, unused_tags=unused_tags, committed=committed,
        unreached_nodes=unreached, never_taken=findings.never_taken, loops=loops, problems=diagnostics,
        naive=_naive(scenario),
        longest_best={lang: naive_players.longest_is_best(scenario, lang) for lang in scenario.languages},
        ceilings=naive_players.ceilings(scenario, graph))


def _naive(scenario: Scenario) -> list:
    """The naive players in every language; the random one is played once (it reads no text)."""
    found, shared = [], None
    for lang in scenario.languages:
        results = naive_players.naive_players(scenario, lang, random_result=shared)
        shared = next(result for result in results if result.strategy == "random")
        found += results
    return found


__all__ = ["Analysis", "EndingInfo", "UNBOUNDED", "analyze"]
