"""Bad input must not crash the game: tiny windows, huge texts, broken settings, failing logs.

Random input on every screen (the monkey) is in test_soak.py."""

import json
import os
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # noqa: E402
import pytest  # noqa: E402

from game.ui.app import App  # noqa: E402
from game.ui.settings import Settings, load_settings, save_settings  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini.yaml"
SCREENS = Path(__file__).parent / "output" / "screens"
OUT = SCREENS / "robust"


@pytest.fixture
def harness(windows):
    def make(size=(1280, 720), **options):
        options.setdefault("scenario_sources", [FIXTURES])
        h = windows(size=size, **options)
        return h

    return make


def write_scenario(path: Path, line: str, answer: str) -> Path:
    text = MINI.read_text(encoding="utf-8").splitlines(keepends=True)[1:]  # no schema comment
    body = "".join(text).replace('"This kettle is broken."', json.dumps(line, ensure_ascii=False))
    body = body.replace('"Tell me what happened?"', json.dumps(answer, ensure_ascii=False))
    path.write_text(body, encoding="utf-8")
    return path


# -- windows --------------------------------------------------------------------------------------------
def test_a_tiny_window_is_scaled_and_says_so(harness):
    h = harness()
    h.resize((160, 120))
    assert h.app.window.get_size() == (160, 120)
    assert h.app.scaled and h.app.canvas.get_size() == h.app.MIN_SIZE
    h.screenshot(OUT / "tiny-menu.png")
    h.start(MINI)
    h.frames(3)
    h.finish_typing()
    play = h.scene
    h.click_widget(play.choice_buttons[0])  # clicks are mapped from the window to the scaled canvas
    assert play.conversation.turn == 1
    h.screenshot(OUT / "tiny-play.png")
    h.resize((1024, 700))
    assert not h.app.scaled
    h.frames(2)


@pytest.mark.parametrize("size", [(1, 1), (640, 480), (639, 1000), (3000, 300), (2560, 1440)])
def test_odd_window_sizes_in_every_scene(harness, size):
    h = harness()
    h.resize(size)
    h.start(MINI)
    for _ in range(3):
        h.answer(1)
    h.key(pygame.K_h)
    h.frames(2)
    h.key(pygame.K_ESCAPE)
    h.key(pygame.K_ESCAPE)  # pause
    h.frames(2)
    h.key(pygame.K_ESCAPE)
    h.finish_typing()
    h.key(pygame.K_RETURN)
    assert h.screen == "debrief"
    h.frames(2)
    h.key(pygame.K_RETURN)
    h.frames(2)
    assert h.screen == "replay"


def test_a_very_long_line_and_answer(harness, tmp_path):
    words = " ".join(["Kuitissa lukee jotakin, mitä en näe ilman laseja"] * 60)
    unbroken = "Ä" * 400
    path = write_scenario(tmp_path / "long.yaml", words + " " + unbroken, unbroken + " " + words[:900])
    h = harness()
    h.start(path)
    h.frames(5)
    h.finish_typing()
    play = h.scene
    assert play.scroller.max_offset > 0  # it scrolls rather than spilling out
    for button in play.choice_buttons:
        assert button.rect.width <= play._blocks["column"].width
    h.screenshot(OUT / "long-line.png")
    h.key(pygame.K_PAGEDOWN)
    h.key(pygame.K_h)
    h.screenshot(OUT / "long-history.png")
    h.key(pygame.K_ESCAPE)
    h.answer(1)
    h.answer(1)
    h.finish_typing()
    h.key(pygame.K_RETURN)
    assert h.screen == "debrief"
    h.key(pygame.K_END)
    h.screenshot(OUT / "long-debrief.png")
    h.resize((200, 150))
    h.frames(2)


def test_a_long_trainee_name_and_a_200_percent_font_on_a_small_window(harness):
    h = harness(size=(640, 480))
    h.app.apply_settings(replace(h.app.settings, font_scale=200))
    h.type_text("Åsa-Märta Äijälä-Öhrnberg von Suomenlahti " * 3)
    h.frames(2)
    menu = h.scene
    assert len(h.app.trainee) <= 60
    h.key(pygame.K_TAB)
    h.key(pygame.K_TAB)
    h.key(pygame.K_TAB)  # past the language and the own-words switch to "Choose a scenario"
    h.key(pygame.K_RETURN)
    h.wait()
    assert h.screen == "picker"
    h.screenshot(OUT / "picker-200-640.png")
    assert menu is not None


