"""The Finnish lemma table: simplemma's lemmas for the words the coder can use, read in milliseconds.

simplemma's Finnish dictionary holds 3.5 million forms; opening it costs some 1.7 s of CPU (decompressing
it and indexing every record), which made the first Finnish reply slow and the window stutter while it
loaded in the background. The coder only gains from a word's lemma when the lemma is one it knows — a
feature of the model, a word of a cue lexicon or a word list, a word of the corpus or of a shipped
scenario — so this table keeps, for each such lemma, every form simplemma's dictionary gives it, plus
every word of the corpus and the scenarios, each with exactly the lemma simplemma gives (`lemma_table`).
A word not in the table is looked up in simplemma itself, loaded then and only then (`analysis.lemma`).

    python -m game.coding.lemmas           # write game/coding/lemmas_fi.tsv from simplemma
    python -m game.coding.lemmas --check   # exit 1 if the shipped table is not what simplemma gives now

The file: one line per lemma, `lemma<TAB>form form …` (forms whose lemma is the form itself are listed
under it too), sorted, so a change reads as a small diff.
"""

from __future__ import annotations

import argparse
import sys
import threading
from pathlib import Path

FOLDER = Path(__file__).resolve().parent
TABLE_PATHS = {"fi": FOLDER / "lemmas_fi.tsv"}
HEADER = "# Kuule's Finnish lemma table, written by `python -m game.coding.lemmas` from simplemma; do not edit."

_tables: dict[str, dict[str, str]] = {}
_lock = threading.Lock()


def table(lang: str) -> dict[str, str] | None:
    """form -> lemma for `lang`, or None when the language has no table (simplemma is used for every word)."""
    found = _tables.get(lang)
    if found is not None or lang not in TABLE_PATHS:
        return found
    with _lock:
        found = _tables.get(lang)
        if found is None:
            found = {}
            try:
                text = TABLE_PATHS[lang].read_text(encoding="utf-8")
            except OSError:  # a broken install: simplemma does every word, as before the table
                text = ""
            for line in text.splitlines():
                if not line or line.startswith("#"):
                    continue
                lemma_, _tab, forms = line.partition("\t")
                for form in forms.split(" "):
                    if form:
                        found[form] = lemma_
            _tables[lang] = found
    return found


# case endings tried, longest first, when a word is not in the table: "stressaavaa" is "stressaava" + "a"
_ENDINGS = tuple(sorted({"a", "ä", "ta", "tä", "n", "t", "na", "nä", "ksi", "lla", "llä", "lta", "ltä", "lle", "ssa",
                         "ssä", "sta", "stä", "han", "hän", "kin", "kaan", "kään", "ni", "si", "nsa", "nsä", "mme",
                         "nne", "an", "än", "en", "in", "on", "un", "yn", "ön", "iin", "ja", "jä", "ia", "iä",
                         "ien", "jen", "ihin", "issa", "issä", "ista", "istä", "illa", "illä", "ilta", "iltä",
                         "ille", "iksi", "ina", "inä"}, key=lambda e: (-len(e), e)))


def lookup(word: str, forms: dict[str, str]) -> str:
    """The lemma of `word` from the table: the word itself, else the word less a case ending or clitic when
    that is a form the table knows (its lemma), else the word as it is (a lemma the coder does not know)."""
    found = forms.get(word)
    if found is not None:
        return found
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            found = forms.get(word[: -len(ending)])
            if found is not None:
                return found
    return word


# -- writing the table (needs simplemma's full dictionary: a few seconds) ---------------------------

def _known_lemmas_and_words(lang: str) -> tuple[set[str], set[str]]:
    """The lemmas the coder can use in `lang`, and the words it is known to meet (lower case, as looked up)."""
    import json

    from game.coding.analysis import CUES, FI, PUHEKIELI, _TOKEN, clean
    from game.coding.corpus import load_corpus
    from game.coding.model import MODEL_PATH

    lemmas: set[str] = set()
    model = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    for feature in model["languages"].get(lang, {}).get("weights", {}):
        if feature.startswith(("w:", "first:")):
            lemmas.add(feature.split(":", 1)[1])
    for words in CUES[lang].values():
        lemmas.update(words)
    for words in FI.values():
        lemmas.update(words)
    texts = [row.text for row in load_corpus(lang)]
    texts += _scenario_texts(lang)
    words: set[str] = set(PUHEKIELI) | set(PUHEKIELI.values()) | {w for group in FI.values() for w in group}
    for text in texts:
        for match in _TOKEN.finditer(clean(text)):
            token = match.group(0)
            if token[0].isalpha():
                word = token.lower()
                words.add(PUHEKIELI.get(word, word))
    return lemmas, {w for w in words if " " not in w}


def _scenario_texts(lang: str) -> list[str]:
    """The Finnish text of every shipped scenario's lines and answers (what the offered answers are ranked by)."""
    import yaml

    texts: list[str] = []

    def walk(value):
        if isinstance(value, dict):
            for key, item in value.items():
                if key == lang and isinstance(item, str):
                    texts.append(item)
                else:
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for path in sorted((FOLDER.parent.parent / "scenarios").glob("*.yaml")):
        try:
            walk(yaml.safe_load(path.read_text(encoding="utf-8")))
        except (OSError, yaml.YAMLError):
            continue
    return texts


def make_table(lang: str = "fi") -> dict[str, str]:
    """form -> lemma, each lemma as simplemma's lemmatiser gives it (lower case)."""
    from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory

    from game.coding.analysis import lemmatizer

    lemmas, words = _known_lemmas_and_words(lang)
    dictionary = DefaultDictionaryFactory().get_dictionary(lang)
    candidates = set(words)
    for form, lemma_ in dictionary.items():
        if lemma_.lower() in lemmas and form == form.lower() and " " not in form:
            candidates.add(form)
    lemmatise = lemmatizer().lemmatize
    out = {}
    for form in candidates:
        if len(form) <= 1:
            continue
        try:
            out[form] = lemmatise(form, lang).lower()
        except (ValueError, TypeError):
            out[form] = form
    return out


def render(forms: dict[str, str]) -> str:
    by_lemma: dict[str, list[str]] = {}
    for form, lemma_ in forms.items():
        if "\t" in lemma_ or " " in lemma_ or "\n" in lemma_ or not lemma_:
            continue  # not storable on one line; such a word falls back to simplemma
        by_lemma.setdefault(lemma_, []).append(form)
    lines = [HEADER]
    for lemma_ in sorted(by_lemma):
        lines.append(lemma_ + "\t" + " ".join(sorted(by_lemma[lemma_])))
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m game.coding.lemmas", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the shipped table differs from simplemma's")
    args = parser.parse_args(argv)
    for lang, path in TABLE_PATHS.items():
        text = render(make_table(lang))
        if args.check:
            shipped = path.read_text(encoding="utf-8") if path.exists() else ""
            if shipped != text:
                print(f"{path.name} is not what simplemma gives now: run python -m game.coding.lemmas", file=sys.stderr)
                return 1
            continue
        path.write_text(text, encoding="utf-8")
        print(f"written {path} ({text.count(chr(10)) - 1} lemmas, {len(text) // 1024} KiB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
