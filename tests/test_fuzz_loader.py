"""Fuzzing the scenario and plan loaders: whatever a trainer's file holds, the answer is diagnostics or a scenario.

Three kinds of input: documents shaped like real scenarios (with every field sometimes wrong),
the shipped scenarios and plans with random damage, and raw bytes. For each one the loader
must return (never raise, never hang), every diagnostic must carry a known code, messages in
English and Finnish and a place inside the file, and a scenario it calls playable must play
through the real engine without a crash.
"""

from __future__ import annotations

import random
import re
from collections import Counter
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.analysis.plans import load_plan, run_plan
from game.analysis.walker import walk
from game.engine import Conversation, UnknownChoice, rules
from game.scenario.diagnostics import CATALOGUE, ERROR, HINTS, Diagnostic
from game.scenario.loader import load_scenario
from game.scenario.rubric import load_rubric
from tests.reliability import tally

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))
RUBRIC = load_rubric()
TAGS = sorted(RUBRIC.tags)

# libyaml counts all of these as line breaks, so diagnostics may too
_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


@pytest.fixture(scope="module")
def workdir():
    """One folder for the module: Hypothesis runs many examples in one test call."""
    with tempfile.TemporaryDirectory(prefix="kuule-fuzz-") as folder:
        yield Path(folder)


# -- what every answer must look like -------------------------------------------------------------

def check_diagnostics(diagnostics: list[Diagnostic], data: bytes, file: str) -> None:
    """Each diagnostic names a known code, reads in both languages and points inside the file."""
    lines = _BREAKS.split(data.decode("utf-8-sig", "replace"))
    for d in diagnostics:
        assert d.code in CATALOGUE, d
        assert d.file == file, d
        english, finnish = d.message("en"), d.message("fi")
        assert english.strip() and finnish.strip(), d
        assert d.hint is None or d.hint[0] in HINTS, d
        d.hint_text("en"), d.hint_text("fi")
        assert d.format("fi").startswith(f"{file}:{d.line}:{d.col}: ")
        assert d.as_json()["code"] == d.code
        assert isinstance(d.line, int) and isinstance(d.col, int), d
        assert 1 <= d.line <= len(lines), (d.format(), len(lines))
        assert 1 <= d.col <= len(lines[d.line - 1]) + 1, (d.format(), len(lines[d.line - 1]))
        if d.severity == ERROR:
            assert d.hint_text("en") and d.hint_text("fi"), f"an error without a hint: {d.format()}"


def play_a_little(scenario, result) -> None:
    """Seeded playthroughs: nothing may crash, and the engine must agree with the pure rules."""
    limited = any(d.code == "KU063" for d in result.diagnostics)
    if len(scenario.nodes) <= 12:
        report = walk(scenario, walks=3, seed=7, rollback_rate=0.2, max_turns=60, graph_limit=3000)
        problems = [p for p in report.problems if "no ending after" not in p
                    and not (limited and "no choice is available" in p)]
        assert not problems, problems
        return
    # A big scenario: a few turns that stop short of an ending, since scoring an ending first
    # explores every path of the scenario (seconds for each new version of a shipped one).
    conversation = Conversation(scenario, seed=11)
    rng = random.Random(11)
    for _ in range(6):
        views = [view for view in conversation.choices if view.available]
        assert views or limited, f"stuck at '{conversation.node.id}'"
        steps = {view.id: rules.step(scenario, conversation.state, conversation.node.choice(view.id)) for view in views}
        onward = [choice_id for choice_id, (state, _) in steps.items() if scenario.nodes[state.node].ending is None]
        if not onward:
            return
        choice_id = rng.choice(onward)
        before = conversation.state
        conversation.choose(choice_id)
        assert conversation.state == steps[choice_id][0]
        if rng.random() < 0.3:
            conversation.rollback()
            assert conversation.state == before
        with pytest.raises(UnknownChoice):
            conversation.choose("no_such_choice")


def load_and_check(path: Path, file: str | None = None):
    data = path.read_bytes()
    result = load_scenario(path, display=file)
    check_diagnostics(result.diagnostics, data, file or str(path))
    if result.scenario is not None:
        assert not any(d.is_error and d.code < "KU060" for d in result.diagnostics)
    if result.playable is not None:
        play_a_little(result.playable, result)
    return result


# -- (a) documents shaped like scenarios ----------------------------------------------------------

