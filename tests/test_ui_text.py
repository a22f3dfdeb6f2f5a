"""Text: wrapping, the typewriter's partial reveal, and the cache that keeps frames from re-rendering."""

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # noqa: E402
import pytest  # noqa: E402

from game.ui.text import FONT_DIR, Fonts, TextCache, load_font, wrap  # noqa: E402


@pytest.fixture(scope="module", autouse=True)
def fonts_ready():
    pygame.font.init()
    yield


def test_the_shipped_font_has_finnish_letters_and_a_real_italic():
    for name in ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf", "LiberationSans-Italic.ttf"):
        assert (FONT_DIR / name).is_file()
    assert (FONT_DIR / "LICENSE-OFL.txt").is_file()
    font = load_font("regular", 20)
    assert all(metric is not None and metric[4] > 0 for metric in font.metrics("äöåÄÖÅ–—“”…"))
    assert load_font("italic", 20).style_name.lower() == "italic"


def test_wrap_keeps_within_the_width_and_keeps_every_word():
    font = load_font("regular", 20)
    text = "Tämä keitin on rikki, ja kuitti on niin pientä tekstiä, etten näe sitä ilman laseja."
    lines = wrap(font, text, 200)
    assert len(lines) > 2
    assert all(font.size(line)[0] <= 200 for line in lines)
    assert " ".join(lines) == text


def test_wrap_cuts_a_word_longer_than_the_line_and_keeps_newlines():
    font = load_font("regular", 20)
    lines = wrap(font, "Ä" * 200 + "\nnext", 120)
    assert lines[-1] == "next"
    assert "".join(lines[:-1]) == "Ä" * 200
    assert all(font.size(line)[0] <= 120 for line in lines)
    assert wrap(font, "x", 1) == ["x"]  # never an endless loop, even in no room


def test_typewriter_reveal_draws_a_prefix_without_rendering_again():
    cache = TextCache(Fonts(1.0))
    surface = pygame.Surface((400, 200))
    paragraph = cache.paragraph("Hyvää päivää, miten voin auttaa?", "line", (0, 0, 0), 300)
    renders = cache.renders
    for count in range(0, paragraph.chars + 1, 3):
        surface.fill((255, 255, 255))
        paragraph.draw(surface, 0, 0, reveal=count)
    assert cache.paragraph("Hyvää päivää, miten voin auttaa?", "line", (0, 0, 0), 300) is paragraph
    assert cache.renders == renders
    surface.fill((255, 255, 255))
    paragraph.draw(surface, 0, 0, reveal=0)
    assert surface.get_bounding_rect(min_alpha=1).size == (400, 200)  # nothing dark drawn
    blank = pygame.Surface((400, 200))
    blank.fill((255, 255, 255))
    assert pygame.image.tobytes(surface, "RGB") == pygame.image.tobytes(blank, "RGB")


def test_the_cache_is_bounded():
    cache = TextCache(Fonts(1.0), limit=10)
    for index in range(50):
        cache.paragraph(f"line {index}", "body", (0, 0, 0))
    assert len(cache._items) == 10


def test_font_scale_grows_every_role():
    small, large = Fonts(1.0), Fonts(2.0)
    for role in ("small", "body", "line", "heading", "h1", "title"):
        assert large.px(role) == pytest.approx(2 * small.px(role), abs=1)
        assert large.line_height(role) > small.line_height(role)


def test_what_the_font_cannot_draw_is_shown_as_an_emoticon_or_its_name_never_as_a_box():
    """chat_plain's trainee may answer with a smiley the customer then asks about: it must be seen."""
    cache = TextCache(Fonts(1.0))
    assert cache.lines("No worries! 😊 That's normal 👍🏽", "body", None) == ["No worries! :) That's normal (y)"]
    assert cache.lines("Kiitos ❤️ ja 🦄", "body", None) == ["Kiitos <3 ja (unicorn face)"]
    assert cache.lines("Thanks 🙏", "body", None) == ["Thanks _/\\_"]  # the same sign in either language
    assert cache.lines("Hyvää päivää – „näin” … ÅÄÖ", "body", None) == ["Hyvää päivää – „näin” … ÅÄÖ"]
    paragraph = cache.paragraph("Ok 🙂", "body", (0, 0, 0))
    assert paragraph.chars == len("Ok :)")  # the typewriter types what is drawn
    assert cache.size("🙂", "body")[0] == cache.size(":)", "body")[0]

