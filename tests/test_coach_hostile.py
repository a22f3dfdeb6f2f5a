"""Hostile files among the logs, and what the coach's commands make of them: never a hang, a traceback or a
crash; one bad line costs that line, not the session; exported files are the coach's alone; LRS addresses
are checked before anything is read or sent."""

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_xapi import make_log

ROOT = Path(__file__).parent.parent
MINI = "tests/fixtures/mini.yaml"
DEEP = b"[" * 100_000 + b"\n"


def run(*args, timeout=60, stdin="", env=None):
    """A command as the coach runs it; a hang fails the test instead of stopping the suite."""
    return subprocess.run([sys.executable, "main.py", *map(str, args)], capture_output=True, text=True, cwd=ROOT,
                          input=stdin, timeout=timeout, env=dict(os.environ, LANG="C", **(env or {})))


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv("KUULE_HOME", str(tmp_path / "home"))
    logs = tmp_path / "logs"
    make_log(logs, ["ask", "help"], trainee="Aino")
    return logs


def hostile(folder: Path) -> dict[str, Path]:
    """A pipe, a folder and a line of 100,000 brackets, each named like a log, beside the real one."""
    os.mkfifo(folder / "pipe.jsonl")
    (folder / "folder.jsonl").mkdir()
    (folder / "deep.jsonl").write_bytes(DEEP)
    return {"pipe": folder / "pipe.jsonl", "deep": folder / "deep.jsonl"}


def clean(result):
    assert "Traceback" not in result.stdout + result.stderr, result.stderr[-2000:]
    assert "RecursionError" not in result.stdout + result.stderr


@pytest.mark.parametrize("lang", ["en", "fi"])
def test_every_command_reads_past_pipes_folders_and_deep_nesting(folder, tmp_path, lang):
    files = hostile(folder)
    [real] = [p for p in folder.glob("2*.jsonl")]
    report = run("report", folder, files["pipe"], "--out", tmp_path / "r.html", "--lang", lang)
    clean(report)
    assert report.returncode == 0 and "1 session(s)" in report.stdout or "istuntoja 1," in report.stdout
    assert ("not a regular file" if lang == "en" else "ei ole tavallinen tiedosto") in report.stdout
    verify = run("verify", folder, files["pipe"], "--lang", lang)
    clean(verify)
    assert verify.returncode == 1 and f"{real}: OK" in verify.stdout
    xapi = run("xapi", folder, files["pipe"], "--out", tmp_path / "s.json", "--lang", lang)
    clean(xapi)
    assert xapi.returncode == 0 and len(json.loads((tmp_path / "s.json").read_text())) == 5
    for bad in files.values():
        replay = run("replay", bad, "--text", "--lang", lang)
        clean(replay)
        assert replay.returncode == 1 and str(bad) in replay.stderr
    play = run("play", MINI, "--text", "--lang", lang, "--trainee", "Aino", "--log-dir", folder, stdin="1\n1\n")
    clean(play)
    assert play.returncode == 0


def test_a_deep_line_inside_a_log_is_left_out_and_the_session_kept(folder, tmp_path):
    [path] = list(folder.glob("*.jsonl"))
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(lines[0] + DEEP + b"".join(lines[1:]) + b"garbage\n")
    verify = run("verify", path)
    clean(verify)
    assert verify.returncode == 0 and "line 2 is not a record" in verify.stdout
    report = run("report", folder, "--out", tmp_path / "r.html")
    clean(report)
    assert "1 session(s)" in report.stdout and "skipped" not in report.stdout
    xapi = run("xapi", folder, "--out", tmp_path / "s.json")
    assert xapi.returncode == 0 and "Wrote 5 statement(s)" in xapi.stdout
    replay = run("replay", path, "--text")
    clean(replay)
    assert replay.returncode == 0 and "WARNING" not in replay.stderr


def test_play_starts_past_a_deep_log_in_its_folder(folder):
    hostile(folder)
    [real] = list(folder.glob("2*.jsonl"))
    lines = real.read_bytes().splitlines(keepends=True)
    real.write_bytes(b"".join(lines[:3]))  # unfinished: offered for resuming
    (folder / "deeper.jsonl").write_bytes(lines[0] + DEEP)
    play = run("play", MINI, "--text", "--trainee", "Aino", "--log-dir", folder, stdin="n\n1\n1\n")
    clean(play)
    assert play.returncode == 0 and "unfinished session" in play.stdout


