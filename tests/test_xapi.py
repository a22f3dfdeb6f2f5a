"""xAPI statements from logs, and sending them with retries: deterministic IDs, nothing lost."""

import json
import urllib.parse
import os
import subprocess
import sys
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from game.engine import Conversation
from game.scenario.loader import load_scenario
from game.xapi.send import Client, send, statements_url
from game.xapi.statements import DIALOG_TREE, EXT, VERBS, NotFinished, statements_for_log

ROOT = Path(__file__).parent.parent


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("KUULE_HOME", str(tmp_path / "home"))


def make_log(folder, actions, scenario="tests/fixtures/mini.yaml", trainee="Aino", mode="assessment", seed=1):
    from game.session.log import SessionLog

    loaded = load_scenario(ROOT / scenario).scenario
    log = SessionLog.start(loaded, trainee=trainee, mode=mode, seed=seed, log_dir=folder)
    conversation = Conversation(loaded, seed=log.seed, listeners=[log])
    for action in actions:
        conversation.rollback() if action == "<back>" else conversation.choose(action)
    log.close()
    return log.path


def test_statements_of_a_session(tmp_path):
    path = make_log(tmp_path, ["ask", "again", "<back>", "help"], mode="practice")
    statements = statements_for_log(path)
    verbs = [s["verb"]["id"] for s in statements]
    assert verbs == [VERBS["initialized"], VERBS["selected"], VERBS["selected"], VERBS["completed"], VERBS["passed"]]
    header = json.loads(path.read_text().splitlines()[0])
    registration = str(uuid.UUID(header["session"]))
    assert all(s["context"]["registration"] == registration for s in statements)
    assert all(s["actor"] == {"objectType": "Agent", "name": "Aino",
                              "account": {"homePage": "https://kuule.invalid/trainees", "name": "aino"}} for s in statements)
    first = statements[1]
    assert first["object"]["definition"]["type"] == DIALOG_TREE
    assert first["object"]["id"].endswith("/scenarios/mini/nodes/start")
    assert first["result"]["response"] == "ask"
    assert first["result"]["extensions"][EXT["tags"]] == ["open_question"]
    assert first["result"]["extensions"][EXT["mood"]] == {"trust": 50, "distress": 40, "heard": 10}
    assert first["context"]["contextActivities"]["parent"][0]["id"].endswith("/scenarios/mini")
    assert [s["result"]["response"] for s in statements if "response" in s.get("result", {})] == ["ask", "help"]
    completed = statements[3]
    assert completed["result"]["score"]["scaled"] == 1.0 and completed["result"]["completion"] is True
    assert completed["result"]["extensions"][EXT["taken-back"]] == 1
    assert completed["result"]["extensions"][EXT["outcome"]] == "good"
    assert statements[4]["result"]["success"] is True
    assert all(s["timestamp"].endswith("Z") for s in statements)
    # deterministic: the same log gives the same statements and IDs; IDs are unique
    assert statements_for_log(path) == statements
    assert len({s["id"] for s in statements}) == len(statements)


def test_a_failing_score_fails_and_unfinished_sessions_wait(tmp_path):
    failed = statements_for_log(make_log(tmp_path, ["lecture"]))
    assert failed[-1]["verb"]["id"] == VERBS["failed"] and failed[-1]["result"]["success"] is False
    assert 0 <= failed[-1]["result"]["score"]["scaled"] < 0.6
    unfinished = make_log(tmp_path, ["ask"])
    with pytest.raises(NotFinished):
        statements_for_log(unfinished)
    partial = statements_for_log(unfinished, include_unfinished=True)
    assert [s["verb"]["id"] for s in partial] == [VERBS["initialized"], VERBS["selected"]]


def test_statements_url():
    assert statements_url("http://127.0.0.1:8100") == "http://127.0.0.1:8100/xAPI/statements"
    assert statements_url("https://lrs.example.org/data/xAPI/") == "https://lrs.example.org/data/xAPI/statements"
    assert statements_url("https://lrs.example.org/xapi/statements") == "https://lrs.example.org/xapi/statements"


