"""Can the shipped scenarios be gamed? The scoring figures of the README, measured on the real engine.

    python -m bench scoring            # print the table
    python -m bench scoring --readme   # and write it into README.md and README.fi.md
    python -m bench scoring --lang fi

For each shipped scenario: how often the best answer is also the longest, and also the shortest (against
chance), the correlation between an answer's length and its points (English and Finnish; either sign is a
giveaway), what players who never read for meaning score (always the longest answer, always the shortest,
always the second longest, at random, and at random but never the longest, over the random player's seeds),
the score's
ceilings after a harmful move and after a bad or walked-out ending (`analyze`'s `"ceilings"`), the most harmful
moves on any conversation that still reaches a good ending (exact, from the explored state graph), and how many
different conversations five seeds give with the same answers.
"""

from __future__ import annotations

import argparse
import sys

from bench.readme import fill, machine

GOAL_SHARE = 0.35
GOAL_CORRELATION = 0.2  # |length-points correlation| at most this, per scenario and language
GOAL_OVER_RANDOM = 0.05  # "at random, but never the longest" at most this much above random, per axis
SEEDS = 5
# The most harmful moves a conversation may contain and still reach a good ending: one slip, repaired, can
# still end well; a pattern cannot (each harmful move lowers the ceiling by a quarter, and the articles'
# "about twelve corrections per failure" is about the customer's return, which is what a good ending says).
GOOD_AFTER_HARM = 1


class HarmSearchIncomplete(Exception):
    """The state graph did not fit under the state limit, so the most harmful route to a good ending is unknown."""


def most_harm_before_good(scenario) -> tuple[float, list[str]]:
    """The most harmful moves (answers with a roadblock code) on any conversation that reaches a `good` ending,
    with a route that has that many (harmful steps marked with a `!`); (-1, []) when no good ending is reachable,
    and `inf` when a loop with a harmful move in it can be gone round before a good ending.

    Exact, not sampled: it reads the state graph `analyze` explores (every customer a session can draw, every
    move `rules.step` allows). That graph merges two conversations only where nothing that can still happen
    differs, and the number of harmful moves is a property of the route, not of the state, so the largest count
    over the graph's routes is the largest over all conversations. Its strongly connected parts are taken sinks
    first: inside a part every state reaches every other, so one value per part holds; a part that can reach a
    good ending and contains a harmful move makes the count unbounded. Raises HarmSearchIncomplete when the
    graph stopped at the state limit (the scenario then needs a smaller state space: see the guide, 10.6).
    """
    from game.engine.paths import STATE_LIMIT, explored

    graph = explored(scenario, STATE_LIMIT)
    if not graph.complete:
        raise HarmSearchIncomplete(f"{scenario.id}: the path search stopped at {graph.limit:,} states")
    structure = graph.structure()
    part_of, nodes, rubric, edges = structure.component_of, scenario.nodes, scenario.rubric, graph.edges
    harmful = {id(choice): rubric.is_harmful(choice.code) for node in nodes.values() for choice in node.choices}
    most: list[float] = [-1] * len(structure.components)  # per part: most harmful moves on to a good ending
    leave: list = [None] * len(structure.components)  # per part: (state, choice, target) of the best way out
    for number, members in enumerate(structure.components):  # sinks first
        best, way, harm_inside = -1, None, False
        for member in members:
            node = nodes[graph.states[member].node]
            if node.is_ending and node.ending.outcome == "good":
                best = max(best, 0)
            for choice, target in edges[member]:
                harm = 1 if harmful[id(choice)] else 0
                if part_of[target] == number:
                    harm_inside = harm_inside or bool(harm)
                elif most[part_of[target]] >= 0 and most[part_of[target]] + harm > best:
                    best, way = most[part_of[target]] + harm, (member, choice, target)
        most[number] = float("inf") if harm_inside and best >= 0 else best
        leave[number] = way
    root = max(graph.roots, key=lambda state: most[part_of[state]])
    found = most[part_of[root]]
    route: list[str] = []
    if found < 0 or found == float("inf"):
        return found, route
    state = root
    while leave[part_of[state]] is not None:
        member, choice, target = leave[part_of[state]]
        route += _within(graph, part_of, state, member)
        route.append(f"{graph.states[member].node}.{choice.id}{'!' if harmful[id(choice)] else ''}")
        state = target
    return found, route


