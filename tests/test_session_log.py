"""The session log: what each line holds, that every line is synced, and that names cannot steer paths."""

import json
import os
import re
from pathlib import Path

import pytest

from game.engine import Conversation
from game.scenario.loader import load_scenario
from game.session import chain
from game.session.log import SessionLog
from game.session.reader import LogError, iter_records, read_last_record
from game.session.verify import verify_log

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("KUULE_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture(scope="module")
def mini():
    return load_scenario(FIXTURES / "mini.yaml").scenario


@pytest.fixture(scope="module")
def engine():
    return load_scenario(FIXTURES / "engine.yaml").scenario


def records(path):
    return [record for _n, record in iter_records(path)]


def test_a_played_session_is_logged_line_by_line(mini, home):
    log = SessionLog.start(mini, trainee="Aino", mode="assessment", lang="fi", seed=5)
    conversation = Conversation(mini, seed=log.seed, listeners=[log])
    conversation.choose("ask")
    conversation.choose("help")
    log.close()
    assert log.path.parent == home / "data" / "sessions"
    lines = records(log.path)
    header = lines[0]
    assert header["kind"] == "header" and header["format"] == 1 and header["app"] == "Kuule"
    assert (header["scenario_id"], header["trainee"], header["mode"], header["lang"], header["seed"]) == \
        ("mini", "Aino", "assessment", "fi", 5)
    assert header["content_hash"] == mini.content_hash and header["app_version"]
    assert header["scenario_path"] == str((FIXTURES / "mini.yaml").resolve())
    assert re.match(r"\d{4}-\d\d-\d\dT", header["started"])
    kinds = [r["kind"] for r in lines]
    assert kinds == ["header", "line", "choice", "line", "choice", "line", "end"]
    first = lines[2]
    assert first["choice"] == "ask" and first["node"] == "start" and first["tags"] == ["open_question"]
    assert first["code"] == "open_question" and first["points"] == {"listening": 2.0, "empathy": 1.0}
    assert first["best"] == {"listening": 2.0, "empathy": 1.0}  # the best on offer then: this answer
    assert header["drawn"] == {"trait": None, "stake": None}
    assert first["mood_after"] == {"trust": 50, "distress": 40, "heard": 10}
    assert first["opportunity"] is True and first["eccs"] == 2 and first["landed"] == "middle"
    assert isinstance(first["response_ms"], int) and first["response_ms"] >= 0
    end = lines[-1]
    assert end["outcome"] == "good" and end["node"] == "good"
    assert end["result"] == json.loads(json.dumps(conversation.result.as_dict()))
    assert end["result"]["overall"] == pytest.approx(1.0)
    assert isinstance(end["duration_ms"], int)
    assert [r["n"] for r in lines] == list(range(1, 8))
    assert all(later["prev"] == earlier["hash"] for earlier, later in zip(lines, lines[1:]))
    assert verify_log(log.path).ok and verify_log(log.path).finished


def test_every_line_is_flushed_and_synced_as_it_is_written(mini, monkeypatch):
    synced = []
    real_fsync = os.fsync
    log = SessionLog.start(mini, seed=1)

    def counting(fd):
        synced.append(os.fstat(fd).st_size)
        return real_fsync(fd)

    monkeypatch.setattr(os, "fsync", counting)
    conversation = Conversation(mini, seed=log.seed, listeners=[log])
    conversation.choose("ask")
    # after each event the file on disk already holds that line
    assert len(synced) == 3 and synced == sorted(synced)
    assert log.path.stat().st_size == synced[-1]
    log.close()
    log.close()  # idempotent


def test_file_names_never_come_from_the_trainee(mini, home, tmp_path):
    for name in ["../../etc/x", "/etc/passwd", "..", "a/b\\c", "<script>alert(1)</script>", "nul\x00x", "Äiti ☃"]:
        log = SessionLog.start(mini, trainee=name, seed=1)
        log.close()
        assert log.path.parent == home / "data" / "sessions"
        assert re.fullmatch(r"\d{8}T\d{6}-[0-9a-f]{8}\.jsonl", log.path.name)
        assert records(log.path)[0]["trainee"] == name
    everything = [p for p in tmp_path.rglob("*") if p.is_file()]
    ledger = home / "config" / "sessions.ledger"  # the installation's note of how far each log was written
    assert all(home / "data" / "sessions" in p.parents for p in everything if p != ledger)
    assert oct(ledger.stat().st_mode & 0o777) == "0o600"
    assert not (tmp_path / "etc").exists() and not Path("/etc/x").exists()


def test_log_dir_overrides_the_user_folder(mini, tmp_path):
    log = SessionLog.start(mini, seed=1, log_dir=tmp_path / "coach" / "logs")
    log.close()
    assert log.path.parent == tmp_path / "coach" / "logs"


def test_a_copy_of_the_scenario_version_is_kept_beside_the_logs(mini, home):
    log = SessionLog.start(mini, seed=1)
    log.close()
    snapshot = log.path.parent / records(log.path)[0]["snapshot"]
    assert snapshot.read_bytes() == (FIXTURES / "mini.yaml").read_bytes()
    assert (snapshot.parent / "rubric.yaml").is_file()
    again = load_scenario(snapshot).scenario
    assert again.content_hash == mini.content_hash


def test_a_half_written_line_loses_only_itself(mini):
    log = SessionLog.start(mini, seed=1)
    conversation = Conversation(mini, seed=log.seed, listeners=[log])
    conversation.choose("ask")
    log.close()
    before = log.path.read_bytes()
    with open(log.path, "ab") as handle:  # the process died in the middle of a write
        handle.write(b'{"kind":"choice","at":9,"turn":2,"node":"mid')
    verdict = verify_log(log.path)
    assert verdict.ok and verdict.truncated and verdict.lines == 4
    assert [r["kind"] for r in records(log.path)] == ["header", "line", "choice", "line"]
    assert read_last_record(log.path)["kind"] == "line"
    reopened = SessionLog.reopen(log.path)  # resuming cuts the broken tail and goes on
    assert log.path.read_bytes() == before
    reopened.note("resumed")
    reopened.close()
    assert verify_log(log.path).ok and not verify_log(log.path).truncated


def test_a_failing_disk_keeps_what_was_written_and_does_not_stop_the_game(mini, monkeypatch):
    log = SessionLog.start(mini, seed=1)
    conversation = Conversation(mini, seed=log.seed, listeners=[log])
    real_write = os.write

    def full(fd, data):
        if fd == log._fd:
            raise OSError(28, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", full)
    conversation.choose("ask")  # the engine goes on
    conversation.choose("help")
    monkeypatch.setattr(os, "write", real_write)
    assert conversation.ended
    assert log.error is not None and log.error.errno == 28
    log.close()
    assert verify_log(log.path).ok
    assert [r["kind"] for r in records(log.path)] == ["header", "line"]


def test_an_unwritable_folder_is_an_error_at_start(mini, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OSError):
        SessionLog.start(mini, seed=1, log_dir=blocker / "logs")


def test_rollbacks_and_redirects_are_logged(engine):
    log = SessionLog.start(engine, seed=1)
    conversation = Conversation(engine, seed=log.seed, listeners=[log])
    conversation.choose("ask")
    conversation.rollback()
    conversation.choose("rude")
    log.close()
    kinds = [r["kind"] for r in records(log.path)]
    assert "rollback" in kinds
    assert "redirect" in kinds or records(log.path)[-1]["kind"] == "end"
    assert verify_log(log.path).ok


def test_foreign_and_empty_files_are_refused_with_a_reason(tmp_path):
    foreign = tmp_path / "other.jsonl"
    foreign.write_text('{"kind": "header", "app": "Other"}\n')
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    for path, reason in ((foreign, "foreign"), (empty, "empty"), (tmp_path / "nope.jsonl", "missing")):
        with pytest.raises(LogError) as caught:
            records(path)
        assert caught.value.reason == reason
    assert "ei ole Kuulen istuntoloki" in LogError(foreign, "foreign").message("fi")


def test_chain_hashes_are_checked_on_raw_bytes():
    data, line_hash = chain.encode({"kind": "x", "text": "ä\"<"}, 1, "")
    assert data.endswith(b"\n") and chain.stated_hash(data) == line_hash == chain.actual_hash(data)
    edited = data.replace("ä".encode(), b"a")
    assert chain.actual_hash(edited) != chain.stated_hash(edited)
    assert chain.stated_hash(b'{"kind":"x"}') is None
