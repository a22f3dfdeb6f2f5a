"""Screenshots of every scene, for people to look at: tests/output/screens/<config>/<scene>.png.

Configurations: 1280×720 and 800×600 at 100 % and at 200 % text size, high contrast,
and Finnish. The test checks that each picture was drawn (not blank); whether it
looks right is for a person to judge — look at them after a change to the UI.
"""

import os
import shutil
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # noqa: E402
import pytest  # noqa: E402

from game.ui.harness import Harness  # noqa: E402

ROOT = Path(__file__).parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SMALL_PRINT = ROOT / "scenarios" / "small_print.yaml"
PHONE = ROOT / "scenarios" / "salary_day.yaml"
OUT = ROOT / "tests" / "output" / "screens"

CONFIGS = {
    "1280x720": dict(size=(1280, 720), scale=100, contrast=False, lang="en"),
    "800x600": dict(size=(800, 600), scale=100, contrast=False, lang="en"),
    "1280x720-200pct": dict(size=(1280, 720), scale=200, contrast=False, lang="en"),
    "800x600-200pct": dict(size=(800, 600), scale=200, contrast=False, lang="en"),
    "1280x720-contrast": dict(size=(1280, 720), scale=100, contrast=True, lang="en"),
    "1024x640-fi": dict(size=(1024, 640), scale=100, contrast=False, lang="fi"),
}


def scenario() -> Path:
    return SMALL_PRINT if SMALL_PRINT.is_file() else FIXTURES / "mini.yaml"


def not_blank(path: Path) -> bool:
    surface = pygame.image.load(str(path))
    colours = {tuple(surface.get_at((x, y))) for x in range(0, surface.get_width(), 37)
               for y in range(0, surface.get_height(), 23)}
    return len(colours) > 3


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_screenshots_of_every_scene(tmp_path, monkeypatch, name):
    monkeypatch.setenv("KUULE_HOME", str(tmp_path / "home"))
    config = CONFIGS[name]
    folder = OUT / name
    shutil.rmtree(folder, ignore_errors=True)  # only this run's pictures
    sources = [scenario(), FIXTURES / "mini.yaml", FIXTURES / "bad" / "dead_end.yaml", FIXTURES / "bad" / "binary.yaml"]
    h = Harness(size=config["size"], lang=config["lang"], scenario_sources=sources)
    try:
        h.app.apply_settings(replace(h.app.settings, font_scale=config["scale"], high_contrast=config["contrast"],
                                     text_speed="normal"), save=False)
        shots = []

        def shot(label):
            shots.append(h.screenshot(folder / f"{len(shots):02d}-{label}.png"))

        h.app.notices.clear()
        h.type_text("Äijälä Åsa")
        shot("menu")
        h.app.go("pick_scenario")
        h.wait()
        shot("picker")
        h.start(scenario(), mode="practice", seed=11, brief=True)
        h.frames(3)
        shot("briefing")
        h.key(pygame.K_RETURN)
        h.frames(40)  # part of the line typed
        shot("play-typing")
        h.finish_typing()
        h.frames(5)
        shot("play-choices")
        h.key(pygame.K_1)
        h.frames(12, dt=0.25)
        h.finish_typing()
        h.app.notices.clear()
        shot("play-coach-note")
        h.key(pygame.K_BACKSPACE)
        h.frames(2)
        shot("play-notice")
        h.key(pygame.K_2)
        h.frames(12, dt=0.25)
        h.finish_typing()
        h.app.notices.clear()
        shot("play-coach-note-2")
        h.key(pygame.K_h)
        shot("history")
        h.key(pygame.K_ESCAPE)
        h.key(pygame.K_ESCAPE)
        shot("pause")
        h.click_widget(h.scene.settings)
        shot("settings")
        h.key(pygame.K_ESCAPE)
        h.key(pygame.K_ESCAPE)
        play = h.scene
        for _ in range(40):
            if play.conversation.ended:
                break
            h.answer(1 if play.conversation.turn % 2 else 2)
        h.finish_typing()
        h.frames(8, dt=0.25)
        h.app.notices.clear()
        shot("play-ending")
        h.key(pygame.K_RETURN)
        shot("debrief-top")
        h.key(pygame.K_PAGEDOWN)
        h.key(pygame.K_PAGEDOWN)
        shot("debrief-middle")
        h.key(pygame.K_END)
        shot("debrief-end")
        h.key(pygame.K_RETURN)
        h.frames(8, dt=0.25)
        shot("replay-first")
        for _ in range(30):
            h.key(pygame.K_RIGHT)
        h.frames(8, dt=0.25)
        shot("replay-last")
        h.key(pygame.K_ESCAPE)
        h.app.trainee = "Äijälä Åsa"
        h.start(scenario(), mode="assessment", seed=12)
        h.finish_typing()
        h.frames(5)
        shot("play-assessment")
        h.key(pygame.K_1)
        h.frames(3, dt=0.25)
        shot("play-assessment-pending")
        h.key(pygame.K_BACKSPACE)
        h.app.notices.clear()
        h.app.go("to_menu")
        h.start(PHONE, mode="assessment", seed=3, brief=True)
        object.__setattr__(h.scene.session.scenario, "channel", "phone")  # until the format has `channel:`
        h.scene.enter(session=h.scene.session)
        h.frames(2)
        shot("briefing-phone")
        h.key(pygame.K_RETURN)
        h.frames(30)
        shot("play-phone-typing")
        h.finish_typing()
        h.frames(70)
        shot("play-phone")
        h.scene.overlay = __import__("game.ui.scene", fromlist=["Overlay"]).Overlay(
            h.scene, "The edited scenario has errors",
            ["The previous version keeps running. Fix these and press F5 again.",
             "scenarios/small_print.yaml:41:9: error KU012: unknown node 'goood'\n    hint: did you mean 'good'?"],
            tone="error", mono_from=1)
        shot("reload-error")
        assert all(not_blank(path) for path in shots)
    finally:
        h.close()


