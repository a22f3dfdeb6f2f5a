"""The trainee's own words for the coach: beside the confirmed answer in the report's transcripts, the MITI
measure taken from them, in xAPI `result.response`, and back from the LRS's statements."""

import re
from pathlib import Path

import pytest

from game.debrief import miti_from_codes
from game.engine import Conversation
from game.report.build import write_report
from game.report.collect import Filters, collect
from game.report.lrs import records_of
from game.scenario.loader import load_scenario
from game.session.log import SessionLog
from game.xapi.statements import EXT, statements_for_log

ROOT = Path(__file__).parent.parent
EVIL = "<script>alert(1)</script>"
BIDI = "abc\u202edlrow\u202c\x07end"  # a right-to-left override and a bell


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("KUULE_HOME", str(tmp_path / "home"))


def play(folder, turns, trainee="Aino"):
    """turns: (choice, own words record or None)."""
    scenario = load_scenario(ROOT / "tests/fixtures/mini.yaml").scenario
    log = SessionLog.start(scenario, trainee=trainee, mode="assessment", seed=1, log_dir=folder)
    conversation = Conversation(scenario, seed=log.seed, listeners=[log])
    for choice, own in turns:
        if own is not None:
            log.own_words(own)
        conversation.choose(choice)
    log.close()
    return log.path


def own(text, *codes, closest="ask"):
    return {"text": text, "lang": "en", "codes": list(codes), "group": "reflection", "closest": closest}


OWN_TURNS = [("ask", own(EVIL + " so it let you down", "complex_reflection")),
             ("help", own(BIDI, "open_question", closest="again"))]


def test_miti_from_codes_counts_by_the_rubrics_kinds():
    rubric = load_scenario(ROOT / "tests/fixtures/mini.yaml").scenario.rubric
    counts = miti_from_codes(["open_question", "complex_reflection", "simple_reflection", "closed_question",
                              "advise_early", "other", None], rubric)
    assert (counts.reflections, counts.complex_reflections, counts.questions) == (2, 1, 2)
    assert counts.reflection_to_question == 1.0 and counts.complex_share == 0.5
    assert miti_from_codes([], rubric).reflection_to_question is None


def test_collect_reads_the_main_code_of_own_words(tmp_path):
    play(tmp_path, OWN_TURNS)
    play(tmp_path, [("ask", None), ("help", None)], trainee="Bea")
    sessions = {s.trainee: s for s in collect([tmp_path], Filters()).sessions}
    assert sessions["Aino"].own_codes == ("complex_reflection", "open_question")
    assert sessions["Bea"].own_codes == ()


def test_report_shows_own_words_escaped_and_measures_miti_from_them(tmp_path):
    folder = tmp_path / "logs"
    play(folder, OWN_TURNS)
    play(folder, [("ask", None), ("help", None)], trainee="Bea")
    out = tmp_path / "r.html"
    write_report([folder], out, lang="en", filters=Filters(), csv_path=tmp_path / "r.csv")
    page = out.read_text(encoding="utf-8")
    assert EVIL not in page and "&lt;script&gt;alert(1)&lt;/script&gt; so it let you down" in page
    assert "\u202e" not in page and "\x07" not in page and "abc\ufffddlrow\ufffd\ufffdend" in page
    assert '<bdi dir="auto">' in page
    assert page.count('<span class="mark">own words</span>') == 1  # Aino's transcript, not Bea's
    assert "[complex reflection]" in page and "[open question]" in page
    assert "Kuule marked as closest: Could you say that again?" in page  # it picked another than the closest
    assert "1 of 2 sessions here were played in own words" in page
    csv_rows = (tmp_path / "r.csv").read_text(encoding="utf-8-sig").splitlines()
    header = csv_rows[0].split(",")
    rows = {r.split(",")[header.index("trainee")]: r.split(",") for r in csv_rows[1:]}
    # Aino's chosen answers (an open question, then working it out together) would give 0 reflections per question;
    # her own words give one complex reflection and one question
    assert float(rows["Aino"][header.index("reflection_to_question")]) == 1.0
    assert float(rows["Aino"][header.index("complex_reflection_share")]) == 1.0
    assert float(rows["Bea"][header.index("reflection_to_question")]) == 0.0
    assert (rows["Aino"][header.index("miti_from")], rows["Bea"][header.index("miti_from")]) == ("own_words", "answers")


def test_finnish_report_names_the_codes_in_finnish(tmp_path):
    folder = tmp_path / "logs"
    play(folder, OWN_TURNS)
    out = tmp_path / "r.html"
    write_report([folder], out, lang="fi", filters=Filters())
    page = out.read_text(encoding="utf-8")
    assert "Omin sanoin" in page and "[syventävä heijastus]" in page and "[avoin kysymys]" in page
    assert "Kuule merkitsi lähimmäksi: Voisitko toistaa?" in page
    assert "1/1 istunnosta pelattiin omin sanoin" in page


def test_xapi_response_carries_own_words_and_the_lrs_gives_them_back(tmp_path):
    path = play(tmp_path, OWN_TURNS)
    statements = statements_for_log(path)
    selected = [s for s in statements if s["verb"]["id"].endswith("/selected")]
    assert [s["result"]["response"] for s in selected] == [EVIL + " so it let you down", BIDI]
    assert [s["result"]["extensions"][EXT["choice"]] for s in selected] == ["ask", "help"]
    assert selected[1]["result"]["extensions"][EXT["own-words"]]["codes"] == ["open_question"]
    records = records_of(statements)
    choices = [r for r in records if r["kind"] == "choice"]
    assert [r["choice"] for r in choices] == ["ask", "help"]
    assert choices[0]["own_words"]["text"] == EVIL + " so it let you down"
    assert choices[1]["own_words"]["codes"] == ["open_question"]


def test_without_own_words_the_response_stays_the_choice(tmp_path):
    path = play(tmp_path, [("ask", None), ("help", None)])
    selected = [s for s in statements_for_log(path) if s["verb"]["id"].endswith("/selected")]
    assert [s["result"]["response"] for s in selected] == ["ask", "help"]
    assert all(EXT["own-words"] not in s["result"]["extensions"] for s in selected)
