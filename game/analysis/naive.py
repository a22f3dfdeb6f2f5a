"""Naive players: can a scenario be gamed without reading it for meaning?

A test-wise trainee who always picks the longest answer, the shortest one, or picks at random should
do badly in a well-written scenario. These players walk the real engine (every customer a session can
draw), so what they score is what such a trainee would score.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

from game.engine import rules
from game.engine.rules import all_draws
from game.engine.scoring import compute_result, turn_for
from game.i18n import pick
from game.scenario.model import Scenario

STRATEGIES = ("longest", "shortest", "random")
RANDOM_RUNS = 200
MAX_TURNS = 200  # a naive player caught in a loop stops here (counted as unfinished)


@dataclass
class NaiveResult:
    strategy: str
    lang: str
    runs: int = 0
    listening: float = 0.0  # mean share
    empathy: float = 0.0
    overall: float = 0.0
    endings: Counter = field(default_factory=Counter)  # outcome (or "unfinished") -> runs

    @property
    def good_rate(self) -> float:
        return self.endings["good"] / self.runs if self.runs else 0.0

    def as_dict(self) -> dict:
        return {"strategy": self.strategy, "lang": self.lang, "runs": self.runs, "listening": self.listening,
                "empathy": self.empathy, "overall": self.overall, "endings": dict(self.endings),
                "good_rate": self.good_rate}


def _pick(offered, strategy: str, lang: str, rng: random.Random):
    if strategy == "random":
        return rng.choice(offered)
    length = {choice.id: len(pick(choice.text, lang)) for choice in offered}  # ties: the author's order
    if strategy == "longest":
        return max(offered, key=lambda choice: length[choice.id])
    return min(offered, key=lambda choice: length[choice.id])


def play(scenario: Scenario, strategy: str, lang: str, seed: int, drawn: dict | None = None, route=None):
    """One naive playthrough on the engine's rules (the same steps and scoring a Conversation takes, without a
    presenter's bookkeeping: analysis plays thousands); returns the result. `route` collects the steps."""
    drawn = drawn if drawn is not None else rules.draw(scenario, seed)
    state, _hops = rules.settle(scenario, rules.initial_state(scenario, drawn), after_choice=False)
    rng = random.Random(seed)
    history = []
    nodes = scenario.nodes
    while not nodes[state.node].is_ending and len(history) < MAX_TURNS:
        node = nodes[state.node]
        offered = [c for c in node.choices if not rules.is_hidden(state, node, c) and rules.is_available(state, node, c)]
        if not offered:
            break
        choice = strategy(offered, state) if callable(strategy) else _pick(offered, strategy, lang, rng)
        after, hops = rules.step(scenario, state, choice)
        history.append(turn_for(scenario, len(history) + 1, node, choice, state, after, offered, hops))
        if route is not None:
            route.append(f"{node.id}.{choice.id}")
        state = after
    return compute_result(scenario, history, state.mood, state.node if nodes[state.node].is_ending else None, drawn)


def naive_players(scenario: Scenario, lang: str | None = None, random_runs: int = RANDOM_RUNS,
                  random_result: "NaiveResult | None" = None) -> list[NaiveResult]:
    """Always-longest and always-shortest against every customer a session can draw; random over many seeds
    (`random_result` reuses a random player measured for another language: it reads no text)."""
    lang = lang or scenario.languages[0]
    results = []
    for strategy in STRATEGIES:
        if strategy == "random" and random_result is not None:
            results.append(NaiveResult(strategy, lang, random_result.runs, random_result.listening,
                                       random_result.empathy, random_result.overall, Counter(random_result.endings)))
            continue
        summary = NaiveResult(strategy, lang)
        runs = ([(seed, None) for seed in range(random_runs)] if strategy == "random"
                else [(0, drawn) for drawn in all_draws(scenario)])
        for seed, drawn in runs:
            result = play(scenario, strategy, lang, seed, drawn)
            summary.runs += 1
            summary.listening += result.listening.share
            summary.empathy += result.empathy.share
            summary.overall += result.overall
            summary.endings[result.outcome or "unfinished"] += 1
        if summary.runs:
            summary.listening /= summary.runs
            summary.empathy /= summary.runs
            summary.overall /= summary.runs
        results.append(summary)
    return results