NODE_IDS = ["start", "ask", "listen", "hub", "again", "end_good", "end_bad", "end_left"]
FLAG_NAMES = ["asked", "promised", "count", "trust", "turn", "not"]  # the last three are reserved
VARIABLES = ["trust", "distress", "heard", "turn", "asked", "promised", "count", "nobody"]

odd = st.one_of(
    st.none(), st.booleans(), st.integers(-10**20, 10**20),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=4), st.integers(), max_size=3),
    st.sampled_from(["", "x" * 5000, "ä\u2028ö", "1e400", "-0", "null"]),
)


@st.composite
def maybe(draw, strategy, rate):
    """Mostly the right kind of value; at `rate`, something else entirely."""
    return draw(odd) if rate and draw(st.integers(0, 999)) < rate * 1000 else draw(strategy)


def pick(good, bad, rate):
    """One of the good values, or with some `rate` of carelessness a bad one too."""
    return st.sampled_from(list(good) * 3 + list(bad)) if rate else st.sampled_from(list(good))


def _expression(names):
    atom = st.one_of(st.sampled_from(names), st.integers(-5, 120).map(str), st.sampled_from(["true", "false"]))

    def extend(inner):
        return st.one_of(
            st.tuples(inner, st.sampled_from([" and ", " or ", " < ", " >= ", " == ", " != ", " + ", " - "]),
                      inner).map("".join),
            inner.map(lambda e: f"not {e}"), inner.map(lambda e: f"-{e}"), inner.map(lambda e: f"({e})"),
        )

    return st.recursive(atom, extend, max_leaves=8)


CLEAN_CONDITION = _expression(["trust", "distress", "heard", "turn", "asked", "promised", "count"])
CONDITION = st.one_of(
    CLEAN_CONDITION,
    _expression(VARIABLES + ["1.5", "'x'", "x.y", "f()", "[1]", "10000000", "a ** 2", "x if y else z", "a in b"]),
    st.text(alphabet="()[]{}<>=!.:*/'\"# andortrue", max_size=30),
    st.sampled_from(["x" * 300, "", "   ", "trust > 1e3", "lambda: 1", "__import__('os')", "(" * 100 + ")" * 100]))
WORDS = st.one_of(st.sampled_from(["Hei", "Hello there", "Mitä kuuluu?", "Näin: ei", "'quoted'", "#", "- x"]),
                  st.text(min_size=1, max_size=15))
CLEAN_TEXT = st.one_of(WORDS, st.fixed_dictionaries({"en": WORDS, "fi": WORDS}))
TEXT = st.one_of(CLEAN_TEXT, st.dictionaries(st.sampled_from(["en", "fi", "sv", "xx1"]), WORDS, min_size=1, max_size=3))
FLAG_VALUES = st.one_of(st.booleans(), st.integers(-10, 10))
BAD_IDS = ["nowhere", "Start", "9x", "end good", "x" * 70]


class Spec:
    """How careful the writer is (`rate`), and the node IDs the document has."""

    def __init__(self, rate, ids):
        self.rate, self.ids = rate, ids
        self.text = TEXT if rate else CLEAN_TEXT
        self.condition = CONDITION if rate else CLEAN_CONDITION
        self.goto = pick(ids, BAD_IDS + NODE_IDS, rate)
        self.endings = [i for i in ids if i.startswith("end")]

    def maybe(self, strategy):
        return maybe(strategy, self.rate)


@st.composite
def choice(draw, index, spec):
    m = spec.maybe
    goto = spec.goto
    if index == 0 and spec.endings and draw(st.booleans()):
        goto = st.sampled_from(spec.endings)  # keeps a way out, so careful documents often end up playable
    item = {"id": draw(m(pick([f"c{index}"], ["dup", "x" * 70, "1bad", "ok"], spec.rate))),
            "text": draw(m(spec.text)), "goto": draw(m(goto))}
    if draw(st.booleans()):
        item["tags"] = draw(m(st.lists(pick(TAGS, ["made_up", "Open_question"], spec.rate), max_size=4)))
    if draw(st.booleans()):
        item["mood"] = draw(m(st.dictionaries(pick(["trust", "distress", "heard"], ["joy"], spec.rate),
                                              m(st.integers(-150, 150) if spec.rate else st.integers(-100, 100)),
                                              max_size=3)))
    if draw(st.integers(0, 3)) == 0:
        item["set"] = draw(m(st.dictionaries(pick(["asked", "promised", "count"], ["undeclared", "trust"], spec.rate),
                                             m(FLAG_VALUES), max_size=2)))
    if draw(st.integers(0, 3)) == 0:
        item["if"] = draw(m(spec.condition))
    if draw(st.integers(0, 4)) == 0:
        item["once"] = draw(m(st.booleans()))
    if draw(st.integers(0, 4)) == 0:
        item["eccs"] = draw(m(st.integers(-1, 7) if spec.rate else st.integers(0, 6)))
    if draw(st.integers(0, 6)) == 0:
        item["feedback"] = draw(m(spec.text))
    if spec.rate and draw(st.integers(0, 20)) == 0:
        item[draw(st.sampled_from(["unknown", "goto ", "If"]))] = 1
    return item


