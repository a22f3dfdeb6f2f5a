"""Every benchmark in one run and one table, each figure against a baseline measured in the same run.

    python -m bench                     # the full run (several minutes)
    python -m bench --quick             # smaller sizes and fewer repeats: under a minute
    python -m bench --quick --check     # ... and fail if a ratio passes its bound in bench/bounds.toml
    python -m bench --readme            # ... and write the table into README.md and README.fi.md
    python -m bench --only report_100000   # only the steps giving these figures (and what they need)
    python -m bench reliability [--readme] [--stress N]   # what the test suites exercise (bench/reliability.py)
    python -m bench coding [--readme]   # the reply coder's accuracy on its held-out test split (bench/coding.py)

The machine these run on is noisy, so no figure is an absolute time: each is a ratio to a baseline
that does the least the same job could do (start Python and pygame, fill and flip the window, parse
the YAML; load the report's libraries, parse the log lines and draw a chart), measured in the same run,
the two taking turns. Times are CPU time, the least of the runs, so that a busy machine does not move
the ratios CI checks. Progress goes to stderr, the table to stdout.
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
BOUNDS = Path(__file__).resolve().parent / "bounds.toml"
MARKER = "bench"


@dataclass(frozen=True)
class Settings:
    """Sizes and repeats of one run."""

    quick: bool
    startup_runs: int
    frames: int
    validate_repeat: int
    load: tuple[tuple[int, int], ...]      # (nodes, best of how many runs)
    choice_nodes: int                      # 0: not measured (working out the best scores takes a minute)
    analyze: tuple[tuple[int, int], ...]   # (nodes, best of how many runs)
    sessions: tuple[int, ...]
    report_repeat: int                     # runs of each report measurement (at 100,000 sessions: at most 2)


QUICK = Settings(quick=True, startup_runs=7, frames=3600, validate_repeat=7, load=((1000, 5),), choice_nodes=0,
                 analyze=((1000, 5),), sessions=(1000,), report_repeat=5)
FULL = Settings(quick=False, startup_runs=7, frames=3600, validate_repeat=5, load=((1000, 3), (10_000, 1)),
                choice_nodes=10_000, analyze=((1000, 3), (10_000, 2)), sessions=(1000, 10_000, 100_000),
                report_repeat=3)
BIG_REPORT = 100_000  # sessions from which a report run takes minutes with its baselines: two runs of each


def settings_for(quick: bool) -> Settings:
    return QUICK if quick else FULL


# -- progress -------------------------------------------------------------------------------------

class Progress:
    """Lines on stderr with the time since the run began, so a long step shows what it is doing."""

    def __init__(self, quiet: bool = False):
        self.started = time.perf_counter()
        self.quiet = quiet

    def __call__(self, message: str) -> None:
        if not self.quiet:
            print(f"[{time.perf_counter() - self.started:6.1f} s] {message}", file=sys.stderr, flush=True)


# -- rows -----------------------------------------------------------------------------------------

def row(figure: str, label: dict, value: float, baseline_label: dict, baseline: float, unit: str = "s",
        decimals: int = 2) -> dict:
    """One line of the table: `value` of ours and `baseline` (seconds, or MiB when unit is "MiB"); the ratio is
    shown with `decimals` decimals: as many as repeated runs agree on."""
    return {"id": figure, "label": label, "value": value, "baseline_label": baseline_label, "baseline": baseline,
            "unit": unit, "ratio": value / baseline if baseline > 0 else float("inf"), "decimals": decimals}


def _n(value: float, lang: str) -> str:
    from bench.readme import number
    return number(value, lang)


def _cpu(repeat: int, lang: str) -> str:
    """How a CPU-time figure was taken: the least of `repeat` runs, ours and the baseline taking turns."""
    if lang == "en":
        return "CPU time" + (f", least of {repeat}" if repeat > 1 else "")
    return "suoritinaika" + (f", pienin {repeat} ajosta" if repeat > 1 else "")


YAML_BASELINE = {"en": "`yaml.load` with `CSafeLoader` of the same file, gc off",
                 "fi": "saman tiedoston `yaml.load` `CSafeLoader`illa, gc pois"}

# Every figure CI checks is CPU time, the least of several runs in which ours and its baseline take turns:
# on a shared machine wall time is mostly waiting for a turn on the CPU, and the least is the run the
# machine disturbed least. Wall times are still printed by `python -m bench.ui`, `bench.core`, `bench.report`.


@dataclass
class Step:
    """One measurement: the figures it gives, what to say while it runs, and how to run it."""

    figures: tuple[str, ...]
    says: str
    run: Callable[[Progress], list[dict]]
    alone: bool = False  # prepares its own input: needs no earlier step without figures (see `only`)


def _startup(settings: Settings) -> Step:
    def run(progress):
        from bench.ui import startup

        start = startup(settings.startup_runs)
        runs = settings.startup_runs
        return [row("startup",
                    {"en": f"start-up to the first menu frame (fresh process, {_cpu(runs, 'en')})",
                     "fi": f"käynnistys ensimmäiseen valikkoruutuun (uusi prosessi, {_cpu(runs, 'fi')})"},
                    start["cpu_seconds"],
                    {"en": "`import pygame; pygame.init()` (fresh process)",
                     "fi": "`import pygame; pygame.init()` (uusi prosessi)"},
                    start["baseline_cpu_seconds"], decimals=1)]
    return Step(("startup",), f"start-up: {settings.startup_runs} fresh processes of each kind", run)


def _frames(settings: Settings) -> Step:
    def run(progress):
        from bench.ui import frame_times

        frames = frame_times(settings.frames)
        what = {"en": "play-scene frame at 1280×720, line typing and face animating, CPU time, {}",
                "fi": "pelinäkymän yksi kuva 1280×720, repliikki kirjoittuu ja kasvot elävät, suoritinaika, {}"}
        base = {"en": "a bare fill + flip loop, {}", "fi": "pelkkä fill + flip -silmukka, {}"}
        mean = {"en": "mean", "fi": "keskiarvo"}
        p99 = {"en": "p99", "fi": "99. persentiili"}
        return [row("frame_mean", {k: v.format(mean[k]) for k, v in what.items()}, frames["cpu_mean_ms"] / 1000,
                    {k: v.format(mean[k]) for k, v in base.items()}, frames["baseline_cpu_mean_ms"] / 1000,
                    decimals=1),
                row("frame_p99", {k: v.format(p99[k]) for k, v in what.items()}, frames["cpu_p99_ms"] / 1000,
                    {k: v.format(p99[k]) for k, v in base.items()}, frames["baseline_cpu_p99_ms"] / 1000, decimals=0)]
    return Step(("frame_mean", "frame_p99"), f"frames: {settings.frames} of the play scene, then of a bare loop", run)


def _validate(settings: Settings) -> Step:
    def run(progress):
        from bench.core import validate_shipped

        repeat = settings.validate_repeat
        home = os.environ.get("KUULE_HOME")
        try:  # ours and the baseline take turns, so a noisy moment hits both
            result = validate_shipped(repeat)
        finally:
            os.environ["KUULE_HOME"] = home
        return [row("validate",
                    {"en": f"`validate scenarios/`, whole process, warm ({_cpu(repeat, 'en')})",
                     "fi": f"`validate scenarios/`, koko prosessi, lämmin ({_cpu(repeat, 'fi')})"},
                    result["seconds"], {"en": "`python -c 'import yaml'`", "fi": "`python -c 'import yaml'`"},
                    result["baseline_seconds"], decimals=1)]
    return Step(("validate",), "validate the shipped scenarios: fresh processes", run)


def _load(settings: Settings, folder: Path) -> list[Step]:
    steps = []
    for nodes, repeat in settings.load:
        def run(progress, nodes=nodes, repeat=repeat):
            from bench.core import load_lint_build
            from bench.readme import number

            result = load_lint_build(nodes, folder, repeat)  # ours and the baseline take turns
            size = (folder / f"generated_{nodes}.yaml").stat().st_size / 1e6
            return [row(f"load_{nodes}",
                        {"en": f"load + lint + engine build, {_n(nodes, 'en')} nodes ({size:.1f} MB), "
                               + _cpu(repeat, "en"),
                         "fi": f"lataus + tarkistus + moottorin rakennus, {_n(nodes, 'fi')} solmua "
                               f"({number(size, 'fi', 1)} Mt), " + _cpu(repeat, "fi")},
                        result["seconds"], YAML_BASELINE, result["baseline_seconds"], decimals=1)]
        steps.append(Step((f"load_{nodes}",), f"load + lint + engine build of a generated {nodes:,}-node scenario, "
                          f"best of {repeat}", run))
    return steps


def _choice(settings: Settings, folder: Path) -> Step:
    nodes = settings.choice_nodes

    def run(progress):
        from bench.core import choice_cost

        result = choice_cost(nodes, folder, repeat=CHOICE_ROUNDS)
        return [row("choice", {"en": f"one answer chosen in the engine ({_n(nodes, 'en')}-node scenario; CPU time, "
                                     f"mean of 2,000, least of {CHOICE_ROUNDS} rounds)",
                               "fi": f"yksi vastaus moottorissa ({_n(nodes, 'fi')} solmun skenaario; suoritinaika, "
                                     f"2 000:n keskiarvo, pienin {CHOICE_ROUNDS} kierroksesta)"},
                    result["seconds"], {"en": "a bare `transitions` trigger, taking turns",
                                        "fi": "pelkkä `transitions`-laukaisin, vuorotellen"},
                    result["baseline_seconds"], decimals=0)]
    return Step(("choice",), f"{CHOICE_ROUNDS} rounds of 2,000 answers in the engine ({nodes:,}-node scenario) "
                "and of 2,000 bare triggers, taking turns", run)


CHOICE_ROUNDS = 7  # one round's ratio moves from 27× to 45× between rounds on a busy machine; the least of each side
# over seven rounds, CPU time, gave 29.5× to 32.4× over four runs (2026-12-04): shown as a whole number


def _start(settings: Settings, folder: Path) -> Step:
    nodes = settings.choice_nodes

    def run(progress):
        from bench.core import start_cost

        result = start_cost(folder, big=nodes)
        return [row("start", {"en": f"starting a conversation, {_n(nodes, 'en')}-node scenario (CPU time, median of 301)",
                              "fi": f"keskustelun aloitus, {_n(nodes, 'fi')} solmun skenaario (prosessoriaika, 301:n mediaani)"},
                    result["seconds"], {"en": "the same in a 100-node scenario, taking turns",
                                        "fi": "sama 100 solmun skenaariossa, vuorotellen"},
                    result["baseline_seconds"], decimals=1)]
    return Step(("start",), f"starting conversations at {nodes:,} and at 100 nodes, taking turns", run)


def _start_quick(folder: Path) -> Step:
    """The quick run's guard on starting a conversation: it must not grow with the scenario (1,000 nodes against 100)."""
    def run(progress):
        from bench.core import start_cost

        result = start_cost(folder, small=100, big=1000)
        return [row("start_cost", {"en": "starting a conversation, 1,000-node scenario (CPU time, median of 301)",
                                   "fi": "keskustelun aloitus, 1 000 solmun skenaario (suoritinaika, 301:n mediaani)"},
                    result["seconds"], {"en": "the same in a 100-node scenario, taking turns",
                                        "fi": "sama 100 solmun skenaariossa, vuorotellen"},
                    result["baseline_seconds"], decimals=1)]
    return Step(("start_cost",), "starting conversations at 1,000 and at 100 nodes, taking turns", run)