def test_exported_files_are_readable_by_their_owner_only(folder, tmp_path):
    old = os.umask(0o022)
    try:
        assert run("report", folder, "--out", tmp_path / "r.html", "--csv", tmp_path / "r.csv").returncode == 0
        assert run("xapi", folder, "--out", tmp_path / "s.json").returncode == 0
    finally:
        os.umask(old)
    for name in ("r.html", "r.csv", "s.json"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600, name


@pytest.mark.parametrize("url, en, fi", [
    ("127.0.0.1:8100", "must start with http:// or https://", "on alettava http:// tai https://"),
    ("ftp://lrs.example", "must start with http:// or https://", "on alettava http:// tai https://"),
    ("http://", "no host name", "ei ole palvelimen nimeä"),
    ("http://lrs.example:99999", "port is not a number", "portti ei ole luku"),
    ("http://lrs.example:abc", "port is not a number", "portti ei ole luku"),
    ("http://coach:secret@lrs.example", "leave the user name and password out", "jätä käyttäjätunnus ja salasana pois"),
    ("http://lrs.example/?x=1", "must not hold a query", "ei saa olla kyselyä"),
])
def test_a_wrong_lrs_address_is_named_before_anything_is_sent(folder, tmp_path, url, en, fi):
    for lang, text in (("en", en), ("fi", fi)):
        result = run("xapi", folder, "--lrs", url, "--user", "u", "--lang", lang, env={"KUULE_LRS_PASSWORD": "p"})
        clean(result)
        assert result.returncode == 2 and text in result.stderr, result.stderr
        assert "secret" not in result.stdout


def test_an_html_error_page_is_summed_up_by_its_title():
    from game.xapi.send import _detail

    page = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>" + "<p>x</p>" * 10_000 + "</body>"
    assert _detail(page) == "502 Bad Gateway"
    assert _detail("<html><body><h1>Forbidden</h1>" + "y" * 5000) .startswith("Forbidden")
    assert len(_detail("<html><body>" + "z" * 5000)) <= 200
    assert _detail('{"detail": "Invalid authentication credentials"}') == "Invalid authentication credentials"


def test_a_trainees_record_is_read_past_hostile_files(folder):
    from game.session.stats import trainee_stats

    hostile(folder)
    stats = trainee_stats("Aino", folder)
    assert stats["mini"].attempts == 1 and stats["mini"].finished == 1


def test_an_edited_log_is_left_out_of_report_and_xapi_and_listed_unless_asked_for(folder, tmp_path):
    import re

    [path] = list(folder.glob("*.jsonl"))
    data = path.read_bytes()
    path.write_bytes(re.sub(rb'"overall":[0-9.]+', b'"overall":1.0', data, count=1).replace(b'"harmful_moves":0', b'"harmful_moves":0 '))
    assert path.read_bytes() != data
    report = run("report", folder, "--out", tmp_path / "r.html")
    assert "0 session(s)" in report.stdout and f"{path}: skipped: line" in report.stdout and "was edited" in report.stdout
    page = (tmp_path / "r.html").read_text()
    assert path.name in page and "was edited" in page
    xapi = run("xapi", folder, "--out", tmp_path / "s.json")
    assert "Wrote 0 statement(s)" in xapi.stdout and f"{path}: skipped: line" in xapi.stdout
    counted = run("report", folder, "--out", tmp_path / "r.html", "--include-unverified")
    assert "1 session(s)" in counted.stdout and "unverified" in (tmp_path / "r.html").read_text()
    sent = run("xapi", folder, "--out", tmp_path / "s.json", "--include-unverified")
    statements = json.loads((tmp_path / "s.json").read_text())
    assert sent.returncode == 0 and statements
    assert all(s["context"]["extensions"]["https://kuule.invalid/xapi/extensions/unverified"] for s in statements)


def test_a_resumed_session_is_marked_in_the_report(folder, tmp_path):
    from game.scenario.loader import load_scenario
    from game.session.resume import resume, unfinished_sessions

    mini = load_scenario(ROOT / MINI).scenario
    make_log(folder, ["ask"], trainee="Bea", seed=3)
    conversation, log = resume(unfinished_sessions(folder)[0], mini)
    conversation.choose("help")
    log.close()
    run("report", folder, "--out", tmp_path / "r.html")
    data = (tmp_path / "r.html").read_text()
    rows = json.loads(data[data.index('id="report-data">') + len('id="report-data">'):data.index("</script>", data.index('id="report-data">'))])
    resumed = rows["fields"].index("resumed")
    assert sorted(row[resumed] for row in rows["sessions"]) == [0, 1]
    assert '<span class="mark">resumed</span>' in data  # on the transcript


@pytest.mark.parametrize("lang, text", [("en", "Could not read the statements of"), ("fi", "lausumia ei voitu lukea")])
def test_a_report_from_an_lrs_that_does_not_answer_says_so(folder, tmp_path, lang, text):
    import socket

    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]  # nothing listens here once closed
    result = run("report", "--lrs", f"http://127.0.0.1:{port}", "--user", "u", "--out", tmp_path / "r.html",
                 "--lang", lang, env={"KUULE_LRS_PASSWORD": "p"})
    clean(result)
    assert result.returncode == 1 and text in result.stderr and not (tmp_path / "r.html").exists()
    wrong = run("report", "--lrs", "lrs.example", "--user", "u", "--lang", lang, env={"KUULE_LRS_PASSWORD": "p"})
    assert wrong.returncode == 2 and "http" in wrong.stderr