def _within(graph, part_of, start: int, goal: int) -> list[str]:
    """The steps from `start` to `goal` inside their strongly connected part (breadth-first; none are harmful)."""
    if start == goal:
        return []
    came = {start: None}
    queue = [start]
    for state in queue:
        for choice, target in graph.edges[state]:
            if target not in came and part_of[target] == part_of[start]:
                came[target] = (state, choice)
                if target == goal:
                    steps = []
                    while came[target] is not None:
                        state, choice = came[target]
                        steps.append(f"{graph.states[state].node}.{choice.id}")
                        target = state
                    return steps[::-1]
                queue.append(target)
    return []


def _conversations(scenario, seeds: int = SEEDS) -> int:
    """Different conversations (the lines said, variant by variant) when the same answers meet `seeds` seeds:
    at each node the first possible answer in the author's order."""
    from game.engine.conversation import Conversation

    seen = set()
    for seed in range(seeds):
        conversation = Conversation(scenario, seed=seed)
        said = []
        while not conversation.ended and conversation.turn < 200:
            said.append((conversation.line.node_id, conversation.line.variant))
            available = {view.id for view in conversation.choices if view.available}
            first = next((c.id for c in conversation.node.choices if c.id in available), None)
            if first is None:
                break
            conversation.choose(first)
        said.append((conversation.line.node_id, conversation.line.variant))
        seen.add(tuple(said))
    return len(seen)


def measure(path) -> dict:
    from game.analysis.naive import (LENGTH_STRATEGIES, STRATEGIES, ceilings, length_correlation, longest_is_best,
                                     naive_players, shortest_is_best)
    from game.scenario.loader import load_or_raise

    scenario = load_or_raise(path)
    row = {"id": scenario.id, "langs": {}}
    shared = None  # the random player reads no text: measured once, for the first language
    for lang in scenario.languages:
        choices = [len(n.choices) for n in scenario.nodes.values() if len(n.choices) > 1]
        chance = sum(1 / n for n in choices) / len(choices) if choices else 0
        players = {r.strategy: r for r in naive_players(scenario, lang, random_result=shared,
                                                         strategies=STRATEGIES + LENGTH_STRATEGIES)}
        shared = players["random"]
        row["langs"][lang] = {"longest": longest_is_best(scenario, lang), "shortest": shortest_is_best(scenario, lang),
                              "chance": chance, "correlation": length_correlation(scenario, lang),
                              "players": players}
    found = ceilings(scenario)
    row["ceilings"] = found
    try:
        row["harm_before_good"] = most_harm_before_good(scenario)
    except HarmSearchIncomplete:
        row["harm_before_good"] = None
    row["conversations"] = _conversations(scenario)
    return row


def beats_random(players) -> tuple[float, float] | None:
    """How many points (listening, empathy; shares) "at random, but never the longest" scores above plain random
    over the same seeds (None when either was not played)."""
    if "never_longest" not in players or "random" not in players:
        return None
    never, random = players["never_longest"], players["random"]
    return never.listening - random.listening, never.empathy - random.empathy


