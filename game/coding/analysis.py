"""Reading one reply: clean it, split it into words, lemmatise them and find the grammar a coach listens for.

Lemmas come from simplemma (its bundled dictionaries, nothing downloaded); what a lemma throws away — the
Finnish question clitic -ko/-kö (puhekieli -ks), the conditional -isi-, the passive, the imperative, the
person a verb is addressed to, negation, English question word order — is read here from the surface form.
The result is a bag of named features for the classifier, with the words behind each one kept for the
evidence a coach reads.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass, field

from game.coding.lemmas import lookup as lemma_lookup
from game.coding.lemmas import table as lemma_table

MAX_CHARS = 2000  # kept of a reply (control characters removed); the coder reads its first MAX_WORDS words
MAX_WORDS = 100  # the main move is made early; this keeps a 10,000-character reply under 5 ms

_lemmatizer = None
_lock = threading.Lock()


def lemmatizer():
    """simplemma's lemmatiser, built on first use. The stream dictionary keeps the Finnish one small in memory."""
    global _lemmatizer
    if _lemmatizer is None:
        with _lock:
            if _lemmatizer is None:
                from simplemma import Lemmatizer
                from simplemma.strategies import DefaultStrategy
                try:
                    from simplemma.strategies.dictionaries.stream_dictionary_factory import StreamDictionaryFactory
                    strategy = DefaultStrategy(dictionary_factory=StreamDictionaryFactory())
                except ImportError:  # an older simplemma: its default dictionaries
                    strategy = DefaultStrategy()
                _lemmatizer = Lemmatizer(lemmatization_strategy=strategy)
    return _lemmatizer


def warm_up(lang: str) -> None:
    """Load what coding `lang` needs now, e.g. in a thread while the trainee reads: for Finnish the lemma table
    (some 40 ms), for English simplemma's dictionary (a fifth of a second)."""
    lemma("alku" if lang == "fi" else "start", lang)


def lemma(word: str, lang: str) -> str:
    """simplemma's lemma of `word`, lower case. Finnish reads the shipped lemma table (`game.coding.lemmas`):
    a word outside it is a word whose lemma the coder does not know, and stands for itself. Looking such words
    up in simplemma's 3.5-million-form dictionary cost 1.7 s of CPU to load and changed no coding of the
    held-out split (measured with a table made without that split), so it is not loaded at all."""
    known = lemma_table(lang)
    if known:
        return lemma_lookup(word, known)
    try:
        return lemmatizer().lemmatize(word, lang).lower()
    except (ValueError, TypeError):
        return word


# -- cleaning and tokens ------------------------------------------------------------------------------

