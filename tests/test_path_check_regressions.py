"""Path checks on scenarios whose later branches are hidden by an always-true earlier one."""

from pathlib import Path

from game.scenario.loader import load_scenario

ROOT = Path(__file__).parent.parent


def test_a_branch_hidden_by_an_always_true_one_is_reported_not_crashed(tmp_path, monkeypatch):
    monkeypatch.setenv("KUULE_HOME", str(tmp_path / "home"))
    text = (ROOT / "scenarios" / "small_print.yaml").read_text(encoding="utf-8")
    assert text.count('when: "trust < 60 or harm >= 2"') == 1
    copy = tmp_path / "small_print.yaml"
    copy.write_text(text.replace('when: "trust < 60 or harm >= 2"', 'when: "distress >= 0"'), encoding="utf-8")
    result = load_scenario(copy)
    unreachable = {d.params["id"] for d in result.diagnostics if d.code == "KU060"}
    assert "end_good" in unreachable  # every way to it passes the always-true branch
    assert "KU066" in [d.code for d in result.diagnostics]  # and the node behind it is never reached
    assert result.scenario is not None  # warnings only: the file still plays
