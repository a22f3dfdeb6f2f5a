"""Naive players: can a scenario be gamed without reading it for meaning?

A test-wise trainee who always picks the longest answer, the shortest one, or picks at random should
do badly in a well-written scenario. These players walk the real engine (every customer a session can
draw), so what they score is what such a trainee would score.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

from game.engine.conversation import Conversation
from game.engine.rules import all_draws
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


def _pick(conversation: Conversation, strategy: str, lang: str, rng: random.Random) -> str:
    offered = [view for view in conversation.choices if view.available]
    if strategy == "random":
        return rng.choice(offered).id
    length = {view.id: len(pick(view.text, lang)) for view in offered}
    order = {choice.id: index for index, choice in enumerate(conversation.node.choices)}  # ties: author's order
    if strategy == "longest":
        return min(offered, key=lambda view: (-length[view.id], order[view.id])).id
    return min(offered, key=lambda view: (length[view.id], order[view.id])).id


def play(scenario: Scenario, strategy: str, lang: str, seed: int, drawn: dict | None = None):
    """One naive playthrough; returns the conversation's result."""
    conversation = Conversation(scenario, seed=seed, drawn=drawn)
    rng = random.Random(seed)
    while not conversation.ended and conversation.turn < MAX_TURNS:
        if not any(view.available for view in conversation.choices):
            break
        conversation.choose(_pick(conversation, strategy, lang, rng))
    return conversation.result


def naive_players(scenario: Scenario, lang: str | None = None, random_runs: int = RANDOM_RUNS) -> list[NaiveResult]:
    """Always-longest and always-shortest against every customer a session can draw; random over many seeds."""
    lang = lang or scenario.languages[0]
    results = []
    for strategy in STRATEGIES:
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
