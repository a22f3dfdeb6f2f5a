"""The behaviour coder: a trainee's own words -> the behaviour codes the scoring model uses.

    from game.coding import code_reply, rank_choices
    coding = code_reply("Eli lasku tuli kahteen kertaan.", "fi")
    coding.main, coding.group, coding.codes, coding.evidence

Knows no screen. Importing this package is cheap: the lemmatiser's dictionaries and the model's weights are
loaded on the first reply coded (`warm_up(lang)` does it ahead, e.g. in a thread).
"""

from __future__ import annotations

from game.coding.codes import CODES, GROUPS, OTHER, SILENCE, code_name, group_name, group_of

__all__ = ["CODES", "GROUPS", "OTHER", "SILENCE", "Coding", "code_name", "code_reply",
           "group_name", "group_of", "rank_choices", "warm_up"]


def code_reply(text: str, lang: str):
    from game.coding.coder import code_reply as _code_reply
    return _code_reply(text, lang)


def rank_choices(text: str, lang: str, choices):
    from game.coding.coder import rank_choices as _rank_choices
    return _rank_choices(text, lang, choices)


def warm_up(lang: str) -> None:
    """Load the dictionary and the model for `lang` now, so the first reply is coded without a wait."""
    from game.coding.analysis import warm_up as _warm_up
    from game.coding.model import load
    _warm_up(lang)
    load(lang)


def __getattr__(name):
    if name == "Coding":
        from game.coding.coder import Coding
        return Coding
    raise AttributeError(name)