def _play_quick(folder: Path) -> Step:
    """The quick run's guard on a whole `play --text` session of a 300-node scenario, against `validate` of it."""
    def run(progress):
        from bench.core import scale_300

        result = scale_300(folder, repeat=PLAY_ROUNDS_QUICK, analyze=False)
        return [_play_row(result, PLAY_ROUNDS_QUICK)]
    return Step(("play_300",), f"a 300-node scenario: play --text to the debrief and validate, "
                               f"{PLAY_ROUNDS_QUICK} fresh processes of each, taking turns", run)


PLAY_ROUNDS_QUICK, PLAY_ROUNDS = 5, 3

VALIDATE_300 = {"en": "`validate` of the same file (whole process, CPU time; the path check cached, as `play` has it)",
                "fi": "saman tiedoston `validate` (koko prosessi, suoritinaika; polkutarkistus välimuistista kuten "
                      "`play`lla)"}


def _play_row(result: dict, repeat: int) -> dict:
    return row("play_300", {"en": "`play --text`, 300-node scenario, process start to debrief (" + _cpu(repeat, "en")
                                  + f"; peak memory {_n(result['play_rss'], 'en')} MiB)",
                            "fi": "`play --text`, 300 solmun skenaario, käynnistyksestä loppupurkuun ("
                                  + _cpu(repeat, "fi") + f"; muistin huippu {_n(result['play_rss'], 'fi')} MiB)"},
               result["play"], VALIDATE_300, result["validate"], decimals=1)


