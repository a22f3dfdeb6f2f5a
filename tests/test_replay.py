"""`replay LOG`: a recorded session played back for the coach, in the game window (headless here) or as text."""

import json
import os
import shutil
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # noqa: E402
import pytest  # noqa: E402

from game.cli import main  # noqa: E402
from game.engine import Conversation  # noqa: E402
from game.scenario.loader import load_scenario  # noqa: E402
from game.session.log import SessionLog  # noqa: E402

ROOT = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini.yaml"


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("KUULE_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")
    return tmp_path / "home"


@pytest.fixture
def scenario_file(tmp_path) -> Path:
    """A copy of the mini scenario that a test may edit (as a trainer would, after the session)."""
    folder = tmp_path / "scenarios"
    folder.mkdir()
    target = folder / "mini.yaml"
    target.write_text(MINI.read_text(encoding="utf-8"), encoding="utf-8")
    shutil.copy(ROOT / "scenarios" / "rubric.yaml", folder / "rubric.yaml")
    return target


def record(path: Path, actions, log_dir: Path, seed: int = 3, mode: str = "practice") -> tuple[Conversation, Path]:
    scenario = load_scenario(path).scenario
    log = SessionLog.start(scenario, trainee="Aino", mode=mode, seed=seed, log_dir=log_dir)
    conversation = Conversation(scenario, seed=log.seed, listeners=[log])
    for action in actions:
        conversation.rollback() if action == "<back>" else conversation.choose(action)
    log.close()
    return conversation, log.path


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def opened(monkeypatch):
    """Drive the real game window headless: `review` opens it, a few frames run, then it closes."""
    from game.ui.app import App

    apps = []
    original = App.run

    def run(self, max_frames=None):
        apps.append(self)
        self.frame()
        state = {"screen": self.screen, "session": self.session, "debrief": self.current.debrief}
        self.state = state
        return original(self, max_frames=2)

    monkeypatch.setattr(App, "run", run)
    return apps


def test_a_finished_session_opens_at_its_debrief_with_the_recorded_result(tmp_path, opened, capsys):
    conversation, path = record(MINI, ["ask", "help"], tmp_path / "logs")
    assert main(["replay", str(path), "--lang", "en"]) == 0
    app = opened[0]
    assert app.state["screen"] == "debrief"
    replayed = app.state["session"].conversation
    end = lines(path)[-1]
    assert end["kind"] == "end"
    assert replayed.result.outcome == end["outcome"] == "good"
    assert json.loads(json.dumps(replayed.result.as_dict())) == end["result"]
    assert replayed.choice_log == ["ask", "help"] and replayed.seed == 3
    assert app.state["debrief"].result == conversation.result
    assert "Traceback" not in capsys.readouterr().err


def test_the_customers_eyes_replay_steps_through_it_turn_by_turn(tmp_path, monkeypatch):
    """What the coach does next in the window: Enter opens the customer's-eyes scene, arrows step."""
    from game.ui.app import App
    from game.ui.harness import Harness

    _conversation, path = record(MINI, ["ask", "help"], tmp_path / "logs")
    harnesses = []

    def run(self, max_frames=None):
        harness = Harness.__new__(Harness)
        harness.app, harness.dt = self, 1 / 60
        harness.wait()
        harness.key(pygame.K_RETURN)
        harnesses.append((harness.screen, harness.scene.index, harness.scene.total))
        harness.key(pygame.K_RIGHT)
        harnesses.append((harness.screen, harness.scene.index, harness.scene.total))
        self.shutdown()
        return 0

    monkeypatch.setattr(App, "run", run)
    assert main(["replay", str(path), "--lang", "en"]) == 0
    assert harnesses == [("replay", 0, 3), ("replay", 1, 3)]