def clean(text: str) -> str:
    """NFC, no control or format characters (bidi marks, zero widths), one space between words."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    text = unicodedata.normalize("NFC", text[: MAX_CHARS * 2 + 1])
    if text.isprintable():  # the usual case: nothing to remove
        return _cut(" ".join(text.split())).replace("\u2019", "'").replace("\u2018", "'")
    kept = []
    for ch in text:
        category = unicodedata.category(ch)
        if ch in "\t\n\r":
            kept.append(" ")
        elif category[0] != "C":
            kept.append(ch)
    text = " ".join("".join(kept).split())
    return _cut(text).replace("\u2019", "'").replace("\u2018", "'")


def _cut(text: str) -> str:
    """At most MAX_CHARS characters; a reply cut off ends in "…", so the log and the report show it was."""
    return text if len(text) <= MAX_CHARS else text[: MAX_CHARS - 1].rstrip() + "\u2026"


def guess_lang(text: str) -> str:
    """"fi" or "en": which of the two the reply is written in (Finnish words and letters against English
    function words). For `code` without --reply-lang; an empty or undecidable reply is English."""
    words = [m.group(0).lower() for m in _TOKEN.finditer(clean(text)) if m.group(0)[0].isalpha()]
    if not words:
        return "en"
    finnish = lemma_table("fi") or {}
    english = (EN["stop"] | EN["aux"] | EN["subject"] | EN["negation"] | EN["wh_open"] | EN["wh_fact"]
               | EN["continuer"] | {"thanks", "thank", "sorry", "hello", "hi"})
    fi = sum(1 for w in words if w in finnish or any(ch in w for ch in "äöå") or w in PUHEKIELI)
    en = sum(1 for w in words if w in english or "'" in w)
    return "fi" if fi > en else "en"


_TOKEN = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*(?::[^\W\d_]+)?|\d+(?:[.,:]\d+)*|\.\.\.|…|[?!.,;:\u2014\u2013-]")
_EN_CONTRACTIONS = {"n't": "not", "'re": "be", "'m": "be", "'ve": "have", "'ll": "will", "'d": "would", "'s": "'s"}
_EN_IRREGULAR_NEG = {"can't": "can", "won't": "will", "shan't": "shall", "ain't": "be"}

# Spoken Finnish forms that the dictionary lacks -> the written form whose morphology and lemma we read.
PUHEKIELI = {
    "pitäis": "pitäisi", "kannattais": "kannattaisi", "tehtäis": "tehtäisi", "käytäis": "käytäisi",
    "olis": "olisi", "ois": "olisi", "vois": "voisi", "sais": "saisi", "osais": "osaisi", "ehtis": "ehtisi",
    "tarvii": "tarvitsee", "tarvis": "tarvitsisi", "oikeesti": "oikeasti", "tajuun": "tajuan", "vaikeeta": "vaikeaa",
    "teiän": "teidän", "meiän": "meidän", "kans": "kanssa", "tarpeeks": "tarpeeksi", "miks": "miksi",
    "siks": "siksi", "kaks": "kaksi", "yks": "yksi", "upeeta": "upeaa", "rauhotu": "rauhoitu", "sit": "sitten",
    "ku": "kun", "mut": "mutta", "nii": "niin", "mitää": "mitään", "mikää": "mikään", "mua": "minua",
    "sua": "sinua", "oo": "ole", "tuu": "tule", "meen": "menen", "lopuks": "lopuksi", "tollee": "tuolla tavalla",
    "noin": "noin", "sori": "sori", "oisko": "olisiko", "voisko": "voisiko", "saisko": "saisiko",
    "voitaisko": "voitaisiinko", "mites": "miten", "mitäs": "mitä", "mikäs": "mikä", "jotai": "jotain",
    # the question clitic fused with a spoken pronoun: "ootsä" is "ootko sä"
    "ootsä": "ootko", "ootsää": "ootko", "voitsä": "voitko", "tiiätsä": "tiedätkö", "tiedätsä": "tiedätkö",
    "muistatsä": "muistatko", "haluutsä": "haluatko", "haluatsä": "haluatko", "saitsä": "saitko",
    "näätsä": "näetkö", "näetsä": "näetkö", "kuuletsä": "kuuletko", "tarviitsä": "tarvitsetko",
}

_ACRONYM = re.compile(r"(?<![\w])(?:[A-ZÅÄÖ]{2,}\d*|[A-Z]\d+|[A-Z]+&[A-Z]+|\w+-\d{2,})(?![\w])")


@dataclass
class Token:
    surface: str        # as written (cleaned)
    norm: str           # lower case, spoken forms written out
    lemma: str
    word: bool          # a word, not a number or punctuation
    start: bool         # first word of its sentence
    clitic: str = ""    # -ko/-kö/-ks stripped off (Finnish)


@dataclass
class Analysis:
    text: str
    lang: str
    tokens: list[Token]
    features: dict[str, float] = field(default_factory=dict)
    words_for: dict[str, list[str]] = field(default_factory=dict)  # feature -> the words that raised it
    content: set[str] = field(default_factory=set)                  # content lemmas, for similarity
    negated: bool = False
    not_promised: set[int] = field(default_factory=set)  # id() of words whose promise is negated or a supposition

    @property
    def has_words(self) -> bool:
        return any(t.word for t in self.tokens)

    def add(self, name: str, *words: str, value: float = 1.0) -> None:
        self.features[name] = self.features.get(name, 0.0) + value if name.startswith("n:") else value
        if words:
            seen = self.words_for.setdefault(name, [])
            for word in words:
                if word and word not in seen and len(seen) < 4:
                    seen.append(word)


def tokenize(text: str, lang: str) -> list[Token]:
    tokens: list[Token] = []
    start = True
    for match in _TOKEN.finditer(text):
        surface = match.group(0)
        if len(tokens) >= MAX_WORDS * 2:
            break
        if surface in ".!?;…" or surface == "...":
            tokens.append(Token(surface, surface, surface, False, False))
            start = True
            continue
        if not surface[0].isalpha():
            tokens.append(Token(surface, surface, surface, False, False))
            continue
        lower = surface.lower()
        parts = [lower]
        if lang == "en" and "'" in lower:
            if lower in _EN_IRREGULAR_NEG:
                parts = [_EN_IRREGULAR_NEG[lower], "n't"]
            else:
                for ending in ("n't", "'re", "'m", "'ve", "'ll", "'d", "'s"):
                    if lower.endswith(ending) and len(lower) > len(ending):
                        parts = [lower[: -len(ending)], ending]
                        break
        for index, part in enumerate(parts):
            tokens.append(Token(surface if index == 0 else part, part, part, True, start and index == 0))
        start = False
    return tokens


# -- word lists (lemmas) ------------------------------------------------------------------------------

EN = {
    "aux": {"do", "does", "did", "is", "are", "was", "were", "have", "has", "had", "can", "could", "will", "would",
            "shall", "should", "may", "might", "am"},
    "subject": {"i", "you", "we", "they", "he", "she", "it", "there", "this", "that", "the", "your", "my", "our",
                "anyone", "anybody", "someone", "somebody", "any", "a", "an", "these", "those", "everything", "all"},
    "wh_open": {"what", "how", "why"},
    "wh_fact": {"when", "where", "who", "which", "whose", "whom"},
    "how_fact": {"many", "much", "long", "often", "old", "far", "soon"},
    "negation": {"not", "n't", "no", "never", "nothing", "nobody", "none", "neither", "nor", "cannot"},
    "you": {"you", "your", "yours", "yourself", "yourselves"},
    "i": {"i", "me", "my", "mine", "myself"},
    "we": {"we", "us", "our", "ours", "ourselves", "let's"},
    "modal_must": {"must", "need", "have", "should", "ought", "got"},
    "feel": {"feel", "feeling", "sound", "seem", "sense", "hear", "imagine"},
    "emotion": {"worry", "worried", "afraid", "scare", "scared", "frustrated", "frustrate", "frustration", "angry",
                "anger", "upset", "embarrass", "embarrassed", "embarrassing", "disappointed", "disappoint", "exhausted",
                "tired", "nervous", "hurt", "stress", "stressed", "stressful", "fear", "annoyed", "annoy", "fed",
                "let", "shaken", "shake", "torn", "stuck", "alone", "maddening", "overwhelmed", "helpless",
                "humiliate", "ashamed", "anxious", "confidence", "trust", "wary", "rattle", "rattled", "mad"},
    "apology": {"sorry", "apologise", "apologize", "apology", "apologies", "regret"},
    "open_request": {"tell", "walk", "talk", "describe", "explain", "say"},
    "continuer": {"mm", "mmm", "mhm", "mm-hmm", "mm-hm", "uh-huh", "hmm", "yeah", "right", "okay", "ok", "go", "on",
                  "i'm", "listening", "and", "then", "take", "your", "time", "yes", "sure", "i", "be", "listen"},
    "stop": {"the", "a", "an", "and", "or", "but", "to", "of", "in", "on", "at", "for", "with", "it", "is", "be",
             "that", "this", "so", "i", "you", "we", "me", "my", "your", "our", "us", "do", "have", "just", "that's",
             "'s", "would", "will", "can", "could", "there", "what", "if", "as", "from", "by", "up", "out", "about",
             "all", "any", "some", "then", "than", "too", "very", "really", "here", "now", "yes", "okay", "well"},
}

FI = {
    "wh_open": {"mikä", "mitä", "miten", "millainen", "millaista", "minkälainen", "miltä", "miksi", "mites", "mitäs",
                "mistä", "mikset", "miksette", "kuinka"},
    "wh_fact": {"milloin", "missä", "kuka", "kenen", "kenelle", "keneltä", "ketä", "kumpi", "kumman", "montako",
                "paljonko", "mihin", "monelta", "monta", "mikäli"},
    "negation_forms": {"en", "et", "ei", "emme", "ette", "eivät", "älä", "älkää", "enkä", "etkä", "eikä", "emmekä",
                       "ettekä", "eivätkä", "eikö", "ettekö", "etkö", "enkö", "eiks", "ettekste", "emmä", "etsä",
                       "eihän", "eipä", "ettei", "ettet", "etten", "ettette", "ettemme", "etteivät", "älköön"},
    "te": {"te", "teidän", "teille", "teitä", "teillä", "teiltä", "teistä", "teihin", "teissä", "teidät", "teil",
           "teiän"},
    "sinä": {"sinä", "sä", "sinun", "sun", "sinulle", "sulle", "sinua", "sua", "sinulla", "sulla", "sinulta",
             "sulta", "sinusta", "susta", "sut", "sinut", "sust"},
    "minä": {"minä", "mä", "mun", "minun", "mulle", "minulle", "mua", "minua", "mulla", "minulla", "mulle", "mie"},
    "me": {"me", "meidän", "meille", "meitä", "meillä", "meiltä", "meistä", "meihin", "meidät", "meil", "meiän"},
    "must": {"täytyy", "pitää", "pakko", "tarvita", "joutua", "kannattaa", "tulee", "on syytä", "velvollinen"},
    "feel": {"tuntua", "kuulostaa", "vaikuttaa", "kuulla", "kuvitella", "tuntea"},
    "emotion": {"huoli", "huolettaa", "huolestunut", "pelätä", "pelko", "turhautunut", "turhautuminen", "vihainen",
                "kiukku", "harmittaa", "harmi", "nolo", "nolottaa", "pettynyt", "pettyä", "loppu", "väsynyt",
                "jännittää", "raivostuttaa", "ärsyttää", "hävettää", "suuttua", "stressi", "stressata", "yksin",
                "luottamus", "luottaa", "kirpaista", "jumissa", "ahdistaa", "sivuuttaa", "ottaa päähän", "epävarma",
                "hermostua", "hermostuttaa", "kyllästynyt", "varuillaan", "horjuttaa", "murehtia", "surettaa"},
    "apology": {"anteeksi", "pahoillaan", "pahoitella", "pahoittelu", "sori", "anteeksipyyntö"},
    "open_request": {"kertoa", "kuvailla", "selittää", "avata"},
    "continuer": {"mm", "mmm", "mm-m", "mhm", "joo", "niin", "aivan", "okei", "jatka", "jatkakaa", "vaan", "kuunnella",
                  "ja", "sitten", "ota", "ottaa", "rauhassa", "ihan", "kyllä", "juu", "nii", "jep", "ok", "selvä",
                  "kuuntelen", "no"},
    "stop": {"ja", "tai", "mutta", "että", "kun", "jos", "niin", "se", "ne", "tämä", "tuo", "olla", "ei", "minä",
             "sinä", "te", "me", "hän", "he", "nyt", "vain", "vaan", "kyllä", "ihan", "tosi", "sitten", "myös",
             "jo", "vielä", "eli", "siis", "no", "joo", "okei", "kuin", "mikä", "joka", "sitä", "siitä", "tässä",
             "täällä", "on", "oli", "siinä", "nyt", "aina", "koko"},
}

_NEGATION_LEMMAS = EN["negation"] | FI["negation_forms"] | {"ei"}
_EN_AFTER_VERB = {"me", "us", "it", "them", "the", "your", "a", "an", "in", "out", "down", "up", "off", "back", "to",
                  "on", "over", "this", "that", "sure", "everything", "all", "him", "her", "some", "any"}
_EN_NOT_IMPERATIVE = EN["aux"] | EN["subject"] | EN["wh_open"] | EN["wh_fact"] | {
    "thank", "thanks", "sorry", "so", "and", "but", "or", "oh", "okay", "ok", "right", "well", "yes", "yeah", "no",
    "just", "then", "because", "if", "as", "like", "to", "for", "of", "in", "on", "at", "with", "not", "also", "still",
    "mm", "hmm", "hello", "hi", "sounds", "seems", "cheer", "good", "great", "fine", "sure", "of", "apologies"}
PRONOUNS = FI["te"] | FI["sinä"] | FI["minä"] | FI["me"]
_FI_CLITIC_EXCEPTIONS = {"joko", "teko", "ruoko", "kauko", "pakko", "kokko", "marko", "ikkö", "tilkko"}
_FI_KS_STEMS = {"on", "oot", "oon", "ootte", "oli", "olit", "olitte", "saa", "saan", "saat", "saatte", "voi", "voin",
                "voit", "voitte", "tuli", "ei", "et", "ette", "pitää", "pitäis", "kävi", "tiedät", "tiedätte", "näkyy",
                "mene", "tuli", "meni", "sopii", "toimii", "olis", "vois", "sais", "ois", "onks", "jaksaa"}
_VERB_ENDING = re.compile(r"(?:a|ä|da|dä|ta|tä|la|lä|na|nä|ra|rä|sta|stä)$")


def _fi_split_clitic(word: str) -> tuple[str, str]:
    """'saitteko' -> ('saitte', 'ko'); 'onks' -> ('on', 'ks'); nouns such as 'verkko' or 'pakko' stay whole."""
    if word in _FI_CLITIC_EXCEPTIONS:
        return word, ""
    for suffix in ("kohan", "köhän", "kos", "kös", "ko", "kö"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            stem = word[: -len(suffix)]
            if stem.endswith("k") or (suffix in ("ko", "kö") and stem[-1] in "aeiouyäö" and len(stem) <= 2 and stem not in ("ei",)):
                return word, ""
            return stem, suffix
    if word.endswith("ks") and len(word) > 3:
        stem = word[:-2]
        if stem in _FI_KS_STEMS or stem.endswith(("tte", "isi", "is")):
            return stem, "ks"
    return word, ""


def _fi_is_verb(lemma_: str) -> bool:
    return bool(_VERB_ENDING.search(lemma_)) and len(lemma_) > 2


# -- the analysis -------------------------------------------------------------------------------------

def analyse(text: str, lang: str) -> Analysis:
    lang = "fi" if lang == "fi" else "en"
    cleaned = clean(text)
    tokens = tokenize(cleaned, lang)
    analysis = Analysis(cleaned, lang, tokens)
    words = [t for t in tokens if t.word]
    for token in words:
        if lang == "fi":
            norm = PUHEKIELI.get(token.norm, token.norm)
            stem, clitic = _fi_split_clitic(norm)
            token.norm, token.clitic = stem, clitic
            token.lemma = lemma(norm, "fi") if len(norm) > 1 else norm
        else:
            if token.norm in _EN_CONTRACTIONS:
                token.lemma = _EN_CONTRACTIONS[token.norm]
            else:
                token.lemma = lemma(token.norm, "en") if len(token.norm) > 1 else token.norm
        if len(words) > MAX_WORDS:
            break
    words = words[:MAX_WORDS]
    _scope_certainty(analysis, tokens, words)
    _general(analysis, tokens, words)
    if lang == "fi":
        _finnish(analysis, tokens, words)
    else:
        _english(analysis, tokens, words)
    add_cues(analysis, words)
    return analysis


_LIST_COLON = re.compile(r"(?<![:\w]):(?![:\w])|(?<=\w):(?![:\w])|(?<![:\w]):(?=\w)")


def _general(a: Analysis, tokens: list[Token], words: list[Token]) -> None:
    text = a.text
    a.add("bias")
    n = len(words)
    bucket = "0" if n == 0 else "1-2" if n <= 2 else "3-5" if n <= 5 else "6-10" if n <= 10 else "11-20" if n <= 20 else "21+"
    a.add(f"len:{bucket}")
    if "?" in text:
        a.add("question_mark", "?")
        if text.rstrip().endswith("?"):
            a.add("ends_with_question_mark", "?")
    if "!" in text:
        a.add("exclamation", "!")
    sentences = sum(1 for t in tokens if t.surface in ".!?") or (1 if words else 0)
    if sentences >= 2:
        a.add("several_sentences")
    if _LIST_COLON.search(text):  # "SLA:n", "10:30" and "::" are not a colon before a list
        a.add("colon", ":")
    commas = text.count(",")
    if commas >= 2:
        a.add("list_of_points", ",")
    if text.strip() in ("...", "…") or (text.endswith(("...", "…")) and n <= 3):
        a.add("trailing_off", "...")
    if any(ch in text for ch in "—–") or text.rstrip().endswith(("-", "—", "–")):
        a.add("dash", "—")
    if re.search(r"\d", text):
        a.add("number", *re.findall(r"\d[\d.,:]*", text)[:3])
    acronyms = [m.group(0) for m in _ACRONYM.finditer(text) if m.group(0) not in ("OK", "IT")]
    if acronyms:
        a.add("code_or_acronym", *acronyms)
    stop = EN["stop"] if a.lang == "en" else FI["stop"]
    lemmas = [t.lemma for t in words]
    # each lemma weighs 1/sqrt(words), so a long reply's many words do not drown its grammar
    weight = 1 / max(1, n) ** 0.5
    for token in words:
        if id(token) in a.not_promised:  # "can't promise": told by `promise_negated`, not by the word "promise"
            continue
        a.add(f"w:{token.lemma}", token.surface)
        a.features[f"w:{token.lemma}"] = weight
        if token.lemma not in stop and token.lemma not in _NEGATION_LEMMAS and len(token.lemma) > 2:
            a.content.add(token.lemma)
    if words:
        a.add(f"first:{lemmas[0]}", words[0].surface)
    repeated = [w for i, w in enumerate(lemmas[:4]) if i and w == lemmas[i - 1]]
    if repeated:
        a.add("repeated_word", *repeated)
    continuer = EN["continuer"] if a.lang == "en" else FI["continuer"]
    if 0 < n <= 4 and all(t.norm in continuer or t.lemma in continuer for t in words):
        a.add("only_continuers", *(t.surface for t in words))


def _english(a: Analysis, tokens: list[Token], words: list[Token]) -> None:
    lemmas = [t.lemma for t in words]
    norms = [t.norm for t in words]
    # question word order: an auxiliary before its subject at the start of a sentence ("did you get...")
    for index, token in enumerate(words):
        if not token.start and not (index == 1 and norms[0] in ("so", "and", "but", "okay", "ok", "right", "just")):
            continue
        following = norms[index + 1] if index + 1 < len(norms) else ""
        if token.norm in EN["aux"] and (following in EN["subject"] or following == "n't"):
            a.add("en_aux_before_subject", f"{token.surface} {words[index + 1].surface}")
            if token.norm in ("could", "would", "can", "will") and following == "you" and index + 2 < len(norms) \
                    and norms[index + 2] in EN["open_request"]:
                a.add("request_to_tell", " ".join(t.surface for t in words[index:index + 3]))
        if token.norm in EN["wh_open"]:
            if token.norm == "how" and following in EN["how_fact"]:
                a.add("question_word_fact", f"{token.surface} {words[index + 1].surface}")
            else:
                a.add("question_word_open", token.surface)
        elif token.norm in EN["wh_fact"]:
            a.add("question_word_fact", token.surface)
        if token.norm in ("tell", "walk", "talk", "describe") and token.start:
            a.add("request_to_tell", token.surface)
        if token.norm == "why" and following in ("don't", "not", "do") :
            a.add("why_dont_you", " ".join(t.surface for t in words[index:index + 3]))
        if token.norm == "just" and index + 1 < len(words) and token.start:
            a.add("just_do", f"{token.surface} {words[index + 1].surface}")
    text = a.text.lower()
    if re.search(r",\s*(?:did|do|does|is|are|was|were|have|has|can|will|would|could)(?:n't)? (?:you|it|they|he|she|we|i|that|there)\?\s*$", text) \
            or re.search(r"\b(?:right|correct|yes)\?\s*$", text):
        a.add("tag_question", text.rsplit(",", 1)[-1].strip()[:20])
    lead = [t for t in words if t.norm not in ("so", "and", "okay", "ok", "right", "well", "oh")][:2]
    if lead and lead[0].norm in ("you", "your", "you've", "you're"):
        a.add("starts_with_you", lead[0].surface)
    if re.search(r"\b(?:you|your \w+)\s+(?:were|was|had|'ve|have|got|did|didn't|waited|called|paid|ordered|tried|"
                 r"said|told|lost|needed|wanted|\w+ed)\b", text):
        a.add("you_past", *re.findall(r"\byou\s+\w+", text)[:2])
    if re.search(r"\bhave you (?:tried|thought about|considered)|\bwhy (?:don't|not|didn't) you\b|\bwhy not\b", text):
        a.add("suggestion_question", *re.findall(r"have you (?:tried|thought about|considered)|why (?:don't|not) you|why not", text)[:1])
    if re.search(r"\b(?:hang on|hold on|wait|stop|one sec|a sec|just a sec|cut in|jump in|butt in|interrupt|anyway|moving on)\b", text):
        a.add("stopping_words", *re.findall(r"\b(?:hang on|hold on|wait|stop|sec|cut in|jump in|butt in|interrupt|anyway|moving on)\b", text)[:2])
    # an imperative: a sentence that opens with a verb's base form followed by its object or particle
    for index, token in enumerate(words[:-1]):
        if token.start and token.norm == token.lemma and token.norm not in _EN_NOT_IMPERATIVE \
                and not token.norm.endswith(("ly", "ing", "ed")) and words[index + 1].norm in _EN_AFTER_VERB:
            a.add("en_imperative", f"{token.surface} {words[index + 1].surface}")
    negations = [t.surface for t in words if t.lemma in EN["negation"] or t.norm in EN["negation"]]
    if negations:
        a.add("negation", *negations)
        a.negated = True
    if words and words[0].norm in ("don't", "do") and len(words) > 1 and words[1].norm == "n't":
        a.add("negative_imperative", words[0].surface)
    for key, name in (("you", "addressed_you"), ("i", "speaker_i"), ("we", "speaker_we")):
        hits = [t.surface for t in words if t.norm in EN[key]]
        if hits:
            a.add(name, *hits)
    if "let's" in text or re.search(r"\blet us\b", text) or "together" in text:
        a.add("together", *[t.surface for t in words if t.norm in ("let's", "together", "let")])
    for match in re.finditer(r"\b(?:you|we|they|i|staff|people|everyone)\s+(?:really\s+)?(need to|have to|must|should|ought to|'ve got to|got to|will have to|'ll have to)\b", text):
        a.add("obligation", match.group(0))
    if re.search(r"\b(?:should|must|could|would) have\b|\bif you'd\b|\bif you had\b|\bnext time\b", text):
        a.add("hindsight", *re.findall(r"\b(?:should have|must have|could have|would have|if you'd|next time)\b", text)[:2])
    if re.search(r"\b(?:would|could|might)\b", text):
        a.add("conditional", *re.findall(r"\b(?:would|could|might)\b", text)[:2])
    feel = [t.surface for t in words if t.lemma in EN["feel"]]
    if feel:
        a.add("feeling_verb", *feel)
    emotion = [t.surface for t in words if t.lemma in EN["emotion"] or t.norm in EN["emotion"]]
    if emotion:
        a.add("emotion_word", *emotion)
    apology = [t.surface for t in words if t.lemma in EN["apology"] or t.norm in EN["apology"]]
    if apology:
        a.add("apology_word", *apology)
    _certainty(a, words, re.findall(r"\b(?:promise|guarantee[d]?|definitely|for sure|100 ?%|one hundred percent|never again|"
                                    r"ever again|you have my word|i'll make sure|trust me)\b", text))
    if re.search(r"\b(?:always|never|every|all the time|nobody|everyone|everything)\b", text):
        a.add("absolute_word", *re.findall(r"\b(?:always|never|every|all the time|nobody|everyone|everything)\b", text)[:2])


# -- promises in the scope of a negation, and the Finnish "varmasti" of a supposition -----------------------

# the words of a promise that a negation before them (in the same clause) takes back: "I can't promise",
# "en voi luvata", "I'm not sure" are honest limits, not false promises
_PROMISE_WORDS = {
    "en": {"promise", "promised", "promises", "guarantee", "guaranteed", "guarantees", "sure", "swear", "certain",
           "definitely", "word", "100", "hundred"},
    "fi": {"luvata", "lupaan", "lupaus", "taata", "takaan", "vannoa", "varma", "sataprosenttisesti", "taatusti"},
}
_CLAUSE_ENDS = {",", ".", "!", "?", ";", ":", "…", "...", "\u2014", "\u2013", "-"}
_CLAUSE_STARTS = {"but", "mutta", "though", "although", "however", "kuitenkin", "silti", "vaan", "and", "ja"}
NEGATION_SCOPE = 4  # words after a negation that it reaches
_FI_SUPPOSED = re.compile(r"^(?:ollut|olleet|ollu)$|(?:n|l|r|s)(?:ut|yt|eet)$")  # "on varmasti ollut", "varmasti odottaneet"


def _scope_certainty(a: Analysis, tokens: list[Token], words: list[Token]) -> None:
    """Mark the promise words a negation takes back ("can't promise", "en voi luvata"), and the Finnish
    "varmasti" that supposes what the customer went through ("se on varmasti ollut raskasta") rather than
    promising: neither raises `certainty` or the promise cue, each raises a feature of its own."""
    promise_words = _PROMISE_WORDS[a.lang]
    negations = EN["negation"] if a.lang == "en" else FI["negation_forms"]
    clause: list[Token] = []
    clauses: list[list[Token]] = [clause]
    for token in tokens:
        if not token.word:
            if token.surface in _CLAUSE_ENDS:
                clause = []
                clauses.append(clause)
            continue
        if token.norm in _CLAUSE_STARTS and clause:
            clause = []
            clauses.append(clause)
        clause.append(token)
    kept = {id(t) for t in words}
    for clause in clauses:
        reach = 0
        negation = ""
        for token in clause:
            if id(token) not in kept:
                continue
            if token.norm in negations or token.lemma in negations:
                reach, negation = NEGATION_SCOPE, token.surface
                continue
            if reach and (token.norm in promise_words or token.lemma in promise_words):
                a.not_promised.add(id(token))
                a.add("promise_negated", negation, token.surface)
            reach = max(0, reach - 1)
        if a.lang == "fi":
            surely = [t for t in clause if t.norm in ("varmasti", "varmaan") and id(t) in kept]
            if surely and any(_FI_SUPPOSED.search(t.norm) and t.norm != t.lemma for t in clause if t not in surely):
                for token in surely:
                    a.not_promised.add(id(token))
                    a.add("supposition", token.surface)


def _certainty(a: Analysis, words: list[Token], found: list[str]) -> None:
    """`certainty` for the promise words found, less those a negation takes back or that suppose."""
    taken_back = {t.surface.lower() for t in words if id(t) in a.not_promised}
    promise = [phrase for phrase in found if phrase.split()[0] not in taken_back]
    if promise:
        a.add("certainty", *promise)


# the endings read on every Finnish word, compiled once
_FI_CONDITIONAL = re.compile(r"isi(?:n|t|mme|tte|vat|vät)?$")
_FI_CONDITIONAL_PASSIVE = re.compile(r"(?:ta|tä)isi(?:in)?$")
_FI_PASSIVE_PRESENT = re.compile(r"(?:t|d)(?:aan|ään)$")
_FI_PASSIVE_PAST = re.compile(r"(?:t)?tiin$|(?:t|d)(?:u|y)$|ttu$|tty$")
_FI_IMPERATIVE_PLURAL = re.compile(r"(?:k|g)(?:aa|ää)$")
_FI_POSSESSIVE_TE = re.compile(r"(?:nne|nsa)$")
_FI_SECOND_SINGULAR = re.compile(r"[^t]t$")
_FI_PARTICIPLE = re.compile(r"(?:n|l|r|s)(?:u|y)t$|(?:n|l|r|s)eet$")  # saanut, odottaneet
_FI_FIRST_SINGULAR = re.compile(r"[aeiouyäö]n$")
_FI_PASSIVE_ENDING = re.compile(r"(?:aan|ään|iin)$")


def _finnish(a: Analysis, tokens: list[Token], words: list[Token]) -> None:
    text = a.text.lower()
    for index, token in enumerate(words):
        norm, lem = token.norm, token.lemma
        verb = _fi_is_verb(lem)
        if token.clitic:
            a.add("fi_question_clitic", token.surface)
            if token.start or index <= 2:
                a.add("fi_question_clitic_first", token.surface)
        if index <= 3 and (norm in FI["wh_open"] or lem in ("mikä", "millainen", "miten", "miksi", "minkälainen")):
            a.add("question_word_open", token.surface)
        if index <= 3 and norm in FI["wh_fact"] and norm != "mikäli":
            a.add("question_word_fact", token.surface)
        asked_to = index > 0 and words[index - 1].clitic and words[index - 1].lemma in ("voida", "haluta", "viitsiä")
        if lem in FI["open_request"] and (token.start or token.clitic or norm.endswith(("kaa", "kää")) or asked_to
                                          or norm in ("kerro", "kerrotko", "kertoisitko", "kertoisitteko")):
            a.add("request_to_tell", token.surface)
        if norm in FI["negation_forms"] or lem in ("ei",) and norm not in ("eikä",):
            a.add("negation", token.surface)
            a.negated = True
        if norm in ("älä", "älkää"):
            a.add("negative_imperative", token.surface)
        if verb and norm != lem and _FI_CONDITIONAL.search(norm) or _FI_CONDITIONAL_PASSIVE.search(norm):
            a.add("fi_conditional", token.surface)
        if verb and _FI_PASSIVE_PRESENT.search(norm):
            a.add("fi_passive_present", token.surface)
            if token.start or (index == 1 and words[0].norm in ("no", "eli", "okei", "joo", "niin", "me")):
                a.add("fi_lets", token.surface)
        if verb and _FI_PASSIVE_PAST.search(norm) and norm != lem:
            a.add("fi_passive_past", token.surface)
        if verb and _FI_IMPERATIVE_PLURAL.search(norm) and norm != lem:
            a.add("fi_imperative_plural", token.surface)
        elif verb and token.start and norm != lem and not token.clitic and norm not in PRONOUNS and norm[-1] in "aäoöuye" \
                and norm[-2:] not in ("aa", "ää", "oo", "öö", "uu", "yy", "ee") and not norm.endswith("isi") \
                and norm not in FI["negation_forms"] and not norm.endswith(("tte", "mme", "vat", "vät", "ssa", "ssä")):
            a.add("fi_imperative", token.surface)
        if norm.endswith(("tte", "tteko", "ttekö")) or norm in FI["te"] or _FI_POSSESSIVE_TE.search(norm) and len(norm) > 5:
            a.add("addressed_te", token.surface)
        if norm in FI["sinä"] or (verb and norm != lem and _FI_SECOND_SINGULAR.search(norm) and norm not in ("et", "ei")
                                  and not _FI_PARTICIPLE.search(norm)):  # not a participle (saanut)
            a.add("addressed_sinä", token.surface)
        if norm in FI["minä"] or (verb and _FI_FIRST_SINGULAR.search(norm) and norm != lem and norm not in ("en", "on")
                                  and norm != lem + "n"  # a genitive (asia -> asian), not a verb's minä form
                                  and not _FI_PASSIVE_ENDING.search(norm)):  # not the passive (katsotaan)
            a.add("speaker_minä", token.surface)
        if norm in FI["me"] or (verb and norm.endswith("mme")):
            a.add("speaker_me", token.surface)
        if lem in FI["feel"] or norm.startswith(("kuulosta", "tuntu", "vaikutta")):
            a.add("feeling_verb", token.surface)
        if lem in FI["emotion"] or norm in FI["emotion"]:
            a.add("emotion_word", token.surface)
        if lem in FI["apology"] or norm in FI["apology"] or norm.startswith(("pahoittel", "anteeksipyyn")):
            a.add("apology_word", token.surface)
        if lem in ("täytyy", "pitää", "pakko", "joutua", "tarvita") or norm in ("täytyy", "pitää", "pitäisi", "pakko", "tulee"):
            a.add("obligation", token.surface)
        if lem == "kannattaa" or norm.startswith("kannatta"):
            a.add("fi_worth_it", token.surface)
        if norm in ("yhdessä", "yhteinen", "yhteistyössä") or lem == "yhdessä":
            a.add("together", token.surface)
    lead = [t for t in words if t.norm not in ("eli", "siis", "no", "okei", "joo", "niin", "ja")][:2]
    if lead and (lead[0].norm in FI["te"] | FI["sinä"] or re.search(r"(?:itte|tte|it|et)$", lead[0].norm)
                 and _fi_is_verb(lead[0].lemma) and lead[0].norm != lead[0].lemma):
        a.add("starts_with_you", lead[0].surface)
    past_2p = [t.surface for t in words if _fi_is_verb(t.lemma) and re.search(r"(?:i|si)(?:tte|t)$", t.norm)
               and t.norm != t.lemma and not t.norm.endswith("isit")]
    if past_2p:
        a.add("you_past", *past_2p)
    if re.search(r"\b(?:mikset|miksette|miksei|miksi et|miksi ette)\b|\b(?:oot|ootte|olet|oletteko|ootko|ootteko|oletko)"
                 r"\s+(?:kokeillut|kokeilleet|miettineet|miettinyt|harkinneet|harkinnut)", text):
        a.add("suggestion_question", *re.findall(r"mikset|miksette|miksei|kokeil\w+|mietti\w+", text)[:2])
    if re.search(r"\b(?:hetki|hetkinen|sekunti|odota|keskeyt\w*|pysäyt\w*|väliin|lopeta|riittää|eteenpäin|päälle)\b", text):
        a.add("stopping_words", *re.findall(r"\b(?:hetki|hetkinen|sekunti|odota|keskeyt\w*|pysäyt\w*|väliin|lopeta|riittää)\b", text)[:2])
    if re.search(r"olisi(?:t|tte|vat)? pitänyt|olisitte (?:voineet|säilyttäneet)|ensi kerralla|jos olisi", text):
        a.add("hindsight", *re.findall(r"olisi\w* pitänyt|ensi kerralla|jos olisi\w*", text)[:2])
    _certainty(a, words, re.findall(r"\b(?:lupaan|luvata|takaan|taatusti|varmasti|sataprosenttisesti|ikinä|koskaan|usko pois|"
                                    r"pidän huolen|hoidan)\b", text))
    if re.search(r"\b(?:aina|ikinä|koskaan|kaikki|kaikille|kukaan|koko ajan)\b", text):
        a.add("absolute_word", *re.findall(r"\b(?:aina|ikinä|koskaan|kaikki|kaikille|kukaan|koko ajan)\b", text)[:2])
    if re.search(r",\s*(?:eikö|vai mitä|vai|eiks|eks|onko)\b[^.]*\?\s*$|\b(?:eikö niin|vai mitä|menikö näin|ymmärsinkö oikein|pitääkö paikkansa)\?\s*$", text):
        a.add("tag_question", *re.findall(r"(?:eikö niin|vai mitä|menikö näin|ymmärsinkö oikein|pitääkö paikkansa)", text)[:1])


# -- cue lexicons: lemmas a coach hears in each kind of move (features; the model weighs them) ---------

CUES = {
    "en": {
        "blame": {"fault", "blame", "mistake", "mess", "courier", "warehouse", "system", "colleague", "management",
                  "supplier", "office", "department", "someone", "their", "they", "yourself", "disaster", "hands"},
        "minimise": {"worry", "only", "just", "fine", "small", "little", "tiny", "nothing", "relax", "cheer",
                     "bright", "deal", "happen", "sure", "worse", "overthink", "mind", "anyway", "bother", "calm"},
        "lecture": {"should", "rule", "responsibility", "next", "time", "understand", "sense", "common", "expect",
                    "job", "basic", "read", "instructions", "follow", "important", "supposed", "learn", "properly"},
        "jargon": {"policy", "procedure", "process", "ticket", "status", "escalate", "pending", "backlog", "priority",
                   "protocol", "tier", "level", "form", "section", "per", "case", "incident", "require", "log",
                   "verification", "system", "compliance", "terms"},
        "certainty": {"promise", "guarantee", "definitely", "certainly", "never", "ever", "word", "sure", "personally",
                      "trust", "absolutely", "100", "hundred", "percent", "every", "whatever"},
        "scripted": {"inconvenience", "value", "important", "appreciate", "frustration", "patience", "understanding",
                     "concern", "completely", "totally", "help", "satisfaction", "priority", "attention", "reach",
                     "share", "great", "day", "anything", "else"},
        "validate": {"understandable", "natural", "normal", "reasonable", "fair", "right", "anyone", "wonder",
                     "sense", "valid", "course", "surprise", "same", "position", "every", "lot", "entitle"},
        "affirm": {"good", "smart", "thorough", "careful", "clear", "brave", "impressive", "well", "thank", "thanks",
                   "patience", "effort", "right", "care", "fair", "great", "calm", "spot", "clearly", "courage"},
        "autonomy": {"decide", "decision", "choice", "choose", "call", "free", "pressure", "option", "up", "yours",
                     "whether", "want", "rather", "hand", "lead"},
        "collaboration": {"together", "we", "let", "us", "plan", "agree", "idea", "suggest", "think", "work",
                          "option", "help", "step", "between", "both", "figure"},
        "information": {"day", "week", "month", "hour", "open", "due", "monday", "tuesday", "wednesday", "thursday",
                        "friday", "saturday", "sunday", "january", "june", "march", "euro", "price", "fee", "until",
                        "usually", "morning", "evening", "page", "cover", "post", "book", "run"},
        "advice": {"try", "just", "advice", "suggest", "best", "easiest", "better", "trick", "simply", "could",
                   "instead", "always", "recommend", "should", "why"},
        "interrupt": {"stop", "hang", "hold", "interrupt", "cut", "jump", "butt", "anyway", "moving", "enough",
                      "sec", "quick", "quickly"},
        "order": {"must", "send", "fill", "bring", "put", "write",
                  "email", "stop", "register", "calm", "please", "listen"},
        "summary": {"sum", "recap", "summarise", "summarize", "together", "missed", "everything", "picture",
                    "understand", "right", "correct", "check", "far", "short", "page", "first", "second", "both",
                    "three", "two", "thing"},
    },
    "fi": {
        "blame": {"vika", "syy", "moka", "mokata", "sössiä", "kuriiri", "varasto", "järjestelmä", "kollega",
                  "johto", "pääkonttori", "toimittaja", "joku", "itse", "katastrofi", "käsi", "virkailija", "konsultti",
                  "ne", "he", "heille"},
        "minimise": {"huoli", "huolia", "vaan", "vain", "pieni", "pikku", "pikkujuttu", "mikään", "iso", "juttu",
                     "järjestyä", "rauhoittua", "piristyä", "valoisa", "tapahtua", "pahempi", "liikaa", "hermostua",
                     "stressata", "helppo", "mitään", "siitä"},
        "lecture": {"pitää", "pitäisi", "sääntö", "vastuu", "kerta", "ensi", "ymmärtää", "maalaisjärki",
                    "tehtävä", "ohje", "noudattaa", "tärkeä", "kuulua", "oppia", "kunnolla", "tiedäthän", "vastuulla"},
        "jargon": {"ohjeistus", "prosessi", "tiketti", "status", "eskaloida", "backlog", "prioriteetti", "taso",
                   "lomake", "kohta", "mukaan", "tapaus", "poikkeama", "edellyttää", "vaatia", "kirjata",
                   "järjestelmä", "käsittely", "ehto", "mukaisesti", "tier"},
        "certainty": {"luvata", "lupaan", "taata", "takaan", "taatusti", "varmasti", "varma", "ikinä", "koskaan",
                      "henkilökohtaisesti", "sataprosenttisesti", "huoli", "hoitaa", "usko", "tasan", "kaikki"},
        "scripted": {"pahoitella", "pahoittelu", "haitta", "vaiva", "arvostaa", "tärkeä", "kiitos", "kärsivällisyys",
                     "ymmärrys", "yhteydenotto", "täysin", "auttaa", "asiakastyytyväisyys", "ikävä", "päivänjatko",
                     "jakaa", "mahdollinen", "aiheutua", "tietoomme", "harmi"},
        "validate": {"ymmärrettävä", "luonnollinen", "normaali", "kohtuullinen", "reilu", "oikeus", "kuka",
                     "tahansa", "ihme", "syy", "aiheellinen", "totta", "kai", "sama", "tilanne", "paljon", "yllätys"},
        "affirm": {"hyvä", "fiksu", "huolellinen", "huolellisesti", "selkeästi", "rohkea", "hieno", "upea", "kiitos",
                   "kärsivällisyys", "välittää", "reilu", "rauhallisesti", "huomata", "selvästi", "oikein", "tarkka"},
        "autonomy": {"päättää", "päätös", "valinta", "valita", "vapaasti", "pakko", "kiinni", "käsi", "haluta",
                     "itse", "rauhassa", "mukaan"},
        "collaboration": {"yhdessä", "me", "suunnitelma", "sopia", "idea", "ehdottaa", "ajatella", "toimia",
                          "vaihtoehto", "auttaa", "askel", "ratkaisu", "kokeilla", "mitä", "jos"},
        "information": {"päivä", "viikko", "kuukausi", "tunti", "auki", "erääntyä", "maanantai", "tiistai",
                        "keskiviikko", "torstai", "perjantai", "lauantai", "sunnuntai", "tammikuu", "kesäkuu",
                        "maaliskuu", "euro", "hinta", "maksu", "asti", "yleensä", "aamu", "ilta", "sivu", "kattaa",
                        "postittaa", "varata", "voimassa", "arkisin", "arkipäivä", "lähtien"},
        "advice": {"kokeilla", "kannattaa", "vaan", "suositella", "paras", "helpoin", "parempi", "kikka", "ehdottaa",
                   "voisi", "aina", "miksi", "laittaa", "ladata"},
        "interrupt": {"keskeyttää", "hetkinen", "hetki", "sekunti", "pysäyttää", "väli", "riittää", "eteenpäin",
                      "tähän", "päälle", "asiaan"},
        "order": {"täytyä", "pitää", "lähettää", "täyttää", "mennä", "tuoda", "laittaa", "postittaa", "lukea",
                  "kirjoittaa", "rekisteröidä", "rauhoittua", "kuunnella", "täytyy"},
        "summary": {"koota", "yhteen", "tiivistää", "yhteenveto", "kertaus", "ymmärtää", "oikein", "kaikki",
                    "paikkansa", "kuva", "jäädä", "varmistaa", "tarkistaa", "lyhyesti", "kaksi", "kolme", "mennä"},
    },
}


def add_cues(a: Analysis, words: list[Token]) -> None:
    lexicon = CUES[a.lang]
    for cue, lemmas in lexicon.items():
        hits = [t.surface for t in words if (t.lemma in lemmas or t.norm in lemmas)
                and not (cue == "certainty" and id(t) in a.not_promised)]
        if hits:
            a.add(f"cue:{cue}", *hits)
            a.features[f"cue:{cue}"] = min(3, len(hits)) / 2  # one cue word 0.5, three or more 1.5