def _scale(settings: Settings, folder: Path) -> Step:
    def run(progress):
        from bench.core import scale_300

        result = scale_300(folder, repeat=PLAY_ROUNDS)
        return [_play_row(result, PLAY_ROUNDS),
                row("analyze_300", {"en": "`analyze`, 300-node scenario, bounded at 400,000 states (CPU time; "
                                          f"peak memory {_n(result['analyze_rss'], 'en')} MiB)",
                                    "fi": "`analyze`, 300 solmun skenaario, rajana 400 000 tilaa (prosessoriaika; "
                                          f"muistin huippu {_n(result['analyze_rss'], 'fi')} MiB)"},
                    result["analyze"], VALIDATE_300, result["validate"], decimals=0)]
    return Step(("play_300", "analyze_300"), "a 300-node scenario: play --text to the debrief, and analyze", run)


def _analyze(settings: Settings, folder: Path) -> list[Step]:
    steps = []
    for nodes, repeat in settings.analyze:
        def run(progress, nodes=nodes, repeat=repeat):
            from bench.analyze import measure

            result = measure(nodes, repeat, folder, steps=("analyze",))
            states = result["states"]
            return [row(f"analyze_{nodes}",
                        {"en": f"`analyze`, {_n(result['nodes'], 'en')}-node library scenario "
                               f"({_n(states, 'en')} states), " + _cpu(repeat, "en"),
                         "fi": f"`analyze`, {_n(result['nodes'], 'fi')} solmun kirjastoskenaario "
                               f"({_n(states, 'fi')} tilaa), " + _cpu(repeat, "fi")},
                        result["analyze"], YAML_BASELINE, result["baseline"], decimals=1)]
        steps.append(Step((f"analyze_{nodes}",), f"analyze of a generated {nodes:,}-node library scenario, "
                          f"best of {repeat}", run))
    return steps


