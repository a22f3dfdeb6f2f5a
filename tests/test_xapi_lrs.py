"""xAPI against a real LRS: Ralph, started on 127.0.0.1 by the test; statements read back and compared."""

import json
from collections import Counter
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.services import ralph_lrs
from tests.test_xapi import make_log

ROOT = Path(__file__).parent.parent

if not ralph_lrs.available():
    if os.environ.get("CI") == "true":
        raise RuntimeError("CI=true but Ralph is not installed: run tests/services/install-ralph.sh first")
    pytest.skip("Ralph LRS not installed (tests/services/install-ralph.sh)", allow_module_level=True)


@pytest.fixture(scope="module")
def lrs(tmp_path_factory):
    with ralph_lrs.RalphLRS(tmp_path_factory.mktemp("ralph")) as server:
        yield server


def send(lrs, *paths, out):
    env = dict(os.environ, LANG="C", KUULE_LRS_PASSWORD=lrs.password)
    return subprocess.run([sys.executable, "main.py", "xapi", *map(str, paths), "--out", str(out), "--lrs", lrs.url,
                           "--user", lrs.user], capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)


def test_statements_are_stored_read_back_equal_and_never_twice(tmp_path, lrs, monkeypatch):
    monkeypatch.setenv("KUULE_HOME", str(tmp_path / "home"))
    folder = tmp_path / "logs"
    make_log(folder, ["ask", "again", "<back>", "help"], trainee="Aino", mode="practice")
    make_log(folder, ["lecture"], trainee="<script>alert(1)</script>", seed=2)
    make_log(folder, ["reflect", "deep"], scenario="tests/fixtures/engine.yaml", trainee="Eero Mäkinen", seed=3)
    out = tmp_path / "statements.json"
    before = lrs.stored_lines()
    first = send(lrs, folder, out=out)
    assert first.returncode == 0, first.stderr
    ours = json.loads(out.read_text())
    assert f"{len(ours)} stored, 0 already there" in first.stdout
    assert lrs.stored_lines() == before + len(ours)
    # read back by registration (Ralph's fs backend cannot filter by verb or activity) and compare
    for registration in {s["context"]["registration"] for s in ours}:
        expected = {s["id"]: s for s in ours if s["context"]["registration"] == registration}
        stored = {s["id"]: s for s in lrs.statements(registration=registration)}
        assert set(stored) == set(expected)
        for statement_id, statement in expected.items():
            back = stored[statement_id]
            for key in ("actor", "verb", "object", "result", "context"):
                if key in statement:
                    assert back[key] == statement[key], (key, back[key], statement[key])
            assert back["timestamp"].startswith(statement["timestamp"][:19])
    selected = [s for s in ours if s["verb"]["id"].endswith("/selected") and s["actor"].get("name") == "Aino"]
    assert [s["result"]["response"] for s in selected] == ["ask", "help"]  # the taken-back "again" is not sent
    # sending again stores nothing twice
    second = send(lrs, folder, out=out)
    assert second.returncode == 0, second.stderr
    assert f"0 stored, {len(ours)} already there" in second.stdout
    assert lrs.stored_lines() == before + len(ours)
    agent = json.dumps(ours[0]["actor"])
    assert len(lrs.statements(agent=agent)) == sum(1 for s in ours if s["actor"] == ours[0]["actor"])


def test_wrong_password_is_reported_and_nothing_is_lost(tmp_path, lrs, monkeypatch):
    monkeypatch.setenv("KUULE_HOME", str(tmp_path / "home"))
    make_log(tmp_path / "logs", ["ask", "help"])
    env = dict(os.environ, LANG="C")
    run = subprocess.run([sys.executable, "main.py", "xapi", str(tmp_path / "logs"), "--out", str(tmp_path / "s.json"),
                          "--lrs", lrs.url, "--user", lrs.user, "--password", "wrong"], capture_output=True, text=True,
                         cwd=ROOT, env=env, timeout=120)
    assert run.returncode == 1 and "NOT sent (HTTP 401" in run.stderr
    assert json.loads((tmp_path / "s.unsent.json").read_text()) == json.loads((tmp_path / "s.json").read_text())