# -- settings -------------------------------------------------------------------------------------------
def test_a_broken_settings_file_falls_back_to_defaults_and_says_so(harness, home):
    config = home / "config"
    config.mkdir(parents=True)
    (config / "settings.json").write_text("{ this is not json", encoding="utf-8")
    h = harness()
    assert h.app.settings == Settings()
    assert any("could not be read" in text for text in h.app.notice_log)
    h.screenshot(OUT / "broken-settings.png")
    h.key(pygame.K_EQUALS, mod=pygame.KMOD_LCTRL)  # a change rewrites the file
    assert json.loads((config / "settings.json").read_text(encoding="utf-8"))["font_scale"] == 125


def test_bad_values_in_settings_keep_the_good_ones(home):
    path = home / "config" / "settings.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"text_speed": "warp", "font_scale": 150, "high_contrast": "yes", "language": "sv",
                                "window": [5, 5], "trainee": "Aino"}), encoding="utf-8")
    loaded = load_settings()
    assert loaded.settings.font_scale == 150 and loaded.settings.trainee == "Aino"
    assert loaded.settings.text_speed == "normal" and loaded.settings.high_contrast is False
    assert loaded.notice_key == "bad_values" and "text_speed" in loaded.notice("en")
    assert "high_contrast" in loaded.notice("fi")


@pytest.mark.parametrize("content", [b"", b"[]", b"\xff\xfe\x00", b"null", b'{"font_scale": 1e999}', b"{" * 100000])
def test_garbage_settings_never_raise(home, content):
    path = home / "config" / "settings.json"
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    loaded = load_settings()
    assert loaded.settings == Settings() and loaded.notice_key in ("broken", "bad_values")


def test_missing_settings_say_so_and_save_round_trips(home):
    loaded = load_settings()
    assert loaded.notice_key == "missing" and not loaded.problem
    settings = Settings(text_speed="instant", font_scale=175, high_contrast=True, language="fi", trainee="Åsa",
                        window=(1024, 700))
    assert save_settings(settings) is None
    assert load_settings().settings == settings


def test_settings_that_cannot_be_saved_are_reported(harness, home):
    home.mkdir(parents=True, exist_ok=True)
    (home / "config").write_text("a file where the folder should be", encoding="utf-8")
    h = harness()
    h.key(pygame.K_EQUALS, mod=pygame.KMOD_LCTRL)
    assert any("could not be saved" in text for text in h.app.notice_log)


# -- logs and scenarios ---------------------------------------------------------------------------------
def test_a_session_log_that_cannot_be_written_does_not_stop_play(harness, home):
    (home / "data").mkdir(parents=True)
    (home / "data" / "sessions").write_text("not a folder", encoding="utf-8")
    h = harness()
    h.start(MINI)
    assert any("could not be written" in text for text in h.app.notice_log)
    h.answer(1)
    h.answer(1)
    assert h.scene.conversation.ended