def _report(settings: Settings, folder: Path) -> list[Step]:
    logs = folder / "logs"
    # generated once, for the biggest size; each smaller size reads the first of them (hard links)
    steps = [Step((), f"generating {max(settings.sessions):,} session logs"
                      + (" (over small scenarios)" if settings.quick else
                         " (the first time a scenario is played, its best scores are worked out: minutes)"),
                  lambda progress: _generate(logs, max(settings.sessions), settings.quick))]
    for sessions in settings.sessions:
        repeat = settings.report_repeat if sessions < BIG_REPORT else min(2, settings.report_repeat)

        def run(progress, sessions=sessions, repeat=repeat):
            from bench import report

            files = sorted(logs.glob("*.jsonl"))
            result = report.bench(report.subset(logs, files, sessions), repeat,
                                  names=("baseline", "libraries", "floor", "report"), progress=progress)
            _, peak, total = result["report"]
            _, base_peak, _ = result["libraries"]
            seconds, base_seconds = result["least_cpu"]["report"], result["least_cpu"]["floor"]
            events = result["events"]
            return [row(f"report_{sessions}",
                        {"en": f"`report` over {_n(sessions, 'en')} sessions ({_n(events, 'en')} events), with its "
                               f"helper process, {_cpu(repeat, 'en')}",
                         "fi": f"`report` {_n(sessions, 'fi')} istunnosta ({_n(events, 'fi')} tapahtumaa) "
                               f"apuprosesseineen, {_cpu(repeat, 'fi')}"},
                        seconds, {"en": "a fresh process that loads Jinja2, PyYAML and matplotlib, parses every log "
                                        "line and draws one chart as SVG",
                                  "fi": "uusi prosessi, joka lataa Jinja2:n, PyYAMLin ja matplotlibin, jäsentää "
                                        "jokaisen lokirivin ja piirtää yhden kaavion SVG:nä"}, base_seconds,
                        decimals=1),
                    row(f"report_{sessions}_memory",
                        {"en": f"`report` over {_n(sessions, 'en')} sessions: peak memory (with its helper "
                               f"process: {_n(total, 'en')} MiB)",
                         "fi": f"`report` {_n(sessions, 'fi')} istunnosta: muistin huippu (apuprosessin kanssa "
                               f"{_n(total, 'fi')} MiB)"},
                        peak, {"en": "the line reader's peak memory, with Jinja2, PyYAML and matplotlib loaded",
                               "fi": "rivinlukijan muistin huippu, kun Jinja2, PyYAML ja matplotlib on ladattu"},
                        base_peak, unit="MiB")]
        steps.append(Step((f"report_{sessions}", f"report_{sessions}_memory"),
                          f"report over {sessions:,} sessions and the line-reading baselines, "
                          f"{repeat} interleaved run(s) each, fresh processes", run))
    return steps