def verdicts(lrs, registration):
    """The passed/failed statements of a session that stand (not voided), as (verb, pass mark)."""
    held = lrs.statements(registration=registration)
    voided = {s["object"]["id"] for s in held if s["verb"]["id"].endswith("/voided")}
    mark = "https://kuule.invalid/xapi/extensions/pass-mark"
    return sorted((s["verb"]["id"].rsplit("/", 1)[1], s["result"]["extensions"][mark]) for s in held
                  if s["verb"]["id"].rsplit("/", 1)[1] in ("passed", "failed") and s["id"] not in voided)


def test_a_new_pass_mark_voids_the_verdict_it_replaces(tmp_path, lrs, monkeypatch):
    """One standing verdict per session whatever pass marks were used, in any order, sent any number of times."""
    monkeypatch.setenv("KUULE_HOME", str(tmp_path / "home"))
    make_log(tmp_path / "logs", ["lecture"], trainee="Pia", seed=7)  # a low score: fails at 0.6, passes at 0
    out = tmp_path / "s.json"

    def send_with(mark):
        run = send(lrs, tmp_path / "logs", "--pass-mark", str(mark), out=out)
        assert run.returncode == 0, run.stdout + run.stderr
        return run, json.loads(out.read_text())[0]["context"]["registration"]

    run, registration = send_with(0.6)
    assert verdicts(lrs, registration) == [("failed", 0.6)]
    run, _r = send_with(0)
    assert verdicts(lrs, registration) == [("passed", 0.0)] and "1 earlier passed/failed statement(s) voided" in run.stdout
    run, _r = send_with(0)  # again: nothing new, nothing voided
    assert verdicts(lrs, registration) == [("passed", 0.0)] and "voided" not in run.stdout
    send_with(0.6)  # back to the first pass mark: a new statement (the first one stays voided)
    assert verdicts(lrs, registration) == [("failed", 0.6)]


def test_sessions_go_to_the_lrs_as_they_are_played_and_survive_it_going_down(tmp_path, lrs, monkeypatch):
    """Live: the start and each answer reach the LRS while the session goes on. The LRS stops mid-session; the
    rest waits on disk; once it is back, `xapi --outbox` sends it: nothing lost, nothing stored twice, and a
    taken-back answer voided."""
    from game.engine import Conversation
    from game.scenario.loader import load_scenario
    from game.session.log import SessionLog
    from game.xapi import outbox
    from game.xapi.outbox import Outbox
    from game.xapi.statements import statements_for_log

    env = {"KUULE_HOME": str(tmp_path / "home"), "KUULE_LRS_URL": lrs.url, "KUULE_LRS_USER": lrs.user,
           "KUULE_LRS_PASSWORD": lrs.password}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(outbox, "_live", None)
    mini = load_scenario(ROOT / "tests/fixtures/mini.yaml").scenario
    before = lrs.stored_lines()
    log = SessionLog.start(mini, trainee="Live", mode="practice", seed=4, log_dir=tmp_path / "logs")
    conversation = Conversation(mini, seed=log.seed, listeners=[log])
    conversation.choose("ask")
    conversation.choose("again")
    assert outbox._live.drain(10)
    registration = statements_for_log(log.path, include_unfinished=True)[0]["context"]["registration"]
    live = {s["verb"]["id"].rsplit("/", 1)[1] for s in lrs.statements(registration=registration)}
    assert live == {"initialized", "selected"}  # there while the session is still being played
    lrs.stop()
    try:
        conversation.rollback()
        conversation.choose("help")
        log.close()
        assert Outbox().pending() >= 4  # the voiding of the answer taken back, the last answer, completed, verdict
    finally:
        lrs.start()
    run = subprocess.run([sys.executable, "main.py", "xapi", "--outbox"], capture_output=True, text=True, cwd=ROOT,
                         env=dict(os.environ, LANG="C", **env), timeout=120)
    assert run.returncode == 0 and "0 still waiting" in run.stdout, run.stdout + run.stderr
    held = lrs.statements(registration=registration)
    voided = {s["object"]["id"] for s in held if s["verb"]["id"].endswith("/voided")}
    standing = {s["id"] for s in held if s["id"] not in voided and not s["verb"]["id"].endswith("/voided")}
    assert standing == {s["id"] for s in statements_for_log(log.path)}  # exactly what the log says, once
    assert len(voided) == 1
    assert lrs.stored_lines() - before == len(held)  # nothing stored twice
    assert Outbox().sessions() == []  # sent and ended: the queue is empty