def test_an_invalid_scenario_on_the_command_line_is_explained_on_the_menu(harness, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: 1\nid: bad\ntitle: x\nnodes: []\n", encoding="utf-8")
    h = harness(scenario=str(bad))
    assert h.screen == "menu"
    menu = h.scene
    assert menu.overlay is not None and menu.overlay.tone == "error"
    h.screenshot(OUT / "invalid-scenario.png")
    h.key(pygame.K_ESCAPE)
    assert menu.overlay is None


def test_a_missing_scenario_file_on_the_command_line(harness, tmp_path):
    h = harness(scenario=str(tmp_path / "nowhere.yaml"))
    assert h.screen == "menu" and h.scene.overlay is not None



def test_the_debrief_names_a_source_once():
    from game.ui.debrief import source_line

    assert source_line("MITI", "MITI codes a yes/no question as closed.") == "MITI codes a yes/no question as closed."
    assert source_line("OARS", "OARS 'O': a question that invites the story.") == "OARS 'O': a question that invites the story."
    assert source_line("NURSE", "Naming the emotion.") == "NURSE: Naming the emotion."
    assert source_line("", "Plain.") == "Plain."


def crowded_scenario(path: Path):
    """A 5,000-character line with thirty answers at its first node: past what a file may hold (4,000 characters,
    nine answers; `validate` says so), so built in code, as a generator or a newer format might."""
    from dataclasses import replace as change

    from game.scenario.loader import load_scenario

    scenario = load_scenario(MINI).playable
    start = scenario.nodes["start"]
    base = ("Kuitissa lukee jotakin, mitä en näe ilman laseja, ja jono kasvaa. " * 80)[:5000]
    fillers = tuple(change(start.choices[1], id=f"filler_{n}", text=f"Filler answer number {n}, said slowly.")
                    for n in range(28))
    start = change(start, line={"en": base, "fi": base}, choices=(*start.choices, *fillers))
    return change(scenario, nodes={**scenario.nodes, "start": start})


@pytest.mark.parametrize("mode", ["practice", "assessment"])
@pytest.mark.parametrize("size,scale", [((800, 600), 100), ((1280, 720), 200)])
def test_a_5000_character_line_with_30_answers(harness, tmp_path, mode, size, scale):
    h = harness(size=size)
    h.app.apply_settings(replace(h.app.settings, font_scale=scale, text_speed="fast"), save=False)
    scenario = crowded_scenario(None)
    h.app.trainee = "Testi"
    h.app.start_session(scenario, mode=mode, seed=1)
    h.frames(1)
    h.key(pygame.K_RETURN)  # past the briefing
    play = h.scene
    assert len(play.conversation.line.text["en"]) == 5000
    h.finish_typing()
    h.frames(2)
    assert len(play.choice_buttons) == 30
    assert [b.badge for b in play.choice_buttons[:10]] == [str(n) for n in range(1, 10)] + [None]
    column = play._blocks["column"]
    first = play.choice_buttons[0]
    assert column.top <= first.rect.top and first.rect.bottom <= column.bottom  # typing ended: the answers in view
    for _ in range(20):  # down to the twentieth answer: it scrolls into view, and Enter says it
        h.key(pygame.K_DOWN)
    chosen = play.focus.current
    assert chosen is play.choice_buttons[19] and column.top <= chosen.rect.top and chosen.rect.bottom <= column.bottom
    h.wheel(-3)
    h.wheel(2)
    h.screenshot(OUT / f"crowded-{mode}-{size[0]}-{scale}.png")
    h.key(pygame.K_RETURN)
    if mode == "assessment":
        h.key(pygame.K_RETURN)  # confirmed at once
    assert play.conversation.choice_log == ["filler_17"]


@pytest.mark.parametrize("size", [(100000, 100000), (0, 0), (-5, 40), (99999, 3)])
def test_an_absurd_window_size(harness, size):
    h = harness()
    h.start(MINI)
    h.resize(size)
    h.frames(3)
    width, height = h.app.window.get_size()
    assert 1 <= width <= App.MAX_SIZE[0] and 1 <= height <= App.MAX_SIZE[1]
    h.answer(1)
    h.frames(2)
    assert h.scene.conversation.turn == 1


def test_text_running_out_of_view_fades_at_the_edge_rather_than_being_cut(harness, tmp_path):
    words = " ".join(["Kuitissa lukee jotakin, mitä en näe ilman laseja"] * 30)
    h = harness(size=(800, 600))
    h.start(write_scenario(tmp_path / "long.yaml", words, "Kerro lisää."))
    h.frames(5)
    h.finish_typing()
    play = h.scene
    scroller, background = play.scroller, h.app.ui.theme.background
    assert scroller.max_offset > 0
    scroller.offset = scroller.max_offset // 2  # text above and below the view
    h.app.draw()
    view = scroller.viewport
    for y in (view.top, view.bottom - 1):  # the very edges are the page's colour: no half-cut letters
        row = {tuple(h.app.window.get_at((x, y)))[:3] for x in range(view.left + 8, view.right - ui_bar(h))}
        assert row == {tuple(background)[:3]}, (y, sorted(row)[:5])
    scroller.offset = 0
    h.app.draw()
    band = range(view.top, view.top + h.app.ui.s(18))  # unscrolled, nothing is faded at the top: the name shows whole
    assert scroller.offset == 0 and any(tuple(h.app.window.get_at((x, y)))[:3] != tuple(background)[:3]
                                        for y in band for x in range(view.left + 8, view.right - ui_bar(h)))


def ui_bar(h) -> int:
    return h.app.ui.s(10)  # the scroll bar's strip on the right
