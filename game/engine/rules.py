"""The rules of a conversation as pure functions over an immutable State.

The Conversation (which moves through a `transitions` Machine) and the path
explorer both call these, so a played game and an analysed one cannot differ.

The emotion model, from the source articles: harm costs more than good earns
(the rubric's harm_multiplier, applied in scoring) and trust heals slowly.
After a harmful move, trust gains are multiplied by the rubric's recovery
floor; each later move that earns points brings the factor a step back
towards 1, and it takes `corrections_per_failure` of them (the articles'
"about twelve corrections") to get there.
"""

from __future__ import annotations

import random
from typing import NamedTuple

from game.scenario.model import COUNTER_MAX, COUNTER_MIN, MOOD_DIMENSIONS, Choice, Node, Scenario, Variant

MOOD_MIN, MOOD_MAX = 0, 100


# Mood and State are named tuples, not dataclasses: the path explorer builds, hashes and compares
# hundreds of thousands of them, and a tuple does all three in C.
class Mood(NamedTuple):
    trust: int
    distress: int
    heard: int

    def as_dict(self) -> dict[str, int]:
        return {"trust": self.trust, "distress": self.distress, "heard": self.heard}


class State(NamedTuple):
    node: str
    mood: Mood
    flags: tuple[tuple[str, int | bool], ...]
    used: frozenset[tuple[str, str]]  # once-only choices taken, as (node, choice)
    healing: int  # good moves since the last harmful one, up to corrections_per_failure
    turn: int

    def variables(self) -> dict:
        values = dict(self.flags)
        values.update(trust=self.mood.trust, distress=self.mood.distress, heard=self.mood.heard, turn=self.turn)
        return values


def draw(scenario: Scenario, seed: int) -> dict[str, str | None]:
    """The customer of this session: one trait and one hidden stake, drawn by weight from the seed.

    A stream of its own (not the one that orders the answers), so a seed orders the answers the same
    whether or not the scenario declares traits; the session log records what was drawn."""
    rng = random.Random(f"kuule-draw:{seed}")
    drawn = {}
    for kind, options in (("trait", scenario.traits), ("stake", scenario.stakes)):
        if options:
            names = list(options)
            drawn[kind] = rng.choices(names, weights=[options[name].weight for name in names])[0]
        else:
            drawn[kind] = None
    return drawn


def all_draws(scenario: Scenario) -> list[dict[str, str | None]]:
    """Every customer a session can meet: each trait with each stake (one entry when none are declared)."""
    traits = list(scenario.traits) or [None]
    stakes = list(scenario.stakes) or [None]
    return [{"trait": trait, "stake": stake} for trait in traits for stake in stakes]


def initial_state(scenario: Scenario, drawn: dict | None = None) -> State:
    """The start: the scenario's mood and flags, with the drawn trait and stake (true in conditions,
    their mood changes applied)."""
    rubric = scenario.rubric
    values = {d: scenario.mood[d] for d in MOOD_DIMENSIONS}
    flags = dict(scenario.flags)
    drawn = drawn or {}
    for kind, options in (("trait", scenario.traits), ("stake", scenario.stakes)):
        for name, option in options.items():
            chosen = drawn.get(kind) == name
            flags[name] = chosen
            if chosen:
                for dimension, delta in option.mood.items():
                    values[dimension] = _clamp(values[dimension] + delta)
    return State(node=scenario.start, mood=Mood(**values), flags=tuple(flags.items()), used=frozenset(),
                 healing=rubric.corrections_per_failure, turn=0)


def variant_of(node: Node, state: State) -> Variant | None:
    """The first variant of the node's line whose condition holds now, or None for the node's own texts."""
    if not node.variants:
        return None
    variables = state.variables()
    for variant in node.variants:
        if variant.condition(variables):
            return variant
    return None


def recovery_factor(scenario: Scenario, healing: int) -> float:
    rubric = scenario.rubric
    steps = rubric.corrections_per_failure
    return rubric.recovery_floor + (1 - rubric.recovery_floor) * min(healing, steps) / steps


