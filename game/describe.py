"""Putting the customer's hidden state into words and faces, for every presenter.

Live play never shows numbers: the pygame face and the terminal's words both
come from here, so they always agree.
"""

from __future__ import annotations

from game.engine.rules import Mood
from game.i18n import Catalog, pick

EXPRESSIONS = ("calm", "worried", "sad", "irritated", "angry", "relieved", "embarrassed", "hopeful", "afraid", "tired")

_ = Catalog({
    "calm": ("calm", "rauhallinen"),
    "worried": ("worried", "huolestunut"),
    "sad": ("sad", "surullinen"),
    "irritated": ("irritated", "ärtynyt"),
    "angry": ("angry", "vihainen"),
    "relieved": ("relieved", "helpottunut"),
    "embarrassed": ("embarrassed", "nolostunut"),
    "hopeful": ("hopeful", "toiveikas"),
    "afraid": ("afraid", "pelokas"),
    "tired": ("tired", "väsynyt"),
    "trust_0": ("distrustful", "epäluuloinen"),
    "trust_1": ("wary", "varautunut"),
    "trust_2": ("open", "avoin"),
    "trust_3": ("trusting", "luottavainen"),
    "distress_0": ("at ease", "levollinen"),
    "distress_1": ("uneasy", "levoton"),
    "distress_2": ("upset", "poissa tolaltaan"),
    "distress_3": ("very distressed", "todella ahdistunut"),
    "heard_0": ("does not feel heard", "ei koe tulleensa kuulluksi"),
    "heard_1": ("feels partly heard", "kokee tulleensa osin kuulluksi"),
    "heard_2": ("feels heard", "kokee tulleensa kuulluksi"),
})


def expression(mood: Mood) -> str:
    """The face that fits the mood: one of EXPRESSIONS."""
    if mood.distress >= 70 and mood.trust < 30:
        return "angry"
    if mood.distress >= 40 and mood.trust < 45:
        return "irritated"
    if mood.distress >= 60:
        return "sad"
    if mood.distress >= 30:
        return "worried"
    if mood.trust >= 65 and mood.heard >= 50:
        return "relieved"
    return "calm"


def expression_name(name: str, lang: str) -> str:
    """The expression's name in words; an unknown name is shown as it is."""
    return _(name, lang) if name in EXPRESSIONS else str(name)


def longest_words(lang: str) -> tuple[str, str]:
    """The longest expression name and mood words there can be (to keep room for them)."""
    face = max((_(name, lang) for name in EXPRESSIONS), key=len)
    words = ", ".join(max((_(f"{band}_{i}", lang) for i in range(count)), key=len)
                      for band, count in (("trust", 4), ("distress", 4), ("heard", 3)))
    return face, words


def _band(value: int, edges: tuple[int, ...]) -> int:
    return sum(1 for edge in edges if value >= edge)


def mood_words(mood: Mood, lang: str) -> str:
    """E.g. 'wary, upset, does not feel heard'."""
    return ", ".join((
        _(f"trust_{_band(mood.trust, (25, 45, 65))}", lang),
        _(f"distress_{_band(mood.distress, (20, 45, 70))}", lang),
        _(f"heard_{_band(mood.heard, (25, 60))}", lang),
    ))


def other_speaker(scenario, speaker_id: str | None):
    """The scenario's other speaker who says a line, or None for the customer (also for an unknown ID)."""
    speakers = getattr(scenario, "speakers", None) or {}
    return speakers.get(speaker_id) if speaker_id else None


def who(scenario, speaker_id: str | None, lang: str) -> tuple[str, str]:
    """Who says a line, as (name, role): the customer (no role), or another speaker with their role, if any."""
    other = other_speaker(scenario, speaker_id)
    if other is None:
        return pick(scenario.customer.name, lang), ""
    return pick(other.name, lang), pick(other.role, lang)


def who_says(scenario, speaker_id: str | None, lang: str) -> str:
    """'Riikka (your manager)' for another speaker, the customer's name for the customer."""
    name, role = who(scenario, speaker_id, lang)
    return f"{name} ({role})" if role else name
