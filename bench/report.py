"""Benchmark: `report` over 10,000 generated sessions (about 300,000 events).

    python -m bench.report [--sessions 10000] [--keep DIR]

Sessions are played through the real engine and written by the real SessionLog
(fsync switched off while generating, to save time; the format is the same),
over the shipped scenarios, by 250 trainees with improving attempts. Then, in
this same run, it times and measures peak memory of:
  baseline  reading every log line by line (no parsing): the floor for any reader
  parse     json-parsing every line: what a naive reader pays
  report    the real `python main.py report DIR --out report.html --all-modes`
each in a fresh process, and prints the ratios. Target: report < 5 s.
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


def _play_templates(folder: Path, count: int, rng: random.Random) -> list[Path]:
    """Play `count` sessions through the real engine and SessionLog (fsync off while generating)."""
    from game.commands.files import shipped_scenarios
    from game.engine import Conversation
    from game.scenario.loader import load_scenario
    from game.session import log as session_log

    scenarios = [s for s in (load_scenario(p).scenario for p in shipped_scenarios()) if s is not None]
    scenarios += [load_scenario(ROOT / "tests/fixtures/engine.yaml").scenario]
    real_fsync = os.fsync
    os.fsync = lambda fd: None
    paths = []
    try:
        for index in range(count):
            scenario = scenarios[index % len(scenarios)]
            mode = "assessment" if rng.random() < 0.6 else "practice"
            log = session_log.SessionLog.start(scenario, trainee="template", mode=mode, lang=rng.choice(["en", "fi"]),
                                               seed=rng.randrange(1 << 30), log_dir=folder)
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
            log.close()
            paths.append(log.path)
    finally:
        os.fsync = real_fsync
    return paths


def generate(folder: Path, sessions: int, seed: int = 1, templates: int = 200) -> int:
    """`sessions` logs in `folder`: real sessions played once, then copied as other trainees' attempts.

    Each copy gets its own session ID, trainee and start time, and its hash chain is rebuilt,
    so every copy is a valid, verifiable log. Returns the number of event lines written.
    """
    import json
    import uuid
    from datetime import datetime, timedelta, timezone

    sys.path.insert(0, str(ROOT))
    from game.session import chain

    rng = random.Random(seed)
    scratch = Path(tempfile.mkdtemp(prefix="kuule-templates-"))
    try:
        played = _play_templates(scratch, templates, rng)
        records = []
        for path in played:
            lines = [json.loads(raw) for raw in path.read_bytes().splitlines()]
            records.append([{k: v for k, v in r.items() if k not in ("n", "prev", "hash")} for r in lines])
        records.sort(key=len)
        records = records[len(records) // 3:]  # the longer two thirds: about 30 lines a session
        if (scratch / "scenarios").is_dir():
            shutil.copytree(scratch / "scenarios", folder / "scenarios", dirs_exist_ok=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    trainees = [f"Trainee {i:03d}" for i in range(250)]
    start = datetime(2025, 1, 6, 8, 0, tzinfo=timezone.utc)
    written = 0
    for index in range(sessions):
        template = records[rng.randrange(len(records))]
        header = dict(template[0], session=uuid.UUID(int=rng.getrandbits(128)).hex, trainee=trainees[index % 250],
                      started=(start + timedelta(minutes=7 * index)).isoformat(timespec="microseconds"))
        data, prev = [], ""
        for n, record in enumerate([header] + template[1:], 1):
            line, prev = chain.encode(record, n, prev)
            data.append(line)
        (folder / f"{20250106 + index // 200:08d}T000000-{index:08x}.jsonl").write_bytes(b"".join(data))
        written += len(data) - 1
    return written


def measure(command: list[str]) -> tuple[float, float, str]:
    """(seconds, peak RSS in MiB, stdout) of a child process."""
    import resource

    started = time.perf_counter()
    run = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - started
    if run.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{run.stderr[-2000:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest child so far
    return seconds, peak, run.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--keep", default=None, help="generate into (or reuse) this folder and keep it")
    args = parser.parse_args()
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="kuule-bench-"))
    os.environ.setdefault("KUULE_HOME", str(folder / "home"))
    try:
        existing = len(list(folder.glob("*.jsonl")))
        if existing < args.sessions:
            started = time.perf_counter()
            lines = generate(folder, args.sessions - existing)
            print(f"generated {args.sessions - existing} sessions, {lines} event lines in "
                  f"{time.perf_counter() - started:.1f} s")
        files = sorted(folder.glob("*.jsonl"))
        size = sum(p.stat().st_size for p in files) / 2**20
        python = sys.executable
        base_s, base_mb, base_out = measure([python, "-c", BASELINE, str(folder)])
        parse_s, parse_mb, _ = measure([python, "-c", PARSE, str(folder)])
        out = folder / "report.html"
        report_s, report_mb, _ = measure([python, "main.py", "report", str(folder), "--out", str(out), "--all-modes"])
        lines = int(base_out.strip())
        print(f"{len(files)} logs, {lines} lines ({lines - len(files)} events), {size:.0f} MiB")
        print(f"{'':10} {'seconds':>8} {'peak MiB':>9} {'time ratio':>11}")
        print(f"{'baseline':10} {base_s:8.2f} {base_mb:9.0f} {1:11.2f}   (read every line, no parsing)")
        print(f"{'parse':10} {parse_s:8.2f} {parse_mb:9.0f} {parse_s / base_s:11.2f}   (json.loads every line)")
        print(f"{'report':10} {report_s:8.2f} {report_mb:9.0f} {report_s / base_s:11.2f}   "
              f"(python main.py report --all-modes; {out.stat().st_size / 2**20:.1f} MiB page)")
        print(f"report target < 5 s: {'met' if report_s < 5 else 'NOT met'}")
        return 0
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