def is_available(state: State, node: Node, choice: Choice) -> bool:
    if choice.once and (node.id, choice.id) in state.used:
        return False
    return choice.condition is None or choice.condition(state.variables())


def is_hidden(state: State, node: Node, choice: Choice) -> bool:
    """A once-only choice already taken is no longer offered at all."""
    return choice.once and (node.id, choice.id) in state.used


def count(value: int, delta: int) -> int:
    """A counter after `add:`: whole numbers, kept within COUNTER_MIN–COUNTER_MAX."""
    value += delta
    return COUNTER_MIN if value < COUNTER_MIN else COUNTER_MAX if value > COUNTER_MAX else value


def _clamp(value: int) -> int:
    return MOOD_MIN if value < MOOD_MIN else MOOD_MAX if value > MOOD_MAX else value


def apply_choice(scenario: Scenario, state: State, node: Node, choice: Choice) -> State:
    """The state after the choice's effects, still at the node (moving is the machine's job)."""
    rubric = scenario.rubric
    factor = recovery_factor(scenario, state.healing)
    values = state.mood.as_dict()
    for dimension, delta in choice.mood.items():
        if dimension == "trust" and delta > 0:
            delta = int(delta * factor + 0.5)
        values[dimension] = _clamp(values[dimension] + delta)
    flags = state.flags
    if choice.sets or choice.adds:
        merged = dict(flags)
        merged.update(choice.sets)
        for name, delta in choice.adds.items():  # a counter merged away by the path explorer starts from its default
            merged[name] = count(merged.get(name, scenario.flags.get(name, 0)), delta)
        flags = tuple(merged.items())
    if rubric.is_harmful(choice.code):
        healing = 0
    elif any(v > 0 for v in rubric.points(choice.code).values()):
        healing = min(rubric.corrections_per_failure, state.healing + 1)
    else:
        healing = state.healing
    used = state.used | {(node.id, choice.id)} if choice.once else state.used
    return State(node.id, Mood(**values), flags, used, healing, state.turn + 1)


def interrupt_target(scenario: Scenario, state: State) -> tuple[str, str] | None:
    """(interrupt id, target) of the first interrupt that holds, checked after a choice."""
    if not scenario.interrupts or scenario.nodes[state.node].is_ending:
        return None
    variables = state.variables()
    for interrupt in scenario.interrupts:
        if interrupt.condition(variables):
            return interrupt.id, interrupt.goto
    return None


def branch_holds(branch, variables: dict, seen) -> bool:
    return branch.goto not in seen and (branch.condition is None or branch.condition(variables))


def branch_target(scenario: Scenario, state: State, seen=()) -> str | None:
    """The target of the first branch of the current node that holds and leads somewhere new."""
    node = scenario.nodes[state.node]
    if not node.branches or node.is_ending:  # an ending closes the conversation (lint refuses such branches)
        return None
    variables = state.variables()
    for branch in node.branches:
        if branch_holds(branch, variables, seen):
            return branch.goto
    return None


def settle(scenario: Scenario, state: State, after_choice: bool) -> tuple[State, list[tuple[str, str, str]]]:
    """Follow interrupts (after a choice) and branches until the conversation rests at a node.

    Returns the resting state and the hops taken as (from, to, why). A branch
    back to a node already passed in this settling is skipped, so branch loops cannot hang.
    """
    hops = []
    if after_choice:
        found = interrupt_target(scenario, state)
        if found:
            hops.append((state.node, found[1], found[0]))
            state = state._replace(node=found[1])
    seen = {state.node}
    while True:
        target = branch_target(scenario, state, seen)
        if target is None:
            return state, hops
        hops.append((state.node, target, "branch"))
        state = state._replace(node=target)
        seen.add(target)


def step(scenario: Scenario, state: State, choice: Choice) -> tuple[State, list[tuple[str, str, str]]]:
    """The whole effect of taking `choice` in `state`: effects, move, interrupts, branches."""
    node = scenario.nodes[state.node]
    moved = apply_choice(scenario, state, node, choice)._replace(node=choice.goto)
    return settle(scenario, moved, after_choice=True)