@st.composite
def node(draw, node_id, spec):
    m = spec.maybe
    item = {"id": node_id, "line": draw(m(spec.text))}
    for name in ("cue", "thought", "opportunity"):
        if draw(st.booleans()):
            item[name] = draw(m(spec.text))
    kind = draw(st.integers(0, 9))
    if node_id.startswith("end") or kind == 0:
        item["ending"] = draw(m(st.fixed_dictionaries(
            {"outcome": m(pick(["good", "mixed", "bad", "left"], ["great", "Good"], spec.rate))},
            optional={"title": spec.text, "summary": spec.text})))
    elif draw(st.integers(0, 5)) == 0:
        item["branches"] = draw(m(st.lists(st.fixed_dictionaries(
            {"goto": spec.goto}, optional={"when": spec.condition}), max_size=3)))
    if not node_id.startswith("end") or (spec.rate and kind == 1):
        count = draw(st.integers(0 if spec.rate else 1, 4))
        item["choices"] = draw(m(st.tuples(*[choice(i, spec) for i in range(count)]).map(list)))
    return item


@st.composite
def scenario_document(draw):
    # about half the documents are written with care, the rest with a stray value here and there
    rate = draw(st.sampled_from([0, 0, 0.03, 0.1]))
    ids = draw(st.lists(st.sampled_from(NODE_IDS), min_size=1, max_size=8))  # repeats give duplicate IDs
    if not rate:
        ids = list(dict.fromkeys(ids + ["end_good"]))
    spec = Spec(rate, ids)
    m = spec.maybe
    document = {
        "format": draw(m(st.just(1))),
        "id": draw(m(pick(["fuzzed", "Fuzzed_2"], ["bad id", "1x"], rate))),
        "title": draw(m(spec.text)),
        "languages": draw(m(st.one_of(pick([["en"], ["fi"], ["en", "fi"], ["fi", "en"]], [[], ["EN"], ["en", "en"]], rate), *[
                                      st.lists(pick(["en", "fi", "sv"], ["english", ""], rate), max_size=3)] * bool(rate)))),
        "customer": draw(m(st.fixed_dictionaries(
            {"name": spec.text, "situation": spec.text, "hidden": spec.text},
            optional={"age": m(st.integers(0, 130) if rate else st.integers(1, 120)),
                      "look": st.fixed_dictionaries({}, optional={
                          "hair": pick(["white", "grey"], ["green"], rate), "glasses": m(st.booleans())})}))),
        "nodes": [draw(node(node_id, spec)) for node_id in ids],
    }
    if draw(st.booleans()):
        document["mood"] = draw(m(st.dictionaries(pick(["trust", "distress", "heard"], ["calm"], rate),
                                                  m(st.integers(-20, 120) if rate else st.integers(0, 100)),
                                                  max_size=3)))
    if rate:
        if draw(st.booleans()):
            document["flags"] = draw(m(st.dictionaries(st.sampled_from(FLAG_NAMES), m(FLAG_VALUES), max_size=4)))
    else:  # conditions of careful documents may read these
        document["flags"] = {"asked": draw(st.booleans()), "promised": draw(FLAG_VALUES), "count": draw(FLAG_VALUES)}
    if draw(st.integers(0, 2)) == 0:
        document["interrupts"] = draw(m(st.lists(st.fixed_dictionaries(
            {"id": st.sampled_from(["walks_out", "phone"]), "when": spec.condition, "goto": spec.goto}),
            max_size=2, unique_by=lambda i: i["id"])))
    if draw(st.integers(0, 3)) == 0:
        document["start"] = draw(m(spec.goto))
    for name, values in (("description", spec.text), ("difficulty", pick(["easy", "hard"], ["epic"], rate)),
                         ("shuffle_choices", st.booleans())):
        if draw(st.integers(0, 3)) == 0:
            document[name] = draw(m(values))
    if rate and draw(st.integers(0, 3)) == 0:  # leave out a required field now and then
        document.pop(draw(st.sampled_from(sorted(document))))
    return document


