"""Hostile files through the real `python main.py validate`: refused with a located diagnostic, quickly.

Each case runs the command in a child process with a timeout, so a hang or a crash of the
interpreter fails the test instead of stalling it. What a trainer relies on: exit code 1, a
`file:line:col: error KUxxx` line, no traceback, and an answer within seconds; and, where it
is cheap, the same answer from `load_scenario` in this process. (tests/test_safe_yaml.py
covers the parser's own positions and limits.)
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from game.analysis.plans import load_plan
from game.scenario.loader import load_scenario
from tests.reliability import scaled, tally

ROOT = Path(__file__).resolve().parent.parent
GOOD = (ROOT / "tests" / "fixtures" / "mini.yaml").read_text(encoding="utf-8")
DIAGNOSTIC = re.compile(r"^(?P<file>.+):(?P<line>\d+):(?P<col>\d+): error (?P<code>KU\d{3}): \S")
SECONDS = 20  # the child process's time limit; every case takes well under a second or two


def validate(*paths, seconds=SECONDS):
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "main.py", "validate", "--lang", "en", *map(str, paths)], cwd=ROOT,
                          env=env, capture_output=True, timeout=seconds)
    return done, time.perf_counter() - started


def refused_by_cli(path, code, line=None, col=None, seconds=5.0):
    """Validate one file in a child process; the first diagnostic must be `code` at a place in the file."""
    done, took = validate(path)
    out = done.stdout.decode("utf-8", "replace")
    err = done.stderr.decode("utf-8", "replace")
    assert "Traceback" not in out + err, (out + err)[-3000:]
    assert done.returncode == 1, (done.returncode, out[-2000:], err[-2000:])
    found = [DIAGNOSTIC.match(text) for text in out.splitlines()]
    found = [match for match in found if match]
    assert found, out[-2000:]
    first = found[0]
    assert first["file"] == str(path) and first["code"] == code, out[:2000]
    if line is not None:
        assert (int(first["line"]), int(first["col"])) == (line, col), out[:2000]
    assert len(out) < 20_000, "the output echoes the input"
    assert took < seconds, f"validate took {took:.1f} s"
    tally("hostile.cases")
    return out


def refused_in_process(path, code, line=None, col=None):
    result = load_scenario(path)
    assert result.scenario is None
    first = result.diagnostics[0]
    assert first.code == code
    if line is not None:
        assert (first.line, first.col) == (line, col)
    return first


def write(folder: Path, name: str, data) -> Path:
    path = folder / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


# -- memory and time bombs ------------------------------------------------------------------------

def test_billion_laughs_is_refused_at_the_first_anchor(tmp_path):
    """An alias bomb (a few hundred bytes that expand to a billion strings) is refused at once."""
    lines = ["format: 1", 'lol: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    path = write(tmp_path, "laughs.yaml", "\n".join(lines) + "\n")
    refused_by_cli(path, "KU005", 2, 6)
    refused_in_process(path, "KU005", 2, 6)


@pytest.mark.parametrize("name, data, where", [
    ("flow_sequence", b"nodes: " + b"[" * 100_000 + b"]" * 100_000 + b"\n", (1, 8 + 31)),
    ("flow_mapping", b"{a: " * 100_000 + b"1" + b"}" * 100_000 + b"\n", (1, 4 * 32 + 1)),
    ("block_sequence", b"nodes:\n" + b"- " * 100_000 + b"x\n", (2, 2 * 31 + 1)),
    ("unclosed", b"format: 1\nnodes: " + b"[{a: " * 50_000, (2, 8 + 5 * 15 + 1)),
], ids=lambda value: value if isinstance(value, str) else "")
def test_hundred_thousand_levels_of_nesting_are_refused(tmp_path, name, data, where):
    """100,000 levels of brackets or dashes (the C composer would crash the interpreter) give KU006."""
    path = write(tmp_path, f"{name}.yaml", data)
    refused_by_cli(path, "KU006", *where)
    refused_in_process(path, "KU006", *where)


@pytest.fixture(scope="session")
def fifty_megabytes(tmp_path_factory):
    """A real 50 MB scenario-looking file (not a sparse one), written once."""
    path = tmp_path_factory.mktemp("big") / "fifty.yaml"
    block = ("# " + "padding " * 12 + "\n").encode() * 8192
    with path.open("wb") as handle:
        handle.write(GOOD.encode())
        while handle.tell() < 50 * 1024 * 1024:
            handle.write(block)
    return path


def test_a_fifty_megabyte_file_is_refused_without_reading_it(fifty_megabytes):
    size = fifty_megabytes.stat().st_size
    out = refused_by_cli(fifty_megabytes, "KU002", 1, 1, seconds=3)
    assert f"the file is {size} bytes; the limit is 16777216 bytes" in out
    started = time.perf_counter()
    refused_in_process(fifty_megabytes, "KU002", 1, 1)
    assert time.perf_counter() - started < 0.5


def test_a_fifty_megabyte_plan_is_refused_too(fifty_megabytes, tmp_path):
    plan = tmp_path / "big.plan.yaml"
    os.symlink(fifty_megabytes, plan)  # the same bytes under a plan's name
    refused_by_cli(plan, "KU002", 1, 1, seconds=3)
    assert [d.code for d in load_plan(plan).diagnostics] == ["KU002"]


def test_several_megabytes_on_one_line_give_a_diagnostic_not_a_hang(tmp_path):
    """A title of 5 MB and a flow list of 3 MB on one line: the answer comes quickly and does not echo them."""
    long_title = GOOD.replace("title: {en: A small test, fi: Pieni testi}", "title: " + "x" * 5_000_000, 1)
    path = write(tmp_path, "long_title.yaml", long_title)
    out = refused_by_cli(path, "KU013")
    assert "a text of 5000" in out and "characters (at most 4000)" in out
    # a syntax error at the far end of a 3 MB line is placed at its column
    line = "tags: [" + "open_question, " * 200_000 + "]]\n"
    path = write(tmp_path, "long_line.yaml", "format: 1\n" + line)
    refused_by_cli(path, "KU004", 2, len(line) - 1)
    refused_in_process(path, "KU004", 2, len(line) - 1)


@pytest.mark.parametrize("number", ["9" * 100_000, "-" + "9" * 40, "1e999", "123456789012345678"],
                         ids=["100000_digits", "minus_40_digits", "1e999", "18_digits"])
def test_huge_numbers_in_a_scenario_are_refused(tmp_path, number):
    """A number too big for any field is refused where it stands, and not echoed in full."""
    text = GOOD.replace("mood: {trust: 40,", "mood: {trust: " + number + ",", 1)
    path = write(tmp_path, "huge.yaml", text)
    refused_by_cli(path, "KU013", 11, 15)
    refused_in_process(path, "KU013", 11, 15)


# -- not text at all ------------------------------------------------------------------------------

PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c"
                    "6300010000050001d0d3f3c40000000049454e44ae426082")


@pytest.mark.parametrize("name, data, code, where", [
    ("image.png.yaml", PNG, "KU003", (1, 1)),
    ("latin1.yaml", "format: 1\nid: café\n".encode("latin-1"), "KU003", (2, 8)),
    ("overlong.yaml", b"format: 1\nid: \xc0\xaf\n", "KU003", (2, 5)),
    ("surrogate.yaml", b"format: 1\nid: \xed\xa0\x80\n", "KU003", (2, 5)),
    ("cr_lines.yaml", b"format: 1\rid: x\rtitle: \xff\r", "KU003", (3, 8)),
    ("bom_latin1.yaml", b"\xef\xbb\xbfformat: 1\nid: caf\xe9\n", "KU003", (2, 8)),  # counted after the BOM
    ("nul.yaml", b"format: 1\nid: x\x00\n", "KU003", (2, 6)),
    ("bell.yaml", "format: 1\nid: ää\x07\n".encode(), "KU004", (2, 7)),
    ("utf32.yaml", "format: 1\n".encode("utf-32"), "KU003", (1, 1)),
], ids=lambda value: value if isinstance(value, str) and value.endswith(".yaml") else "")
def test_files_that_are_not_utf8_text_are_refused_where_the_bad_byte_is(tmp_path, name, data, code, where):
    """Binary files and wrong encodings point at the first bad character, counted as an editor counts."""
    path = write(tmp_path, name, data)
    refused_by_cli(path, code, *where)
    refused_in_process(path, code, *where)


def test_random_bytes_are_refused_with_a_diagnostic(tmp_path):
    """Random junk of any size: exit 1, a diagnostic inside the file, never a traceback."""
    rng = random.Random(2024)
    paths = []
    for number in range(scaled(6)):
        data = bytes(rng.randrange(256) for _ in range(rng.choice([1, 64, 4096, 100_000])))
        paths.append(write(tmp_path, f"junk{number}.yaml", data))
    done, took = validate(*paths)
    out = done.stdout.decode("utf-8", "replace")
    assert done.returncode == 1 and "Traceback" not in out + done.stderr.decode("utf-8", "replace")
    reported = {match["file"] for match in map(DIAGNOSTIC.match, out.splitlines()) if match}
    assert reported == {str(path) for path in paths}
    assert took < 10
    tally("hostile.cases", len(paths))


# -- tags: nothing may run ------------------------------------------------------------------------

@pytest.mark.parametrize("tag", [
    "!!python/object/apply:os.system ['touch {witness}']",
    "!!python/object/apply:subprocess.check_call [['touch', '{witness}']]",
    "!!python/object/new:builtins.open ['{witness}', 'w']",
    "!!python/name:os.system",
    "!!binary aGVsbG8=",
    "!include {witness}",
    "!!set {{a, b}}",
    "!!timestamp 2024-01-01",
])
def test_tags_are_refused_and_nothing_runs(tmp_path, tag):
    """A tag that PyYAML's unsafe loader would turn into a running command creates no file and runs nothing."""
    witness = tmp_path / "created"
    text = GOOD.replace("title: ", "title: " + tag.format(witness=witness) + " #", 1)
    path = write(tmp_path, "tagged.yaml", text)
    line = text[: text.index(tag.split()[0])].count("\n") + 1
    col = text.splitlines()[line - 1].index(tag.split()[0]) + 1
    refused_by_cli(path, "KU008", line, col)
    refused_in_process(path, "KU008", line, col)
    assert not witness.exists()
    plan = write(tmp_path, "tagged.plan.yaml", f"format: 1\ncases: {tag.format(witness=witness)}\n")
    refused_by_cli(plan, "KU008", 2, 8)
    assert not witness.exists()


