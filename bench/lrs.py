"""Benchmark: `report --lrs` over 10,000 sessions held by a real Ralph LRS on 127.0.0.1.

    python -m bench.lrs [--sessions 10000] [--repeat 2] [--keep DIR]

The sessions are generated as for `report` (bench/report.py: played through the
real engine, copied as other trainees' attempts), turned into statements by the
product (`python main.py xapi LOGS --out FILE`) and posted to a fresh Ralph
(filesystem backend, tests/services/ralph_lrs.py) by the product's sender
(game.xapi.send.send) in batches of 5,000. Live, Kuule sends a session at a
time, 50 statements a request; Ralph's filesystem backend reads its whole store
for every request, so filling it that way with 10,000 sessions would take hours.

Then, in the same run and taking turns, each in a fresh process:
  baseline  a bare paging loop fetching every statement (urllib, `limit=0`, `more`
            links followed, the bodies not parsed): what the LRS itself costs
  report    `python main.py report --lrs URL --out FILE --all-modes`
with the CPU time of the client and of Ralph (from /proc) together (the figure:
the least of the runs, as the other figures, so that a busy machine hardly moves
it), the wall time (what a coach waits, on an idle machine about the same), and
the client's peak memory. One more
read, in this process and untimed, counts the HTTP requests and checks that every
statement came back exactly once.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BATCH = 5000

BASELINE = """
import base64, re, sys, urllib.parse, urllib.request
url, user, password = sys.argv[1:4]
token = base64.b64encode(f"{user}:{password}".encode()).decode()
headers = {"Authorization": f"Basic {token}", "X-Experience-API-Version": "1.0.3"}
query, pages, size = "limit=0", 0, 0
while query:
    request = urllib.request.Request(f"{url}/xAPI/statements?{query}", headers=headers)
    with urllib.request.urlopen(request, timeout=3600) as response:
        body = response.read()
    pages += 1
    size += len(body)
    more = re.search(rb'"more":"[^"?]*[?]([^"]*)"', body[:4096])  # Ralph puts `more` first
    query = more.group(1).decode() if more and b'"statements":[]' not in body[:4096] else None