def _generate(logs: Path, sessions: int, quick: bool) -> list[dict]:
    from bench.report import generate_into

    generate_into(logs, sessions, quick=quick)
    return []


LRS_SESSIONS = 10_000  # `report --lrs` in the full run only: filling a Ralph LRS takes minutes


def _lrs(folder: Path) -> Step:
    from bench import lrs

    if not lrs.available():
        return Step((), f"report --lrs over {LRS_SESSIONS:,} sessions: skipped, Ralph is not installed "
                        "(bash tests/services/install-ralph.sh)", lambda progress: [])

    def run(progress):
        repeat = 2
        result = lrs.bench(LRS_SESSIONS, repeat, folder / "lrs", lambda message: progress(message.strip()))
        return [lrs.row(result, repeat)]
    return Step(("report_lrs_10000",), f"report --lrs over {LRS_SESSIONS:,} sessions from a Ralph LRS on 127.0.0.1: "
                "generate, convert, post (minutes), then 2 runs each of it and a bare paging loop, taking turns", run,
                alone=True)


def plan(settings: Settings, folder: Path) -> list[Step]:
    """The steps of a run, in order (start-up first, before this process loads pygame)."""
    return [_startup(settings), _frames(settings), _validate(settings), *_load(settings, folder),
            *([_choice(settings, folder), _start(settings, folder), _scale(settings, folder)]
              if settings.choice_nodes else []),
            *([_start_quick(folder), _play_quick(folder)] if settings.quick else []),
            *_analyze(settings, folder), *_report(settings, folder),
            *([] if settings.quick else [_lrs(folder)])]


def figures(quick: bool) -> list[str]:
    """The figure IDs a run gives, in table order."""
    return [figure for step in plan(settings_for(quick), Path(tempfile.gettempdir())) for figure in step.figures]


def only(steps: list[Step], figures_: list[str]) -> list[Step]:
    """The steps that give `figures_`, each with the nearest earlier step without figures (what prepares its input,
    such as generating the logs a report reads) unless it prepares its own."""
    keep: set[int] = set()
    for index, step in enumerate(steps):
        if set(step.figures) & set(figures_):
            keep.add(index)
            preparing = [before for before in range(index) if not steps[before].figures]
            if preparing and not step.alone:
                keep.add(preparing[-1])
    return [step for index, step in enumerate(steps) if index in keep]


