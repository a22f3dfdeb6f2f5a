"""Naive players: can a scenario be gamed without reading it for meaning?

A test-wise trainee who always picks the longest answer, the shortest one, or picks at random should
do badly in a well-written scenario. These players walk the real engine (every customer a session can
draw), so what they score is what such a trainee would score.

Length must give nothing away either way: a trainee who has learnt that the longest answer is never the
right one plays "always the second longest" or "at random, but never the longest" (LENGTH_STRATEGIES, the
latter over the random player's own seeds, so the two compare fairly), and `length_correlation` says
whether longer answers score more, or less, than shorter ones.
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
# players who read length the other way round: `analyze` shows STRATEGIES, `bench scoring` these too
LENGTH_STRATEGIES = ("second_longest", "never_longest")
RANDOM_STRATEGIES = ("random", "never_longest")  # played over seeds 0..runs-1, each seed drawing its customer
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
    longest = max(offered, key=lambda choice: length[choice.id])
    if strategy == "longest":
        return longest
    if strategy == "shortest":
        return min(offered, key=lambda choice: length[choice.id])
    others = [choice for choice in offered if choice is not longest] or offered
    if strategy == "second_longest":
        return max(others, key=lambda choice: length[choice.id])
    if strategy == "never_longest":
        return rng.choice(others)
    raise ValueError(f"unknown naive strategy {strategy!r}")


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
                  random_result: "NaiveResult | None" = None,
                  strategies: tuple[str, ...] = STRATEGIES) -> list[NaiveResult]:
    """Always-longest, always-shortest (and always the second longest) against every customer a session can
    draw; random (and random but never the longest) over the same `random_runs` seeds, so that the two compare
    fairly (`random_result` reuses a random player measured for another language: it reads no text)."""
    lang = lang or scenario.languages[0]
    results = []
    for strategy in strategies:
        if strategy == "random" and random_result is not None:
            results.append(NaiveResult(strategy, lang, random_result.runs, random_result.listening,
                                       random_result.empathy, random_result.overall, Counter(random_result.endings)))
            continue
        summary = NaiveResult(strategy, lang)
        runs = ([(seed, None) for seed in range(random_runs)] if strategy in RANDOM_STRATEGIES
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
    return _best_at(scenario, lang, max)


def shortest_is_best(scenario: Scenario, lang: str | None = None) -> tuple[int, int]:
    """(decision points where the best-scoring answer is also the shortest, decision points with a single best):
    `longest_is_best` the other way round."""
    return _best_at(scenario, lang, min)


def _best_at(scenario: Scenario, lang: str | None, extreme) -> tuple[int, int]:
    """(decision points whose single best answer has the `extreme` (max or min) length there, such points)."""
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
        if len(pick(winners[0].text, lang)) == extreme(len(pick(choice.text, lang)) for choice in node.choices):
            hits += 1
    return hits, points


def length_correlation(scenario: Scenario, lang: str | None = None) -> float | None:
    """Pearson's correlation between an answer's length (characters, in `lang`) and its points (listening plus
    empathy), over every answer at a decision point: near 0 when length says nothing, positive when longer
    answers score more, negative when shorter ones do (either way a trainee can score by length). None when
    there are fewer than two answers or every length, or every score, is the same."""
    lang = lang or scenario.languages[0]
    rubric = scenario.rubric
    pairs = [(len(pick(choice.text, lang)), sum(rubric.points(choice.code).values()))
             for node in scenario.nodes.values() if len(node.choices) >= 2 for choice in node.choices]
    if len(pairs) < 2:
        return None
    mean_x = sum(x for x, _ in pairs) / len(pairs)
    mean_y = sum(y for _, y in pairs) / len(pairs)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in pairs)
    sxx = sum((x - mean_x) ** 2 for x, _ in pairs)
    syy = sum((y - mean_y) ** 2 for _, y in pairs)
    if not sxx or not syy:
        return None
    return sxy / (sxx * syy) ** 0.5


@dataclass
class Ceilings:
    """How high a conversation that went wrong can still score: the highest overall share on any complete
    conversation with a harmful move (`reached_harmful`), and on any that ends badly or with the customer
    leaving (`reached_bad_or_left`), each with a route that reaches it (None: no such conversation). They are
    `exact` when every conversation was searched; otherwise they are the best found, a lower bound.
    `one_harmful_move` and `bad_or_left_ending` are the rubric's caps for these cases, which the measured
    values can never pass."""
    one_harmful_move: float
    bad_or_left_ending: float
    reached_harmful: float | None = None
    reached_harmful_route: list[str] = field(default_factory=list)
    reached_bad_or_left: float | None = None
    reached_bad_or_left_route: list[str] = field(default_factory=list)
    exact: bool = False

    def as_dict(self) -> dict:
        """The measured ceilings, as `analyze --format json` gives them under "ceilings"."""
        return {"one_harmful_move": self.reached_harmful, "bad_or_left_ending": self.reached_bad_or_left}

    def caps_dict(self) -> dict:
        """The rubric's caps ("ceiling_caps")."""
        return {"one_harmful_move": self.one_harmful_move, "bad_or_left_ending": self.bad_or_left_ending}

    def routes_dict(self) -> dict:
        """A route reaching each measured ceiling ("ceiling_routes")."""
        return {"one_harmful_move": self.reached_harmful_route, "bad_or_left_ending": self.reached_bad_or_left_route}

    def offer(self, share: float, route: list[str], harmful: bool, outcome: str | None) -> None:
        """Count a complete conversation with this overall share."""
        if harmful and (self.reached_harmful is None or share > self.reached_harmful):
            self.reached_harmful, self.reached_harmful_route = share, route
        if outcome in BAD_OUTCOMES and (self.reached_bad_or_left is None or share > self.reached_bad_or_left):
            self.reached_bad_or_left, self.reached_bad_or_left_route = share, route


