"""The window's resume refusals ("in use", "cut back") are worded in the user's language, not only in English."""

from pathlib import Path

import pytest

from game.engine import Conversation
from game.scenario.loader import load_scenario
from game.session.log import SessionLog
from game.ui.records import Records, ResumeError

MINI = Path(__file__).parent / "fixtures" / "mini.yaml"


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("KUULE_HOME", str(tmp_path / "home"))


def played(scenario, actions, lang, mode="assessment"):
    log = SessionLog.start(scenario, trainee="Aino", seed=11, mode=mode, lang=lang)
    conversation = Conversation(scenario, seed=log.seed, listeners=[log])
    for action in actions:
        conversation.choose(action)
    log.close()
    return log


@pytest.mark.parametrize("lang", ["en", "fi"])
def test_a_session_open_elsewhere_is_refused_in_both_languages(lang):
    scenario = load_scenario(MINI).scenario
    played(scenario, ["ask"], lang)
    records = Records()
    [unfinished] = records.unfinished()
    session = records.resume(unfinished, scenario)  # open in this window now
    try:
        with pytest.raises(ResumeError) as refused:
            records.resume(records.unfinished()[0], scenario)
    finally:
        session.close()
    error = refused.value
    assert "another Kuule window" in error.message("en") and "toisessa Kuulen ikkunassa" in error.message("fi")
    assert "Kuule window" not in error.message("fi")
    # said without a language: in the session's own
    assert ("toisessa Kuulen ikkunassa" if lang == "fi" else "another Kuule window") in str(error)


def test_a_finished_assessment_cut_back_is_refused_in_finnish():
    scenario = load_scenario(MINI).scenario
    log = played(scenario, ["ask", "help"], "fi")
    lines = log.path.read_bytes().splitlines(keepends=True)
    log.path.write_bytes(b"".join(lines[:-3]))
    records = Records()
    [unfinished] = records.unfinished()
    with pytest.raises(ResumeError) as refused:
        records.resume(unfinished, scenario)
    assert "leikattu lokista" in refused.value.message("fi") and "cut off the log" in refused.value.message("en")
    assert "leikattu lokista" in str(refused.value)
