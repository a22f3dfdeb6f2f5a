"""Every text of the game's screens is in English and Finnish, with the same placeholders in both."""

import importlib
import os
import string

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pytest  # noqa: E402

from game.i18n import Catalog  # noqa: E402

MODULES = ["game.ui.app", "game.ui.menu", "game.ui.picker", "game.ui.play", "game.ui.pause", "game.ui.debrief",
           "game.ui.replay", "game.ui.settings_screen", "game.ui.settings", "game.ui.chart", "game.ui.scene",
           "game.ui.channel", "game.ui.start_point", "game.describe"]
SAME_IN_BOTH = {"subtitle"}  # "{scenario} · {mode}": nothing to translate


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("module_name", MODULES)
def test_catalogues_are_complete_and_consistent(module_name):
    module = importlib.import_module(module_name)
    catalogue = module._
    assert isinstance(catalogue, Catalog)
    for key, (english, finnish) in catalogue.items():
        assert english.strip() and finnish.strip(), key
        # Finnish may leave out a name where English would need it in the genitive ("Sirkka's") and
        # Finnish would have to inflect it ("Sirkan"); nothing else may differ
        assert placeholders(finnish) <= placeholders(english), key
        assert placeholders(english) - placeholders(finnish) <= {"name"}, key
        if key not in SAME_IN_BOTH and len(english) > 12:
            assert english != finnish, f"{module_name}:{key} is not translated"


def test_finnish_uses_finnish_quotes_and_decimal_commas():
    from game.ui.play import quoted

    assert quoted("Hei", "fi") == "”Hei”" and quoted("Hi", "en") == "“Hi”"