BAD_OUTCOMES = ("bad", "left")
CEILING_LABELS = 300_000  # partial scores the exact search may keep; past it, the search stops and says so


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


def ceilings(scenario: Scenario, graph=None, budget: int = CEILING_LABELS) -> Ceilings:
    """The ceilings measured over every complete conversation of the state graph (`graph`, or the shared one),
    exactly when the graph is complete and the search stays within `budget`; otherwise the best of that search
    and of greedy players (a lower bound, `exact` False)."""
    from game.engine.paths import explored

    rubric = scenario.rubric
    found = Ceilings(one_harmful_move=rubric.ceiling(1, None),
                     bad_or_left_ending=max(rubric.ceiling(0, "bad"), rubric.ceiling(0, "left")))
    _greedy_ceilings(scenario, found)  # quick, and often at the caps already, which no conversation can pass
    if _at_caps(scenario, found):
        found.exact = True
        return found
    graph = graph if graph is not None else explored(scenario)
    searched = _search(scenario, graph, found, budget)
    found.exact = _at_caps(scenario, found) or (searched and graph.complete)
    return found


def _caps(scenario: Scenario) -> tuple[float | None, float | None]:
    """The most a conversation with a harmful move, and one that ends badly or with the customer leaving, can
    score by the rubric's ceilings (None where the scenario has no harmful answer, or no such ending)."""
    rubric = scenario.rubric
    harmful = any(rubric.is_harmful(choice.code) for node in scenario.nodes.values() for choice in node.choices)
    outcomes = {node.ending.outcome for node in scenario.endings} & set(BAD_OUTCOMES)
    return (rubric.ceiling(1, None) if harmful else None,
            max((rubric.ceiling(0, outcome) for outcome in outcomes), default=None))


def _at_caps(scenario: Scenario, found: Ceilings) -> bool:
    """Whether both ceilings are known exactly: each reached its cap (or there is no such conversation)."""
    harm_cap, bad_cap = _caps(scenario)
    return ((harm_cap is None or found.reached_harmful == harm_cap)
            and (bad_cap is None or found.reached_bad_or_left == bad_cap))


def _share(points: float, best: float, ceiling: float) -> float:
    """One axis's share, as game.engine.scoring works it out."""
    raw = points / best if best > 0 else (1.0 if points >= best else 0.0)
    return min(max(0.0, min(1.0, raw)), ceiling)


class _Label:
    """A partial conversation: points and best on offer per axis so far, harmful moves (capped where more
    can no longer lower the ceiling), and how it got here."""
    __slots__ = ("listening", "best_listening", "empathy", "best_empathy", "harm", "parent", "via", "dead")

    def __init__(self, listening, best_listening, empathy, best_empathy, harm, parent, via):
        self.listening, self.best_listening, self.empathy, self.best_empathy = listening, best_listening, empathy, best_empathy
        self.harm, self.parent, self.via, self.dead = harm, parent, via, False

    def route(self) -> list[str]:
        steps, label = [], self
        while label.parent is not None:
            steps.append(label.via)
            label = label.parent
        return steps[::-1]


