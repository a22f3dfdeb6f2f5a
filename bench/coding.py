"""How well the reply coder codes, measured on the corpus's held-out test split, and how fast.

    python -m bench coding              # accuracy per group and per code, the group confusion table, timing
    python -m bench coding --readme     # ... and write them into README.md and README.fi.md
    python -m bench coding --json       # the figures as JSON

The test split (`game/coding/corpus/*.tsv`, column split = test) is never seen by the training script.
Timing is a ratio to a baseline measured in the same run: simplemma lemmatising the same replies word by word.
The first Finnish reply in a fresh process (what `python main.py code --lang fi "…"` and the window's first
reply wait for) is CPU time of a new Python coding one reply, against a new Python in which simplemma
lemmatises the same words (loading its Finnish dictionary, as the coder did before its lemma table).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter

from game.coding.codes import CODES, GROUPS, group_of

LANGS = ("en", "fi")
GROUP_ORDER = ("question", "reflection", "support", "roadblock", "information", "other")
GOAL = 0.85
MARKER = "coding"


def evaluate(lang: str) -> dict:
    from game.coding import warm_up
    from game.coding.coder import code_reply
    from game.coding.corpus import load_corpus

    rows = [r for r in load_corpus(lang) if r.split == "test"]
    warm_up(lang)
    confusion: Counter = Counter()
    per_code: dict[str, list[int]] = {}
    per_group: dict[str, list[int]] = {}
    right_code = right_group = 0
    for row in rows:
        coding = code_reply(row.text, lang)
        truth, guess = group_of(row.code), coding.group
        confusion[(truth, guess)] += 1
        per_code.setdefault(row.code, [0, 0])
        per_group.setdefault(truth, [0, 0])
        per_code[row.code][1] += 1
        per_group[truth][1] += 1
        if coding.main == row.code:
            right_code += 1
            per_code[row.code][0] += 1
        if guess == truth:
            right_group += 1
            per_group[truth][0] += 1
    timing = measure_time([r.text for r in rows], lang)
    if lang == "fi":
        timing.update(measure_first_reply())
    return {"lang": lang, "replies": len(rows), "code_accuracy": right_code / len(rows),
            "group_accuracy": right_group / len(rows),
            "per_group": {g: {"right": v[0], "of": v[1]} for g, v in per_group.items()},
            "per_code": {c: {"right": v[0], "of": v[1]} for c, v in per_code.items()},
            "confusion": {f"{t}>{g}": n for (t, g), n in sorted(confusion.items())}, **timing}


FIRST_REPLY = "Se on varmasti ollut tosi stressaavaa, kun lasku tuli kahteen kertaan eikä kukaan soittanut takaisin."
_FRESH = {
    "coder": "from game.coding import code_reply\ncode_reply(TEXT, 'fi')",
    "baseline": ("from simplemma import simple_tokenizer\nfrom game.coding.analysis import lemmatizer\n"
                 "[lemmatizer().lemmatize(w, 'fi') for w in simple_tokenizer(TEXT)]"),
}


def measure_first_reply(repeat: int = 3) -> dict:
    """CPU seconds of a fresh process coding one Finnish reply, and of a fresh process in which simplemma
    lemmatises its words: the least of `repeat` interleaved runs of each (interpreter start-up included)."""
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    best: dict[str, float] = {}
    for _ in range(repeat):
        for name, job in _FRESH.items():
            code = (f"TEXT = {FIRST_REPLY!r}\n{job}\nimport time, sys\n"
                    "sys.stdout.write(repr(time.process_time()))")
            run = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
            best[name] = min(best.get(name, float("inf")), float(run.stdout))
    return {"first_reply_seconds": best["coder"], "first_reply_baseline_seconds": best["baseline"],
            "first_reply_ratio": best["coder"] / best["baseline"]}


def measure_time(texts: list[str], lang: str, repeat: int = 5) -> dict:
    """Seconds per reply: the coder, and simplemma lemmatising the same words (the least the coder must do)."""
    from game.coding.analysis import lemmatizer
    from game.coding.coder import code_reply
    from simplemma import simple_tokenizer

    lemmatise = lemmatizer().lemmatize
    texts = [t for t in texts if t.strip()] or ["?"]

    def baseline():
        for text in texts:
            for token in simple_tokenizer(text):
                lemmatise(token, lang)

    def ours():
        for text in texts:
            code_reply(text, lang)

    best = {}
    for name, job in (("baseline", baseline), ("coder", ours)):
        job()  # warm: both read the same cached dictionary entries
        times = []
        for _ in range(repeat):
            started = time.process_time()  # CPU time: another process on the machine does not count
            job()
            times.append(time.process_time() - started)
        best[name] = min(times) / len(texts)
    return {"seconds_per_reply": best["coder"], "baseline_seconds_per_reply": best["baseline"],
            "time_ratio": best["coder"] / best["baseline"] if best["baseline"] else float("inf")}


# -- tables ---------------------------------------------------------------------------------------

def _pct(share: float, lang: str) -> str:
    return f"{share * 100:.0f} %" if lang == "fi" else f"{share * 100:.0f}%"


def _group(g: str, lang: str) -> str:
    return GROUPS[g][1 if lang == "fi" else 0]


def _code(c: str, lang: str) -> str:
    entry = CODES[c]
    return entry[2] if lang == "fi" else entry[1]


def body(results: list[dict], lang: str) -> str:
    from bench.readme import machine, seconds

    fi = lang == "fi"
    out = []
    head = ("| Kieli | Vastauksia (testi) | Ryhmä oikein | Koodi oikein | Aika / vastaus | Perustaso (simplemma) | Suhde |"
            if fi else
            "| Language | Replies (test) | Group right | Code right | Time / reply | Baseline (simplemma) | Ratio |")
    out += [head, "|---|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        name = {"en": ("englanti", "English"), "fi": ("suomi", "Finnish")}[r["lang"]][0 if fi else 1]
        ratio = f"{r['time_ratio']:.1f}".replace(".", ",") if fi else f"{r['time_ratio']:.1f}"
        out.append(f"| {name} | {r['replies']} | {_pct(r['group_accuracy'], lang)} | {_pct(r['code_accuracy'], lang)} | "
                   f"{seconds(r['seconds_per_reply'], lang)} | {seconds(r['baseline_seconds_per_reply'], lang)} | {ratio}× |")
    first = next((r for r in results if "first_reply_seconds" in r), None)
    if first is not None:
        ratio = f"{first['first_reply_ratio']:.2f}"
        out.append("")
        out.append(
            (f"Ensimmäinen suomenkielinen vastaus uudessa prosessissa (CPU-aika, Pythonin käynnistys mukana): "
             f"{seconds(first['first_reply_seconds'], lang)}; perustaso, simplemma samoille sanoille uudessa prosessissa: "
             f"{seconds(first['first_reply_baseline_seconds'], lang)}; suhde {ratio.replace('.', ',')}×.") if fi else
            (f"First Finnish reply in a fresh process (CPU time, Python's start-up included): "
             f"{seconds(first['first_reply_seconds'], lang)}; baseline, simplemma lemmatising the same words in a "
             f"fresh process: {seconds(first['first_reply_baseline_seconds'], lang)}; ratio {ratio}×."))
    out.append("")
    out.append("Ryhmittäin (oikein / testivastauksia):" if fi else "By group (right / test replies):")
    out.append("")
    out.append("| " + ("Ryhmä" if fi else "Group") + " | " + " | ".join(r["lang"] for r in results) + " |")
    out.append("|---|" + "---:|" * len(results))
    for g in GROUP_ORDER:
        cells = []
        for r in results:
            v = r["per_group"].get(g)
            cells.append(f"{v['right']}/{v['of']} ({_pct(v['right'] / v['of'], lang)})" if v else "–")
        if any(c != "–" for c in cells):
            out.append(f"| {_group(g, lang)} | " + " | ".join(cells) + " |")
    out.append("")
    out.append("Koodeittain (oikein / testivastauksia):" if fi else "By code (right / test replies):")
    out.append("")
    out.append("| " + ("Koodi" if fi else "Code") + " | " + " | ".join(r["lang"] for r in results) + " |")
    out.append("|---|" + "---:|" * len(results))
    for c in CODES:
        cells = []
        for r in results:
            v = r["per_code"].get(c)
            cells.append(f"{v['right']}/{v['of']}" if v else "–")
        if any(x != "–" for x in cells):
            out.append(f"| `{c}` {_code(c, lang)} | " + " | ".join(cells) + " |")
    for r in results:
        out.append("")
        out.append((f"Sekaannustaulu, {r['lang']} (rivit: oikea ryhmä, sarakkeet: koodaajan ryhmä):" if fi else
                    f"Confusion table, {r['lang']} (rows: true group, columns: the coder's group):"))
        out.append("")
        groups = [g for g in GROUP_ORDER if any(k.startswith(g + ">") or k.endswith(">" + g) for k in r["confusion"])]
        out.append("| | " + " | ".join(_group(g, lang) for g in groups) + " |")
        out.append("|---|" + "---:|" * len(groups))
        for t in groups:
            if not any(k.startswith(t + ">") for k in r["confusion"]):
                continue
            out.append(f"| {_group(t, lang)} | " + " | ".join(str(r["confusion"].get(f"{t}>{g}", 0)) for g in groups) + " |")
    out.append("")
    out.append(machine(lang))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench coding", description=__doc__.splitlines()[0])
    parser.add_argument("--readme", action="store_true", help="write the figures into README.md and README.fi.md")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--lang", choices=LANGS, default="en", help="the language of the printed table")
    parser.add_argument("--check", action="store_true",
                        help=f"exit 1 if group accuracy is under {GOAL:.0%} in a language or a reply takes 5 ms")
    args = parser.parse_args(argv)
    results = []
    for lang in LANGS:
        print(f"coding the {lang} test split…", file=sys.stderr, flush=True)
        results.append(evaluate(lang))
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print(body(results, args.lang))
    if args.readme:
        from bench.readme import fill
        written = fill(MARKER, lambda lang: body(results, lang))
        print(f"written into {', '.join(written) or 'no README'}", file=sys.stderr)
    if args.check:
        problems = [f"{r['lang']}: group accuracy {r['group_accuracy']:.1%} under {GOAL:.0%}"
                    for r in results if r["group_accuracy"] < GOAL]
        problems += [f"{r['lang']}: {r['seconds_per_reply'] * 1000:.2f} ms per reply" for r in results
                     if r["seconds_per_reply"] >= 0.005]
        for problem in problems:
            print(f"over bound: {problem}", file=sys.stderr)
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