class FlakyLRS(BaseHTTPRequestHandler):
    """Fails the first `failures` POSTs with 503, then stores; answers 204 for IDs it already has."""
    failures = 0
    stored: dict = {}
    posts = 0

    def do_POST(self):
        cls = type(self)
        cls.posts += 1
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        assert self.headers["X-Experience-API-Version"] == "1.0.3"
        assert self.headers["Authorization"].startswith("Basic ")
        if cls.failures > 0:
            cls.failures -= 1
            self.send_response(503)
            self.end_headers()
            return
        new = [s["id"] for s in body if s["id"] not in cls.stored]
        for s in body:
            cls.stored.setdefault(s["id"], s)
        if new:
            data = json.dumps(new).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        else:
            self.send_response(204)
            self.end_headers()

    def do_GET(self):
        """Statements by registration, as an LRS answers (failing with 503 as POSTs do while `failures` last)."""
        cls = type(self)
        if cls.failures > 0:
            cls.failures -= 1
            self.send_response(503)
            self.end_headers()
            return
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query))
        found = [s for s in cls.stored.values() if s.get("context", {}).get("registration") == query.get("registration")]
        data = json.dumps({"statements": found, "more": ""}).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def flaky():
    FlakyLRS.failures, FlakyLRS.stored, FlakyLRS.posts = 0, {}, 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), FlakyLRS)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_network_errors_are_retried_with_backoff(tmp_path, flaky):
    statements = statements_for_log(make_log(tmp_path, ["ask", "help"]))
    FlakyLRS.failures = 2
    waits = []
    report = send(statements, Client(flaky, "u", "p", retries=3, backoff=0.5, sleep=waits.append), batch_size=2)
    assert report.ok and report.stored == len(statements) and report.retries == 2
    assert waits == [0.5, 1.0]  # exponential backoff
    again = send(statements, Client(flaky, "u", "p", sleep=waits.append))
    assert again.stored == 0 and again.already == len(statements)
    assert len(FlakyLRS.stored) == len(statements)


def test_an_unreachable_lrs_loses_nothing(tmp_path, flaky):
    make_log(tmp_path / "logs", ["ask", "help"])
    FlakyLRS.failures = 10**6
    env = dict(os.environ, LANG="C")
    out = tmp_path / "out.json"
    run = subprocess.run([sys.executable, "main.py", "xapi", str(tmp_path / "logs"), "--out", str(out), "--lrs", flaky,
                          "--user", "u", "--password", "p", "--retries", "1"], capture_output=True, text=True,
                         cwd=ROOT, env=env, timeout=120)
    assert run.returncode == 1
    assert "5 statement(s) were NOT sent" in run.stderr and "Traceback" not in run.stderr
    unsent = tmp_path / "out.unsent.json"
    assert json.loads(unsent.read_text()) == json.loads(out.read_text())
    FlakyLRS.failures = 0  # the LRS is back: send the saved file again
    resend = subprocess.run([sys.executable, "main.py", "xapi", str(unsent), "--lrs", flaky, "--user", "u",
                             "--password", "p"], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert resend.returncode == 0, resend.stderr
    assert "5 stored, 0 already there" in resend.stdout
    assert set(FlakyLRS.stored) == {s["id"] for s in json.loads(out.read_text())}


def test_command_reports_bad_files_and_needs_a_target(tmp_path):
    folder = tmp_path / "logs"
    make_log(folder, ["ask", "help"])
    (folder / "junk.jsonl").write_text("not json\n")
    env = dict(os.environ, LANG="C")
    run = subprocess.run([sys.executable, "main.py", "xapi", str(folder), "--out", str(tmp_path / "s.json")],
                         capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)
    assert run.returncode == 0 and "junk.jsonl: skipped: not a Kuule session log" in run.stdout
    assert len(json.loads((tmp_path / "s.json").read_text())) == 5
    none = subprocess.run([sys.executable, "main.py", "xapi", str(folder)], capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=60)
    assert none.returncode == 2 and "Give --out FILE.json" in none.stderr


@pytest.mark.parametrize("written", ["0.7", "0,7", "70%", "70 %"])
def test_a_pass_mark_is_read_as_people_write_it(tmp_path, written):
    """A Finnish coach writes 0,7 or 70 %: the same verdict as 0.7, with the pass mark recorded as 0.7."""
    make_log(tmp_path / "logs", ["ask", "help"], mode="assessment")
    out = tmp_path / "out.json"
    done = subprocess.run([sys.executable, "main.py", "xapi", str(tmp_path / "logs"), "--out", str(out),
                           "--pass-mark", written], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    verdicts = [s for s in json.loads(out.read_text()) if s["verb"]["id"] in (VERBS["passed"], VERBS["failed"])]
    assert [s["result"]["extensions"][EXT["pass-mark"]] for s in verdicts] == [0.7]


@pytest.mark.parametrize("written", ["abc", "1.5", "170%", "nan", "-0.1"])
def test_a_pass_mark_that_is_not_a_share_is_refused_in_the_users_language(tmp_path, written, monkeypatch):
    make_log(tmp_path / "logs", ["ask", "help"], mode="assessment")
    env = dict(os.environ, KUULE_LANG="fi")
    done = subprocess.run([sys.executable, "main.py", "xapi", str(tmp_path / "logs"), "--out", str(tmp_path / "o.json"),
                           "--pass-mark", written], cwd=ROOT, capture_output=True, text=True, env=env)
    assert done.returncode == 2
    assert "anna hyväksymisraja osuutena 0–1 tai prosentteina" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "o.json").exists()
