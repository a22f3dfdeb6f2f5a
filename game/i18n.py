"""Languages: choosing the user's language and picking the right text.

A scenario text is a plain string (the same in every language) or a mapping of
language code to string. Interface strings live in small catalogues, one per
module, each entry holding the English and the Finnish text side by side so a
translator sees both at once.
"""

from __future__ import annotations

import locale
import os
from collections.abc import Mapping

LANGUAGES = ("en", "fi")
DEFAULT_LANGUAGE = "en"


def system_language() -> str:
    """The user's language from the environment: Finnish if the locale says so, else English."""
    for var in ("KUULE_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var, "")
        if value:
            return "fi" if value.lower().startswith("fi") else DEFAULT_LANGUAGE
    try:
        code = locale.getlocale()[0] or ""
    except ValueError:
        code = ""
    return "fi" if code.lower().startswith("fi") else DEFAULT_LANGUAGE


def pick(text: str | Mapping[str, str] | None, lang: str) -> str:
    """The text in `lang`, falling back to English, then to any language there is."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    for code in (lang, DEFAULT_LANGUAGE):
        if code in text:
            return text[code]
    return next(iter(text.values()), "")


class Catalog:
    """Interface strings of one module: `{key: (english, finnish)}`, formatted with keywords."""

    def __init__(self, entries: Mapping[str, tuple[str, str]]):
        self._entries = dict(entries)

    def __call__(self, key: str, lang: str, **values: object) -> str:
        english, finnish = self._entries[key]
        template = finnish if lang == "fi" else english
        return template.format(**values) if values else template

    def keys(self):
        return self._entries.keys()

    def items(self):
        return self._entries.items()


def number(value: float, lang: str, decimals: int = 1) -> str:
    """A decimal number as the language writes it: 2.5 or 2,5."""
    text = f"{value:.{decimals}f}"
    return text.replace(".", ",") if lang == "fi" else text


def percent(share: float, lang: str) -> str:
    """A share as a percentage: 80% in English, 80 % in Finnish."""
    return f"{share * 100:.0f} %" if lang == "fi" else f"{share * 100:.0f}%"