def goals_met(row) -> list[str]:
    """What a shipped scenario misses of the goals (empty when it meets them all)."""
    from game.analysis.naive import RANDOM_STRATEGIES  # random players may end well now and then

    missed = []
    for lang, data in row["langs"].items():
        hits, points = data["longest"]
        if points and hits / points > data["chance"] + 0.1:
            missed.append(f"{row['id']} [{lang}]: the best answer is the longest at {hits}/{points} points "
                          f"(chance {data['chance']:.0%})")
        hits, points = data.get("shortest", (0, 0))
        if points and hits / points > data["chance"] + 0.1:
            missed.append(f"{row['id']} [{lang}]: the best answer is the shortest at {hits}/{points} points "
                          f"(chance {data['chance']:.0%})")
        correlation = data.get("correlation")
        if correlation is not None and abs(correlation) > GOAL_CORRELATION:
            missed.append(f"{row['id']} [{lang}]: answer length and points correlate at {correlation:+.2f} "
                          f"(goal: within ±{GOAL_CORRELATION})")
        for strategy, result in data["players"].items():
            if result.listening > GOAL_SHARE or result.empathy > GOAL_SHARE:
                missed.append(f"{row['id']} [{lang}]: {strategy} scores {result.listening:.0%}/{result.empathy:.0%}")
            if strategy not in RANDOM_STRATEGIES and result.endings["good"]:
                missed.append(f"{row['id']} [{lang}]: {strategy} reaches the good ending")
        over = beats_random(data["players"])
        if over is not None and max(over) > GOAL_OVER_RANDOM + 1e-9:
            missed.append(f"{row['id']} [{lang}]: never_longest beats random by {over[0] * 100:+.0f}/"
                          f"{over[1] * 100:+.0f} points (goal: at most {GOAL_OVER_RANDOM * 100:.0f})")
    ceiling = row["ceilings"]
    if ceiling.one_harmful_move > 0.75 or ceiling.bad_or_left_ending > 0.5:
        missed.append(f"{row['id']}: ceilings {ceiling.one_harmful_move} / {ceiling.bad_or_left_ending}")
    harm = row.get("harm_before_good", (0, []))
    if harm is None:
        missed.append(f"{row['id']}: the path search stopped at its limit, so harm before a good ending is unknown")
    elif harm[0] > GOOD_AFTER_HARM:
        missed.append(f"{row['id']}: a good ending after {harm[0]} harmful moves, e.g. {' → '.join(harm[1])}")
    if row["conversations"] < 3:
        missed.append(f"{row['id']}: {row['conversations']} different conversations over {SEEDS} seeds")
    return missed


WORDS = {
    "en": {"head": "| scenario | best answer is the longest / the shortest (en / fi; chance) | length–points correlation (en / fi) | "
                   "always longest: listening / empathy, ending | always shortest | always second longest | "
                   "random (200 runs): mean, good endings | random but never the longest (same seeds): mean (above random), "
                   "good endings | ceiling after a harmful move / a bad or left ending | "
                   "most harmful moves before a good ending | conversations over 5 seeds, same answers |",
           "found": "reached", "longest": "longest", "shortest": "shortest", "good": "good", "mixed": "mixed", "bad": "bad", "left": "left", "unfinished": "unfinished",
           "note": ("Goals: the best answer no more often the longest, nor the shortest, than chance; answer length and "
                    "points correlated at most ±0.2 in each language; each naive player at most 35 % on both "
                    "axes, the always-longest, always-shortest and always-second-longest players never at the good ending, "
                    "and never taking the longest answer worth at most 5 points over random on either axis; ceilings at most "
                    "75 % and 50 %; no good ending after more than one harmful move (every route searched); at least 3 "
                    "different conversations. Written by `python -m bench scoring --readme`; "
                    "the same checks run in the tests.")},
    "fi": {"head": "| skenaario | paras vastaus on pisin / lyhin (en / fi; sattuma) | pituuden ja pisteiden korrelaatio (en / fi) | "
                   "aina pisin: kuuntelu / empatia, loppu | aina lyhin | aina toiseksi pisin | "
                   "satunnainen (200 kertaa): keskiarvo, hyvät loput | satunnainen mutta ei koskaan pisin (samat siemenet): "
                   "keskiarvo (yli satunnaisen), hyvät loput | katto vahingollisen siirron / huonon tai "
                   "lähtöön päättyvän jälkeen | eniten vahingollisia siirtoja ennen hyvää loppua | keskusteluja viidellä "
                   "siemenellä, samat vastaukset |",
           "found": "saavutettu", "longest": "pisin", "shortest": "lyhin", "good": "hyvä", "mixed": "puolinainen", "bad": "huono", "left": "lähti", "unfinished": "kesken",
           "note": ("Tavoitteet: paras vastaus ei ole pisin eikä lyhin useammin kuin sattumalta; vastauksen pituuden ja "
                    "pisteiden korrelaatio enintään ±0,2 kummallakin kielellä; jokainen lukematon pelaaja enintään "
                    "35 % kummallakin akselilla, eivätkä aina pisimmän, aina lyhimmän ja aina toiseksi pisimmän valitsijat "
                    "pääse koskaan hyvään loppuun, ja pisimmän vastauksen välttäminen tuo satunnaiseen verrattuna enintään "
                    "5 prosenttiyksikköä kummallakin akselilla; katot enintään 75 % ja 50 %; hyvään loppuun ei pääse useamman kuin yhden vahingollisen siirron "
                    "jälkeen (jokainen reitti käyty läpi); vähintään 3 erilaista keskustelua. Kirjoittanut "
                    "`python -m bench scoring --readme`; samat tarkistukset ajetaan testeissä.")},
}


