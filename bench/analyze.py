"""Benchmark: `analyze` on a generated 10,000-node scenario with mood conditions.

    python -m bench.analyze [--nodes 10000] [--repeat 3]

The scenario is shaped like a real training library: a reception desk routes
the trainee (three levels of hubs, no mood change) into one of about 400
conversations of some 24 nodes each, every one built like the shipped
scenarios: empathic opportunities, mood changes of every size on every choice,
choices guarded by mood and flag conditions, branches on arrival that walk the
customer out when distress runs high, a once-only "could you say that again?"
loop, four endings, and a global interrupt. Its words are short, so the file
is small for its size; the analysis does not read words anyway.

The baseline, timed in the same run on the same file, is a bare
`yaml.load(..., CSafeLoader)` parse: how long merely reading the file takes.
The table shows each step's time and its ratio to that baseline:

    load      our safe parse + schema + lint + the path check (`validate`)
    explore   the full state exploration and best/worst (what scoring needs)
    analyze   everything `python main.py analyze` computes, from scratch, on the loaded scenario
    command   load + analyze as the command runs them (the load's path check and the
              analysis share one exploration)
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import sys
import tempfile
import time
from pathlib import Path

EPISODE_NODES = 21  # 1 + 3 + 9 + 1 + 3 nodes, and 4 endings
GOOD = ["complex_reflection", "simple_reflection", "names_emotion", "validates", "explores", "open_question",
        "supports", "plans_together", "summarises", "affirms"]
BAD = ["lectures", "righting_reflex", "scripted_sympathy", "hides_behind_process", "dismisses", "false_promise"]
FLAGS = ("asked", "promised", "apologised", "visits")


def _choice(out, choice_id, goto, tags, mood=None, condition=None, sets=None, once=False, eccs=None):
    parts = [f"id: {choice_id}", f'text: "Say {choice_id}"', f"tags: [{', '.join(tags)}]"]
    if mood:
        parts.append("mood: {" + ", ".join(f"{k}: {v}" for k, v in mood.items()) + "}")
    if sets:
        parts.append("set: {" + ", ".join(f"{k}: {str(v).lower()}" for k, v in sets.items()) + "}")
    if condition:
        parts.append(f'if: "{condition}"')
    if once:
        parts.append("once: true")
    if eccs is not None:
        parts.append(f"eccs: {eccs}")
    parts.append('feedback: "Why."')
    parts.append(f"goto: {goto}")
    out.append("      - {" + ", ".join(parts) + "}")


def _node(out, node_id, opportunity=False, branches=(), ending=None):
    out.append(f"  - id: {node_id}")
    out.append(f'    line: "Line {node_id}"')
    if ending:
        out.append(f"    ending: {{outcome: {ending}}}")
        return
    out.append('    cue: "Cue."')
    out.append('    thought: "Thought."')
    if opportunity:
        out.append('    opportunity: "worried"')
    if branches:
        out.append("    branches:")
        for condition, goto in branches:
            out.append(f'      - {{when: "{condition}", goto: {goto}}}')
    out.append("    choices:")


def _episode(out, rng: random.Random, k: int):
    """One conversation of EPISODE_NODES nodes, branch and bottleneck, like the shipped scenarios.

    open -> 3 answers -> 9 follow-ups -> the bottleneck `mid` -> 3 closings -> four endings.
    Every choice moves the mood; some are guarded by mood or flag conditions; nodes before the
    bottleneck walk the customer out on arrival when distress runs high; the follow-ups offer
    a once-only "could you say that again?" that loops back to the same node.
    """
    p = f"e{k}_"
    good, bad = (lambda: [rng.choice(GOOD)]), (lambda: [rng.choice(BAD)])
    big = rng.choice((10, 20))
    endings = {"good": p + "good", "mixed": p + "mixed", "bad": p + "bad", "left": p + "left"}

    def node_with(node_id, children, depth, opportunity=False):
        branches = [(f"distress >= {rng.choice((75, 80, 85))}", endings["left"])] if depth in (2, 5) else []
        if depth == 4 and node_id.endswith("c0"):
            branches.append(("trust >= 70 and asked", p + "d1"))
        _node(out, node_id, opportunity=opportunity or rng.random() < 0.2, branches=branches)
        _choice(out, "listen", children[0], good(), {"trust": big // 2, "distress": -big // 2, "heard": 10}, eccs=4,
                sets={"asked": True} if depth < 3 else None)
        _choice(out, "check", children[1 % len(children)], ["closed_question"], {"heard": 5}, eccs=2)
        _choice(out, "fix", children[2 % len(children)], bad(), {"trust": -big, "distress": big}, eccs=1,
                sets={"promised": True} if depth == 1 else None)
        if depth in (1, 4):
            _choice(out, "deeper", children[0], good() + ["notices_cue"], {"trust": 5, "distress": -5},
                    condition=f"trust >= {rng.choice((35, 40))} or distress >= 55", eccs=4)
        if depth == 3:
            _choice(out, "again", node_id, ["closed_question"], {"distress": 5}, once=True, eccs=2)
        if depth == 5:
            _choice(out, "own_it", children[0], ["sincere_apology"], {"trust": 5},
                    condition="promised or trust < 45", sets={"apologised": True}, eccs=3)

    a = [p + f"a{i}" for i in range(3)]
    b = [p + f"b{i}" for i in range(9)]
    c = [p + f"c{i}" for i in range(3)]
    node_with(p + "open", a, 0, opportunity=True)
    for i, node_id in enumerate(a):
        node_with(node_id, b[3 * i:3 * i + 3], 1)
    for node_id in b:
        node_with(node_id, [p + "mid"], 2)
    node_with(p + "mid", c, 3, opportunity=True)
    for node_id in c:
        node_with(node_id, [endings["good"], endings["mixed"], endings["bad"]], 5)
    for outcome, node_id in endings.items():
        _node(out, node_id, ending=outcome)


def _hubs(episodes: int) -> int:
    count, level = 0, episodes
    while level > 1:
        level = -(-level // 9)
        count += level
    return count


def scenario_text(nodes: int = 10_000, seed: int = 3) -> str:
    """A valid scenario of about `nodes` nodes (see the module's docstring for its shape)."""
    rng = random.Random(seed)
    episodes = 1
    while episodes * EPISODE_NODES + _hubs(episodes) + 1 < nodes:  # at least `nodes` nodes in all
        episodes += 1
    out = [
        "# yaml-language-server: $schema=scenario.schema.json",
        "format: 1",
        f"id: bench_{nodes}",
        "title: {en: Generated library, fi: Generoitu kirjasto}",
        "languages: [en, fi]",
        "customer: {name: Testi, age: 60, situation: Generated., hidden: Nothing.}",
        "mood: {trust: 40, distress: 50, heard: 0}",
        "flags: {" + ", ".join(f"{name}: false" for name in FLAGS) + "}",
        "interrupts:",
        "  - {id: walks_out, when: distress >= 95, goto: walked_out}",
        "nodes:",
    ]
    # hubs: a tree of routing nodes (at most 9 choices each) over the episodes
    level = [f"e{k}_open" for k in range(episodes)]
    hub_count = 0
    while len(level) > 1:
        parents = []
        for first in range(0, len(level), 9):
            hub = f"hub{hub_count}"
            hub_count += 1
            parents.append((hub, level[first:first + 9]))
        level_ids = []
        for hub, children in parents:
            _node(out, hub)
            for number, child in enumerate(children):
                _choice(out, f"go{number}", child, ["open_question"])
            level_ids.append(hub)
        level = level_ids
    start = level[0]
    for k in range(episodes):
        _episode(out, rng, k)
    _node(out, "walked_out", ending="left")
    out.insert(out.index("nodes:"), f"start: {start}")
    return "\n".join(out) + "\n"


def write_scenario(folder: Path, nodes: int = 10_000, seed: int = 3) -> Path:
    path = Path(folder) / f"bench_{nodes}.yaml"
    path.write_text(scenario_text(nodes, seed), encoding="utf-8")
    return path


def _time(function, repeat: int, before=None) -> tuple[float, object]:
    """Best of `repeat` runs in CPU time (which leaves out the moments other processes had the CPU), each with
    the garbage collector paused (as the loader and explorer do)."""
    times, value = [], None
    for _ in range(repeat):
        if before is not None:
            before()
        gc.collect()
        gc.disable()
        try:
            started = time.process_time()
            value = function()
            times.append(time.process_time() - started)
        finally:
            gc.enable()
    return min(times), value


def measure(nodes: int, repeat: int, folder: Path, steps=("load", "explore", "analyze", "command")) -> dict:
    """Time the baseline parse and each of `steps` (best of `repeat`) on a generated scenario of `nodes` nodes.

    Returns seconds per step under "baseline" and each step's name, and the scenario's size: "nodes",
    "bytes", "states", "moves", "paths", "complete". Needs KUULE_HOME pointing into `folder` (so no
    path-check answers cached on disk by earlier runs are reused); `main` and `python -m bench` set it.
    """
    import yaml

    from game.analysis.analyze import analyze
    from game.engine import paths
    from game.scenario import loader
    from game.scenario.loader import load_scenario

    path = write_scenario(folder, nodes)
    data = path.read_bytes()
    home = Path(os.environ["KUULE_HOME"])

    def baseline():
        return yaml.load(data, Loader=yaml.CSafeLoader)

    def forget():  # every load does all its work: no in-process or on-disk reuse
        loader._RECENT.clear()
        for cached in home.rglob("*.json"):
            cached.unlink()

    def load():
        return load_scenario(path)

    result = {"nodes": nodes, "bytes": len(data)}
    load_time, loaded = _time(load, repeat if "load" in steps else 1, before=forget)
    if loaded.scenario is None:
        raise RuntimeError("the generated scenario does not load:\n"
                           + "\n".join(d.format() for d in loaded.errors[:5]))
    scenario = loaded.scenario
    if "load" in steps:
        result["load"] = load_time

    def explore():
        graph = paths.StateGraph(scenario).explore()
        return graph, paths.solve_graph(graph)

    if "explore" in steps:
        result["explore"], _ = _time(explore, repeat)

    def fresh():
        paths._GRAPHS.pop(scenario, None)

    analyze_times, base_times = [], []
    for _ in range(repeat):  # the baseline and analyze take turns, so a noisy moment hits both
        base_times.append(_time(baseline, 1)[0])
        seconds, report = _time(lambda: analyze(scenario), 1, before=fresh)
        analyze_times.append(seconds)
    result["baseline"], result["analyze"] = min(base_times), min(analyze_times)
    graph = paths.explored(scenario)
    result.update(nodes=len(scenario.nodes), states=len(graph.states), moves=sum(len(out) for out in graph.edges),
                  paths=report.paths, complete=graph.complete)
    if "analyze" not in steps:
        del result["analyze"]

    def command():  # what `python main.py analyze FILE` does: load (its path check explores), then analyze
        return analyze(load_scenario(path).scenario)

    if "command" in steps:
        result["command"], _ = _time(command, repeat, before=forget)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    folder = Path(tempfile.mkdtemp(prefix="kuule-bench-"))
    os.environ["KUULE_HOME"] = str(folder / "home")  # no path-check answers cached on disk from earlier runs
    try:
        result = measure(args.nodes, args.repeat, folder)
    except RuntimeError as error:
        print(error)
        return 1
    base, analyze_time = result["baseline"], result["analyze"]
    rows = [
        ("baseline: CSafeLoader parse", base),
        ("load (= validate: parse, schema, lint, path check)", result["load"]),
        ("explore + best/worst from scratch (scoring)", result["explore"]),
        ("analyze from scratch, on the loaded scenario", analyze_time),
        ("the command: load + analyze (exploration shared)", result["command"]),
    ]
    print(f"Scenario: {result['nodes']:,} nodes, {result['bytes'] / 1e6:.1f} MB, {result['states']:,} states, "
          f"{result['moves']:,} moves, paths: {result['paths']:,}")
    print(f"Best of {args.repeat} runs, garbage collector paused while timing, Python {sys.version.split()[0]}\n")
    width = max(len(name) for name, _ in rows)
    print(f"{'step':<{width}}  {'seconds':>8}  {'x baseline':>10}")
    for name, seconds in rows:
        print(f"{name:<{width}}  {seconds:8.3f}  {seconds / base:10.2f}")
    target = 2.0
    print(f"\nanalyze {'meets' if analyze_time < target else 'MISSES'} the target of {target:.0f} s "
          f"({analyze_time:.2f} s); states explored: {result['states']:,}; complete: {result['complete']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
