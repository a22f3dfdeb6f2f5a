"""argparse's own words (`usage:`, `options:`, its error messages) in Finnish.

argparse looks its words up through `gettext` at the moment it writes them, by the module-level names `_`
and `ngettext`; `speaking("fi")` puts a Finnish lookup in their place while the command line is built and
read, and puts the originals back afterwards. Words argparse only says to a programmer stay English.
"""

from __future__ import annotations

import argparse
from contextlib import contextmanager

FINNISH = {
    "usage: ": "käyttö: ",
    "options": "valitsimet",
    "positional arguments": "argumentit",
    "subcommands": "alikomennot",
    "show this help message and exit": "näytä tämä ohje ja lopeta",
    "show program's version number and exit": "näytä ohjelman versio ja lopeta",
    " (default: %(default)s)": " (oletus: %(default)s)",
    "%(prog)s: error: %(message)s\n": "%(prog)s: virhe: %(message)s\n",
    "%(prog)s: warning: %(message)s\n": "%(prog)s: varoitus: %(message)s\n",
    "the following arguments are required: %s": "nämä argumentit puuttuvat: %s",
    "unrecognized arguments: %s": "tuntemattomia argumentteja: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "virheellinen valinta: %(value)r (vaihtoehdot: %(choices)s)",
    "argument %(argument_name)s: %(message)s": "argumentti %(argument_name)s: %(message)s",
    "invalid %(type)s value: %(value)r": "virheellinen arvo: %(value)r (pitää olla tyyppiä %(type)s)",
    "expected one argument": "tarvitsee yhden arvon",
    "expected at most one argument": "saa enintään yhden arvon",
    "expected at least one argument": "tarvitsee vähintään yhden arvon",
    "ambiguous option: %(option)s could match %(matches)s":
        "valitsin %(option)s on epäselvä, se voi tarkoittaa näitä: %(matches)s",
    "not allowed with argument %s": "ei käy yhdessä argumentin %s kanssa",
    "one of the arguments %s is required": "jokin argumenteista %s tarvitaan",
    "ignored explicit argument %r": "ylimääräinen arvo %r ohitettiin",
    "can't open '%(filename)s': %(error)s": "tiedostoa '%(filename)s' ei voi avata: %(error)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)":
        "tuntematon komento %(parser_name)r (vaihtoehdot: %(choices)s)",
}

# (singular, plural) in English -> in Finnish
FINNISH_PLURALS = {
    ("expected %s argument", "expected %s arguments"): ("tarvitsee %s arvon", "tarvitsee %s arvoa"),
}


def _gettext(message: str) -> str:
    return FINNISH.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    words = FINNISH_PLURALS.get((singular, plural), (singular, plural))
    return words[0] if n == 1 else words[1]


@contextmanager
def speaking(lang: str):
    """argparse in `lang` for the duration of the block (English needs nothing)."""
    if lang != "fi":
        yield
        return
    saved = {name: getattr(argparse, name) for name in ("_", "ngettext") if hasattr(argparse, name)}
    argparse._ = _gettext
    argparse.ngettext = _ngettext
    try:
        yield
    finally:
        for name in ("_", "ngettext"):
            if name in saved:
                setattr(argparse, name, saved[name])
            else:
                delattr(argparse, name)
