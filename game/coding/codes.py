"""The behaviour codes a reply is coded with, the coach's group of each, and their names in both languages.

The set is the scoring model's (MITI 4.2.1-style codes and the articles' anti-patterns); `other` is the
coder's own, for text it cannot code. Nothing here loads a model: the table is cheap to import.
"""

from __future__ import annotations

OTHER = "other"
SILENCE = "attentive_silence"

# code -> (group, English name, Finnish name)
CODES: dict[str, tuple[str, str, str]] = {
    "open_question": ("question", "open question", "avoin kysymys"),
    "closed_question": ("question", "closed question", "suljettu kysymys"),
    "simple_reflection": ("reflection", "simple reflection", "yksinkertainen heijastus"),
    "complex_reflection": ("reflection", "complex reflection", "syventävä heijastus"),
    "summary": ("reflection", "summary", "yhteenveto"),
    "attentive_silence": ("support", "attentive silence", "kuunteleva hiljaisuus"),
    "affirm": ("support", "affirming", "vahvistaminen"),
    "validate": ("support", "validating", "kokemuksen hyväksyminen"),
    "apologise": ("support", "apology", "anteeksipyyntö"),
    "seek_collaboration": ("support", "working it out together", "yhdessä ratkaiseminen"),
    "emphasise_autonomy": ("support", "the choice is theirs", "valinta on asiakkaan"),
    "give_information": ("information", "giving information", "tiedon antaminen"),
    "advise_early": ("roadblock", "advice before listening", "neuvominen ennen kuuntelemista"),
    "lecture": ("roadblock", "lecturing", "luennointi"),
    "blame": ("roadblock", "blaming", "syyttely"),
    "minimise": ("roadblock", "minimising, false reassurance", "vähättely, tyhjä rauhoittelu"),
    "jargon": ("roadblock", "jargon and process words", "ammattikieli ja prosessisanat"),
    "order": ("roadblock", "ordering", "käskeminen"),
    "interrupt": ("roadblock", "cutting in", "keskeyttäminen"),
    "scripted_empathy": ("roadblock", "scripted empathy", "kaavamainen empatia"),
    "false_promise": ("roadblock", "false promise", "katteeton lupaus"),
    OTHER: ("other", "not codable", "ei koodattavissa"),
}

GROUPS: dict[str, tuple[str, str]] = {
    "question": ("question", "kysymys"),
    "reflection": ("reflection", "heijastus"),
    "support": ("support", "tuki"),
    "roadblock": ("roadblock", "tiesulku"),
    "information": ("information", "tieto"),
    "other": ("other", "muu"),
}

# A format-1 choice has tags, not a code: its main code is read from its tags, a harmful tag first
# (one roadblock outweighs the kind words around it), then the most specific listening move.
_TAG_ORDER = (
    ("cuts_in", "interrupt"), ("false_promise", "false_promise"), ("blames", "blame"), ("lectures", "lecture"),
    ("hides_behind_process", "jargon"), ("dismisses", "minimise"), ("scripted_sympathy", "scripted_empathy"),
    ("fake_listening", "scripted_empathy"), ("righting_reflex", "advise_early"),
    ("let_them_finish", "attentive_silence"), ("summarises", "summary"), ("complex_reflection", "complex_reflection"),
    ("names_emotion", "complex_reflection"), ("notices_cue", "complex_reflection"),
    ("simple_reflection", "simple_reflection"), ("sincere_apology", "apologise"),
    ("plans_together", "seek_collaboration"), ("respects", "emphasise_autonomy"), ("affirms", "affirm"),
    ("validates", "validate"), ("supports", "validate"), ("open_question", "open_question"),
    ("explores", "open_question"), ("closed_question", "closed_question"), ("own_limits", "give_information"),
)


def group_of(code: str | None) -> str:
    return CODES.get(code or OTHER, CODES[OTHER])[0]


def code_name(code: str, lang: str) -> str:
    entry = CODES.get(code, CODES[OTHER])
    return entry[2] if lang == "fi" else entry[1]


def group_name(group: str, lang: str) -> str:
    entry = GROUPS.get(group, GROUPS["other"])
    return entry[1] if lang == "fi" else entry[0]


def code_for_tags(tags) -> str | None:
    """The main code of an answer that carries only tags (format 1); None when no tag says."""
    tags = set(tags or ())
    for tag, code in _TAG_ORDER:
        if tag in tags:
            return code
    return None