def _pct(value: float, lang: str) -> str:
    return f"{value * 100:.0f} %" if lang == "fi" else f"{value * 100:.0f}%"


def _signed(value: float, lang: str) -> str:
    """A correlation with its sign: +0.12, −0.41 (a decimal comma in Finnish)."""
    text = "0.00" if abs(value) < 0.005 else f"{value:+.2f}".replace("-", "−")  # no "−0.00"
    return text.replace(".", ",") if lang == "fi" else text


def _points_over(value: float, lang: str) -> str:
    """Percentage points above (or below) random: +3, −1."""
    return f"{value * 100:+.0f}".replace("-", "−").replace("+0", "±0").replace("−0", "±0")


def table(rows, lang: str) -> str:
    words = WORDS[lang]
    out = [words["head"], "|---|---|---|---|---|---|---|---|---|---:|---:|"]
    for row in rows:
        langs = row["langs"]
        first = next(iter(langs.values()))
        longest = (words["longest"] + " " + " / ".join(f"{d['longest'][0]}/{d['longest'][1]}" for d in langs.values())
                   + ", " + words["shortest"] + " "
                   + " / ".join(f"{d['shortest'][0]}/{d['shortest'][1]}" for d in langs.values()))
        longest += f"; {_pct(first['chance'], lang)}"
        correlation = " / ".join("–" if d["correlation"] is None else _signed(d["correlation"], lang)
                                 for d in langs.values())

        def fixed(strategy):
            parts = []
            for code, data in langs.items():
                result = data["players"][strategy]
                ending = ", ".join(words.get(o, o) for o in sorted(result.endings))
                parts.append(f"{code}: {_pct(result.listening, lang)} / {_pct(result.empathy, lang)}, {ending}")
            return "; ".join(parts)

        random = first["players"]["random"]
        rand = f"{_pct(random.listening, lang)} / {_pct(random.empathy, lang)}, {_pct(random.good_rate, lang)}"
        never = []
        for code, data in langs.items():
            result, over = data["players"]["never_longest"], beats_random(data["players"])
            never.append(f"{code}: {_pct(result.listening, lang)} / {_pct(result.empathy, lang)} "
                         f"({_points_over(over[0], lang)} / {_points_over(over[1], lang)}), {_pct(result.good_rate, lang)}")
        never = "; ".join(never)
        ceiling = row["ceilings"]
        found = words["found"]

        def reached(value):
            return _pct(value, lang) if value is not None else "–"
        ceil = (f"{_pct(ceiling.one_harmful_move, lang)} ({found} {reached(ceiling.reached_harmful)}) / "
                f"{_pct(ceiling.bad_or_left_ending, lang)} ({found} {reached(ceiling.reached_bad_or_left)})")
        harm = row.get("harm_before_good")
        harm = "–" if harm is None or harm[0] < 0 else f"{harm[0]:g}"
        out.append(f"| `{row['id']}` | {longest} | {correlation} | {fixed('longest')} | {fixed('shortest')} | "
                   f"{fixed('second_longest')} | {rand} | {never} | {ceil} | {harm} | {row['conversations']} |")
    out += ["", words["note"], "", machine(lang)]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    from game.commands.files import shipped_scenarios

    parser = argparse.ArgumentParser(prog="python -m bench scoring", description=__doc__.split("\n\n")[0])
    parser.add_argument("--readme", action="store_true", help="write the table into README.md and README.fi.md")
    parser.add_argument("--lang", choices=("en", "fi"), default="en")
    args = parser.parse_args(argv)
    rows = []
    for path in shipped_scenarios():
        print(f"measuring {path.name}", file=sys.stderr)
        rows.append(measure(path))
    print(table(rows, args.lang))
    missed = [miss for row in rows for miss in goals_met(row)]
    for miss in missed:
        print(f"goal missed: {miss}", file=sys.stderr)
    if args.readme:
        fill("scoring", lambda lang: table(rows, lang))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
