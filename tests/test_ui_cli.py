"""`python main.py [play]` opens the game window, with the command line's options; without a display it
falls back to the terminal and says why."""

import io
import os
import sys
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pytest  # noqa: E402

import game.ui  # noqa: E402
from game.cli import main  # noqa: E402

MINI = str(Path(__file__).parent / "fixtures" / "mini.yaml")


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("KUULE_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def test_play_without_text_opens_the_window_with_the_options(monkeypatch):
    calls = []
    monkeypatch.setattr(game.ui, "run", lambda **kwargs: calls.append(kwargs) or 0)
    assert main(["play", MINI, "--lang", "fi", "--seed", "3", "--trainee", "Åsa", "--mode", "assessment"]) == 0
    assert calls == [{"scenario": MINI, "lang": "fi", "seed": 3, "trainee": "Åsa", "mode": "assessment",
                      "log_dir": None, "scenario_folders": [], "own_words": False}]


def test_own_words_without_text_opens_the_window_in_that_mode(monkeypatch):
    calls = []
    monkeypatch.setattr(game.ui, "run", lambda **kwargs: calls.append(kwargs) or 0)
    assert main(["play", MINI, "--own-words"]) == 0
    assert calls and calls[0]["own_words"] is True


def test_no_command_at_all_opens_the_window_on_the_menu(monkeypatch):
    calls = []
    monkeypatch.setattr(game.ui, "run", lambda **kwargs: calls.append(kwargs) or 0)
    assert main([]) == 0
    assert calls and calls[0]["scenario"] is None


def test_without_a_display_it_plays_in_the_terminal_and_says_why(monkeypatch, capsys):
    def no_window(**kwargs):
        raise game.ui.DisplayUnavailable("no display was found", "näyttöä ei löytynyt")

    monkeypatch.setattr(game.ui, "run", no_window)
    monkeypatch.setattr(sys, "stdin", io.StringIO("1\n1\n"))
    code = main(["play", MINI, "--seed", "1", "--lang", "fi", "--trainee", "Aino"])
    captured = capsys.readouterr()
    assert code == 0
    assert "Peli-ikkunaa ei voitu avata (näyttöä ei löytynyt). Pelataan päätteessä." in captured.err
    assert "PIENI TESTI" in captured.out


def test_the_app_refuses_an_invisible_window(monkeypatch):
    if not sys.platform.startswith("linux"):
        pytest.skip("the display check is for Linux")
    monkeypatch.delenv("SDL_VIDEODRIVER", raising=False)
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    from game.ui.app import App

    with pytest.raises(game.ui.DisplayUnavailable) as caught:
        App(lang="en")
    assert "no display" in caught.value.message("en")


def test_the_real_window_path_through_main(monkeypatch, home):
    """main() -> play -> game.ui.run -> App, on the dummy driver, stopped after a few frames."""
    from game.ui.app import App

    seen = {}
    original = App.run

    def few_frames(self, max_frames=None):
        self.wait_for_jobs()
        code = original(self, max_frames=5)
        seen.update(screen=self.screen, mode=self.mode, trainee=self.trainee, seed=self.seed)
        return code

    monkeypatch.setattr(App, "run", few_frames)
    assert main(["play", MINI, "--seed", "4", "--trainee", "Åsa", "--mode", "assessment"]) == 0
    assert seen == {"screen": "play", "mode": "assessment", "trainee": "Åsa", "seed": 4}
    assert list((home / "data" / "sessions").glob("*.jsonl")), "the session was logged"
