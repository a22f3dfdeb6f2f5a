"""Coding a reply: its main behaviour, secondary codes, the coach's group, and the words that decided it.

    >>> code_reply("Kuulostaa siltä, että olette huolissanne laskusta.", "fi").main
    'complex_reflection'

`rank_choices` orders the answers offered at a turn by how close each is to what the trainee said, by
meaning: the behaviour the reply was coded with against each answer's code, then the content words they
share (lemmas, so "laskusta" meets "lasku"), with a shared word counting less when one side negates it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from game.coding.analysis import EN, FI, Analysis, analyse
from game.coding.codes import CODES, OTHER, SILENCE, group_of
from game.coding.model import load

SECONDARY_SHARE = 0.35   # a second code is named when it has at least this share of the main code's probability
SECONDARY_FLOOR = 0.12
MAX_CODES = 3
EVIDENCE_ITEMS = 4
STOPWORDS = {"en": EN["stop"] | {"'ll", "'s", "'re", "'m", "'ve", "'d", "not", "n't", "be", "am", "are", "was", "were",
                                 "get", "got", "go", "going", "anything", "something", "thing"},
             "fi": FI["stop"] | {"olla", "ollut", "se", "ne", "sitä", "siitä", "mitään", "jotain", "tää", "toi",
                                 "en", "et", "ei", "voida", "voi"}}


@dataclass(frozen=True)
class Coding:
    text: str                     # the reply as coded (cleaned: no control characters, at most 2,000 characters)
    lang: str
    main: str                     # a code of CODES, `attentive_silence` for an empty reply, `other` if not codable
    codes: tuple[str, ...]        # main first, then secondary
    group: str                    # question, reflection, support, roadblock, information or other
    evidence: tuple[str, ...]     # what led to the decision, in the language of the reply
    confidence: float             # the model's probability of the main code (1.0 for rules such as silence)
    probabilities: dict[str, float] = field(default_factory=dict, repr=False, compare=False)
    evidence_keys: tuple = field(default=(), repr=False, compare=False)  # (feature, words) behind `evidence`
    typed: str = field(default="", repr=False, compare=False)  # the reply as typed, before cleaning

    @property
    def words(self) -> list[str]:
        """The words (as written) that led to the decision, each once, in the order the evidence names them."""
        out: list[str] = []
        for _key, words in self.evidence_keys:
            for word in words:
                if word not in out:
                    out.append(word)
        return out

    def evidence_in(self, lang: str) -> tuple[str, ...]:
        """The evidence in another language (a Finnish coach reading an English reply)."""
        if lang == self.lang:
            return self.evidence
        return tuple(describe(key, words, lang) for key, words in self.evidence_keys)

    def as_dict(self) -> dict:
        return {"text": self.text, "typed": self.typed, "lang": self.lang, "main": self.main, "codes": list(self.codes),
                "group": self.group, "evidence": list(self.evidence), "words": self.words,
                "confidence": round(self.confidence, 3)}


# -- evidence, as a coach reads it ------------------------------------------------------------------

_FEATURES = {
    "question_mark": ("a question mark", "kysymysmerkki"),
    "ends_with_question_mark": ("ends with a question mark", "päättyy kysymysmerkkiin"),
    "exclamation": ("exclamation", "huutomerkki"),
    "several_sentences": ("several sentences", "useita virkkeitä"),
    "colon": ("a colon before a list", "kaksoispiste ennen luetteloa"),
    "list_of_points": ("several points listed", "useita asioita luetellaan"),
    "trailing_off": ("trails off", "jää kesken"),
    "dash": ("breaks off with a dash", "katkeaa ajatusviivaan"),
    "number": ("numbers: {words}", "lukuja: {words}"),
    "code_or_acronym": ("codes or acronyms: {words}", "koodeja tai lyhenteitä: {words}"),
    "repeated_word": ("a word repeated: {words}", "sana toistuu: {words}"),
    "only_continuers": ("only a listening sound: {words}", "vain kuuntelun ääntely: {words}"),
    "en_aux_before_subject": ("question word order: {words}", "kysymyksen sanajärjestys: {words}"),
    "request_to_tell": ("invites them to tell: {words}", "pyytää kertomaan: {words}"),
    "question_word_open": ("open question word: {words}", "avoin kysymyssana: {words}"),
    "question_word_fact": ("question word asking a fact: {words}", "tosiasiaa kysyvä kysymyssana: {words}"),
    "why_dont_you": ("a suggestion as a question: {words}", "ehdotus kysymyksenä: {words}"),
    "suggestion_question": ("a suggestion as a question: {words}", "ehdotus kysymyksenä: {words}"),
    "just_do": ("'just do it': {words}", "'tee vaan': {words}"),
    "tag_question": ("checks back: {words}", "tarkistaa: {words}"),
    "negation": ("negation: {words}", "kielto: {words}"),
    "negative_imperative": ("a 'don't': {words}", "kielteinen käsky: {words}"),
    "addressed_you": ("speaks of the customer (you): {words}", "puhuu asiakkaasta (sinä/te): {words}"),
    "speaker_i": ("speaks of themselves (I): {words}", "puhuu itsestään (minä): {words}"),
    "speaker_we": ("speaks as 'we': {words}", "puhuu me-muodossa: {words}"),
    "starts_with_you": ("starts from the customer: {words}", "alkaa asiakkaasta: {words}"),
    "you_past": ("what the customer did or had: {words}", "mitä asiakas teki tai koki: {words}"),
    "stopping_words": ("stops the speaker: {words}", "pysäyttää puhujan: {words}"),
    "en_imperative": ("an imperative: {words}", "käskymuoto: {words}"),
    "together": ("together: {words}", "yhdessä: {words}"),
    "obligation": ("obligation: {words}", "velvoite: {words}"),
    "hindsight": ("what they should have done: {words}", "mitä olisi pitänyt tehdä: {words}"),
    "conditional": ("conditional: {words}", "konditionaali: {words}"),
    "feeling_verb": ("a verb of feeling or sensing: {words}", "tuntemisen verbi: {words}"),
    "emotion_word": ("names a feeling: {words}", "nimeää tunteen: {words}"),
    "apology_word": ("an apology: {words}", "anteeksipyyntö: {words}"),
    "certainty": ("a promise or certainty: {words}", "lupaus tai varmuus: {words}"),
    "absolute_word": ("absolutes: {words}", "ehdottomuus: {words}"),
    "fi_question_clitic": ("question clitic -ko/-kö: {words}", "kysymysliite -ko/-kö: {words}"),
    "fi_question_clitic_first": ("question clitic -ko/-kö at the start: {words}", "kysymysliite -ko/-kö alussa: {words}"),
    "fi_conditional": ("conditional -isi-: {words}", "konditionaali -isi-: {words}"),
    "fi_passive_present": ("passive: {words}", "passiivi: {words}"),
    "fi_lets": ("'let's' (passive): {words}", "me-passiivi ('tehdään'): {words}"),
    "fi_passive_past": ("past passive: {words}", "mennyt passiivi: {words}"),
    "fi_imperative_plural": ("imperative (te): {words}", "käskymuoto (te): {words}"),
    "fi_imperative": ("imperative: {words}", "käskymuoto: {words}"),
    "addressed_te": ("addresses them as 'te': {words}", "teitittelee: {words}"),
    "addressed_sinä": ("addresses them as 'sinä': {words}", "sinuttelee: {words}"),
    "speaker_minä": ("speaks of themselves (minä): {words}", "puhuu itsestään (minä): {words}"),
    "speaker_me": ("speaks as 'we': {words}", "puhuu me-muodossa: {words}"),
    "fi_worth_it": ("'you should' (kannattaa): {words}", "kannattaa-neuvo: {words}"),
    "promise_negated": ("declines to promise: {words}", "ei lupaa: {words}"),
    "supposition": ("supposes what they went through: {words}", "olettaa, mitä asiakas on kokenut: {words}"),
}
_CUE_NAMES = {
    "blame": ("blame words", "syyttelyn sanoja"), "minimise": ("minimising words", "vähättelyn sanoja"),
    "lecture": ("lecturing words", "luennoinnin sanoja"), "jargon": ("process words", "prosessisanoja"),
    "certainty": ("promise words", "lupaussanoja"), "scripted": ("stock phrases", "vakiofraaseja"),
    "validate": ("words that accept the experience", "kokemusta hyväksyviä sanoja"),
    "affirm": ("appreciation", "arvostuksen sanoja"), "autonomy": ("choice words", "valinnan sanoja"),
    "collaboration": ("working together", "yhteistyön sanoja"), "information": ("facts and times", "tietoja ja aikoja"),
    "advice": ("advice words", "neuvomisen sanoja"), "interrupt": ("cutting-in words", "keskeyttämisen sanoja"),
    "order": ("directing words", "käskevät sanat"), "summary": ("summing-up words", "yhteenvedon sanoja"),
}


def describe(key: str, words, lang: str) -> str:
    fi = lang == "fi"
    shown = ", ".join(f"\u201c{w}\u201d" for w in words) if words else ""
    if key.startswith("w:"):
        return (f"sana {shown}" if fi else f"the word {shown}") if shown else key[2:]
    if key.startswith("first:"):
        return f"alkaa: {shown}" if fi else f"opens with {shown}"
    if key.startswith("cue:"):
        name = _CUE_NAMES.get(key[4:], (key[4:], key[4:]))[1 if fi else 0]
        return f"{name}: {shown}" if shown else name
    if key.startswith("len:"):
        return f"pituus {key[4:]} sanaa" if fi else f"{key[4:]} words long"
    template = _FEATURES.get(key)
    if template is None:
        return key
    text = template[1 if fi else 0]
    return text.format(words=shown) if "{words}" in text else text


_SAME_AS = {"question_mark": "ends_with_question_mark", "ends_with_question_mark": "question_mark",
            "fi_question_clitic": "fi_question_clitic_first", "fi_question_clitic_first": "fi_question_clitic"}


def _evidence(analysis: Analysis, model, code: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The features that pushed `code` up most, each told once: a word already shown is not shown again."""
    keys, shown, taken = [], set(), set()
    stop = STOPWORDS["fi" if analysis.lang == "fi" else "en"]
    for feature, weight in model.contributions(analysis.features, code):
        if weight <= 0.05 or feature == "bias" or feature.startswith("len:"):
            continue
        if feature.startswith(("w:", "first:")) and feature.split(":", 1)[1] in stop:
            continue  # "for", "in", "se": they weigh in the model, but a coach learns nothing from them
        words = tuple(analysis.words_for.get(feature, ()))
        if _SAME_AS.get(feature) in taken or (words and set(words) <= shown):
            continue
        keys.append((feature, words))
        shown.update(words)
        taken.add(feature)
        if len(keys) >= EVIDENCE_ITEMS:
            break
    return tuple(keys)


