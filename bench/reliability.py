"""What the tests exercise, counted, for the README's *Reliability* section.

    python -m bench reliability              # run the reliability suites, print the counts
    python -m bench reliability --readme     # ... and write them into README.md and README.fi.md
    python -m bench reliability --stress 10  # ten times the inputs, playthroughs and kills

It runs the fuzzing, hostile-input, soak and crash-safety tests (tests/test_fuzz_*.py,
tests/test_hostile_inputs.py, tests/test_soak.py, tests/test_crash_safety.py, whichever exist)
with KUULE_RELIABILITY_OUT set, so each test adds what it ran to one file (tests/reliability.py);
counts the whole test suite (`pytest --collect-only`) and the diagnostic codes of the scenario
checker. A count whose key it has no words for is shown under its key, so a new one is never lost.
If a suite fails, nothing is written into the READMEs.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARKER = "reliability"
SUITES = ("tests/test_fuzz_*.py", "tests/test_hostile_inputs.py", "tests/test_soak.py", "tests/test_crash_safety.py")

GROUPS = {
    "fuzz": {"en": "Fuzzing", "fi": "Fuzz-testaus"},
    "hostile": {"en": "Hostile input", "fi": "Vihamieliset syötteet"},
    "soak": {"en": "Soak", "fi": "Kestotestit"},
    "crash": {"en": "Crash safety", "fi": "Kaatumisturvallisuus"},
}

LABELS = {
    "fuzz.structured_documents": {
        "en": "generated scenario-shaped YAML documents loaded: each gives diagnostics or a playable scenario",
        "fi": "generoituja skenaarion muotoisia YAML-dokumentteja ladattu: kukin antaa diagnostiikan tai "
              "pelattavan skenaarion"},
    "fuzz.mutated_scenarios": {
        "en": "shipped scenarios and test plans with random damage: each gives diagnostics, never a crash",
        "fi": "mukana tulevia skenaarioita ja testisuunnitelmia satunnaisesti rikottuina: kukin antaa "
              "diagnostiikan, ei koskaan kaatumista"},
    "fuzz.raw_bytes": {
        "en": "random byte strings read as scenarios: each gives diagnostics",
        "fi": "satunnaisia tavujonoja luettu skenaarioina: kukin antaa diagnostiikan"},
    "hostile.cases": {
        "en": "hostile inputs refused (oversized, deeply nested, not UTF-8, tags, path tricks)",
        "fi": "vihamielisiä syötteitä torjuttu (ylisuuria, syvälle sisäkkäisiä, muuta kuin UTF-8:aa, tageja, "
              "polkutemppuja)"},
    "soak.playthroughs": {
        "en": "random playthroughs of the shipped scenarios, in both languages",
        "fi": "satunnaisia läpipeluita mukana tulevista skenaarioista, molemmilla kielillä"},
    "soak.engine_actions": {
        "en": "answers and take-backs made in those playthroughs",
        "fi": "vastauksia ja peruutuksia niissä läpipeluissa"},
    "soak.resumed": {
        "en": "sessions stopped part-way and resumed from their score log",
        "fi": "kesken jätettyjä istuntoja jatkettu pisteytyslokista"},
    "soak.terminal_inputs": {
        "en": "inputs typed into the terminal game",
        "fi": "päätepeliin kirjoitettuja syötteitä"},
    "soak.ui_events": {
        "en": "random keyboard and mouse events sent to the game window",
        "fi": "satunnaisia näppäimistö- ja hiiritapahtumia peli-ikkunaan"},
    "soak.ui_scenes": {
        "en": "screens of the game window under that random input",
        "fi": "peli-ikkunan näkymiä tämän satunnaissyötteen alla"},
    "soak.memory_sessions": {
        "en": "sessions played while checking that memory stays flat",
        "fi": "istuntoja pelattu tarkistaen, ettei muistinkäyttö kasva"},
    "crash.kills": {
        "en": "game processes killed at random moments",
        "fi": "peliprosesseja tapettu satunnaisilla hetkillä"},
    "crash.choices_checked": {
        "en": "answers shown before a kill, each found in the score log afterwards",
        "fi": "ennen tappoa näytettyjä vastauksia, jokainen löytyi jälkikäteen pisteytyslokista"},
    "crash.torn_lines": {
        "en": "log lines cut off mid-write by a kill, noted and dropped on resume",
        "fi": "tapon kesken katkaisemia lokirivejä, huomattu ja pudotettu jatkettaessa"},
    "crash.killed_between_write_and_show": {
        "en": "kills between writing an answer and showing it",
        "fi": "tappoja vastauksen kirjoittamisen ja näyttämisen välissä"},
    "crash.resumed": {
        "en": "killed sessions resumed",
        "fi": "tapettuja istuntoja jatkettu"},
}

TEXT = {
    "en": {"heading": ("suite", "what", "count"), "suite": "tests in the whole suite (`python -m pytest --collect-only`)",
           "codes": "diagnostic codes the scenario checker reports ({errors} errors, {warnings} warnings)",
           "all": "All", "made": "Counted by `{command}` on {date}{stress}.",
           "stress": ", with every count multiplied by {n} (`--stress {n}`)"},
    "fi": {"heading": ("testit", "mitä", "määrä"), "suite": "testejä koko testisarjassa (`python -m pytest --collect-only`)",
           "codes": "skenaarioiden tarkistimen diagnostiikkakoodia ({errors} virhettä, {warnings} varoitusta)",
           "all": "Kaikki", "made": "Laskettu komennolla `{command}` {date}{stress}.",
           "stress": ", jokainen määrä {n}-kertaisena (`--stress {n}`)"},
}


def label(key: str, lang: str) -> tuple[str, str]:
    """(group, words) for a tally key; a key without words is shown as itself under its prefix."""
    prefix, _, rest = key.partition(".")
    group = GROUPS.get(prefix, {}).get(lang, prefix)
    words = LABELS.get(key, {}).get(lang)
    return group, words if words else f"`{key}`"


def suites() -> list[Path]:
    found: list[Path] = []
    for pattern in SUITES:
        found += sorted(ROOT.glob(pattern))
    return found


def collected(progress=print) -> int:
    """The number of tests in the whole suite, from pytest's per-file counts (`--collect-only -qq`)."""
    done = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-qq", "-p", "no:cacheprovider"],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    total, files = 0, 0
    for line in done.stdout.splitlines():  # "tests/test_x.py: 12" (no regex: test IDs can be very long)
        name, colon, count = line.rpartition(": ")
        if colon and name.endswith(".py") and count.strip().isdigit():
            total += int(count)
            files += 1
    if not files:
        raise RuntimeError(f"could not count the tests:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    if done.returncode != 0:
        progress(f"note: collecting the tests reported errors:\n{done.stdout[-1500:]}")
    return total


def codes() -> dict[str, int]:
    from game.scenario.diagnostics import CATALOGUE

    counts: dict[str, int] = {}
    for entry in CATALOGUE.values():
        counts[entry[0]] = counts.get(entry[0], 0) + 1
    return counts


def run_suites(files: list[Path], stress: int | None, out: Path) -> int:
    """Run the reliability suites with their counts going to `out`; pytest's own output goes to stderr."""
    env = dict(os.environ, KUULE_RELIABILITY_OUT=str(out), SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy",
               PYGAME_HIDE_SUPPORT_PROMPT="1")
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
               *[str(path.relative_to(ROOT)) for path in files]]
    if stress:
        command += ["--stress", str(stress)]
    return subprocess.run(command, cwd=ROOT, env=env, stdout=sys.stderr, check=False).returncode