@st.composite
def plan_document(draw, scenario):
    nodes = [n for n in scenario.get("nodes", []) if isinstance(n, dict)]
    steps = [f"{n.get('id')}.{c.get('id')}" for n in nodes if isinstance(n.get("choices"), list)
             for c in n["choices"] if isinstance(c, dict)] + ["nope", "start.nope", "1.x"]
    steps += [s.split(".", 1)[1] for s in steps if "." in s]
    share = st.fixed_dictionaries({}, optional={"min": st.floats(0, 1), "max": st.floats(-0.5, 1.5)})
    case = st.fixed_dictionaries(
        {"name": st.sampled_from(["a", "b", "a case"]), "choices": st.lists(st.sampled_from(steps), max_size=6)},
        optional={"ending": st.sampled_from(NODE_IDS + BAD_IDS), "outcome": st.sampled_from(["good", "bad", "meh"]), "ended": st.booleans(),
                  "at": st.sampled_from(NODE_IDS + BAD_IDS), "listening": share, "empathy": share, "overall": share,
                  "mood": st.fixed_dictionaries({}, optional={"trust": st.fixed_dictionaries(
                      {}, optional={"min": st.integers(-5, 105), "max": st.integers(-5, 105)})}),
                  "available": st.lists(st.sampled_from([s.rpartition(".")[2] for s in steps]), max_size=3),
                  "hidden": st.lists(st.sampled_from(["c0", "c1"]), max_size=2)})
    return {"format": draw(maybe(st.just(1), 0.05)), "cases": draw(maybe(st.lists(case, min_size=1, max_size=4), 0.05))}


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data):  # a value used twice is written out twice, not as an alias
        return True


