"""Benchmarks of the core: validate, load + lint + engine build, and a choice in the engine.

Each figure is measured against a baseline taken in the same run, because this
machine is noisy; the ratio is the figure that means something.

    python -m bench.core            # 1,000- and 10,000-node scenarios
    python -m bench.core --quick    # 1,000 nodes only
"""

from __future__ import annotations

import argparse
import gc
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _best_of(function, repeat: int) -> float:
    """The least CPU time of `repeat` runs: CPU time leaves out the moments other processes had the CPU,
    and the least is the run the machine disturbed least."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        function()
        times.append(time.process_time() - start)
    return min(times)


def run_cpu(command: list[str], env: dict | None = None) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of a command run to its end; CPU time is the process's own and that of the
    processes it waited for, user and system, which other work on the machine hardly changes."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=False, capture_output=True, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def trainer_env() -> dict:
    """This environment as on a user's machine, where Python keeps the compiled bytecode of what it imports
    (CI sets PYTHONDONTWRITEBYTECODE, which would make every fresh process compile Kuule anew)."""
    import os

    return {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def validate_shipped(repeat: int = 5) -> dict:
    """`python main.py validate scenarios` against starting Python and importing PyYAML: the least CPU time
    of `repeat` fresh processes of each, taking turns.

    Measured warm, as a trainer meets it while editing: files unchanged since the last run are
    answered from the on-disk cache. The cold run (empty caches: every file checked, every
    path check worked out) is reported beside it.
    """
    import os
    ours_command = [sys.executable, "main.py", "validate", "scenarios"]
    base_command = [sys.executable, "-c", "import yaml"]
    os.environ["KUULE_HOME"] = tempfile.mkdtemp()
    run_cpu(ours_command, trainer_env())  # Python compiles the bytecode once
    os.environ["KUULE_HOME"] = tempfile.mkdtemp()
    cold = run_cpu(ours_command, trainer_env())[1]
    ours, base = [], []
    for _ in range(repeat):  # taking turns, so a noisy moment hits both
        ours.append(run_cpu(ours_command, trainer_env())[1])
        base.append(run_cpu(base_command, trainer_env())[1])
    return {"what": f"validate scenarios/ (whole process, warm, CPU; cold: {_format_seconds(cold)})",
            "seconds": min(ours), "baseline": "python -c 'import yaml'", "baseline_seconds": min(base),
            "ratio": min(ours) / min(base)}


def _forget_caches(folder: Path) -> None:
    import os

    from game.analysis import findings
    from game.scenario import loader

    loader._RECENT.clear()
    findings._CHECKED.clear()
    os.environ["KUULE_HOME"] = tempfile.mkdtemp(dir=folder)


def load_lint_build(nodes: int, folder: Path, repeat: int) -> dict:
    """load_scenario (parse, schema, lint, model) + Conversation build, against a bare CSafeLoader parse."""
    import yaml

    from bench.generate import write_scenario
    from game.engine import Conversation
    from game.scenario.loader import load_scenario

    path = write_scenario(folder, nodes)
    data = path.read_bytes()

    def bare():
        collecting = gc.isenabled()
        gc.disable()  # the fairest, fastest baseline: with gc on, PyYAML is ~2.5x slower still
        try:
            yaml.load(data, Loader=yaml.CSafeLoader)
        finally:
            if collecting:
                gc.enable()

    def ours():
        _forget_caches(folder)  # every repetition starts cold: no reuse in memory or on disk
        result = load_scenario(path)
        assert result.scenario is not None, [d.format() for d in result.errors[:3]]
        Conversation(result.scenario, seed=1)

    base, mine = [], []
    for _ in range(repeat):  # taking turns, so a noisy moment hits both
        base.append(_best_of(bare, 1))
        mine.append(_best_of(ours, 1))
    base, mine = min(base), min(mine)
    return {"what": f"load + lint + engine build, {nodes:,} nodes ({len(data) / 1e6:.1f} MB)", "seconds": mine,
            "baseline": "yaml.load(CSafeLoader), gc off", "baseline_seconds": base, "ratio": mine / base}


def choice_cost(nodes: int, folder: Path, turns: int = 2000, repeat: int = 5) -> dict:
    """Conversation.choose against firing a bare transitions trigger: CPU time per answer, the least of `repeat`
    rounds of `turns` of each, taking turns (one round's mean hides the clock's grain; the least round is the one
    the machine disturbed least)."""
    from transitions import Machine

    from bench.generate import write_scenario
    from game.engine import Conversation
    from game.scenario.loader import load_scenario

    scenario = load_scenario(write_scenario(folder, nodes)).scenario

    class Model:
        pass

    model = Model()
    machine = Machine(model=model, states=["a", "b"], initial="a", auto_transitions=False)
    machine.add_transition("go", "a", "b")
    machine.add_transition("go", "b", "a")
    ours, base = [], []
    conversation = Conversation(scenario, seed=1)
    started = 1
    for _ in range(repeat):
        spent = 0.0
        for _ in range(turns):
            if conversation.ended:
                started += 1
                conversation = Conversation(scenario, seed=started)
            choice = next(view.id for view in conversation.choices if view.available)
            start = time.process_time()
            conversation.choose(choice)
            spent += time.process_time() - start
        ours.append(spent / turns)
        start = time.process_time()
        for _ in range(turns):
            model.go()
        base.append((time.process_time() - start) / turns)
    mine, bare = min(ours), min(base)
    return {"what": f"one choice in the engine ({nodes:,}-node scenario)", "seconds": mine,
            "baseline": "a bare transitions trigger", "baseline_seconds": bare, "ratio": mine / bare,
            "ratios": [o / b for o, b in zip(ours, base)]}


def start_cost(folder: Path, small: int = 100, big: int = 10_000, repeat: int = 301) -> dict:
    """Starting a conversation in a `big`-node scenario against starting one in a `small`-node one: CPU time,
    the median of `repeat` starts of each, taking turns (resume, hot reload and replay all start conversations)."""
    from bench.generate import write_scenario
    from game.engine import Conversation
    from game.scenario.loader import load_scenario

    scenarios = {size: load_scenario(write_scenario(folder, size)).scenario for size in (small, big)}
    spent = {small: [], big: []}
    for index in range(repeat):
        for size in (small, big) if index % 2 else (big, small):
            start = time.process_time()
            Conversation(scenarios[size], seed=index)
            spent[size].append(time.process_time() - start)
    median = {size: sorted(values)[len(values) // 2] for size, values in spent.items()}
    return {"seconds": median[big], "baseline_seconds": median[small], "ratio": median[big] / median[small]}


# Runs a command and reports its CPU time and peak memory alone (a process's RUSAGE_CHILDREN peak is the largest
# of all its children so far, so each measured command gets a fresh parent of its own).
_MEASURE = ("import resource, subprocess, sys\n"
            "subprocess.run(sys.argv[1:], stdin=sys.stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
            "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
            "print(usage.ru_utime + usage.ru_stime, usage.ru_maxrss)")


def _measured_process(command: list[str], stdin: bytes = b"", env: dict | None = None) -> tuple[float, float]:
    """(CPU seconds, peak RSS in MiB) of one command run to its end, stdin given."""
    done = subprocess.run([sys.executable, "-c", _MEASURE, *command], cwd=ROOT, input=stdin, capture_output=True,
                          env=env, check=True)
    cpu, peak = done.stdout.split()[-2:]
    return float(cpu), int(peak) / 1024


# What `play --text` is typed: 1, 2, 3 over and over (an answer not possible now is refused and the next number
# tried), enough for every turn of a 300-node conversation; tests/test_scaling_guards.py checks it reaches the debrief.
PLAY_INPUT = b"1\n2\n3\n" * 1000


def scale_300(folder: Path, repeat: int = 3, analyze: bool = True) -> dict:
    """A 300-node scenario shaped like real ones (mood conditions on every node, flags set and read): a whole
    `play --text` session from process start to its debrief, and a whole `analyze`, each against `validate` of
    the same file (the same start-up, reading and checks: what is left is the session's own cost, and the
    analysis's). One `validate` first fills the cache of the load-time path check, as a trainer's first
    `validate` does; then `play` and `validate` take turns `repeat` times, and the least of each counts. Each
    `validate` has its own answer cache emptied first, so that it reads and checks the file as `play` does (both
    take the path check from its cache; an answered `validate` would only hash the file).
    `analyze` (seconds) is run once, unless `analyze` is false."""
    import os
    import shutil

    from bench.generate import write_scenario

    path = write_scenario(folder, 300)
    env = {**os.environ, "KUULE_HOME": str(folder / "home")}
    base = [sys.executable, "main.py"]
    validate_command = base + ["validate", str(path)]
    play_command = base + ["play", str(path), "--text", "--seed", "1", "--log-dir", str(folder / "play-logs")]
    # (a log folder of its own: `report` reads folder / "logs", and must not meet these sessions there)
    _measured_process(validate_command, env=env)
    validate, play, play_rss = [], [], 0.0
    for _ in range(repeat):
        shutil.rmtree(folder / "home" / "cache" / "validate", ignore_errors=True)
        validate.append(_measured_process(validate_command, env=env)[0])
        cpu, rss = _measured_process(play_command, PLAY_INPUT, env=env)
        play.append(cpu)
        play_rss = max(play_rss, rss)
    found = {"validate": min(validate), "play": min(play), "play_rss": play_rss}
    if analyze:
        found["analyze"], found["analyze_rss"] = _measured_process(base + ["analyze", str(path)], env=env)
    return found


def _format_seconds(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


HEADERS = {"en": "| measured | time | baseline | baseline time | ratio |",
           "fi": "| mitattu | aika | vertailukohta | vertailuaika | suhde |"}


def table(rows: list[dict], lang: str = "en") -> str:
    lines = [HEADERS[lang], "|---|---:|---|---:|---:|"]
    for row in rows:
        lines.append(f"| {row['what']} | {_format_seconds(row['seconds'])} | {row['baseline']} | "
                     f"{_format_seconds(row['baseline_seconds'])} | {row['ratio']:.2f}× |")
    return "\n".join(lines)


def machine() -> str:
    import os
    import platform
    return f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores, {platform.machine()}"


def write_readmes(rows: list[dict]) -> None:
    """Put the table between the bench-core markers of README.md and README.fi.md."""
    from bench.readme import fill

    fill("bench-core", lambda lang: f"{table(rows, lang)}\n\n{machine()}, {time.strftime('%Y-%m-%d')}.")


def run(quick: bool = False) -> list[dict]:
    sizes = (1000,) if quick else (1000, 10000)
    rows = [validate_shipped(3 if quick else 5)]
    with tempfile.TemporaryDirectory() as folder:
        for nodes in sizes:
            rows.append(load_lint_build(nodes, Path(folder), 1 if nodes >= 10000 else 3))
        rows.append(choice_cost(sizes[-1], Path(folder)))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000-node scenario only")
    parser.add_argument("--readme", action="store_true", help="also write the table into README.md and README.fi.md")
    args = parser.parse_args(argv)
    rows = run(args.quick)
    print(table(rows))
    if args.readme:
        write_readmes(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
