"""Benchmark: `report` over 10,000 generated sessions (about 300,000 events).

    python -m bench.report [--sessions 10000] [--sizes 1000,10000,100000] [--repeat 3] [--keep DIR]

Sessions are played through the real engine and written by the real SessionLog
(fsync switched off while generating, to save time; the format is the same),
over the shipped scenarios, the engine test scenario and a generated 30-node
scenario (whose conversations run longer), by 250 trainees with improving
attempts. Copies are picked so that a session has 30 events on average:
10,000 sessions, about 300,000 events. Then, for each size (the first
N logs, hard-linked into a folder of their own), in this same run and
interleaved, it times and measures the peak memory of:
  baseline   reading every log line by line (no parsing): the floor for any reader
  libraries  the same with Jinja2, PyYAML and matplotlib imported: the floor for the report's memory
  parse      json-parsing every line: what a naive reader pays
  report     the real `python main.py report DIR --out report.html --all-modes`
  1 process  the same with the report's helper process turned off
each in a fresh process, every report cold (an empty KUULE_HOME), and prints
the medians and their ratios to the baseline of the same size. Peak memory is
each process's own peak RSS, and for the report also the peak of it and its
helper process together. Targets: report < 5 s at 10,000 sessions; < 15 s and < 300 MiB at 100,000.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BASELINE = """
import sys, pathlib
n = 0
for path in sorted(pathlib.Path(sys.argv[1]).glob('*.jsonl')):
    with open(path, 'rb') as handle:
        for line in handle:
            n += 1
print(n)
"""

# The same reading with the libraries a report stands on already imported (Jinja2, PyYAML, matplotlib with
# its fonts): the floor for the report's memory, so the ratio shows what Kuule itself holds, not its imports.
LIBRARIES = """
import jinja2, yaml, matplotlib
from matplotlib.figure import Figure
from matplotlib.font_manager import fontManager
""" + BASELINE

# The least any report of these logs with these libraries does: import Jinja2, PyYAML and matplotlib,
# json-parse every line, and draw one chart as SVG. It takes a time comparable to the report's, so the
# ratio is not a small process set against a big one (whose start-up alone would swing it).
FLOOR = """
import io, json, pathlib, sys
import jinja2, yaml
from matplotlib.figure import Figure
n = 0
for path in sorted(pathlib.Path(sys.argv[1]).glob('*.jsonl')):
    with open(path, 'rb') as handle:
        for line in handle:
            json.loads(line)
            n += 1
figure = Figure(figsize=(6, 3))
figure.add_subplot().plot(range(n % 50 + 10))
figure.savefig(io.StringIO(), format='svg')
print(n)
"""

PARSE = """
import sys, pathlib, json
n = 0
for path in sorted(pathlib.Path(sys.argv[1]).glob('*.jsonl')):
    with open(path, 'rb') as handle:
        for line in handle:
            json.loads(line)
            n += 1
