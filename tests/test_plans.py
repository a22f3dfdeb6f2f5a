"""Test plans: the format (schema), located problems, running cases through the engine, and every shipped plan."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from game.analysis.plans import PLAN_SCHEMA, collect, load_plan, run_plan
from game.cli import main
from game.paths import SCENARIOS_DIR
from game.scenario.schema import KEYWORDS

FIXTURES = Path(__file__).parent / "fixtures"
SHIPPED_PLANS = sorted(SCENARIOS_DIR.glob("*.plan.yaml"))
ALL_PLANS = SHIPPED_PLANS + sorted(FIXTURES.glob("*.plan.yaml"))


@pytest.fixture(autouse=True)
def _home(tmp_path, monkeypatch):
    monkeypatch.setenv("KUULE_HOME", str(tmp_path / "home"))


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "m.yaml").write_text((FIXTURES / "mini.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path


def write_plan(folder, text, name="m.plan.yaml"):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_schema_uses_only_what_our_checker_understands():
    def keys(value):
        if isinstance(value, dict):
            for key, item in value.items():
                yield key
                if key not in ("properties", "$defs", "x-hint"):
                    yield from keys(item)
                elif key != "x-hint":
                    for sub in item.values():
                        yield from keys(sub)
        elif isinstance(value, list):
            for item in value:
                yield from keys(item)
    assert set(keys(json.loads(PLAN_SCHEMA.read_text(encoding="utf-8")))) <= KEYWORDS


@pytest.mark.parametrize("plan", ALL_PLANS, ids=lambda p: p.name)
def test_every_shipped_plan_passes(plan):
    loaded = load_plan(plan)
    assert [d.format() for d in loaded.diagnostics] == []
    assert loaded.plan.scenario.path.endswith(plan.name.replace(".plan.yaml", ".yaml"))
    results = run_plan(loaded.plan)
    failures = {r.case.name: r.failures for r in results if not r.passed}
    assert not failures


@pytest.mark.parametrize("plan", ALL_PLANS, ids=lambda p: p.name)
def test_every_shipped_plan_covers_every_ending(plan):
    loaded = load_plan(plan)
    covered = {case.ending for case in loaded.plan.cases}
    missing = {node.id for node in loaded.plan.scenario.endings} - covered
    assert not missing, f"no case of {plan.name} ends in {sorted(missing)}"


@pytest.mark.parametrize("plan", ALL_PLANS, ids=lambda p: p.name)
def test_every_shipped_plan_starts_with_the_schema_line_for_editors(plan):
    first = plan.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=") and first.endswith("plan.schema.json"), (
        f"{plan.name} must start with '# yaml-language-server: $schema=plan.schema.json' (editors complete from it)")


def test_every_shipped_scenario_has_a_plan():
    from game.commands.files import shipped_scenarios

    for scenario in shipped_scenarios():
        assert scenario.with_name(scenario.stem + ".plan.yaml").is_file(), f"{scenario.name} has no test plan"


def test_the_command_reports_like_pytest_and_exits_zero(capsys):
    assert main(["test", str(FIXTURES / "mini.plan.yaml")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "5 passed, 0 failed"
    assert out[0].startswith(f"{FIXTURES / 'mini.plan.yaml'}::") and out[0].endswith(" PASSED")


def test_a_scenario_or_a_folder_finds_its_plans(folder):
    write_plan(folder, "format: 1\ncases:\n  - {name: one, choices: [lecture], ending: left}\n")
    assert collect([str(folder / "m.yaml")])[0] == [folder / "m.plan.yaml"]
    assert collect([str(folder)])[0] == [folder / "m.plan.yaml"]
    assert collect([str(folder / "nothing_here")])[1] == [str(folder / "nothing_here")]


def test_failures_say_what_did_not_hold_in_both_languages(folder, capsys):
    write_plan(folder, """\
format: 1
cases:
  - {name: wrong ending, choices: [ask, shrug], ending: good}
  - {name: greyed, choices: [lecture, help]}
  - {name: not offered here, choices: [ask, lecture]}
  - {name: wrong node, choices: [middle.help]}
  - {name: low score, choices: [ask, shrug], empathy: {min: 0.5}}
  - {name: availability, choices: [], available: [help], hidden: [ask]}
  - {name: fine, choices: [lecture], ending: left, bad: null}
