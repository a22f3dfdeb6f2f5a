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


def group_of(code: str | None) -> str:
    return CODES.get(code or OTHER, CODES[OTHER])[0]


def code_name(code: str, lang: str) -> str:
    entry = CODES.get(code, CODES[OTHER])
    return entry[2] if lang == "fi" else entry[1]


def group_name(group: str, lang: str) -> str:
    entry = GROUPS.get(group, GROUPS["other"])
    return entry[1] if lang == "fi" else entry[0]