# -- coding -----------------------------------------------------------------------------------------

def _make(text, lang, main, codes, evidence_keys, confidence, probabilities) -> Coding:
    return Coding(text=text, lang=lang, main=main, codes=tuple(codes), group=group_of(main),
                  evidence=tuple(describe(k, w, lang) for k, w in evidence_keys), confidence=confidence,
                  probabilities=probabilities, evidence_keys=evidence_keys)


def _code(analysis: Analysis) -> tuple[Coding, Analysis]:
    text, lang = analysis.text, analysis.lang
    if not text or text in ("...", "…", "-", "—") or set(text) <= set(".… "):
        return _make(text, lang, SILENCE, (SILENCE,), (("silence", ()),), 1.0, {SILENCE: 1.0}), analysis
    if not analysis.has_words:  # only punctuation, emoji, numbers: nothing a coach could code
        return _make(text, lang, OTHER, (OTHER,), (("no_words", ()),), 1.0, {OTHER: 1.0}), analysis
    model = load(lang)
    known = [f for f in analysis.features if f != "bias" and not f.startswith("len:") and model.knows(f)]
    if not known:  # words the model has never seen, and no grammar it reads: say so rather than guess
        return _make(text, lang, OTHER, (OTHER,), (("unknown_words", ()),), 1.0, {OTHER: 1.0}), analysis
    probabilities = model.probabilities(analysis.features)
    ranked = sorted(probabilities.items(), key=lambda item: -item[1])
    main, top = ranked[0]
    codes = [main] + [code for code, p in ranked[1:MAX_CODES]
                      if p >= max(SECONDARY_FLOOR, SECONDARY_SHARE * top)]
    return _make(text, lang, main, codes, _evidence(analysis, model, main), top, probabilities), analysis