def _search(scenario: Scenario, graph, found: Ceilings, budget: int) -> bool:
    """Every complete conversation of the explored graph, with partial conversations that can never end better
    pruned (Pareto: no fewer points, no more on offer, no more harm); offers each ending's survivors to `found`.
    Returns False if the search stopped at `budget`.

    The pruning is exact: an axis's share only grows with the points and, while the best on offer is never
    negative, only falls with the best on offer; where some moment offers only negative points, partial
    conversations are compared with equal best on offer only. Fewer harmful moves never lower the ceiling;
    conversations with and without a harmful move are kept apart (only the first can count as harmful)."""
    import heapq
    import math

    rubric = scenario.rubric
    step = rubric.harm_ceiling_step
    most_harm = math.ceil(1 / step - 1e-9) if step > 0 else 1  # from here on another harm changes nothing
    structure = graph.structure()
    nodes = scenario.nodes
    expanded = graph.expanded
    moves: list[tuple] = []
    never_negative = True
    for number in range(expanded):
        out = graph.edges[number]
        if not out:
            moves.append(())
            continue
        points = [rubric.points(choice.code) for choice, _ in out]
        best_l = max(p["listening"] for p in points)
        best_e = max(p["empathy"] for p in points)
        never_negative = never_negative and best_l >= 0 and best_e >= 0
        node_id = graph.states[number].node
        moves.append(tuple((target, p["listening"], best_l, p["empathy"], best_e, rubric.is_harmful(choice.code),
                            f"{node_id}.{choice.id}")
                           for (choice, target), p in zip(out, points)
                           if structure.mask[structure.of(target)]))  # only moves that can still reach an ending

    def dominates(a: _Label, b: _Label) -> bool:
        if a.harm > b.harm or (a.harm == 0) != (b.harm == 0) or a.listening < b.listening or a.empathy < b.empathy:
            return False
        if never_negative:
            return a.best_listening <= b.best_listening and a.best_empathy <= b.best_empathy
        return a.best_listening == b.best_listening and a.best_empathy == b.best_empathy

    harm_cap, bad_cap = _caps(scenario)  # what the search can at most find
    bad_bits = 0
    for number, node_id in enumerate(structure.endings):
        if nodes[node_id].ending.outcome in BAD_OUTCOMES:
            bad_bits |= 1 << number

    def worth_going_on(label: _Label, target: int) -> bool:
        """Whether a conversation through `label` at `target` could still beat a ceiling found so far (each
        can be at most the rubric's ceiling for the harm it holds)."""
        if harm_cap is not None and (found.reached_harmful is None or found.reached_harmful < harm_cap):
            if rubric.ceiling(max(label.harm, 1), None) > (found.reached_harmful if found.reached_harmful is not None else -1):
                return True
        if bad_cap is not None and structure.mask[structure.of(target)] & bad_bits:
            best = found.reached_bad_or_left if found.reached_bad_or_left is not None else -1
            if min(rubric.ceiling(label.harm, None), bad_cap) > best:
                return True
        return False

    def arrive(state: int, label: _Label) -> None:
        node = nodes[graph.states[state].node]
        if not node.is_ending:
            return
        outcome = node.ending.outcome
        ceiling = rubric.ceiling(label.harm, outcome)
        share = (_share(label.listening, label.best_listening, ceiling)
                 + _share(label.empathy, label.best_empathy, ceiling)) / 2
        if (label.harm and (found.reached_harmful is None or share > found.reached_harmful)) or \
                (outcome in BAD_OUTCOMES and (found.reached_bad_or_left is None or share > found.reached_bad_or_left)):
            found.offer(share, label.route(), bool(label.harm), outcome)

    labels: dict[int, list[_Label]] = {}
    queue: list = []
    made = 0
    for root in graph.roots:
        label = _Label(0.0, 0.0, 0.0, 0.0, 0, None, None)
        labels.setdefault(root, []).append(label)
        arrive(root, label)
        heapq.heappush(queue, (-structure.of(root), made, root, label))  # sources first: fewer labels redone
        made += 1
    while queue:
        _rank, _order, state, label = heapq.heappop(queue)
        if label.dead or state >= expanded:
            continue
        for target, points_l, best_l, points_e, best_e, harmful, via in moves[state]:
            following = _Label(label.listening + points_l, label.best_listening + best_l, label.empathy + points_e,
                               label.best_empathy + best_e, min(most_harm, label.harm + 1) if harmful else label.harm,
                               label, via)
            if not worth_going_on(following, target):
                continue
            there = labels.setdefault(target, [])
            if any(dominates(other, following) for other in there):
                continue
            kept = []
            for other in there:
                if dominates(following, other):
                    other.dead = True
                else:
                    kept.append(other)
            kept.append(following)
            labels[target] = kept
            made += 1
            arrive(target, following)
            if made > budget:
                return False
            heapq.heappush(queue, (-structure.of(target), made, target, following))
    return True


def _greedy_ceilings(scenario: Scenario, found: Ceilings) -> None:
    """Greedy players who take the best answer each turn, but one harmful answer, or the worst answers from
    some turn on: real conversations, so what they reach is a lower bound on the ceilings."""
    for drawn in all_draws(scenario):
        best_path, _ = _greedy(scenario, drawn)
        for turn in range(max(1, best_path.turns)):
            for harm_at, worst_from in ((turn, None), (None, turn)):
                result, route = _greedy(scenario, drawn, harm_at, worst_from)
                if result.ended:
                    found.offer(result.overall, route, bool(result.harmful_moves), result.outcome)