def longest_is_best(scenario: Scenario, lang: str | None = None) -> tuple[int, int]:
    """(decision points where the best-scoring answer is also the longest, decision points with a single best)."""
    lang = lang or scenario.languages[0]
    rubric = scenario.rubric
    hits = points = 0
    for node in scenario.nodes.values():
        if len(node.choices) < 2:
            continue
        values = {choice.id: sum(rubric.points(choice.code).values()) for choice in node.choices}
        best = max(values.values())
        winners = [choice for choice in node.choices if values[choice.id] == best]
        if len(winners) != 1:
            continue
        points += 1
        longest = max(len(pick(choice.text, lang)) for choice in node.choices)
        if len(pick(winners[0].text, lang)) == longest:
            hits += 1
    return hits, points


@dataclass
class Ceilings:
    """The highest overall share a path with a harmful move, and a path that ends badly or with the customer
    leaving, can get: `bound` by the scoring's ceilings (exact by construction), `reached` the best such
    conversation the search below found (a lower bound), with its route."""
    one_harmful_move: float
    bad_or_left_ending: float
    reached_harmful: float | None = None
    reached_harmful_route: list[str] = field(default_factory=list)
    reached_bad_or_left: float | None = None
    reached_bad_or_left_route: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"one_harmful_move": self.one_harmful_move, "bad_or_left_ending": self.bad_or_left_ending}

    def reached_dict(self) -> dict:
        return {"one_harmful_move": {"share": self.reached_harmful, "choices": self.reached_harmful_route},
                "bad_or_left_ending": {"share": self.reached_bad_or_left, "choices": self.reached_bad_or_left_route}}


def _greedy(scenario: Scenario, drawn: dict, harm_at: int | None = None, worst_from: int | None = None):
    """A player who takes the best-scoring answer each turn, except the least harmful harmful answer at turn
    `harm_at`, or the worst answers from turn `worst_from` on (to find how well a bad ending can score)."""
    rubric = scenario.rubric
    turn = [0]

    def choose(offered, state):
        value = {choice.id: sum(rubric.points(choice.code).values()) for choice in offered}
        harmful = [choice for choice in offered if rubric.is_harmful(choice.code)]
        now = turn[0]
        turn[0] += 1
        if now == harm_at and harmful:
            return max(harmful, key=lambda c: value[c.id])
        if worst_from is not None and now >= worst_from:
            return min(offered, key=lambda c: value[c.id])
        return max(offered, key=lambda c: value[c.id])

    route = []
    result = play(scenario, choose, "", 0, drawn, route)
    return result, route


def ceilings(scenario: Scenario) -> Ceilings:
    rubric = scenario.rubric
    found = Ceilings(one_harmful_move=rubric.ceiling(1, None),
                     bad_or_left_ending=max(rubric.ceiling(0, "bad"), rubric.ceiling(0, "left")))
    for drawn in all_draws(scenario):
        best_path, _ = _greedy(scenario, drawn)
        for turn in range(max(1, best_path.turns)):
            for harm_at, worst_from in ((turn, None), (None, turn)):
                result, route = _greedy(scenario, drawn, harm_at, worst_from)
                if result.harmful_moves and (found.reached_harmful is None or result.overall > found.reached_harmful):
                    found.reached_harmful, found.reached_harmful_route = result.overall, route
                if result.outcome in ("bad", "left") and (found.reached_bad_or_left is None
                                                          or result.overall > found.reached_bad_or_left):
                    found.reached_bad_or_left, found.reached_bad_or_left_route = result.overall, route
    return found