_RULE_EVIDENCE = {
    "silence": ("nothing said: lets the customer go on", "ei sanottu mitään: antaa asiakkaan jatkaa"),
    "no_words": ("no words to code", "ei koodattavia sanoja"),
    "unknown_words": ("no word or form the coder knows", "ei yhtään sanaa tai muotoa, jonka koodaaja tuntee"),
}
_FEATURES.update({key: value for key, value in _RULE_EVIDENCE.items()})


def code_reply(text: str, lang: str) -> Coding:
    """Code one reply in `lang` ("fi" or "en"; anything else is read as English). Never raises on bad text."""
    from dataclasses import replace

    typed = text if isinstance(text, str) else ""
    return replace(_code(analyse(typed, lang))[0], typed=typed)


# -- ranking the answers offered ------------------------------------------------------------------

CODE_WEIGHT = 0.45     # the reply's probability of the answer's code
GROUP_WEIGHT = 0.25    # ... of the answer's group
WORDS_WEIGHT = 0.30    # the content lemmas they share
NEGATION_FACTOR = 0.3  # what shared words are worth when one side negates and the other does not
MIN_CLOSE = 0.005      # under this score no answer is close (silence, emoji, unknown words score 0): none is marked


def closest_choice(ranking) -> str | None:
    """The ID of the answer to mark as closest in `rank_choices`' ranking, or None when none is close (an empty
    reply and no silent answer, emoji only, words the coder does not know): then nothing may be pre-selected."""
    if not ranking or ranking[0][1] < MIN_CLOSE:
        return None
    return ranking[0][0]


