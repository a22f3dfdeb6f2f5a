"""Can the shipped scenarios be gamed? The scoring figures of the README, measured on the real engine.

    python -m bench scoring            # print the table
    python -m bench scoring --readme   # and write it into README.md and README.fi.md
    python -m bench scoring --lang fi

For each shipped scenario: how often the best answer is also the longest (against chance), what players
who never read for meaning score (always the longest answer, always the shortest, at random), the score's
ceilings after a harmful move and after a bad or walked-out ending (`analyze`'s `"ceilings"`), and how many
different conversations five seeds give with the same answers.
"""

from __future__ import annotations

import argparse
import sys

from bench.readme import fill, machine

GOAL_SHARE = 0.35
SEEDS = 5


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
    from game.analysis.naive import ceilings, longest_is_best, naive_players
    from game.scenario.loader import load_or_raise

    scenario = load_or_raise(path)
    row = {"id": scenario.id, "langs": {}}
    for lang in scenario.languages:
        hits, points = longest_is_best(scenario, lang)
        choices = [len(n.choices) for n in scenario.nodes.values() if len(n.choices) > 1]
        chance = sum(1 / n for n in choices) / len(choices) if choices else 0
        row["langs"][lang] = {"longest": (hits, points), "chance": chance,
                              "players": {r.strategy: r for r in naive_players(scenario, lang)}}
    found = ceilings(scenario)
    row["ceilings"] = found
    row["conversations"] = _conversations(scenario)
    return row


def goals_met(row) -> list[str]:
    """What a shipped scenario misses of the goals (empty when it meets them all)."""
    missed = []
    for lang, data in row["langs"].items():
        hits, points = data["longest"]
        if points and hits / points > data["chance"] + 0.1:
            missed.append(f"{row['id']} [{lang}]: the best answer is the longest at {hits}/{points} points "
                          f"(chance {data['chance']:.0%})")
        for strategy, result in data["players"].items():
            if result.listening > GOAL_SHARE or result.empathy > GOAL_SHARE:
                missed.append(f"{row['id']} [{lang}]: {strategy} scores {result.listening:.0%}/{result.empathy:.0%}")
            if strategy != "random" and result.endings["good"]:
                missed.append(f"{row['id']} [{lang}]: {strategy} reaches the good ending")
    ceiling = row["ceilings"]
    if ceiling.one_harmful_move > 0.75 or ceiling.bad_or_left_ending > 0.5:
        missed.append(f"{row['id']}: ceilings {ceiling.one_harmful_move} / {ceiling.bad_or_left_ending}")
    if row["conversations"] < 3:
        missed.append(f"{row['id']}: {row['conversations']} different conversations over {SEEDS} seeds")
    return missed


WORDS = {
    "en": {"head": "| scenario | best answer is the longest (en / fi; chance) | always longest: listening / empathy, ending | "
                   "always shortest | random (200 runs): mean, good endings | ceiling after a harmful move / a bad or left ending | "
                   "conversations over 5 seeds, same answers |",
           "found": "reached", "good": "good", "mixed": "mixed", "bad": "bad", "left": "left", "unfinished": "unfinished",
           "note": ("Goals: the best answer no more often the longest than chance; each naive player at most 35 % on both "
                    "axes, and the always-longest and always-shortest players never at the good ending; ceilings at most "
                    "75 % and 50 %; at least 3 different conversations. Written by `python -m bench scoring --readme`; "
                    "the same checks run in the tests.")},
    "fi": {"head": "| skenaario | paras vastaus on pisin (en / fi; sattuma) | aina pisin: kuuntelu / empatia, loppu | "
                   "aina lyhin | satunnainen (200 kertaa): keskiarvo, hyvät loput | katto vahingollisen siirron / huonon tai "
                   "lähtöön päättyvän jälkeen | keskusteluja viidellä siemenellä, samat vastaukset |",
           "found": "saavutettu", "good": "hyvä", "mixed": "puolinainen", "bad": "huono", "left": "lähti", "unfinished": "kesken",
           "note": ("Tavoitteet: paras vastaus ei ole pisin useammin kuin sattumalta; jokainen lukematon pelaaja enintään "
                    "35 % kummallakin akselilla, eivätkä aina pisimmän ja aina lyhimmän valitsijat pääse koskaan hyvään "
                    "loppuun; katot enintään 75 % ja 50 %; vähintään 3 erilaista keskustelua. Kirjoittanut "
                    "`python -m bench scoring --readme`; samat tarkistukset ajetaan testeissä.")},
}


def _pct(value: float, lang: str) -> str:
    return f"{value * 100:.0f} %" if lang == "fi" else f"{value * 100:.0f}%"


def table(rows, lang: str) -> str:
    words = WORDS[lang]
    out = [words["head"], "|---|---|---|---|---|---|---:|"]
    for row in rows:
        langs = row["langs"]
        first = next(iter(langs.values()))
        longest = " / ".join(f"{d['longest'][0]}/{d['longest'][1]}" for d in langs.values())
        longest += f"; {_pct(first['chance'], lang)}"

        def fixed(strategy):
            parts = []
            for code, data in langs.items():
                result = data["players"][strategy]
                ending = ", ".join(words.get(o, o) for o in sorted(result.endings))
                parts.append(f"{code}: {_pct(result.listening, lang)} / {_pct(result.empathy, lang)}, {ending}")
            return "; ".join(parts)

        random = first["players"]["random"]
        rand = f"{_pct(random.listening, lang)} / {_pct(random.empathy, lang)}, {_pct(random.good_rate, lang)}"
        ceiling = row["ceilings"]
        found = words["found"]

        def reached(value):
            return _pct(value, lang) if value is not None else "–"
        ceil = (f"{_pct(ceiling.one_harmful_move, lang)} ({found} {reached(ceiling.reached_harmful)}) / "
                f"{_pct(ceiling.bad_or_left_ending, lang)} ({found} {reached(ceiling.reached_bad_or_left)})")
        out.append(f"| `{row['id']}` | {longest} | {fixed('longest')} | {fixed('shortest')} | {rand} | {ceil} | "
                   f"{row['conversations']} |")
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