""".replace(", bad: null", ""))
    assert main(["test", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "expected the ending 'good', but it ended in 'bad'" in out
    assert "step 2 'help': the conversation had already ended in 'left'" in out
    assert "step 2 'lecture': node 'middle' offers no choice 'lecture' (it offers: help, again, shrug)" in out
    assert "step 1 'middle.help': the conversation is at 'start', not at 'middle'" in out
    assert "expected an empathy share of ≥ 50 %, got 0 %" in out
    assert "expected 'help' to be available in 'start', but it is hidden" in out
    assert "expected 'ask' to be hidden in 'start', but it is available" in out
    assert out.splitlines()[-1] == "1 passed, 6 failed"
    assert main(["test", str(folder), "--lang", "fi"]) == 1
    out = capsys.readouterr().out
    assert "odotettiin loppua 'good', mutta se päättyi loppuun 'bad'" in out
    assert out.splitlines()[-1] == "onnistui 1, epäonnistui 6"


def test_unavailable_choice_names_its_condition(folder, capsys):
    write_plan(folder, "format: 1\ncases:\n  - {name: help first, choices: [lecture], ending: left}\n"
                       "  - {name: help needs asking, choices: [start.lecture, help]}\n")
    (folder / "m.yaml").write_text((FIXTURES / "mini.yaml").read_text(encoding="utf-8")
                                   .replace("mood: {trust: -20, distress: 45}", "mood: {trust: -20}"), encoding="utf-8")
    assert main(["test", str(folder / "m.plan.yaml")]) == 1
    assert "step 2 'help': not available in 'middle': `asked` does not hold (asked = false)" in capsys.readouterr().out


def test_bad_plans_get_located_diagnostics_and_validate_checks_them(folder, capsys):
    path = write_plan(folder, """\
format: 1
cases:
  - name: typos
    choices: [start.ask, midle.help, asc, middle.nope]
    ending: gud
    available: [helpp]
  - name: contradictions
    choices: []
    ended: false
    ending: good
    empathy: {min: 0.9, max: 0.2}
    unavailable: [help]
    hidden: [help]
  - name: typos
    choices: [ask]
""")
    loaded = load_plan(path)
    assert loaded.plan is None
    found = sorted((d.code, d.line, d.col) for d in loaded.diagnostics)
    assert ("KU073", 4, 26) in found and ("KU072", 4, 38) in found and ("KU078", 4, 43) in found
    assert ("KU074", 5, 13) in found and ("KU072", 6, 17) in found and ("KU075", 14, 11) in found
    assert sum(1 for d in found if d[0] == "KU077") == 3
    hints = {d.code: d.hint_text() for d in loaded.diagnostics}
    assert hints["KU073"] == "did you mean 'middle'?"
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:4:26: error KU073: 'midle' is not a node in this scenario" in out
    assert main(["test", str(path)]) == 1
    assert "0 passed, 0 failed, 1 plan file(s) with errors" in capsys.readouterr().out


def test_schema_problems_and_a_missing_scenario(tmp_path):
    path = write_plan(tmp_path, "format: 1\ncases:\n  - {name: x, choices: [a], listening: {min: 2}, surprise: 1}\n",
                      name="lonely.plan.yaml")
    codes = {d.code for d in load_plan(path).diagnostics}
    assert codes == {"KU010", "KU013"}
    path.write_text("format: 1\ncases:\n  - {name: x, choices: [a]}\n", encoding="utf-8")
    [missing] = load_plan(path).diagnostics
    assert missing.code == "KU070" and missing.hint_text().startswith("name the plan NAME.plan.yaml")


def test_a_plan_can_name_its_scenario_and_warns_about_endings_no_case_reaches(folder):
    path = write_plan(folder, "format: 1\nscenario: m.yaml\ncases:\n  - {name: x, choices: [lecture], ending: left}\n",
                      name="other.plan.yaml")
    loaded = load_plan(path)
    assert loaded.plan is not None
    assert sorted(d.params["id"] for d in loaded.diagnostics if d.code == "KU076") == ["bad", "good"]


def test_a_misspelt_step_fails_its_case_and_the_rest_of_the_plan_runs(folder, capsys):
    write_plan(folder, "format: 1\ncases:\n  - {name: typo, choices: [start.ask, midle.help]}\n"
                       "  - {name: fine, choices: [lecture], ending: left}\n")
    assert main(["test", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "KU073: 'midle' is not a node in this scenario" in out and "did you mean 'middle'?" in out
    assert out.splitlines()[-1] == "1 passed, 1 failed"


def test_a_case_can_meet_a_chosen_customer(tmp_path, capsys):
    (tmp_path / "v.yaml").write_text((FIXTURES / "variety.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    write_plan(tmp_path, """\
format: 1
cases:
  - {name: guarded starts wary, choices: [], customer: {trait: guarded, stake: job}, mood: {trust: {max: 25}}}
  - {name: talkative starts open, choices: [], customer: {trait: talkative}, mood: {trust: {min: 40}}}
  - {name: guarded ends well heard, choices: [reflect, quiet, together], customer: {trait: guarded}, ending: good}
""", name="v.plan.yaml")
    assert main(["test", str(tmp_path / "v.plan.yaml")]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "3 passed, 0 failed"
    write_plan(tmp_path, "format: 1\ncases:\n  - {name: typo, choices: [], customer: {trait: gaurded}}\n"
                         "  - {name: fine, choices: [reflect, quiet, together], ending: good}\n", name="v.plan.yaml")
    loaded = load_plan(tmp_path / "v.plan.yaml")
    problem = next(d for d in loaded.diagnostics if d.code == "KU080")
    assert problem.message() == "'gaurded' is not a trait of this scenario" and problem.hint_text() == "did you mean 'guarded'?"
    assert main(["test", str(tmp_path / "v.plan.yaml")]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == "1 passed, 1 failed"
