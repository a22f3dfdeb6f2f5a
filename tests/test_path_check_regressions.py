"""Path checks on scenarios whose later branches are hidden by an always-true earlier one."""

from pathlib import Path

from game.scenario.loader import load_scenario

ROOT = Path(__file__).parent.parent


def test_a_branch_hidden_by_an_always_true_one_is_reported_not_crashed(tmp_path, monkeypatch):
    monkeypatch.setenv("KUULE_HOME", str(tmp_path / "home"))
    text = (ROOT / "scenarios" / "small_print.yaml").read_text(encoding="utf-8")
    assert text.count('when: "trust < 60"') == 1
    copy = tmp_path / "small_print.yaml"
    copy.write_text(text.replace('when: "trust < 60"', 'when: "distress >= 0"'), encoding="utf-8")
    result = load_scenario(copy)
    codes = [d.code for d in result.diagnostics]
    assert "KU065" in codes  # the branches after it are never taken
    assert "KU060" in codes  # so the good ending cannot be reached
    hidden = [d for d in result.diagnostics if d.code == "KU065"]
    assert all("earlier branch" in d.message() for d in hidden)
