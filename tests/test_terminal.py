"""Terminal play driven through standard input, as a trainer would script it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
ENGINE = "tests/fixtures/engine.yaml"


def play(tmp_path, answers, *args, scenario=ENGINE):
    env = dict(os.environ, KUULE_HOME=str(tmp_path), LANG="C")
    return subprocess.run([sys.executable, "main.py", "play", scenario, "--text", "--seed", "1", *args],
                          input="".join(a + "\n" for a in answers), capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=60)


@pytest.mark.parametrize("answers, ending_words", [
    (["reflect", "deep"], "Thank you."),
    (["ask", "plan", "fine"], "OK then."),
    (["lecture", "give_up"], "Forget it."),
    (["rude"], "I'm off."),
])
def test_each_ending_is_reached_through_stdin(tmp_path, answers, ending_words):
    run = play(tmp_path, answers)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    out = run.stdout
    assert f"Kaisa: \u201c{ending_words}\u201d" in out
    assert "DEBRIEF" in out and "Listening:" in out and "Empathy:" in out
    assert "Thought, unsaid: Nobody listens." in out  # the unsaid thought, revealed only now
    assert "Nobody listens" not in out.split("DEBRIEF")[0]


def test_numbers_choose_in_the_shown_order(tmp_path):
    run = play(tmp_path, ["1", "1", "1", "1"], scenario="tests/fixtures/mini.yaml")  # mini does not shuffle
    assert run.returncode == 0
    assert "You: \u201cTell me what happened?\u201d" in run.stdout
    assert "Listening: 100%" in run.stdout


def test_practice_mode_gives_coach_notes_and_takes_answers_back(tmp_path):
    run = play(tmp_path, ["ask", "b", "ask", "b", "ask", "help"], scenario="tests/fixtures/mini.yaml")
    assert run.returncode == 0
    assert "Coach: Good." in run.stdout.split("DEBRIEF")[0]
    assert run.stdout.count("Answer taken back.") == 2


def test_assessment_mode_gives_no_notes_and_no_take_backs(tmp_path):
    run = play(tmp_path, ["ask", "b", "again", "help"], "--mode", "assessment", scenario="tests/fixtures/mini.yaml")
    before_debrief = run.stdout.split("DEBRIEF")[0]
    assert "Coach:" not in before_debrief
    assert "Answers cannot be taken back in assessment mode." in run.stdout
    assert run.returncode == 0 and "Coach: Good." in run.stdout.split("DEBRIEF")[1]


def test_finnish_play(tmp_path):
    run = play(tmp_path, ["reflect", "deep"], "--lang", "fi")
    assert run.returncode == 0
    assert "LOPPUPURKU" in run.stdout and "Kuuntelu: 100 %" in run.stdout
    assert "Kaisa: \u201cKiitos.\u201d" in run.stdout
    assert "Ajatteli, ei sanonut: Kukaan ei kuuntele." in run.stdout


def test_bad_and_unavailable_answers_are_explained_and_asked_again(tmp_path):
    run = play(tmp_path, ["9", "hello", "ask", "deep", "plan", "fine"])
    assert run.returncode == 0
    assert run.stdout.count("Type a number from 1 to 4.") == 2
    assert "That answer is not possible right now; pick another." in run.stdout
    assert "(not possible now)" in run.stdout


def test_input_ending_early_is_reported_not_crashed(tmp_path):
    run = play(tmp_path, ["ask"])
    assert run.returncode == 3
    assert "Input ended before the conversation did." in run.stdout
    assert "Traceback" not in run.stderr


def test_quitting_stops_cleanly(tmp_path):
    run = play(tmp_path, ["q"])
    assert run.returncode == 3 and "Stopped before the end." in run.stdout


def test_an_invalid_scenario_is_refused_with_diagnostics(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text((ROOT / ENGINE).read_text(encoding="utf-8").replace("goto: good", "goto: godo", 1),
                      encoding="utf-8")
    run = play(tmp_path, [], scenario=str(broken))
    assert run.returncode == 1
    assert "KU022" in run.stderr and "did you mean 'good'?" in run.stderr
    assert "Traceback" not in run.stderr


def test_same_seed_same_transcript(tmp_path):
    first, second = play(tmp_path, ["ask", "plan", "fine"]), play(tmp_path, ["ask", "plan", "fine"])
    assert first.stdout == second.stdout


def test_a_scenario_with_a_path_error_is_not_played(tmp_path):
    """An endless loop found by the path check leaves the scenario built (for analyze) but unplayable."""
    looping = tmp_path / "looping.yaml"
    looping.write_text("""\
format: 1
id: looping
title: Looping
languages: [en]
customer: {name: A, situation: s, hidden: h}
mood: {trust: 45}
nodes:
  - id: start
    line: Hi
    cue: c
    thought: t
    choices:
      - {id: go, text: Go, goto: spin}
  - id: spin
    line: Round we go
    cue: c
    thought: t
    choices:
      - {id: again, text: Again, once: true, goto: spin}
      - {id: win, text: Win, if: trust >= 80, goto: great}
      - {id: stay, text: Stay, goto: spin2}
  - id: spin2
    line: And again
    cue: c
    thought: t
    choices:
      - {id: back, text: Back, goto: spin}
  - id: great
    line: Bye
    ending: {outcome: good}
""", encoding="utf-8")
    from game.scenario.loader import load_scenario
    result = load_scenario(looping)
    assert result.scenario is not None and result.errors  # built, but with a path error
    assert result.playable is None
    run = play(tmp_path, ["go"], scenario=str(looping))
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert result.errors[0].code in run.stderr