def run(quick: bool = False, progress: Progress | None = None, figures_: list[str] | None = None) -> list[dict]:
    """Measure every figure (or only the steps giving `figures_`); returns the rows in table order."""
    progress = progress or Progress()
    settings = settings_for(quick)
    folder = Path(tempfile.mkdtemp(prefix="kuule-bench-"))
    environment = mock.patch.dict(os.environ)  # put back as it was when the run ends
    environment.start()
    os.environ["KUULE_HOME"] = str(folder / "home")  # nothing read from or written to the user's own folders
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    rows: list[dict] = []
    try:
        steps = plan(settings, folder)
        if figures_:
            steps = only(steps, figures_)
        for number, step in enumerate(steps, 1):
            progress(f"{number}/{len(steps)} {step.says}")
            made = step.run(progress)
            assert [r["id"] for r in made] == list(step.figures), (step.figures, [r["id"] for r in made])
            for made_row in made:
                progress(f"    {made_row['id']}: {_value(made_row, 'en')} against {_value(made_row, 'en', True)}"
                         f" = {made_row['ratio']:.2f}×")
            rows += made
            _forget()
        progress(f"done in {time.perf_counter() - progress.started:.0f} s")
    finally:
        environment.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return rows


def _forget() -> None:
    """Drop the big scenarios of one step before the next, so one step's memory does not slow another."""
    try:
        from game.engine import paths
        from game.scenario import loader
        loader._RECENT.clear()
        paths.solve.cache_clear()
    except (ImportError, AttributeError):
        pass
    gc.collect()


# -- the table ------------------------------------------------------------------------------------

HEADERS = {"en": ("measured", "Kuule", "baseline", "its value", "ratio", "bound"),
           "fi": ("mitattu", "Kuule", "vertailukohta", "sen arvo", "suhde", "raja")}


def _value(r: dict, lang: str, baseline: bool = False) -> str:
    from bench.readme import number, seconds

    value = r["baseline" if baseline else "value"]
    return f"{number(value, lang)} MiB" if r["unit"] == "MiB" else seconds(value, lang)


def ratio_text(ratio: float, lang: str, decimals: int = 2) -> str:
    from bench.readme import number
    return f"{number(ratio, lang, decimals)}×"


def table(rows: list[dict], lang: str = "en", bounds: dict | None = None, padded: bool = False) -> str:
    """The rows as a Markdown table; with `bounds`, a column of each figure's bound and whether it holds."""
    head = list(HEADERS[lang][:5 + (bounds is not None)])
    body = []
    for r in rows:
        cells = [r["label"][lang], _value(r, lang), r["baseline_label"][lang], _value(r, lang, True),
                 ratio_text(r["ratio"], lang, r.get("decimals", 2))]
        if bounds is not None:
            bound = bounds.get(r["id"])
            cells.append("—" if bound is None else
                         f"{ratio_text(bound, lang)} {'✓' if r['ratio'] <= bound else '✗'}")
        body.append(cells)
    align = ["---", "---:", "---", "---:", "---:", "---:"][:len(head)]
    if padded:
        widths = [max(len(line[i]) for line in [head, *body]) for i in range(len(head))]
        head = [cell.ljust(width) for cell, width in zip(head, widths)]
        body = [[cell.rjust(width) if a.endswith(":") else cell.ljust(width)
                 for cell, width, a in zip(line, widths, align)] for line in body]
        align = [("-" * (width - 1) + ":") if a.endswith(":") else "-" * width for a, width in zip(align, widths)]
    return "\n".join("| " + " | ".join(line) + " |" for line in [head, align, *body])


