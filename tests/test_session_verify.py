"""`verify`: edited, removed, reordered and foreign lines are reported by line number, with exit 1."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from game.engine import Conversation
from game.scenario.loader import load_scenario
from game.session import chain
from game.session.log import SessionLog
from game.session.verify import verify_log

ROOT = Path(__file__).parent.parent


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("KUULE_HOME", str(tmp_path / "home"))


@pytest.fixture
def log_path(tmp_path):
    scenario = load_scenario(ROOT / "tests/fixtures/mini.yaml").scenario
    log = SessionLog.start(scenario, trainee="Aino", seed=1, log_dir=tmp_path / "logs")
    conversation = Conversation(scenario, seed=log.seed, listeners=[log])
    conversation.choose("ask")
    conversation.choose("again")
    conversation.choose("help")
    log.close()
    return log.path  # 9 lines: header line choice line choice line choice line end


def lines_of(path):
    return path.read_bytes().splitlines(keepends=True)


def write(path, lines):
    path.write_bytes(b"".join(lines))


def verify_cli(*paths, lang="en"):
    env = dict(os.environ, LANG="C")
    return subprocess.run([sys.executable, "main.py", "verify", "--lang", lang, *map(str, paths)],
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)


def codes(path):
    return [(p.line, p.code) for p in verify_log(path).problems]


def test_an_intact_log_verifies(log_path):
    run = verify_cli(log_path)
    assert run.returncode == 0
    assert "OK (9 lines, finished)" in run.stdout


def test_an_edited_line_is_named(log_path):
    lines = lines_of(log_path)
    lines[4] = lines[4].replace(b'"choice":"again"', b'"choice":"agaim"')
    write(log_path, lines)
    assert codes(log_path) == [(5, "edited")]
    run = verify_cli(log_path)
    assert run.returncode == 1
    assert f"{log_path}:5: line 5 was edited" in run.stdout
    assert "Traceback" not in run.stderr


def test_an_edited_line_with_a_recomputed_hash_is_caught_by_the_next_line(log_path):
    lines = lines_of(log_path)
    record = json.loads(lines[8])
    record["result"]["overall"] = 1.0
    record["outcome"] = "good"
    record["result"]["listening"]["share"] = 1.0
    record["duration_ms"] = 99999
    fields = {k: v for k, v in record.items() if k not in ("n", "prev", "hash")}
    data, _ = chain.encode(fields, record["n"], record["prev"])
    lines[8] = data  # the last line: rewritten with a valid own hash; nothing comes after it...
    lines[2] = lines[2].replace(b'"choice":"ask"', b'"choice":"lecture"')
    record2 = json.loads(lines[2])
    fields2 = {k: v for k, v in record2.items() if k not in ("n", "prev", "hash")}
    lines[2], _ = chain.encode(fields2, record2["n"], record2["prev"])  # ...but line 3's successor notices
    write(log_path, lines)
    assert (3, "rehashed") in codes(log_path)
    assert "line 3 was edited or replaced (line 4 no longer links to it)" in verify_cli(log_path).stdout


def test_a_removed_line_is_named(log_path):
    lines = lines_of(log_path)
    del lines[4]
    write(log_path, lines)
    assert codes(log_path) == [(5, "removed")]
    run = verify_cli(log_path)
    assert run.returncode == 1 and "1 line(s) removed before line 5" in run.stdout


def test_reordered_lines_are_named(log_path):
    lines = lines_of(log_path)
    lines[4], lines[5] = lines[5], lines[4]
    write(log_path, lines)
    found = codes(log_path)
    assert (6, "reordered") in found
    assert all(line in (5, 6) for line, _code in found)
    assert verify_cli(log_path).returncode == 1


def test_a_line_added_after_the_end_is_named(log_path):
    lines = lines_of(log_path)
    last = json.loads(lines[-1])
    extra, _ = chain.encode({"kind": "choice", "choice": "help"}, last["n"] + 1, last["hash"])
    write(log_path, lines + [extra])
    assert codes(log_path) == [(10, "after_end")]


def test_a_damaged_middle_line_is_named_and_a_cut_last_line_is_only_noted(log_path):
    lines = lines_of(log_path)
    cut = lines[:-1] + [lines[-1][:40]]
    write(log_path, cut)
    run = verify_cli(log_path)
    assert run.returncode == 0 and "cut off mid-write" in run.stdout and "unfinished" in run.stdout
    lines[3] = b"garbage\n"
    write(log_path, lines)
    assert codes(log_path) == [(4, "damaged")]


def test_foreign_files_and_folders_are_reported_by_name(tmp_path, log_path):
    foreign = log_path.parent / "notes.jsonl"
    foreign.write_text('{"hello": "world"}\n')
    run = verify_cli(log_path.parent, tmp_path / "missing.jsonl")
    assert run.returncode == 1
    assert f"{foreign}: not a Kuule session log" in run.stdout
    assert "missing.jsonl: no such file or folder" in run.stderr
    assert "OK (9 lines, finished)" in run.stdout


def test_finnish_messages(log_path):
    lines = lines_of(log_path)
    lines[4] = lines[4].replace(b"again", b"other")
    write(log_path, lines)
    run = verify_cli(log_path, lang="fi")
    assert "riviä 5 on muokattu" in run.stdout and run.returncode == 1
