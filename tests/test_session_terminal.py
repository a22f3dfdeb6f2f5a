"""`play --text` writes score logs, survives SIGKILL, and offers to resume the exact point."""

import json
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from game.engine import Conversation
from game.scenario.loader import load_scenario
from game.session.reader import iter_records
from game.session.resume import restore, unfinished_sessions
from game.session.verify import verify_log

ROOT = Path(__file__).parent.parent
ENGINE = "tests/fixtures/engine.yaml"
MINI = "tests/fixtures/mini.yaml"


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("KUULE_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def env_for(home):
    return dict(os.environ, KUULE_HOME=str(home), LANG="C", PYTHONUNBUFFERED="1")


def play(home, answers, *args, scenario=ENGINE, seed="1"):
    return subprocess.run([sys.executable, "main.py", "play", scenario, "--text", "--seed", seed, "--trainee", "Aino",
                           *args], input="".join(a + "\n" for a in answers), capture_output=True, text=True,
                          cwd=ROOT, env=env_for(home), timeout=60)


def logs(folder):
    return sorted(Path(folder).glob("*.jsonl"))


def records(path):
    return [r for _n, r in iter_records(path)]


@pytest.mark.parametrize("answers, outcome", [
    (["reflect", "deep"], "good"),
    (["ask", "plan", "fine"], "mixed"),
    (["lecture", "give_up"], "bad"),
    (["rude"], "left"),
])
def test_each_ending_played_through_stdin_leaves_a_finished_log(home, answers, outcome):
    run = play(home, answers)
    assert run.returncode == 0, run.stderr
    [path] = logs(home / "data" / "sessions")
    assert f"Score log: {path}" in run.stderr
    lines = records(path)
    assert lines[0]["trainee"] == "Aino" and lines[0]["seed"] == 1
    assert [r["choice"] for r in lines if r["kind"] == "choice"] == answers
    assert lines[-1]["kind"] == "end" and lines[-1]["outcome"] == outcome
    assert verify_log(path).ok


def test_log_dir_option_and_a_hostile_trainee_name(tmp_path, home):
    run = subprocess.run([sys.executable, "main.py", "play", MINI, "--text", "--seed", "1", "--trainee",
                          "../../../etc/x<script>", "--log-dir", str(tmp_path / "class")],
                         input="1\n1\n", capture_output=True, text=True, cwd=ROOT, env=env_for(home), timeout=60)
    assert run.returncode == 0, run.stderr
    [path] = logs(tmp_path / "class")
    assert records(path)[0]["trainee"] == "../../../etc/x<script>"
    assert [p for p in tmp_path.rglob("*.jsonl")] == [path]


def read_until(process, text, timeout=20.0):
    """Read the child's output until `text` has appeared (counting from the start), without blocking forever."""
    deadline = time.monotonic() + timeout
    buffer = b""
    while text.encode() not in buffer:
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"timed out waiting for {text!r}; got {buffer.decode(errors='replace')[-500:]}"
        ready, _, _ = select.select([process.stdout], [], [], remaining)
        if ready:
            chunk = os.read(process.stdout.fileno(), 65536)
            assert chunk, f"the game ended early: {buffer.decode(errors='replace')[-500:]}"
            buffer += chunk
    return buffer.decode()


def test_sigkill_mid_session_leaves_a_valid_log_and_resume_restores_the_exact_point(home):
    scenario = load_scenario(ROOT / ENGINE).scenario
    process = subprocess.Popen([sys.executable, "main.py", "play", ENGINE, "--text", "--seed", "3", "--trainee", "Aino"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
                               env=env_for(home))
    try:
        read_until(process, "Your answer >")
        process.stdin.write(b"reflect\n")
        process.stdin.flush()
        out = read_until(process, "Your answer >")
        process.stdin.write(b"again\n")
        process.stdin.flush()
        out += read_until(process, "Your answer >")
        process.stdin.write(b"b\n")  # a take-back, then the kill while the next answer is awaited
        process.stdin.flush()
        read_until(process, "Answer taken back.")
        time.sleep(0.2)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
        for stream in (process.stdin, process.stdout, process.stderr):
            stream.close()
    assert process.returncode == -signal.SIGKILL
    [path] = logs(home / "data" / "sessions")
    verdict = verify_log(path)
    assert verdict.ok and not verdict.finished
    [unfinished] = unfinished_sessions()
    assert unfinished.choices == ["reflect"] and unfinished.seed == 3
    expected = Conversation(scenario, seed=3)
    expected.choose("reflect")
    expected.choose("again")
    expected.rollback()
    restored = restore(unfinished, scenario)
    assert restored.node.id == expected.node.id == "hub"
    assert restored.state == expected.state and restored.choices == expected.choices
    assert restored.history == expected.history and restored.can_rollback
    # the next start offers it; yes resumes at that point and the game goes on to an ending
    run = play(home, ["y", "deep"], seed="99")
    assert run.returncode == 0, run.stderr
    assert "You have an unfinished session of this scenario" in run.stdout
    assert "Resuming where you left off (turn 2)." in run.stdout
    assert "Kaisa: \u201cThank you.\u201d" in run.stdout
    assert logs(home / "data" / "sessions") == [path]  # the same log went on
    lines = records(path)
    assert lines[-1]["kind"] == "end" and lines[-1]["outcome"] == "good"
    assert [r["choice"] for r in lines if r["kind"] == "choice"] == ["reflect", "again", "deep"]
    assert verify_log(path).ok
    assert unfinished_sessions() == []


def test_answering_no_starts_fresh_and_the_old_session_is_not_offered_again(home):
    play(home, ["ask"])
    run = play(home, ["n", "rude"])
    assert "Resume it? [y/n] > n" in run.stdout and run.returncode == 0
    assert len(logs(home / "data" / "sessions")) == 2
    assert unfinished_sessions() == []
    third = play(home, ["rude"])
    assert "unfinished session" not in third.stdout


def test_piped_input_without_an_answer_starts_fresh_and_keeps_the_line_for_the_game(home):
    play(home, ["ask"])
    run = play(home, ["rude"])  # a script that knows nothing about resuming
    assert run.returncode == 0, run.stderr
    assert "Kaisa: \u201cI'm off.\u201d" in run.stdout
    assert len(unfinished_sessions()) == 1  # not thrown away: still offered to a person
    empty = play(home, [])
    assert empty.returncode == 3 and "Traceback" not in empty.stderr


def test_finnish_offer(home):
    play(home, ["reflect"], "--lang", "fi")
    run = play(home, ["k", "deep"], "--lang", "fi")
    assert "Jatketaanko sitä? [k/e]" in run.stdout and "Jatketaan siitä, mihin jäit" in run.stdout
    assert run.returncode == 0