def test_taken_back_answers_are_respected(tmp_path, opened, capsys):
    # "again" is once-only and scores a closed question: taken back, it neither counts nor stays used.
    conversation, path = record(MINI, ["ask", "again", "<back>", "help"], tmp_path / "logs")
    assert [line["kind"] for line in lines(path)].count("rollback") == 1
    assert main(["replay", str(path), "--lang", "en"]) == 0
    replayed = opened[0].state["session"].conversation
    assert replayed.choice_log == ["ask", "help"]
    assert replayed.result == conversation.result
    assert "closed_question" not in replayed.result.tag_counts

    assert main(["replay", str(path), "--text", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Answers taken back (1)" in out and "Could you say that again?" in out
    assert "the replay reaches the same" in out


def test_text_prints_the_transcript_with_the_unsaid_thoughts(tmp_path, capsys):
    _conversation, path = record(MINI, ["ask", "shrug"], tmp_path / "logs")
    assert main(["replay", str(path), "--text", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "DEBRIEF" in out and "Trainee: Aino" in out
    assert "Thought, unsaid: I can't read this." in out  # the customer's unsaid thoughts
    assert "Tell me what happened?" in out and "Rules are rules." in out
    assert "What Testi Asiakas never said aloud: Cannot read the receipt." in out

    assert main(["replay", str(path), "--text", "--lang", "fi"]) == 0
    out = capsys.readouterr().out
    assert "LOPPUPURKU" in out and "Ajatteli, ei sanonut: En näe tätä." in out


def test_without_a_display_the_debrief_is_printed_instead(tmp_path, monkeypatch, capsys):
    _conversation, path = record(MINI, ["ask", "help"], tmp_path / "logs")
    monkeypatch.setenv("SDL_VIDEODRIVER", "")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    assert main(["replay", str(path), "--lang", "en"]) == 0
    captured = capsys.readouterr()
    assert "could not be opened" in captured.err and "DEBRIEF" in captured.out


def test_a_changed_scenario_is_replayed_from_the_snapshot(tmp_path, scenario_file, capsys):
    conversation, path = record(scenario_file, ["ask", "help"], tmp_path / "logs")
    header = lines(path)[0]
    assert (tmp_path / "logs" / header["snapshot"]).is_file()
    scenario_file.write_text(scenario_file.read_text(encoding="utf-8")
                             .replace("Let's sort it out together.", "We'll fix it.")
                             .replace("      - id: help\n", "      - id: helps\n"), encoding="utf-8")
    assert main(["replay", str(path), "--text", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Let's sort it out together." in out and "We'll fix it." not in out
    assert "the copy kept beside the logs" in " ".join(out.split())

    # Without the copy, the changed file is not used: the coach is told why.
    shutil.rmtree(tmp_path / "logs" / "scenarios")
    assert main(["replay", str(path), "--text", "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert "cannot be found" in err and "has changed since" in err and "Traceback" not in err
    assert main(["replay", str(path), "--text", "--lang", "fi"]) == 1
    assert "skenaarioversiota" in capsys.readouterr().err


def test_an_unchanged_source_file_is_used_when_there_is_no_snapshot(tmp_path, scenario_file, capsys):
    _conversation, path = record(scenario_file, ["ask", "help"], tmp_path / "logs")
    shutil.rmtree(tmp_path / "logs" / "scenarios")
    assert main(["replay", str(path), "--text", "--lang", "en"]) == 0
    assert "unchanged since" in " ".join(capsys.readouterr().out.split())  # the terminal wraps long paths


def test_an_unfinished_session_says_it_can_be_resumed_and_shows_what_happened(tmp_path, capsys):
    _conversation, path = record(MINI, ["ask"], tmp_path / "logs")
    assert main(["replay", str(path), "--lang", "en"]) == 1
    captured = capsys.readouterr()
    assert "not finished" in captured.err and "can be resumed" in captured.err
    assert "Tell me what happened?" in captured.out and "did not reach an ending" in captured.out
    assert main(["replay", str(path), "--lang", "fi"]) == 1
    assert "istunto on kesken" in capsys.readouterr().err


def test_an_edited_log_is_replayed_only_after_a_warning(tmp_path, capsys):
    _conversation, path = record(MINI, ["ask", "help"], tmp_path / "logs")
    text = path.read_text(encoding="utf-8").replace('"trainee":"Aino"', '"trainee":"Eino"')
    assert text != path.read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    assert main(["replay", str(path), "--text", "--lang", "en"]) == 0
    captured = capsys.readouterr()
    assert captured.err.startswith("WARNING:") and "line 1 was edited" in captured.err
    assert "DEBRIEF" in captured.out


@pytest.mark.parametrize("lang", ["en", "fi"])
def test_a_garbage_line_is_left_out_and_a_lost_record_is_named(tmp_path, capsys, lang):
    _conversation, path = record(MINI, ["ask", "help"], tmp_path / "logs")
    raw = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text(raw[0] + "{not json\n" + "[" * 100_000 + "\n" + "".join(raw[1:]), encoding="utf-8")
    assert main(["replay", str(path), "--text", "--lang", lang]) == 0  # the chain still proves every record
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "WARNING" not in captured.err and "VAROITUS" not in captured.err
    assert f"{path}:2:" in captured.err and f"{path}:3:" in captured.err  # noted as left out
    path.write_text(raw[0] + "{not json\n" + "".join(raw[2:]), encoding="utf-8")  # a record lost in its place
    main(["replay", str(path), "--text", "--lang", lang])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert f"{path}:2: " + ("line 2 is damaged" if lang == "en" else "rivi 2 on vioittunut") in captured.err


@pytest.mark.parametrize("damage", ["missing", "folder", "foreign", "empty", "bad_choice", "wrong_types"])
@pytest.mark.parametrize("lang", ["en", "fi"])
def test_bad_logs_exit_1_with_a_message_and_no_traceback(tmp_path, capsys, damage, lang):
    _conversation, path = record(MINI, ["ask", "help"], tmp_path / "logs")
    raw = path.read_text(encoding="utf-8").splitlines(keepends=True)
    if damage == "missing":
        path = tmp_path / "nothing.jsonl"
    elif damage == "folder":
        path = tmp_path / "logs"
    elif damage == "foreign":
        path.write_text('{"hello": "world"}\n', encoding="utf-8")
    elif damage == "empty":
        path.write_text("", encoding="utf-8")
    elif damage == "bad_choice":
        path.write_text("".join(raw).replace('"choice":"help"', '"choice":"nope"'), encoding="utf-8")
    elif damage == "wrong_types":
        path.write_text("".join(raw).replace('"choice":"help"', '"choice":7'), encoding="utf-8")
    assert main(["replay", str(path), "--text", "--lang", lang]) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and str(path) in captured.err
    assert ("cannot be replayed" if lang == "en" else "ei voi toistaa") in captured.err or \
        ("cannot be replayed on this" if lang == "en" else "ei voi toistaa tällä") in captured.err


def test_try_again_in_a_replay_is_the_coachs_unlogged_practice(tmp_path, monkeypatch, home):
    """A coach replaying a trainee's assessment and pressing "Try again" plays the same scenario version as
    practice: no assessment, no log in the coach's data folder, nothing under the trainee's name."""
    from game.ui.app import App
    from game.ui.records import NullLog

    seen = []
    original = App.run

    def run(self, max_frames=None):
        self.frame()
        assert self.screen == "debrief"
        self.current.try_again()
        self.frame()
        seen.append((self.screen, self.session))
        return original(self, max_frames=2)

    monkeypatch.setattr(App, "run", run)
    logs = tmp_path / "logs"
    _conversation, path = record(MINI, ["ask", "help"], logs, mode="assessment")
    before = sorted(p for p in tmp_path.rglob("*.jsonl"))
    assert main(["replay", str(path), "--lang", "en"]) == 0
    [(screen, session)] = seen
    assert screen != "debrief"  # the conversation started again
    assert session.mode == "practice" and session.trainee != "Aino"
    assert session.scenario.content_hash == load_scenario(MINI).scenario.content_hash
    assert isinstance(session.log.log, NullLog)
    assert sorted(p for p in tmp_path.rglob("*.jsonl")) == before  # nothing written, here or in the data folder