NOTES = {
    "en": ("Ratio: Kuule ÷ baseline, both measured in the same run, taking turns; lower is better. Times are CPU "
           "time (user and system, a process's helpers included), the least of the runs: on a shared machine wall "
           "time is mostly waiting for the CPU. "
           "Inputs are generated: scenarios by `bench/generate.py` (mood conditions on every node, flags set and read) and "
           "`bench/analyze.py` (a training library: hubs over conversations of some 20 nodes), session logs "
           "by `bench/report.py` (played through the real engine, then copied as other trainees' attempts). "
           "Every `report` starts cold, with an empty `KUULE_HOME`; memory is each process's own peak RSS. "
           "`report --lrs` counts the CPU time of Kuule and of the LRS together, as does its baseline (the coach "
           "waits for both; its line gives the wall time too); `bench/lrs.py` posts the statements of `bench/report.py`'s sessions "
           "to a fresh Ralph LRS (filesystem backend) with Kuule's own sender."),
    "fi": ("Suhde: Kuule ÷ vertailukohta, molemmat mitattu samalla ajolla vuorotellen; pienempi on parempi. Ajat "
           "ovat suoritinaikaa (käyttäjä- ja järjestelmäaika, prosessin apuprosessit mukaan lukien), ajoista pienin: "
           "jaetulla koneella seinäkelloaika on enimmäkseen suorittimen odottamista. "
           "Syötteet tuotetaan ohjelmallisesti: skenaariot tekevät `bench/generate.py` (tunnetilaehtoja joka "
           "solmussa, lippuja asetetaan ja luetaan) ja `bench/analyze.py` (koulutuskirjasto: reitityssolmuja noin 20 solmun keskustelujen "
           "edessä), pisteytyslokit `bench/report.py` (pelataan oikealla moottorilla ja kopioidaan muiden "
           "harjoittelijoiden yrityksiksi). Jokainen `report` aloittaa kylmiltään tyhjällä `KUULE_HOME`-kansiolla; "
           "muisti on kunkin prosessin oma RSS-huippu. `report --lrs` laskee yhteen Kuulen ja LRS:n suoritinajan, "
           "samoin sen vertailukohta (valmentaja odottaa molempia; rivillä on myös seinäkelloaika); `bench/lrs.py` lähettää "
           "`bench/report.py`:n istuntojen lausumat tuoreeseen Ralph-LRS:ään (tiedostojärjestelmätaustalla) Kuulen "
           "omalla lähettäjällä."),
}


def readme_body(rows: list[dict], lang: str, quick: bool) -> str:
    from bench.readme import machine

    command = "python -m bench --quick --readme" if quick else "python -m bench --readme"
    made = {"en": f"Written by `{command}`.", "fi": f"Kirjoitettu komennolla `{command}`."}[lang]
    return f"{table(rows, lang)}\n\n{NOTES[lang]}\n\n{machine(lang)} {made}"


def merged_rows(rows: list[dict], lang: str, quick: bool) -> str:
    """The README's table (as `readme_body` writes it) with `rows` of an `--only` run in their places among the
    rows it already holds: each replaced, or put in where the run's order has it. SystemExit when the table does
    not line up with the run's figures (then only a whole run can write it)."""
    from bench.readme import ROOT as README_ROOT, READMES

    name = dict((lang_, name_) for name_, lang_ in READMES)[lang]
    text = (README_ROOT / name).read_text(encoding="utf-8")
    section = text.split(f"<!-- {MARKER}:start -->", 1)[-1].split(f"<!-- {MARKER}:end -->", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("|")]
    head, body = lines[:2], lines[2:]
    every = figures(quick)
    new = {r["id"]: table([r], lang).splitlines()[-1] for r in rows}
    if len(body) == len(every):
        body = [new.get(figure, line) for figure, line in zip(every, body)]
    elif len(body) == len([f for f in every if f not in new]):
        old = iter(body)
        body = [new[figure] if figure in new else next(old) for figure in every]
    else:
        body = _matched_by_label(body, new, [r["label"][lang] for r in rows])
        if body is None:
            raise SystemExit(f"{name}: its table has {len(lines) - 2} rows, the "
                             f"{'quick' if quick else 'full'} run gives {len(every)} figures, and not every row "
                             "measured matches one of its rows by its label: run the whole bench with --readme instead")
    return "\n".join(head + body)


LABEL_MATCH = 30  # characters a measured row's label must share, from its start, with the one row it replaces


def _matched_by_label(body: list[str], new: dict[str, str], labels: list[str]) -> list[str] | None:
    """When the table lacks some figures of the run (a row never measured into it), each measured row replaces
    the one row whose label begins as its own does (the longest common start, at least LABEL_MATCH characters,
    and only one such row); None if any measured row has no such row."""
    import os

    cells = [line.split("|")[1].strip() for line in body]
    body = list(body)
    for (figure, line), label in zip(new.items(), labels):
        shared = [len(os.path.commonprefix([label, cell])) for cell in cells]
        longest = max(shared, default=0)
        if longest < LABEL_MATCH or shared.count(longest) != 1:
            return None
        body[shared.index(longest)] = line
    return body