def _similarity(a: Analysis, b: Analysis) -> float:
    if not a.content or not b.content:
        return 0.0
    shared = len(a.content & b.content)
    score = shared / (len(a.content) * len(b.content)) ** 0.5
    if shared and a.negated != b.negated:  # "it was delivered" is not "it was not delivered"
        score *= NEGATION_FACTOR
    return score


def rank_choices(text: str, lang: str, choices) -> list[tuple[str, float]]:
    """`choices`: (id, text, code) for each answer offered; `code` may be None (then the answer's own text is
    coded). Returns (id, score) for every choice, the closest in meaning first; scores lie in 0..1."""
    coding, reply = _code(analyse(text if isinstance(text, str) else "", lang))
    probabilities = coding.probabilities
    groups: dict[str, float] = {}
    for code, p in probabilities.items():
        groups[group_of(code)] = groups.get(group_of(code), 0.0) + p
    scored = []
    for position, (choice_id, choice_text, choice_code) in enumerate(choices):
        other = analyse(choice_text or "", lang)
        if choice_code not in CODES or choice_code == OTHER:
            choice_code = _code(other)[0].main
        if coding.main == SILENCE:
            score = 1.0 if choice_code == SILENCE else 0.0
        else:
            score = (CODE_WEIGHT * probabilities.get(choice_code, 0.0)
                     + GROUP_WEIGHT * groups.get(group_of(choice_code), 0.0)
                     + WORDS_WEIGHT * _similarity(reply, other))
        scored.append((choice_id, round(score, 4), position))
    scored.sort(key=lambda item: (-item[1], item[2]))
    return [(choice_id, score) for choice_id, score, _ in scored]