print(pages, size)
"""


def available() -> bool:
    sys.path.insert(0, str(ROOT))
    from tests.services import ralph_lrs

    return ralph_lrs.available()


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time of a running process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def fill(folder: Path, sessions: int, say=print):
    """Generate `sessions` logs, turn them into statements, start Ralph in `folder` and post them.
    Returns (the running RalphLRS, the statements' IDs)."""
    sys.path.insert(0, str(ROOT))
    from bench.report import generate_into
    from game.xapi.send import Client, send
    from tests.services.ralph_lrs import RalphLRS

    logs = folder / "logs"
    generate_into(logs, sessions)
    out = folder / "statements.json"
    env = dict(os.environ, KUULE_HOME=str(folder / "home"))
    say(f"    turning {sessions:,} logs into statements: python main.py xapi {logs} --out {out.name}")
    made = subprocess.run([sys.executable, "main.py", "xapi", str(logs), "--out", str(out)], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    if made.returncode != 0:
        raise SystemExit(f"xapi failed:\n{made.stderr[-2000:]}")
    statements = json.loads(out.read_text(encoding="utf-8"))
    out.unlink()
    lrs = RalphLRS(folder / "ralph").start()
    client = Client(lrs.url, lrs.user, lrs.password, timeout=3600)
    started = time.perf_counter()
    try:
        for first in range(0, len(statements), BATCH):
            report = send(statements[first:first + BATCH], client, batch_size=BATCH)
            if not report.ok:
                raise SystemExit(f"Ralph did not store every statement: {report.errors[-1:]}")
            say(f"    posted {min(first + BATCH, len(statements)):,} of {len(statements):,} statements "
                f"({time.perf_counter() - started:.0f} s)")
    except BaseException:
        lrs.stop()
        raise
    return lrs, [s["id"] for s in statements]


def measure(lrs, ids: list[str], sessions: int, folder: Path, repeat: int, say=print) -> dict:
    """Interleaved runs of the baseline and the report: least wall times, CPU times, peak memory, requests."""
    sys.path.insert(0, str(ROOT))
    from bench.report import measure as run_measured
    from game.xapi.fetch import iter_statements
    from game.xapi.send import Client

    python = sys.executable
    commands = {"baseline": [python, "-c", BASELINE, lrs.url, lrs.user, lrs.password],
                "report": [python, "main.py", "report", "--lrs", lrs.url, "--user", lrs.user,
                           "--out", str(folder / "report.html"), "--all-modes"]}
    runs: dict[str, list] = {name: [] for name in commands}
    pages = size = 0
    for index in range(repeat):
        for name, command in commands.items():
            with tempfile.TemporaryDirectory(prefix="kuule-home-") as home:
                env = dict(os.environ, KUULE_HOME=home, KUULE_LRS_PASSWORD=lrs.password, LANG="C")
                before = _cpu_seconds(lrs.process.pid)
                seconds, peak, _total, stdout, cpu = run_measured(command, env)
                ralph = _cpu_seconds(lrs.process.pid) - before
            runs[name].append((seconds, cpu, ralph, peak))
            if name == "baseline":
                pages, size = map(int, stdout.split())
            elif f"Read {sessions} session(s)" not in stdout:
                raise SystemExit(f"report --lrs did not read the {sessions:,} sessions:\n{stdout[-2000:]}")
            say(f"    run {index + 1} of {repeat}, {name}: {seconds:.1f} s wall, {cpu:.1f} s CPU, "
                f"Ralph {ralph:.1f} s CPU, peak {peak:.0f} MiB")
    client = Client(lrs.url, lrs.user, lrs.password, timeout=3600)
    seen = [s.get("id") for s in iter_statements(client)]
    if len(seen) != len(ids) or set(seen) != set(ids):
        raise SystemExit(f"reading the LRS gave {len(seen):,} statements ({len(set(seen)):,} different), "
                         f"not the {len(ids):,} posted")
    wall = {name: min(v[0] for v in values) for name, values in runs.items()}
    both = {name: min(v[1] + v[2] for v in values) for name, values in runs.items()}  # the client's and Ralph's
    ralph = {name: min(v[2] for v in values) for name, values in runs.items()}
    return {"report": both["report"], "report_wall": wall["report"], "report_ralph": ralph["report"],
            "report_peak": max(v[3] for v in runs["report"]),
            "baseline": both["baseline"], "baseline_wall": wall["baseline"], "baseline_ralph": ralph["baseline"],
            "pages": pages, "mib": size / 2**20, "statements": len(ids), "requests": client.requests}


def bench(sessions: int, repeat: int, folder: Path, say=print) -> dict:
    lrs, ids = fill(folder, sessions, say)
    try:
        result = measure(lrs, ids, sessions, folder, repeat, say)
    finally:
        lrs.stop()
    result["sessions"] = sessions
    return result


def row(result: dict, repeat: int) -> dict:
    """The README table's row of a run."""
    from bench.__main__ import _n, row as table_row
    from bench.readme import number

    n, s, r = result["sessions"], result["statements"], result["requests"]
    peak, mib = result["report_peak"], result["mib"]
    wall, base_wall = result["report_wall"], result["baseline_wall"]
    ralph, base_ralph = result["report_ralph"], result["baseline_ralph"]
    least = {"en": f", least of {repeat}" if repeat > 1 else "", "fi": f", pienin {repeat} ajosta" if repeat > 1 else ""}
    return table_row(
        "report_lrs_10000" if n == 10_000 else f"report_lrs_{n}",
        {"en": f"`report --lrs` over {_n(n, 'en')} sessions ({_n(s, 'en')} statements, {number(mib, 'en')} MB in "
               f"{_n(r, 'en')} request{'s' if r != 1 else ''}) from Ralph on 127.0.0.1: CPU time of Kuule and Ralph"
               f"{least['en']} (Ralph's {number(ralph, 'en', 1)} s; wall time {number(wall, 'en', 1)} s; peak memory "
               f"{_n(peak, 'en')} MiB)",
         "fi": f"`report --lrs` {_n(n, 'fi')} istunnosta ({_n(s, 'fi')} lausumaa, {number(mib, 'fi')} Mt "
               f"{_n(r, 'fi')} pyynnöllä) Ralphista osoitteessa 127.0.0.1: Kuulen ja Ralphin suoritinaika"
               f"{least['fi']} (Ralphin {number(ralph, 'fi', 1)} s; seinäkelloaika {number(wall, 'fi', 1)} s; "
               f"muistin huippu {_n(peak, 'fi')} MiB)"},
        result["report"],
        {"en": f"a bare paging loop fetching the same statements (urllib, no parsing): the LRS's own cost (Ralph's "
               f"{number(base_ralph, 'en', 1)} s; wall time {number(base_wall, 'en', 1)} s)",
         "fi": f"pelkkä sivutussilmukka, joka hakee samat lausumat (urllib, ei jäsennystä): LRS:n oma osuus "
               f"(Ralphin {number(base_ralph, 'fi', 1)} s; seinäkelloaika {number(base_wall, 'fi', 1)} s)"},
        result["baseline"], decimals=2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=2, help="runs of each, taking turns (the least is shown)")
    parser.add_argument("--keep", default=None, help="generate the logs into (or reuse) this folder and keep it")
    args = parser.parse_args()
    if not available():
        print("Ralph is not installed: run tests/services/install-ralph.sh", file=sys.stderr)
        return 2
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="kuule-bench-lrs-"))
    folder.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(folder / "ralph", ignore_errors=True)  # a fresh LRS every time
    os.environ.setdefault("KUULE_HOME", str(folder / "home"))
    say = lambda message: print(message, file=sys.stderr, flush=True)  # noqa: E731
    try:
        result = bench(args.sessions, args.repeat, folder, say)
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    print(json.dumps(result, indent=1))
    ratio = result["report"] / result["baseline"]
    print(f"report --lrs: {result['report']:.1f} s CPU (Kuule and Ralph) against the bare fetch's "
          f"{result['baseline']:.1f} s = {ratio:.2f}×; wall {result['report_wall']:.1f} s against "
          f"{result['baseline_wall']:.1f} s; target < 10 s wall: {'met' if result['report_wall'] < 10 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