def test_the_expressions_side_by_side():
    from game.ui.face import EXPRESSIONS, Look, expression_sheet
    from game.ui.text import load_font
    from game.ui.theme import CALM

    pygame.display.init()
    pygame.font.init()
    pygame.display.set_mode((10, 10))
    font = load_font("bold", 18)

    def label(surface, name, rect):
        surface.blit(font.render(name, True, (29, 39, 48)), (rect.x + 10, rect.bottom - 28))

    looks = [Look(hair="white", skin="light", clothes="purple", glasses=True, style="bun", age=76, presentation="woman"),
             Look(hair="black", skin="deep", clothes="blue", style="curly", age=38, presentation="man", facial_hair="beard"),
             Look(hair="grey", skin="tan", clothes="green", glasses=True, style="receding", age=64, build="broad",
                  presentation="man", facial_hair="moustache"),
             Look(hair="red", skin="medium", clothes="red", style="long", age=30, build="slight", presentation="woman"),
             Look(skin="brown", clothes="black", age=41, presentation="woman", headscarf="green"),
             Look(hair="dark_brown", skin="very_light", clothes="grey", style="short", age=23, presentation="neutral")]
    sheets = [expression_sheet(look, CALM, (220, 260), label) for look in looks]
    out = pygame.Surface((sheets[0].get_width(), sum(s.get_height() for s in sheets)))
    y = 0
    for sheet in sheets:
        out.blit(sheet, (0, y))
        y += sheet.get_height()
    OUT.mkdir(parents=True, exist_ok=True)
    pygame.image.save(out, str(OUT / "expressions.png"))
    small = pygame.Surface((90 * len(looks), 108))  # the same people at the size of a small window's portrait
    for index, look in enumerate(looks):
        small.blit(expression_sheet(look, CALM, (90, 108)).subsurface((0, 0, 90, 108)), (index * 90, 0))
    pygame.image.save(small, str(OUT / "faces-small.png"))
    assert len(EXPRESSIONS) == 10