print(n)
"""


def _template_scenarios(folder: Path, quick: bool) -> list:
    """The scenarios sessions are played over.

    Normally the shipped scenarios, the engine test scenario and a generated 30-node scenario (whose
    conversations run longer). Working out a scenario's best scores, which every finished session
    records, takes from seconds to minutes for these; `quick` plays instead over scenarios that take
    milliseconds: the test fixtures and a small generated library (bench/analyze.py's shape).
    """
    from game.scenario.loader import load_scenario

    if quick:
        from bench.analyze import write_scenario as write_library

        paths = [ROOT / "tests/fixtures/engine.yaml", ROOT / "tests/fixtures/mini.yaml", write_library(folder, 120)]
    else:
        from bench.generate import write_scenario
        from game.commands.files import shipped_scenarios

        paths = [*shipped_scenarios(), ROOT / "tests/fixtures/engine.yaml", write_scenario(folder, 30)]
    return [s for s in (load_scenario(p).scenario for p in paths) if s is not None]


def _play_templates(folder: Path, count: int, rng: random.Random, quick: bool = False) -> list[Path]:
    """Play `count` sessions through the real engine and SessionLog (fsync off while generating)."""
    from game.engine import Conversation
    from game.session import log as session_log

    scenarios = _template_scenarios(folder, quick)
    real_fsync = os.fsync
    os.fsync = lambda fd: None
    paths, failed = [], 0
    try:
        for index in range(count):
            scenario = scenarios[index % len(scenarios)]
            mode = "assessment" if rng.random() < 0.6 else "practice"
            log = session_log.SessionLog.start(scenario, trainee="template", mode=mode, lang=rng.choice(["en", "fi"]),
                                               seed=rng.randrange(1 << 30), log_dir=folder)
            try:
                conversation = Conversation(scenario, seed=log.seed, listeners=[log])
                skill = rng.random()
                turns = 0
                while not conversation.ended and turns < 40:
                    views = [v for v in conversation.choices if v.available]
                    good = [v for v in views if not scenario.rubric.is_harmful(v.tags)]
                    pool = good if good and rng.random() < skill else views
                    conversation.choose(rng.choice(pool).id)
                    turns += 1
                    if mode == "practice" and conversation.can_rollback and not conversation.ended and rng.random() < 0.05:
                        conversation.rollback()
            except Exception as error:  # noqa: BLE001 - a scenario being edited must not stop the benchmark
                failed += 1
                log.close()
                log.path.unlink()
                print(f"skipped a {scenario.id} session: {type(error).__name__}: {error}", file=sys.stderr)
                continue
            log.close()
            paths.append(log.path)
            if (index + 1) % 30 == 0 or index + 1 == count:
                print(f"  played {index + 1} of {count} template sessions", file=sys.stderr, flush=True)
    finally:
        os.fsync = real_fsync
    if failed:
        print(f"{failed} of {count} template sessions failed and were left out", file=sys.stderr)
    return paths


EVENTS_PER_SESSION = 30  # 10,000 sessions, about 300,000 events


def generate(folder: Path, sessions: int, seed: int = 1, templates: int = 210, first: int = 0,
             quick: bool = False) -> int:
    """`sessions` logs in `folder`: real sessions played once, then copied as other trainees' attempts.

    Each copy gets its own session ID, trainee and start time, and its hash chain is rebuilt,
    so every copy is a valid, verifiable log. Copies are drawn from the shorter or the longer
    half of the played sessions, whichever keeps the running mean at EVENTS_PER_SESSION events.
    `first` numbers the copies on after logs already in the folder; `quick` plays the templates over
    small scenarios (see `_template_scenarios`). Returns the number of event lines written (every
    line but the header).
    """
    import json
    import uuid
    from datetime import datetime, timedelta, timezone

    sys.path.insert(0, str(ROOT))
    from game.session import chain

    rng = random.Random(seed)
    scratch = Path(tempfile.mkdtemp(prefix="kuule-templates-"))
    try:
        played = _play_templates(scratch, templates, rng, quick)
        records = []
        for path in played:
            lines = [json.loads(raw) for raw in path.read_bytes().splitlines()]
            records.append([{k: v for k, v in r.items() if k not in ("n", "prev", "hash")} for r in lines])
        records = [r for r in records if len(r) >= 6]  # leave out conversations over after a turn or two
        records.sort(key=len)
        short = [r for r in records if len(r) - 1 < EVENTS_PER_SESSION]
        long = [r for r in records if len(r) - 1 >= EVENTS_PER_SESSION]
        if not short or not long:
            short = long = records
        if (scratch / "scenarios").is_dir():
            shutil.copytree(scratch / "scenarios", folder / "scenarios", dirs_exist_ok=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    trainees = [f"Trainee {i:03d}" for i in range(250)]
    start = datetime(2025, 1, 6, 8, 0, tzinfo=timezone.utc)
    written = 0
    for count, index in enumerate(range(first, first + sessions)):
        pool = long if written < EVENTS_PER_SESSION * count else short
        template = pool[rng.randrange(len(pool))]
        header = dict(template[0], session=uuid.UUID(int=rng.getrandbits(128)).hex, trainee=trainees[index % 250],
                      started=(start + timedelta(minutes=7 * index)).isoformat(timespec="microseconds"))
        data, prev = [], ""
        for n, record in enumerate([header] + template[1:], 1):
            line, prev = chain.encode(record, n, prev)
            data.append(line)
        (folder / f"{20250106 + index // 200:08d}T000000-{index:08x}.jsonl").write_bytes(b"".join(data))
        written += len(data) - 1
        if (count + 1) % 2000 == 0:
            print(f"  wrote {count + 1:,} of {sessions:,} session logs", file=sys.stderr, flush=True)
    return written


def generate_into(folder: Path, sessions: int, quick: bool = False) -> None:
    """Make sure `folder` holds at least `sessions` logs, generating the missing ones in a process of their
    own (playing big scenarios leaves large caches behind, and tearing them down takes long)."""
    folder.mkdir(parents=True, exist_ok=True)
    existing = len(list(folder.glob("*.jsonl")))
    if existing >= sessions:
        return
    command = [sys.executable, "-m", "bench.report", "--generate", str(sessions - existing), str(folder)]
    env = dict(os.environ)
    env.setdefault("KUULE_HOME", str(folder / "home"))
    if quick:
        env["KUULE_BENCH_QUICK_TEMPLATES"] = "1"
    run = subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    if run.returncode != 0:
        raise SystemExit("generating the logs failed")


# Linux carries a process's peak RSS across exec, so a child started straight from this (big)
# process would report our peak, not its own. A tiny launcher starts it instead and reports on a
# pipe: the wall time, the child's own peak RSS, and the peak of the memory of the child and its
# helper processes together (PSS: pages they share counted once), sampled every 100 ms from /proc
# (each sample reads /proc/PID/smaps_rollup, about a millisecond: more often would slow what is measured).
LAUNCHER = """
import os, sys, threading, time
fd = int(sys.argv[1])
started = time.perf_counter()
pid = os.posix_spawn(sys.argv[2], sys.argv[2:], os.environ, file_actions=[(os.POSIX_SPAWN_CLOSE, fd)])
ended = {}
def wait():
    ended["result"] = os.wait4(pid, 0)
    ended["seconds"] = time.perf_counter() - started
waiter = threading.Thread(target=wait)
waiter.start()
def tree(root):
    found, todo = [], [root]
    while todo:
        one = todo.pop()
        found.append(one)
        try:
            with open(f"/proc/{one}/task/{one}/children") as handle:
                todo += [int(child) for child in handle.read().split()]
        except OSError:
            pass
    return found
def pss(one):
    try:
        with open(f"/proc/{one}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0
total = 0
while waiter.is_alive():
    total = max(total, sum(pss(one) for one in tree(pid)))
    waiter.join(0.1)
_, status, usage = ended["result"]
cpu = usage.ru_utime + usage.ru_stime  # its own and its helpers' (each waited for): user and system
os.write(fd, f"{ended['seconds']} {usage.ru_maxrss} {total} {os.waitstatus_to_exitcode(status)} {cpu}".encode())
"""


def measure(command: list[str], env: dict | None = None) -> tuple[float, float, float, str, float]:
    """(seconds, peak RSS in MiB of that process alone, peak MiB of it and its helpers, stdout, CPU seconds of it
    and its helpers) of a command."""
    read_end, write_end = os.pipe()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        launcher = subprocess.Popen([sys.executable, "-c", LAUNCHER, str(write_end), *command], stdout=out, stderr=err,
                                    cwd=ROOT, pass_fds=(write_end,), env=env)
        os.close(write_end)
        with os.fdopen(read_end, "rb") as pipe:
            report = pipe.read().decode()
        launcher.wait()
        out.seek(0)
        err.seek(0)
        seconds, peak_kib, total_kib, status, cpu = report.split() if report else ("0", "0", "0", "1", "0")
        if launcher.returncode != 0 or int(status) != 0:
            raise SystemExit(f"{' '.join(command)} failed:\n{err.read().decode(errors='replace')[-2000:]}")
        return float(seconds), int(peak_kib) / 1024, int(total_kib) / 1024, out.read().decode(), float(cpu)


def subset(folder: Path, files: list[Path], count: int) -> Path:
    """A folder beside `folder` (the report reads folders recursively) with its first `count` logs, hard-linked."""
    if count >= len(files):
        return folder
    target = folder.with_name(f"{folder.name}-first-{count}")
    if len(list(target.glob("*.jsonl"))) != count:
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir()
        for path in files[:count]:
            os.link(path, target / path.name)
        if (folder / "scenarios").is_dir():
            shutil.copytree(folder / "scenarios", target / "scenarios")
    return target


def _median(values):
    values = sorted(values)
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


# `report` with the helper process turned off: everything in one process (for comparison only)
ONE_PROCESS = """
import sys
import game.report.build as build
build.HELPER_FROM = float("inf")
from game.cli import main
sys.argv = ["main.py", *sys.argv[1:]]
sys.exit(main())
"""

# sessions -> (seconds, peak MiB or None) the report should stay under (wall time, the process's own peak)
TARGETS = {10_000: (5, None), 100_000: (15, 300)}

MEASURES = (("baseline", "read every line, no parsing"),
            ("libraries", "the same, with Jinja2, PyYAML and matplotlib loaded"), ("parse", "json.loads every line"),
            ("floor", "Jinja2, PyYAML and matplotlib loaded, json.loads every line, one chart drawn as SVG"),
            ("report", "python main.py report DIR --out FILE --all-modes"),
            ("1 process", "the same with its helper process turned off"))


def bench(folder: Path, repeat: int, names: tuple[str, ...] = tuple(name for name, _ in MEASURES),
          progress=None) -> dict:
    """Interleaved runs over one folder of `names` (of MEASURES): median seconds, largest peaks. Every report
    starts cold: an empty KUULE_HOME, so no scenario checks cached on disk by an earlier run. `progress`: called
    with a line after each run."""
    python = sys.executable
    out = folder / "report.html"
    arguments = ["report", str(folder), "--out", str(out), "--all-modes"]
    commands = {"baseline": [python, "-c", BASELINE, str(folder)], "libraries": [python, "-c", LIBRARIES, str(folder)],
                "parse": [python, "-c", PARSE, str(folder)], "floor": [python, "-c", FLOOR, str(folder)],
                "report": [python, "main.py", *arguments], "1 process": [python, "-c", ONE_PROCESS, *arguments]}
    commands = {name: command for name, command in commands.items() if name in names or name == "baseline"}
    runs = {name: [] for name in commands}
    lines = 0
    for round_ in range(repeat):
        for name, command in commands.items():
            with tempfile.TemporaryDirectory(prefix="kuule-home-") as home:
                seconds, peak, total, stdout, cpu = measure(command, dict(os.environ, KUULE_HOME=home))
            runs[name].append((seconds, peak, total, cpu))
            if progress is not None:
                progress(f"    run {round_ + 1} of {repeat}, {name}: {seconds:.1f} s, CPU {cpu:.1f} s, "
                         f"peak {peak:.0f} MiB" + (f" (with its helper {total:.0f} MiB)" if name == "report" else ""))
            if name == "baseline":
                lines = int(stdout.strip())
    files = sorted(folder.glob("*.jsonl"))
    result = {"logs": len(files), "lines": lines, "events": lines - len(files), "page": out.stat().st_size / 2**20,
              "mib": sum(p.stat().st_size for p in files) / 2**20}
    for name, values in runs.items():
        result[name] = (_median([v[0] for v in values]), max(v[1] for v in values), max(v[2] for v in values))
    result["best"] = {name: min(v[0] for v in values) for name, values in runs.items()}
    result["least_cpu"] = {name: min(v[3] for v in values) for name, values in runs.items()}
    return result


def table(results: list[dict], repeat: int, load: tuple[float, float]) -> list[str]:
    lines = [f"{'sessions':>8} {'events':>8} {'log MiB':>7} | {'':9} {'seconds':>7} {'ratio':>6} {'peak MiB':>8} "
             f"{'+ helper':>8}"]
    for r in results:
        for index, (name, _note) in enumerate(MEASURES):
            seconds, peak, total = r[name]
            head = f"{r['logs']:8,} {r['events']:8,} {r['mib']:7.0f}" if index == 0 else " " * 25
            lines.append(f"{head} | {name:9} {seconds:7.2f} {seconds / r['baseline'][0]:6.2f} {peak:8.0f} "
                         f"{total if name == 'report' else peak:8.0f}")
    lines += ["", *(f"{name}: {note}" for name, note in MEASURES),
              "seconds: median of {} interleaved runs, each in a fresh process, every report cold (empty KUULE_HOME); "
              "ratio: to the baseline of the same size in the same run".format(repeat),
              "peak MiB: the process's own peak RSS; + helper: the peak of the report and its helper process together "
              "(PSS, sampled every 100 ms)",
              f"{results[-1]['page']:.1f} MiB page at {results[-1]['logs']:,} sessions; "
              f"load average before and after: {load[0]:.2f}, {load[1]:.2f}"]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--sizes", default=None, help="comma-separated session counts to measure (default: --sessions)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each measurement (medians are shown)")
    parser.add_argument("--keep", default=None, help="generate into (or reuse) this folder and keep it")
    parser.add_argument("--generate", nargs=2, metavar=("SESSIONS", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        started = time.perf_counter()
        folder = Path(args.generate[1])
        existing = len(list(folder.glob("*.jsonl")))
        lines = generate(folder, int(args.generate[0]), seed=1 + existing, first=existing,
                         quick=os.environ.get("KUULE_BENCH_QUICK_TEMPLATES") == "1")
        print(f"  generated {int(args.generate[0]):,} sessions, {lines:,} events in "
              f"{time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
        sys.stderr.flush()
        os._exit(0)  # tearing down the engine's caches of big scenarios can take minutes, and nothing needs it
    sizes = sorted({int(n) for n in args.sizes.split(",")}) if args.sizes else [args.sessions]
    wanted = max([args.sessions, *sizes])
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="kuule-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("KUULE_HOME", str(folder / "home"))  # the generator's; every report gets an empty one
    try:
        generate_into(folder, wanted)
        files = sorted(folder.glob("*.jsonl"))
        load = os.getloadavg()[0]
        results = [bench(subset(folder, files, size), args.repeat) for size in sizes]
        lines = table(results, args.repeat, (load, os.getloadavg()[0]))
        print("\n".join(lines))
        for result in results:
            target = TARGETS.get(result["logs"])
            if target is not None:
                seconds, peak = result["report"][0], result["report"][1]
                met = seconds < target[0] and (target[1] is None or peak < target[1])
                print(f"report target < {target[0]} s" + (f" and < {target[1]} MiB" if target[1] else "")
                      + f" at {result['logs']:,} sessions: {'met' if met else 'NOT met'} ({seconds:.2f} s, {peak:.0f} MiB)")
        return 0
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
            for size in sizes:
                shutil.rmtree(folder.with_name(f"{folder.name}-first-{size}"), ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
