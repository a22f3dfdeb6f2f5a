"""The themes' colours meet WCAG 2.1 contrast: text 4.5:1 (7:1 in high contrast), graphics and focus 3:1."""

import pytest

from game.ui.theme import CALM, HIGH_CONTRAST, THEMES, colour_fields, contrast_ratio, hex_colour, mix


def test_contrast_ratio_matches_the_wcag_examples():
    assert contrast_ratio((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert contrast_ratio((255, 255, 255), (255, 255, 255)) == pytest.approx(1.0)
    assert contrast_ratio(hex_colour("#767676"), (255, 255, 255)) == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("theme,minimum", [(CALM, 4.5), (HIGH_CONTRAST, 7.0)], ids=["calm", "high_contrast"])
def test_text_colours_are_readable(theme, minimum):
    failures = {name: round(contrast_ratio(fg, bg), 2) for name, (fg, bg) in theme.pairs().items()
                if contrast_ratio(fg, bg) < minimum}
    assert not failures, failures


@pytest.mark.parametrize("theme", THEMES.values(), ids=list(THEMES))
def test_focus_rings_lines_and_greyed_text_stand_out(theme):
    failures = {name: round(contrast_ratio(fg, bg), 2) for name, (fg, bg) in theme.non_text_pairs().items()
                if contrast_ratio(fg, bg) < 3.0}
    assert not failures, failures


@pytest.mark.parametrize("theme", THEMES.values(), ids=list(THEMES))
def test_greyed_out_problems_are_readable(theme):
    """The picker shows an invalid scenario's first problem in red on the greyed card."""
    assert contrast_ratio(theme.bad, theme.disabled) >= 4.5


def test_every_colour_is_rgb():
    for theme in THEMES.values():
        for name in colour_fields():
            value = getattr(theme, name)
            assert len(value) in (3, 4) and all(0 <= v <= 255 for v in value), name


def test_mix():
    assert mix((0, 0, 0), (255, 255, 255), 0.5) == (128, 128, 128)
    assert mix((10, 10, 10), (20, 20, 20), 2) == (20, 20, 20)
