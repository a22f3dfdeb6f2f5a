"""`python main.py validate PATH...`: compiler-style output, exit codes, JSON, Finnish, and never a traceback."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from game.cli import main
from game.commands.validate import check_paths

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
BAD = FIXTURES / "bad"
MINI = FIXTURES / "mini.yaml"
RUBRIC = ROOT / "scenarios" / "rubric.yaml"

DIAGNOSTIC_LINE = re.compile(r"^(?P<path>.+):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning) (?P<code>KU\d{3}): \S")
HINT_LINE = re.compile(r"^    hint: \S")
SUMMARY_LINE = re.compile(r"^\d+ file\(s\) checked: \d+ error\(s\), \d+ warning\(s\)$")


def run_main(capsys, *args):
    """The same command in this process (for the cheaper checks): exit code and stdout."""
    code = main(["validate", *map(str, args)])
    return code, capsys.readouterr().out


def validate(*args, lang_env="en"):
    env = dict(os.environ, PYTHONIOENCODING="utf-8", KUULE_LANG=lang_env)
    return subprocess.run([sys.executable, "main.py", "validate", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=60)


def summary_of(done):
    """The closing summary line, wherever it was printed (stdout or stderr)."""
    lines = [line for line in (done.stdout + done.stderr).splitlines() if SUMMARY_LINE.match(line)]
    assert len(lines) == 1, done.stdout + done.stderr
    return lines[0]


def diagnostics_in(stdout):
    return [m.groupdict() for m in map(DIAGNOSTIC_LINE.match, stdout.splitlines()) if m]


GOOD = MINI.read_text(encoding="utf-8")
UNKNOWN_GOTO = GOOD.replace("goto: good", "goto: godo", 1)
SYNTAX_ERROR = GOOD.replace("languages: [en, fi]", "languages: [en, fi", 1)


# -- exit codes -----------------------------------------------------------------------------------

def test_good_file_exits_0():
    done = validate("tests/fixtures/mini.yaml")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == "1 file(s) checked: 0 error(s), 0 warning(s)"
    assert "Traceback" not in done.stderr


def test_shipped_scenarios_and_the_mini_fixture_pass():
    done = validate("scenarios", "tests/fixtures/mini.yaml")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "error" not in done.stdout.replace("0 error(s)", "")


def test_a_folder_with_one_good_and_two_bad_files_reports_every_bad_file(tmp_path):
    (tmp_path / "a_good.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b_unknown_goto.yaml").write_text(UNKNOWN_GOTO, encoding="utf-8")
    (tmp_path / "c_syntax.yml").write_text(SYNTAX_ERROR, encoding="utf-8")
    done = validate(tmp_path)
    assert done.returncode == 1
    found = [(Path(d["path"]).name, int(d["line"]), int(d["col"]), d["severity"], d["code"])
             for d in diagnostics_in(done.stdout)]
    assert found == [("b_unknown_goto.yaml", 50, 15, "error", "KU022"),
                     ("b_unknown_goto.yaml", 61, 9, "warning", "KU024"),
                     ("c_syntax.yml", 6, 9, "error", "KU004")]
    assert summary_of(done) == "3 file(s) checked: 2 error(s), 1 warning(s)"


def test_warnings_alone_exit_0(tmp_path, capsys):
    scenario = tmp_path / "warn.yaml"
    scenario.write_text(GOOD + "  - id: orphan\n    line: Lost.\n    ending: {outcome: mixed}\n", encoding="utf-8")
    code, out = run_main(capsys, "--lang", "en", scenario)
    assert code == 0
    assert [d["code"] for d in diagnostics_in(out)] == ["KU024"]


def test_missing_file_gives_ku001_and_exit_1(tmp_path):
    missing = tmp_path / "nope.yaml"
    done = validate(missing, MINI)
    assert done.returncode == 1
    [d] = diagnostics_in(done.stdout)
    assert (d["path"], d["line"], d["col"], d["code"]) == (str(missing), "1", "1", "KU001")
    assert f"{missing}:1:1: error KU001: cannot read the file: No such file or directory" in done.stdout


def test_empty_folder_gives_ku050_and_exit_1(tmp_path):
    done = validate(tmp_path)
    assert done.returncode == 1
    assert done.stdout.splitlines()[0] == f"{tmp_path}:1:1: error KU050: no scenario files found in {tmp_path}"


def test_folder_with_no_yaml_files_gives_ku050(tmp_path, capsys):
    (tmp_path / "README.md").write_text("notes")
    (tmp_path / "scenario.json").write_text("{}")
    code, out = run_main(capsys, "--lang", "en", tmp_path)
    assert code == 1
    assert out.splitlines()[0] == f"{tmp_path}:1:1: error KU050: no scenario files found in {tmp_path}"


# -- output format --------------------------------------------------------------------------------

def test_every_output_line_is_a_diagnostic_a_hint_or_the_summary():
    done = validate(BAD / "five_mistakes.yaml", BAD / "unknown_goto.yaml", BAD / "dead_end.yaml", MINI)
    assert done.returncode == 1
    assert summary_of(done) == "4 file(s) checked: 7 error(s), 1 warning(s)"
    lines = [line for line in done.stdout.splitlines() if not SUMMARY_LINE.match(line)]
    for line in lines:
        assert DIAGNOSTIC_LINE.match(line) or HINT_LINE.match(line), line
    assert any(HINT_LINE.match(line) for line in lines)
    # a hint line always follows its diagnostic
    assert not HINT_LINE.match(lines[0])
    assert "    hint: did you mean 'open_question'?" in lines


def test_json_output():
    done = validate("--format", "json", BAD / "five_mistakes.yaml", BAD / "unknown_goto.yaml", MINI)
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert set(report) == {"files", "errors", "warnings", "diagnostics"}
    assert report["files"] == [str(BAD / "five_mistakes.yaml"), str(BAD / "unknown_goto.yaml"), str(MINI)]
    assert (report["errors"], report["warnings"]) == (6, 1)
    assert len(report["diagnostics"]) == 7
    for d in report["diagnostics"]:
        assert set(d) == {"file", "line", "column", "severity", "code", "message", "hint"}
        assert isinstance(d["line"], int) and d["line"] >= 1
        assert isinstance(d["column"], int) and d["column"] >= 1
        assert d["severity"] in ("error", "warning")
        assert re.fullmatch(r"KU\d{3}", d["code"])
        assert d["message"] and (d["hint"] is None or isinstance(d["hint"], str))
    first = report["diagnostics"][0]
    assert first == {"file": str(BAD / "five_mistakes.yaml"), "line": 3, "column": 8, "severity": "error",
                     "code": "KU012", "message": first["message"], "hint": 'put the text in quotes, e.g. "2024"'}


def test_json_output_for_good_files_is_still_json(capsys):
    code, out = run_main(capsys, "--format", "json", MINI)
    assert code == 0
    assert json.loads(out) == {"files": [str(MINI)], "errors": 0, "warnings": 0, "diagnostics": []}


def test_json_output_in_finnish(capsys):
    code, out = run_main(capsys, "--lang", "fi", "--format", "json", BAD / "unknown_goto.yaml")
    assert code == 1
    report = json.loads(out)
    assert report["diagnostics"][0]["message"] == "'ending_godo' ei ole tämän skenaarion solmu"
    assert report["diagnostics"][0]["hint"] == "tarkoititko 'ending_good'?"
    assert report["diagnostics"][0]["severity"] == "error"  # the machine-readable word stays English


def test_finnish_text_output():
    done = validate("--lang", "fi", BAD / "unknown_goto.yaml")
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    path = BAD / "unknown_goto.yaml"
    assert lines == [
        f"{path}:19:15: virhe KU022: 'ending_godo' ei ole tämän skenaarion solmu",
        "    vihje: tarkoititko 'ending_good'?",
        f"{path}:23:9: varoitus KU024: solmuun 'ending_good' ei pääse koskaan alusta",
        "    vihje: lisää valinta tai haara, joka vie siihen, tai poista se",
        "tiedostoja tarkistettu 1: virheitä 1, varoituksia 1",
    ]


def test_language_follows_the_system_and_lang_overrides_it(monkeypatch, capsys):
    monkeypatch.setenv("KUULE_LANG", "fi_FI.UTF-8")
    assert " virhe KU030: tuntematon arviointitagi 'open_questoin'" in run_main(capsys, BAD / "unknown_tag.yaml")[1]
    english = run_main(capsys, "--lang", "en", BAD / "unknown_tag.yaml")[1]
    assert " error KU030: unknown rubric tag 'open_questoin'" in english


# -- the rubric -----------------------------------------------------------------------------------

def test_rubric_in_a_folder_is_checked_with_the_rubric_schema(tmp_path):
    shutil.copy(RUBRIC, tmp_path / "rubric.yaml")
    assert check_paths([str(tmp_path)]) == ([str(tmp_path / "rubric.yaml")], [])
    broken = RUBRIC.read_text(encoding="utf-8").replace("harm_multiplier: 2 ", "harm_multiplier: 20 ", 1)
    assert broken != RUBRIC.read_text(encoding="utf-8")
    (tmp_path / "rubric.yaml").write_text(broken, encoding="utf-8")
    line = next(n for n, text in enumerate(broken.splitlines(), 1) if "harm_multiplier: 20" in text)
    done = validate(tmp_path)
    assert done.returncode == 1
    assert done.stdout.splitlines()[:2] == [
        f"{tmp_path / 'rubric.yaml'}:{line}:20: error KU013: scoring › harm_multiplier: 20 is not allowed here",
        "    hint: allowed here: 1–10",
    ]


def test_rubric_is_not_checked_as_a_scenario(tmp_path):
    (tmp_path / "rubric.yaml").write_text(RUBRIC.read_text(encoding="utf-8") + "nodes: []\n", encoding="utf-8")
    _, [d] = check_paths([str(tmp_path)])
    assert (d.code, d.message()) == ("KU010", "unknown field 'nodes' in the top level")


def test_scenario_uses_the_rubric_beside_it(tmp_path):
    custom = RUBRIC.read_text(encoding="utf-8").replace("  closed_question:\n", "  yes_and:\n", 1)
    (tmp_path / "rubric.yaml").write_text(custom, encoding="utf-8")
    (tmp_path / "s.yaml").write_text(GOOD.replace("[closed_question]", "[yes_and]"), encoding="utf-8")
    checked, diagnostics = check_paths([str(tmp_path)])
    assert len(checked) == 2
    assert diagnostics == []


def test_broken_rubric_is_reported_once_and_each_scenario_says_it_cannot_use_it(tmp_path):
    broken = RUBRIC.read_text(encoding="utf-8").replace("harm_multiplier: 2 ", "harm_multiplier: 20 ", 1)
    (tmp_path / "rubric.yaml").write_text(broken, encoding="utf-8")
    (tmp_path / "one.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "two.yaml").write_text(GOOD, encoding="utf-8")
    _, diagnostics = check_paths([str(tmp_path)])
    assert [(Path(d.file).name, d.code) for d in diagnostics] == [
        ("one.yaml", "KU040"), ("rubric.yaml", "KU013"), ("two.yaml", "KU040")]
    assert "rubric.yaml has 1 problem(s)" in diagnostics[0].message()


def test_scenario_problems_are_still_reported_when_the_rubric_beside_it_is_broken(tmp_path):
    broken = RUBRIC.read_text(encoding="utf-8").replace("harm_multiplier: 2 ", "harm_multiplier: 20 ", 1)
    (tmp_path / "rubric.yaml").write_text(broken, encoding="utf-8")
    (tmp_path / "s.yaml").write_text(GOOD.replace("title: {en: A small test, fi: Pieni testi}", "title: 2024"),
                                     encoding="utf-8")
    _, diagnostics = check_paths([str(tmp_path)])
    assert ("s.yaml", "KU012", 4, 8) in [(Path(d.file).name, d.code, d.line, d.col) for d in diagnostics]


# -- bad fixtures: never a traceback --------------------------------------------------------------

# What each bad fixture must report: exact (code, line, col), in order.
EXPECTED = {
    "alias_bomb.yaml": [("KU005", 1, 4)],
    "bad_indent.yaml": [("KU004", 13, 4)],
    "binary.yaml": [("KU003", 1, 1)],
    "comment_only.yaml": [("KU009", 1, 1)],
    "condition_attack.yaml": [("KU031", line, 19) for line in range(11, 16)],
    "control_char.yaml": [("KU004", 12, 14)],
    "custom_tag.yaml": [("KU008", 3, 8)],
    "dead_end.yaml": [("KU025", 26, 9)],
    "deep_block.yaml": [("KU006", 1, 65)],
    "deep_flow.yaml": [("KU006", 1, 39)],
    "duplicate_ids.yaml": [("KU021", 20, 13), ("KU020", 29, 9)],
    "duplicate_key.yaml": [("KU007", 14, 5)],
    "empty.yaml": [("KU009", 1, 1)],
    "ending_with_choices.yaml": [("KU027", 29, 5)],
    "endless_loop.yaml": [("KU028", 30, 9), ("KU028", 36, 9)],
    "first_node_id_list.yaml": None,  # at least KU012 at 11:9; the rest depends on how the graph check copes
    "five_mistakes.yaml": [("KU012", 3, 8), ("KU010", 5, 1), ("KU030", 19, 16), ("KU033", 23, 15), ("KU013", 27, 23)],
    "huge_number.yaml": [("KU013", 9, 16)],
    "latin1.yaml": [("KU003", 6, 12)],
    "merge_key.yaml": [("KU005", 5, 11)],
    "missing_required.yaml": [("KU011", 6, 3), ("KU011", 22, 5)],
    "no_ending.yaml": [("KU029", 10, 1)],
    "nul_byte.yaml": [("KU003", 12, 14)],
    "null_document.yaml": [("KU009", 1, 1)],
    "odd_shapes.yaml": None,  # many structural errors; what matters is that they are reported, not a crash
    "python_tag.yaml": [("KU008", 3, 8)],
    "tab_indent.yaml": [("KU004", 7, 1)],
    "top_level_list.yaml": [("KU012", 1, 1)],
    "top_level_text.yaml": [("KU012", 1, 1)],
    "two_documents.yaml": [("KU009", 29, 1)],
    "unclosed_bracket.yaml": [("KU004", 5, 9)],
    "undeclared_flag.yaml": [("KU033", 19, 15)],
    "unknown_field.yaml": [("KU010", 5, 1)],
    "unknown_goto.yaml": [("KU022", 19, 15), ("KU024", 23, 9)],
    "unknown_start.yaml": [("KU023", 10, 8)],  # no reachability noise when the start is unknown
    "unknown_tag.yaml": [("KU030", 18, 16)],
    "unknown_variable.yaml": [("KU032", 19, 13), ("KU032", 19, 13)],  # 'trsut' and 'askd'
    "unterminated_quote.yaml": [("KU004", 17, 15)],  # where the quote opens, not the end of the file
    "utf16.yaml": [("KU003", 1, 1)],
    "wrong_types.yaml": [("KU012", 3, 8), ("KU012", 9, 16), ("KU012", 21, 15)],
}
BAD_FILES = sorted(path.name for path in BAD.glob("*.yaml"))


def test_every_bad_fixture_has_an_expectation():
    assert BAD_FILES == sorted(EXPECTED)


EACH_FILE_SCRIPT = """
import contextlib, io, json, sys, traceback
from game.cli import main
results = {}
for path in sys.argv[1:]:
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            code = main(["validate", "--lang", "en", "--format", "json", path])
        results[path] = {"code": code, "report": json.loads(out.getvalue())}
    except BaseException:
        results[path] = {"crash": traceback.format_exc()}