def page_data(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    start = text.index('<script type="application/json" id="report-data">') + len('<script type="application/json" id="report-data">')
    return json.loads(text[start:text.index("</script>", start)])


def test_the_report_from_the_lrs_equals_the_report_from_the_logs(tmp_path, monkeypatch):
    """A coach with nothing from the trainees' machines: the same sessions, numbers, moves and harmful turns, with
    the same filters, from the statements in the LRS as from the logs."""
    monkeypatch.setenv("KUULE_HOME", str(tmp_path / "home"))
    folder = tmp_path / "logs"
    make_log(folder, ["lecture"], trainee="Aino", seed=1)
    make_log(folder, ["ask", "shrug"], trainee="Aino", seed=2)
    make_log(folder, ["ask", "help"], trainee="Aino", seed=3)
    make_log(folder, ["ask", "help"], trainee="Bea", seed=4)
    make_log(folder, ["reflect", "deep"], scenario="tests/fixtures/engine.yaml", trainee="<b>Eero</b>", seed=5)
    make_log(folder, ["ask"], trainee="Bea", seed=6)  # unfinished: not sent
    make_log(folder, ["ask", "help"], trainee="Pia", mode="practice", seed=7)
    with ralph_lrs.RalphLRS(tmp_path / "ralph") as lrs:
        # the unfinished session too, as live sending leaves one while it is played
        assert send(lrs, folder, "--unfinished", out=tmp_path / "s.json").returncode == 0
        env = dict(os.environ, LANG="C", KUULE_LRS_PASSWORD=lrs.password)
        for options in ([], ["--trainee", "aino"], ["--all-modes"], ["--scenario", "engine_rules"]):
            from_logs = subprocess.run([sys.executable, "main.py", "report", str(folder), "--out", str(tmp_path / "a.html"),
                                        "--scenarios", "tests/fixtures", *options],
                                       capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
            from_lrs = subprocess.run([sys.executable, "main.py", "report", "--lrs", lrs.url, "--user", lrs.user,
                                       "--out", str(tmp_path / "b.html"), "--scenarios", "tests/fixtures", *options],
                                      capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
            assert from_logs.returncode == 0 and from_lrs.returncode == 0, from_lrs.stderr
            logs, stored = page_data(tmp_path / "a.html"), page_data(tmp_path / "b.html")
            assert logs["sessions"] and stored["sessions"] == logs["sessions"], options
            assert stored["moves"] == logs["moves"], options
            assert oct((tmp_path / "b.html").stat().st_mode & 0o777) == "0o600"


def test_every_statement_comes_back_exactly_once_whatever_the_page_size(tmp_path, lrs, monkeypatch):
    """Ralph caps a page at 100 and reads its whole store for each one, so Kuule asks for everything at once
    (limit=0); with a limit, `more` links are followed to the end, including Ralph's extra empty page when the
    count is a multiple of the limit."""
    from game.xapi.fetch import iter_statements
    from game.xapi.send import Client

    monkeypatch.setenv("KUULE_HOME", str(tmp_path / "home"))
    folder = tmp_path / "logs"
    make_log(folder, ["ask", "again", "help"], trainee="Sivu", seed=11)
    make_log(folder, ["reflect", "deep"], scenario="tests/fixtures/engine.yaml", trainee="Sivu", seed=12)
    out = tmp_path / "s.json"
    assert send(lrs, folder, out=out).returncode == 0
    ours = json.loads(out.read_text())
    by_session = Counter(s["context"]["registration"] for s in ours)
    registration = max(by_session, key=by_session.get)  # the session of three answers (the logs' order may vary)
    expected = [s["id"] for s in ours if s["context"]["registration"] == registration]
    assert len(expected) == 6  # started, three answers, completed, failed or passed
    for limit, requests in ((0, 1), (1, 7), (4, 2), (6, 2), (500, 1)):
        client = Client(lrs.url, lrs.user, lrs.password)
        got = [s["id"] for s in iter_statements(client, limit=limit, registration=registration)]
        assert sorted(got) == sorted(expected) and len(got) == len(set(got)), limit
        assert client.requests == requests, limit
    client = Client(lrs.url, lrs.user, lrs.password)
    everything = [s["id"] for s in iter_statements(client)]
    assert len(everything) == len(set(everything)) == lrs.stored_lines() and client.requests == 1
    assert set(s["id"] for s in ours) <= set(everything)


def shifted(path: Path, days: int) -> None:
    """The log as if its session had started `days` earlier (its hash chain made again)."""
    from datetime import datetime, timedelta

    from game.session import chain

    records = [json.loads(line) for line in path.read_bytes().splitlines()]
    records = [{k: v for k, v in r.items() if k not in ("n", "prev", "hash")} for r in records]
    records[0]["started"] = (datetime.fromisoformat(records[0]["started"]) - timedelta(days=days)).isoformat()
    prev, lines = "", []
    for n, record in enumerate(records, 1):
        line, prev = chain.encode(record, n, prev)
        lines.append(line)
    path.write_bytes(b"".join(lines))


def report_pair(lrs, folder, tmp_path, options):
    env = dict(os.environ, LANG="C", KUULE_LRS_PASSWORD=lrs.password)
    from_logs = subprocess.run([sys.executable, "main.py", "report", str(folder), "--out", str(tmp_path / "a.html"),
                                *options], capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)
    from_lrs = subprocess.run([sys.executable, "main.py", "report", "--lrs", lrs.url, "--user", lrs.user,
                               "--out", str(tmp_path / "b.html"), *options],
                              capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)
    assert from_logs.returncode == 0 and from_lrs.returncode == 0, from_logs.stderr + from_lrs.stderr
    return page_data(tmp_path / "a.html"), page_data(tmp_path / "b.html")


def test_since_is_asked_of_the_lrs_and_gives_the_report_filtering_the_logs_gives(tmp_path, monkeypatch):
    from datetime import date, timedelta

    from game.report.lrs import since_param
    from game.xapi.fetch import iter_statements
    from game.xapi.send import Client

    monkeypatch.setenv("KUULE_HOME", str(tmp_path / "home"))
    folder = tmp_path / "logs"
    old = make_log(folder, ["lecture"], trainee="Vanha", seed=1)
    week = make_log(folder, ["ask", "help"], trainee="Viikko", seed=2)
    make_log(folder, ["ask", "shrug"], trainee="Tänään", seed=3)
    shifted(old, 30)
    shifted(week, 6)
    with ralph_lrs.RalphLRS(tmp_path / "ralph") as lrs:
        assert send(lrs, folder, out=tmp_path / "s.json").returncode == 0
        statements = json.loads((tmp_path / "s.json").read_text())
        by_trainee = {s["actor"]["name"]: s["context"]["registration"] for s in statements}
        since = date.today() - timedelta(days=10)
        asked = {s["context"]["registration"] for s in iter_statements(Client(lrs.url, lrs.user, lrs.password),
                                                                       **since_param(since))}
        assert asked == {by_trainee["Viikko"], by_trainee["Tänään"]}  # the month-old session is not even sent
        for day in (since, date.today() - timedelta(days=6), date.today()):
            logs, stored = report_pair(lrs, folder, tmp_path, ["--since", day.isoformat()])
            assert stored["sessions"] == logs["sessions"], day
            assert stored["moves"] == logs["moves"], day
        assert len(logs["sessions"]) == 1


def test_the_report_from_the_lrs_equals_the_report_from_the_logs_over_hundreds_of_sessions(tmp_path, monkeypatch):
    """Sessions played through the engine and copied as other trainees' attempts (as the benchmark makes them)."""
    from bench.report import generate

    monkeypatch.setenv("KUULE_HOME", str(tmp_path / "home"))
    folder = tmp_path / "logs"
    folder.mkdir()
    generate(folder, 400, templates=40, quick=True)
    with ralph_lrs.RalphLRS(tmp_path / "ralph") as lrs:
        sent = send(lrs, folder, out=tmp_path / "s.json")
        assert sent.returncode == 0 and "0 already there" in sent.stdout, sent.stderr
        for options in ([], ["--all-modes"]):
            logs, stored = report_pair(lrs, folder, tmp_path, options)
            assert len(logs["sessions"]) > 100, options
            assert stored["sessions"] == logs["sessions"], options
            assert stored["moves"] == logs["moves"], options
