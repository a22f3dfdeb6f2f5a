"""The game and the session logs (game.session): every session logged, unfinished ones offered on the menu,
a changed scenario explained with a fresh start offered, a trainee's record shown in the picker."""

import json
import os
import shutil
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # noqa: E402
import pytest  # noqa: E402

from game.ui.harness import Harness  # noqa: E402
from game.ui.records import NullLog, Records, SafeLog  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"
SCREENS = Path(__file__).parent / "output" / "screens"
MINI = FIXTURES / "mini.yaml"


@pytest.fixture
def scenario(tmp_path) -> Path:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    target = folder / "mini.yaml"
    target.write_text("".join(MINI.read_text(encoding="utf-8").splitlines(keepends=True)[1:]), encoding="utf-8")
    shutil.copy(FIXTURES.parent.parent / "scenarios" / "rubric.yaml", folder / "rubric.yaml")
    return target


def records(home):
    return [json.loads(line) for path in sorted((home / "data" / "sessions").glob("*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines()]


def quit_mid_session(h: Harness, path: Path, trainee: str = "Åsa") -> None:
    from dataclasses import replace
    h.app.apply_settings(replace(h.app.settings, text_speed="instant"), save=False)
    h.start(path, trainee=trainee, mode="assessment", seed=9)
    h.answer(1)
    h.key(pygame.K_ESCAPE)
    h.click_widget(h.scene.quit)
    h.frames(3)
    h.wait()


def test_every_session_is_logged_with_the_trainee_mode_and_language(home):
    h = Harness(lang="fi", scenario_sources=[FIXTURES])
    h.start(MINI, trainee="Åsa Öhman", mode="assessment", seed=5)
    h.answer(1)
    h.answer(1)
    h.finish_typing()
    h.key(pygame.K_RETURN)
    h.close()
    lines = records(home)
    header = lines[0]
    assert header["trainee"] == "Åsa Öhman" and header["mode"] == "assessment" and header["lang"] == "fi"
    assert header["seed"] == 5
    assert [line["choice"] for line in lines if line["kind"] == "choice"] == ["ask", "help"]
    assert lines[-1]["kind"] == "end" and lines[-1]["outcome"] == "good"


def test_a_changed_scenario_is_explained_and_a_fresh_start_offered(home, scenario):
    h = Harness(scenario_sources=[scenario.parent])
    quit_mid_session(h, scenario)
    menu = h.scene
    assert len(menu.resume_buttons) == 1 and "A small test" in menu.resume_buttons[0].label
    scenario.write_text(scenario.read_text(encoding="utf-8").replace("Thank you!", "Thank you so much!"),
                        encoding="utf-8")
    h.click_widget(menu.resume_buttons[0])
    assert menu.overlay is not None and "changed" in menu.overlay.title
    h.screenshot(SCREENS / "flows" / "resume-changed.png")
    h.key(pygame.K_RETURN)  # Start afresh
    assert h.screen == "play" and h.scene.conversation.turn == 0
    assert h.scene.session.trainee == "Åsa" and h.scene.mode == "assessment"
    h.key(pygame.K_ESCAPE)
    h.click_widget(h.scene.quit)
    h.frames(3)
    h.wait()
    # the declined session is not offered again; the fresh one (no answers yet) is not worth resuming
    assert h.scene.resume_buttons == []
    assert any(line["kind"] == "abandoned" for line in records(home))
    h.close()


def test_resuming_returns_to_the_same_point(home, scenario):
    h = Harness(scenario_sources=[scenario.parent])
    quit_mid_session(h, scenario)
    h.screenshot(SCREENS / "flows" / "menu-with-resume.png")
    h.click_widget(h.scene.resume_buttons[0])
    play = h.scene
    assert h.screen == "play" and play.conversation.choice_log == ["ask"] and play.mode == "assessment"
    assert not play.typing  # a resumed line is shown whole
    h.answer(1)
    h.finish_typing()
    h.key(pygame.K_RETURN)
    assert h.screen == "debrief"
    assert [line["kind"] for line in records(home)].count("end") == 1
    h.close()


def test_records_without_a_session_package(monkeypatch, tmp_path):
    """Before game/session existed the game had to play on without logs: it still can."""
    from game.scenario.loader import load_or_raise
    import game.ui.records as module

    monkeypatch.setattr(module, "SESSION_PACKAGE", tmp_path / "nowhere")
    plain = Records()
    assert plain.modules() is None and plain.unfinished() == [] and plain.stats("x") == {}
    session = plain.start(load_or_raise(MINI), "Aino", "practice", "en", seed=3)
    assert isinstance(session.log.log, NullLog) and session.seed == 3
    session.conversation.choose("ask")
    session.close()


def test_a_failing_log_never_breaks_the_conversation():
    class Broken:
        path = None

        def __call__(self, event):
            raise OSError(28, "No space left on device")

        def close(self):
            raise OSError(5, "I/O error")

    safe = SafeLog(Broken())
    safe("event")
    safe.close()
    assert isinstance(safe.error, OSError) and safe.error.errno == 28


def test_a_recorded_conversation_opens_at_its_debrief(home):
    """`game.ui.review` (for a coach's replay of a log): the debrief and the customer's eyes, no new log."""
    from game.scenario.loader import load_or_raise

    h = Harness(scenario_sources=[FIXTURES], review=(load_or_raise(MINI), 4, ["ask", "shrug"]))
    assert h.screen == "debrief" and h.scene.debrief.result.outcome == "bad"
    h.key(pygame.K_RETURN)
    assert h.screen == "replay"
    h.key(pygame.K_ESCAPE)
    h.click_widget(h.scene.menu)
    assert h.screen == "menu"
    h.close()
    assert not (home / "data" / "sessions").exists() or not list((home / "data" / "sessions").glob("*.jsonl"))