print(json.dumps(results))
"""


@pytest.fixture(scope="module")
def each_bad_file():
    """Every bad fixture validated on its own, in one child process (a crash of the process fails the tests)."""
    paths = [str(BAD / name) for name in BAD_FILES]
    done = subprocess.run([sys.executable, "-c", EACH_FILE_SCRIPT, *paths], cwd=ROOT, capture_output=True, text=True,
                          encoding="utf-8", timeout=120, env=dict(os.environ, PYTHONIOENCODING="utf-8"))
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


@pytest.mark.parametrize("name", BAD_FILES)
def test_bad_fixture_is_reported_exactly(name, each_bad_file):
    path = BAD / name
    result = each_bad_file[str(path)]
    assert "crash" not in result, result.get("crash")
    report = result["report"]
    assert result["code"] == 1
    found = [(d["code"], d["line"], d["column"]) for d in report["diagnostics"]]
    assert report["errors"] >= 1
    if EXPECTED[name] is None:
        assert found and all(d["file"] == str(path) for d in report["diagnostics"])
        if name == "first_node_id_list.yaml":
            assert ("KU012", 11, 9) in found
    else:
        assert found == EXPECTED[name]


def test_the_whole_bad_folder_at_once_never_gives_a_traceback():
    done = validate("tests/fixtures/bad")
    output = done.stdout + done.stderr
    assert "Traceback" not in output, output[-3000:]
    assert done.returncode == 1
    reported = {Path(d["path"]).name for d in diagnostics_in(done.stdout) if d["severity"] == "error"}
    assert reported == set(BAD_FILES)
    assert summary_of(done).startswith(f"{len(BAD_FILES)} file(s) checked: ")



def test_an_unchanged_folder_is_answered_from_the_cache_with_the_same_output(tmp_path):
    """A trainer re-running validate gets the same answer, without the files being checked again."""
    folder = tmp_path / "lib"
    shutil.copytree(BAD, folder)
    shutil.copy(MINI, folder / "mini.yaml")
    env = dict(os.environ, KUULE_HOME=str(tmp_path / "home"), PYTHONIOENCODING="utf-8")
    command = [sys.executable, "-X", "importtime", "main.py", "validate", "--format", "json", str(folder)]
    first, second = (subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
                     for _ in range(2))
    assert first.returncode == second.returncode == 1
    assert json.loads(second.stdout) == json.loads(first.stdout) and json.loads(first.stdout)["errors"] > 10
    assert "game.scenario.loader" in first.stderr and "game.scenario.loader" not in second.stderr


def test_the_cache_never_hides_an_edit_or_a_new_rubric(tmp_path, monkeypatch):
    """Editing a scenario, its plan's scenario, or adding a rubric beside it is noticed at once."""
    monkeypatch.setenv("KUULE_HOME", str(tmp_path / "home"))
    folder = tmp_path / "lib"
    folder.mkdir()
    scenario = folder / "mini.yaml"
    scenario.write_bytes(MINI.read_bytes())
    plan = folder / "mini.plan.yaml"
    plan.write_bytes((FIXTURES / "mini.plan.yaml").read_bytes())

    def codes():
        return sorted(d.code for d in check_paths([str(folder)])[1])

    assert codes() == [] and codes() == []
    text = MINI.read_text(encoding="utf-8")
    scenario.write_text(text.replace("goto: middle", "goto: nowhere_at_all", 1), encoding="utf-8")
    after_edit = codes()
    assert "KU022" in after_edit  # the unknown target
    assert "KU071" in after_edit  # the plan's scenario no longer loads: the plan is checked again too
    scenario.write_bytes(MINI.read_bytes())
    assert codes() == []
    (folder / "rubric.yaml").write_text("not: a rubric\n", encoding="utf-8")
    assert codes() != []