def section(counts: dict[str, int], tests: int, code_counts: dict[str, int], lang: str,
            stress: int | None = None, date: str | None = None) -> str:
    """The README's Reliability body: a table of what the suites ran, then the suite and the lint codes."""
    from bench.readme import number

    words = TEXT[lang]
    groups, known = list(GROUPS), list(LABELS)

    def place(key: str) -> tuple:  # by group, then as LABELS lists them, then new keys by name
        prefix = key.split(".")[0]
        return (groups.index(prefix) if prefix in groups else len(groups), prefix,
                known.index(key) if key in known else len(known), key)

    keys = sorted(counts, key=place)
    rows = [(label(key, lang), counts[key]) for key in keys]
    lines = ["| " + " | ".join(words["heading"]) + " |", "|---|---|---:|"]
    for (group, text), count in rows:
        lines.append(f"| {group} | {text} | {number(count, lang)} |")
    total_codes = sum(code_counts.values())
    lines.append(f"| {words['all']} | {words['suite']} | {number(tests, lang)} |")
    lines.append(f"| {words['all']} | " + words["codes"].format(errors=number(code_counts.get('error', 0), lang),
                                                                warnings=number(code_counts.get('warning', 0), lang))
                 + f" | {number(total_codes, lang)} |")
    command = "python -m bench reliability --readme" + (f" --stress {stress}" if stress else "")
    date = date or (time.strftime("%-d.%-m.%Y") if lang == "fi" else time.strftime("%Y-%m-%d"))
    made = words["made"].format(command=command, date=date,
                                stress=words["stress"].format(n=stress) if stress and stress > 1 else "")
    return "\n".join(lines) + "\n\n" + made


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench reliability", description=__doc__.splitlines()[0])
    parser.add_argument("--readme", action="store_true",
                        help="write the counts into the Reliability section of README.md and README.fi.md")
    parser.add_argument("--stress", type=int, default=None, metavar="N",
                        help="multiply the suites' counts by N (pytest --stress N)")
    parser.add_argument("--lang", choices=("en", "fi"), default="en", help="the language of the printed table")
    args = parser.parse_args(argv)

    def progress(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    files = suites()
    if not files:
        progress("no reliability suites found (" + ", ".join(SUITES) + ")")
    with tempfile.TemporaryDirectory(prefix="kuule-reliability-") as folder:
        out = Path(folder) / "counts.json"
        failed = 0
        if files:
            progress(f"running {', '.join(path.name for path in files)}"
                     + (f" with --stress {args.stress}" if args.stress else "") + " (pytest's output follows)")
            failed = run_suites(files, args.stress, out)
        counts = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    progress("counting the whole test suite (pytest --collect-only)")
    tests = collected(progress)
    code_counts = codes()
    print(section(counts, tests, code_counts, args.lang, args.stress))
    if failed:
        progress(f"a reliability suite failed (pytest exit code {failed}): the READMEs were left as they were")
        return 1
    if args.readme:
        from bench.readme import fill

        written = fill(MARKER, lambda lang: section(counts, tests, code_counts, lang, args.stress))
        progress(f"written into {', '.join(written) or 'no README'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