def dump(document) -> str:
    return yaml.dump(document, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


@given(data=st.data())
def test_documents_shaped_like_scenarios_give_diagnostics_or_a_playable_scenario(workdir, data):
    """Whatever a trainer writes in the fields of a scenario and its plan, validation answers with
    located diagnostics (or a scenario that plays) and never crashes."""
    document = data.draw(scenario_document(), label="scenario")
    path = workdir / "fuzzed.yaml"
    path.write_text(dump(document), encoding="utf-8")
    result = load_and_check(path)
    inputs = 1
    if data.draw(st.integers(0, 2), label="with a plan") == 0:
        plan_path = workdir / "fuzzed.plan.yaml"
        plan_bytes = dump(data.draw(plan_document(document), label="plan")).encode("utf-8")
        plan_path.write_bytes(plan_bytes)
        loaded = load_plan(plan_path)
        check_diagnostics(loaded.diagnostics, plan_bytes, str(plan_path))
        if loaded.plan is not None:
            assert result.playable is not None
            outcomes = run_plan(loaded.plan)
            assert len(outcomes) == len(loaded.plan.cases)
        plan_path.unlink()
        inputs += 1
    tally("fuzz.structured_documents", inputs)


def test_the_document_strategy_reaches_playable_scenarios_and_many_codes(workdir):
    """The generator is only useful if it makes both good and broken scenarios: check it does."""
    codes, playable, runs, refusals = set(), 0, 0, Counter()

    # enough examples that the set of codes does not hang on the luck of one run
    @settings(max_examples=250, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(document=scenario_document())
    def probe(document):
        nonlocal playable, runs
        runs += 1
        path = workdir / "probe.yaml"
        path.write_text(dump(document), encoding="utf-8")
        result = load_scenario(path)
        codes.update(d.code for d in result.diagnostics)
        playable += result.playable is not None
        refusals[" ".join(sorted({d.code for d in result.errors}))] += 1

    probe()
    tally("fuzz.structured_documents", runs)
    assert playable >= 1, f"no generated scenario of {runs} was playable; errors: {refusals.most_common(8)}"
    missing = {"KU010", "KU012", "KU013", "KU014", "KU022"} - codes
    assert not missing, f"no generated document of {runs} gave {sorted(missing)}; seen: {sorted(codes)}"


# -- (b) shipped files with random damage ---------------------------------------------------------

REPLACEMENTS = [b"~", b"[]", b"{}", b"-1", b"99999999999999999999", b"true", b"'", b'"\\0"', b"[[[[", b"&a x",
                b"*a", b"!!python/object:os.system", b"1.5e999", b"\xff\xfe", b"\t", b"\x00", b"{a: 1, a: 2}",
                b"\xe2\x80\xa8", b"---", b"? x", b"|", b">-", b"%YAML 1.1"]


@st.composite
def mutated(draw):
    source = draw(st.sampled_from([p for p in SHIPPED if p.name != "rubric.yaml"]), label="file")
    lines = source.read_bytes().splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            lines = [b"\n"]
        where = draw(st.integers(0, len(lines) - 1))
        operation = draw(st.sampled_from(["delete", "duplicate", "swap", "indent", "dedent", "flip", "truncate",
                                          "replace_value", "insert", "cut_line"]), label="operation")
        line = lines[where]
        if operation == "delete":
            del lines[where]
        elif operation == "duplicate":
            lines.insert(where, line)
        elif operation == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[where], lines[other] = lines[other], line
        elif operation == "indent":
            lines[where] = b" " * draw(st.integers(1, 5)) + line
        elif operation == "dedent":
            lines[where] = line.lstrip(b" ")
        elif operation == "flip":
            data = bytearray(b"".join(lines))
            spot = draw(st.integers(0, len(data) - 1))
            data[spot] ^= 1 << draw(st.integers(0, 7))
            lines = bytes(data).splitlines(keepends=True)
        elif operation == "truncate":
            data = b"".join(lines)
            lines = data[: draw(st.integers(0, len(data)))].splitlines(keepends=True)
        elif operation == "replace_value":
            key, colon, _ = line.partition(b": ")
            if colon:
                value = draw(st.one_of(st.sampled_from(REPLACEMENTS), st.binary(max_size=8)))
                lines[where] = key + colon + value + b"\n"
        elif operation == "insert":
            lines.insert(where, draw(st.sampled_from(REPLACEMENTS)) + b"\n")
        else:
            cut = draw(st.integers(0, len(line)))
            lines[where] = line[:cut]
    return source, b"".join(lines)


@given(case=mutated())
def test_shipped_scenarios_and_plans_with_random_damage_give_diagnostics(workdir, case):
    """A trainer's slip (a line lost, doubled or moved, indentation off, a stray byte, a wrong value)
    in a real scenario or plan gives located diagnostics, never a crash."""
    source, data = case
    if source.name.endswith(".plan.yaml"):
        # the plan is read in the shipped folder's company: its scenario is the real one beside it
        folder = workdir / "plans"
        folder.mkdir(exist_ok=True)
        scenario = source.with_name(source.name.replace(".plan.yaml", ".yaml"))
        target = folder / scenario.name
        if not target.exists():
            target.write_bytes(scenario.read_bytes())
        plan_path = folder / source.name
        plan_path.write_bytes(data)
        loaded = load_plan(plan_path)
        check_diagnostics(loaded.diagnostics, data, str(plan_path))
        # (running the cases is left to the structured test: scoring a shipped scenario's
        # ending explores all its paths, seconds each time)
    else:
        path = workdir / source.name
        path.write_bytes(data)
        load_and_check(path)
    tally("fuzz.mutated_scenarios", 1)


# -- (c) raw bytes --------------------------------------------------------------------------------

yamlish = st.lists(st.sampled_from([b"nodes:", b"- ", b"  ", b"id: ", b"x", b"\n", b"[", b"]", b"{", b"}", b",",
                                    b":", b"'", b'"', b"#", b"&", b"*", b"!", b"|", b">", b"?", b"%", b"@", b"`",
                                    b"\t", b"\r", b"\xc3", b"\xa4", b"\x00", b"\xef\xbb\xbf", b"---", b"...",
                                    b"format: 1\n", b"9" * 20, b"\\x", b"\xe2\x80\xa8"]), max_size=60).map(b"".join)


@given(data=st.one_of(st.binary(max_size=400), yamlish))
def test_raw_bytes_give_diagnostics(workdir, data):
    """Any bytes at all named as a scenario, or as a plan, end as diagnostics."""
    path = workdir / "raw.yaml"
    path.write_bytes(data)
    load_and_check(path)
    plan_path = workdir / "raw.plan.yaml"
    plan_path.write_bytes(data)
    loaded = load_plan(plan_path)
    check_diagnostics(loaded.diagnostics, data, str(plan_path))
    tally("fuzz.raw_bytes", 2)