def test_duplicate_keys_in_a_scenario_and_a_plan(tmp_path):
    """The second of two equal keys is refused where it stands, also when the two are spelt differently."""
    text = GOOD.replace("title: ", "'title': again\ntitle: ", 1)
    path = write(tmp_path, "dup.yaml", text)
    line = text[: text.index("\ntitle: ")].count("\n") + 2
    refused_by_cli(path, "KU007", line, 1)
    refused_in_process(path, "KU007", line, 1)
    plan = write(tmp_path, "dup.plan.yaml", "format: 1\ncases: []\n\"format\": 1\n")
    refused_by_cli(plan, "KU007", 3, 1)


# -- file references: a plan's scenario, the rubric, log names ------------------------------------

@pytest.fixture
def plan_folder(tmp_path):
    """A folder with a good scenario, and a secret YAML file outside it."""
    folder = tmp_path / "trainer"
    folder.mkdir()
    (folder / "mini.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "secret.yaml").write_text(GOOD, encoding="utf-8")  # valid, so only the path can refuse it
    return folder


@pytest.mark.parametrize("named", [
    "../secret.yaml",
    "../../../../../../../../etc/passwd",
    "sub/../../secret.yaml",
    "/etc/passwd",
    "{outside}",
    "link.yaml",
    "linked_dir/secret.yaml",
    "mini.yaml\\0../../etc/passwd",
    "mini\\u0000.yaml",
])
def test_a_plan_cannot_name_a_scenario_outside_its_folder(plan_folder, named):
    """`scenario:` that leads out of the plan's folder, by `..`, an absolute path, a link or a NUL byte,
    is refused with KU079 at the field; the file out there is never loaded."""
    (plan_folder / "link.yaml").symlink_to(plan_folder.parent / "secret.yaml")
    (plan_folder / "linked_dir").symlink_to(plan_folder.parent)
    named = named.format(outside=plan_folder.parent / "secret.yaml")
    plan = plan_folder / "mini.plan.yaml"
    plan.write_text(f'format: 1\nscenario: "{named}"\ncases:\n  - {{name: x, choices: [ask]}}\n',
                    encoding="utf-8")
    out = refused_by_cli(plan, "KU079", 2, 11)
    assert "\x00" not in out and "hint: keep the plan beside its scenario" in out
    loaded = load_plan(plan)
    assert [(d.code, d.line, d.col) for d in loaded.diagnostics] == [("KU079", 2, 11)]
    assert loaded.plan is None


def test_a_plan_may_name_a_scenario_in_a_subfolder(plan_folder):
    (plan_folder / "more").mkdir()
    (plan_folder / "more" / "m.yaml").write_text(GOOD, encoding="utf-8")
    plan = plan_folder / "m.plan.yaml"
    plan.write_text("format: 1\nscenario: more/m.yaml\ncases:\n  - {name: x, choices: [ask]}\n", encoding="utf-8")
    loaded = load_plan(plan)
    assert not loaded.errors, [d.format() for d in loaded.diagnostics]


def test_a_scenario_with_an_absolute_or_traversing_name_is_just_a_file_name(tmp_path):
    """A scenario refers to no other file; its `id` and texts are never used as paths."""
    text = GOOD.replace("id: ", "id: ../../etc/passwd #", 1)
    path = write(tmp_path, "ids.yaml", text)
    refused_by_cli(path, "KU013")


def test_a_trainee_name_never_steers_the_log_file(tmp_path):
    """Whatever the trainee types as a name, the score log lands in the log folder under a generated name."""
    from game.scenario.loader import load_or_raise
    from game.session.log import SessionLog

    scenario = load_or_raise(ROOT / "tests" / "fixtures" / "mini.yaml")
    logs = tmp_path / "logs"
    names = ["../../escaped", "/etc/passwd", "a\x00b", "..", "con", "x" * 5000, "ÄÖ/../../y"]
    for name in names:
        log = SessionLog.start(scenario, trainee=name, log_dir=logs)
        log.close()
        assert log.path.parent == logs and log.path.name.endswith(".jsonl") and name not in log.path.name
    outside = [p for p in tmp_path.rglob("*") if logs not in p.parents and p != logs]
    assert outside == []
    tally("hostile.cases", len(names))


def test_a_rubric_link_beside_a_scenario_is_read_as_a_rubric_and_refused_if_it_is_not_one(tmp_path):
    """The only file a scenario pulls in is `rubric.yaml` beside it; something else under that name is refused."""
    (tmp_path / "rubric.yaml").symlink_to("/etc/passwd" if Path("/etc/passwd").exists() else tmp_path / "nope")
    path = write(tmp_path, "mini.yaml", GOOD)
    out = refused_by_cli(path, "KU040")
    assert "root:" not in out