def readme_body_merged(rows: list[dict], lang: str, quick: bool) -> str:
    from bench.readme import machine

    command = "python -m bench --quick --readme" if quick else "python -m bench --readme"
    made = {"en": f"Written by `{command}`.", "fi": f"Kirjoitettu komennolla `{command}`."}[lang]
    return f"{merged_rows(rows, lang, quick)}\n\n{NOTES[lang]}\n\n{machine(lang)} {made}"


# -- bounds ---------------------------------------------------------------------------------------

def load_bounds(path: Path = BOUNDS) -> dict[str, dict[str, float]]:
    """bench/bounds.toml: for each mode ("quick", and "full" if present) the highest ratio of each figure."""
    with open(path, "rb") as handle:
        data = tomllib.load(handle)
    return {mode: {figure: float(bound) for figure, bound in table_.items()} for mode, table_ in data.items()
            if isinstance(table_, dict)}


def check(rows: list[dict], bounds: dict[str, float]) -> list[str]:
    """A sentence for every figure over its bound, or with no bound at all; empty when all hold."""
    problems = []
    for r in rows:
        bound = bounds.get(r["id"])
        if bound is None:
            problems.append(f"{r['id']}: ratio {r['ratio']:.2f}× has no bound in {BOUNDS.relative_to(ROOT)}")
        elif not r["ratio"] <= bound:
            problems.append(f"{r['id']}: ratio {r['ratio']:.2f}× is over its bound of {bound:.2f}× "
                            f"({r['label']['en']}: {_value(r, 'en')} against {_value(r, 'en', True)})")
    return problems


# -- the command ----------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["reliability"]:
        from bench.reliability import main as reliability
        return reliability(argv[1:])
    if argv[:1] == ["scoring"]:
        from bench.scoring import main as scoring
        return scoring(argv[1:])
    if argv[:1] == ["coding"]:
        from bench.coding import main as coding
        return coding(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0],
                                     epilog="python -m bench reliability --help: the Reliability section's counts; "
                                            "python -m bench coding --help: the reply coder's accuracy")
    parser.add_argument("--quick", action="store_true",
                        help="1,000 nodes, 1,000 sessions over small scenarios, fewer repeats: under a minute")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if a ratio passes its bound in bench/bounds.toml (the bounds are for --quick)")
    parser.add_argument("--bounds", type=Path, default=BOUNDS, help="check against this bounds file instead of bench/bounds.toml")
    parser.add_argument("--readme", action="store_true",
                        help="also write the table into the Performance section of README.md and README.fi.md")
    parser.add_argument("--lang", choices=("en", "fi"), default="en", help="the language of the printed table")
    parser.add_argument("--only", action="append", default=[], metavar="FIGURE",
                        help="run only the step giving this figure (e.g. report_lrs_10000; may be repeated); with "
                             "--readme, its rows replace theirs in the README's table and the others stay")
    args = parser.parse_args(argv)
    mode = "quick" if args.quick else "full"
    bounds = None
    if args.check:
        bounds = load_bounds(args.bounds).get(mode)
        if bounds is None:
            parser.error(f"{args.bounds} has no [{mode}] bounds" + ("" if args.quick else "; use --quick --check"))
    if args.only:
        unknown = sorted(set(args.only) - set(figures(args.quick)))
        if unknown:
            parser.error(f"no step of the {mode} run gives {', '.join(unknown)}; it gives: "
                         + ", ".join(figures(args.quick)))
    started = time.perf_counter()
    rows = run(args.quick, figures_=args.only) if args.only else run(args.quick)
    print(table(rows, args.lang, bounds, padded=True))
    print(f"\n{len(rows)} figures in {time.perf_counter() - started:.0f} s ({mode} run)")
    if args.readme:
        from bench.readme import fill

        body = readme_body_merged if args.only else readme_body
        written = fill(MARKER, lambda lang: body(rows, lang, args.quick))
        print(f"written into {', '.join(written) or 'no README'}", file=sys.stderr)
    if bounds is not None:
        problems = check(rows, bounds)
        for problem in problems:
            print(f"over bound: {problem}", file=sys.stderr)
        if problems:
            return 1
        print(f"every ratio within its bound ({args.bounds.name}, [{mode}])", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
