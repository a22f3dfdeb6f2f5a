"""Own words in the terminal: the trainee says it first, Kuule marks the closest answer, the log keeps both."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from game.coding import code_reply
from game.scenario.loader import load_scenario
from game.session.log import SessionLog
from game.session.reader import iter_records
from game.session.verify import verify_log
from game.terminal import TerminalGame

ROOT = Path(__file__).parent.parent
ENGINE = "tests/fixtures/engine.yaml"


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("KUULE_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def play(home, lines, *args, lang="en"):
    return subprocess.run([sys.executable, "main.py", "--lang", lang, "play", ENGINE, "--text", "--own-words",
                           "--seed", "1", *args], input="".join(line + "\n" for line in lines), capture_output=True,
                          text=True, cwd=ROOT, env=dict(os.environ, KUULE_HOME=str(home), LANG="C"), timeout=120)


def choice_lines(home):
    [path] = sorted((home / "data" / "sessions").glob("*.jsonl"))
    assert verify_log(path).problems == []
    return [record for _n, record in iter_records(path) if record["kind"] == "choice"]


def test_the_closest_answer_is_marked_and_enter_takes_it(home):
    # "tell me" is an open question; at the hub only "deep" (explores) is one, once `asked` is set by "reflect"
    run = play(home, ["You're really worn down by all this.", "", "Tell me more about how that felt.", ""])
    assert run.returncode == 0, run.stderr
    assert "\u25b6" in run.stdout and "closest to what you said" in run.stdout
    choices = choice_lines(home)
    assert [c["choice"] for c in choices] == ["reflect", "deep"]
    first = choices[0]["own_words"]
    assert first["text"] == "You're really worn down by all this."
    coding = code_reply(first["text"], "en")
    assert first["closest"] == "reflect"
    assert (first["codes"], first["group"], first["lang"]) == (list(coding.codes), coding.group, "en")
    assert choices[1]["own_words"]["closest"] == "deep"
    # the debrief puts the trainee's words beside the answer taken
    assert "In your own words: \u201cTell me more about how that felt.\u201d  [open question" in run.stdout


def test_another_answer_can_be_picked_by_id_or_number_and_the_log_keeps_what_was_marked(home, tmp_path):
    run = play(home, ["What happened?", "lecture", "q"])
    assert run.returncode == 3, run.stderr
    [choice] = choice_lines(home)
    assert choice["choice"] == "lecture" and choice["own_words"]["closest"] == "ask"
    # the same seed shows the same order: take the lecture by its number this time
    shown = next(line for line in run.stdout.splitlines() if "You should have read the terms." in line)
    number = shown.replace("\u25b6", "").strip().split(".")[0]
    other = tmp_path / "other"
    again = play(other, ["What happened?", number, "q"])
    assert again.returncode == 3, again.stderr
    [choice] = choice_lines(other)
    assert choice["choice"] == "lecture" and choice["own_words"]["closest"] == "ask"


def test_an_empty_line_is_staying_quiet(home):
    run = play(home, ["", "q"], lang="fi")
    assert "(olet hiljaa)" in run.stdout and "kuunteleva hiljaisuus" in run.stdout


def test_assessment_shows_no_coding_until_the_debrief(home):
    run = play(home, ["What happened?", "", "q"], "--mode", "assessment")
    assert "Heard as" not in run.stdout and "closest to what you said" in run.stdout
    [choice] = choice_lines(home)
    assert choice["own_words"]["codes"] == ["open_question"]


def test_bad_input_is_only_text(home, tmp_path):
    marker = tmp_path / "ran"
    lines = ["x" * 10_000, "", f"$(touch {marker}); `touch {marker}`", "", "\x1b[2J\x07 😀 \u202eabc", "", "q"]
    run = play(home, lines)
    assert "Traceback" not in run.stderr and not marker.exists()
    for choice in choice_lines(home):
        words = choice["own_words"]["text"]
        assert len(words) <= 2000 and "\x1b" not in words and "\u202e" not in words
    # the piped lines are echoed without their control characters: nothing typed reaches the terminal raw
    assert "\x1b" not in run.stdout and "\x07" not in run.stdout and "\u202e" not in run.stdout
    assert "\x00" not in run.stdout and "x" * 2001 not in run.stdout


def test_control_characters_piped_in_plain_play_are_not_echoed(home):
    run = subprocess.run([sys.executable, "main.py", "play", ENGINE, "--text", "--seed", "1"],
                         input="\x1b[2J\x00reflect\u202e\nq\n", capture_output=True, text=True, cwd=ROOT,
                         env=dict(os.environ, KUULE_HOME=str(home), LANG="C"), timeout=120)
    assert "Traceback" not in run.stderr
    assert "\x1b" not in run.stdout and "\x00" not in run.stdout and "\u202e" not in run.stdout
    assert "[2Jreflect" in run.stdout  # echoed, cleaned


@pytest.mark.parametrize("said", ["", "😀🙏"])
@pytest.mark.parametrize("lang", ["en", "fi"])
def test_when_nothing_said_is_close_no_answer_is_marked_and_enter_takes_none(home, said, lang):
    # the hub offers no silent answer: staying quiet or emoji alone are close to none of them
    run = play(home, [said, "", "", "1", "q"], lang=lang)
    assert run.returncode == 3, run.stderr
    assert "\u25b6" not in run.stdout
    assert ("closest to what you said" not in run.stdout) if lang == "en" else ("lähinnä sitä" not in run.stdout)
    assert ("None of these is close to what you said — pick one." if lang == "en"
            else "Mikään näistä ei ole lähellä sitä, mitä sanoit — valitse yksi.") in run.stdout
    assert run.stdout.count("The number of your answer >" if lang == "en" else "Vastauksesi numero >") == 3
    [choice] = choice_lines(home)  # the two empty lines took nothing; "1" took the first answer shown
    assert choice["own_words"]["closest"] is None and choice["own_words"]["text"] == said


def test_a_session_without_own_words_writes_no_such_field(home):
    run = subprocess.run([sys.executable, "main.py", "play", ENGINE, "--text", "--seed", "1"], input="reflect\ndeep\n",
                         capture_output=True, text=True, cwd=ROOT,
                         env=dict(os.environ, KUULE_HOME=str(home), LANG="C"), timeout=120)
    assert run.returncode == 0, run.stderr
    assert all("own_words" not in c for c in choice_lines(home))


def test_taking_back_in_practice_forgets_the_words_of_the_answer_taken_back(tmp_path):
    scenario = load_scenario(ROOT / ENGINE).playable
    log = SessionLog.start(scenario, mode="practice", lang="en", seed=1, log_dir=tmp_path)
    stdin = io.StringIO("What happened?\n\nb\nThat has worn you down.\n\n")
    game = TerminalGame(scenario, lang="en", seed=1, stdin=stdin, stdout=io.StringIO(), listeners=[log],
                        own_words=True, log=log)
    game.run()
    log.close()
    choices = [r for _n, r in iter_records(log.path) if r["kind"] == "choice"]
    assert [c["own_words"]["text"] for c in choices] == ["What happened?", "That has worn you down."]
    assert verify_log(log.path).problems == []


def test_the_debrief_measures_miti_from_the_own_words(home):
    from game.debrief import miti_from_codes, miti_metrics

    said = ["You're really worn down by all this.", "Tell me more about how that felt."]
    run = play(home, [said[0], "", said[1], ""])
    assert run.returncode == 0, run.stderr
    rubric = load_scenario(ROOT / ENGINE).scenario.rubric
    counts = miti_from_codes([code_reply(text, "en").codes[0] for text in said], rubric)
    assert counts.questions == 1  # "tell me more" is a question in the trainee's words
    assert "Measured from your own words (2 of 2 turns), not from the answers you chose" in run.stdout
    for metric in miti_metrics(counts, rubric.thresholds):
        assert f"{metric.label('en')}: {metric.value_text('en')} ({metric.rating_text('en')})" in run.stdout
    fi = play(home, ["Olet tosi väsynyt tähän kaikkeen.", "", "Kerro lisää, miltä se tuntui.", ""], lang="fi")
    assert fi.returncode == 0, fi.stderr
    assert "Mitattu omista sanoistasi (2/2 vuoroa), ei valitsemistasi vastauksista" in fi.stdout
