"""Diagnostics: every problem found in a trainer's file, as data.

A diagnostic has a stable code (KU001…), a severity, a place (file, line,
column, all 1-based) and a message with an optional hint, both available in
English and Finnish. The catalogue below is the single list of codes; the
authoring guide lists the same codes and a test keeps the two in step.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

ERROR = "error"
WARNING = "warning"

SEVERITY_WORDS = {ERROR: ("error", "virhe"), WARNING: ("warning", "varoitus")}

# code: (severity, English message, Finnish message). Messages are str.format templates.
CATALOGUE: dict[str, tuple[str, str, str]] = {
    # Reading the file
    "KU001": (ERROR, "cannot read the file: {reason}", "tiedostoa ei voi lukea: {reason}"),
    "KU002": (ERROR, "the file is {size} bytes; the limit is {limit} bytes",
              "tiedostossa on {size} tavua; raja on {limit} tavua"),
    "KU003": (ERROR, "the file is not valid UTF-8 text", "tiedosto ei ole kelvollista UTF-8-tekstiä"),
    "KU004": (ERROR, "YAML syntax error: {problem}", "YAML-syntaksivirhe: {problem}"),
    "KU005": (ERROR, "anchors and aliases (&name, *name) are not allowed",
              "ankkurit ja viittaukset (&nimi, *nimi) eivät ole sallittuja"),
    "KU006": (ERROR, "nesting is deeper than {limit} levels", "sisäkkäisyyttä on yli {limit} tasoa"),
    "KU007": (ERROR, "duplicate key '{key}' (first at line {first_line})",
              "avain '{key}' on kahdesti (ensin rivillä {first_line})"),
    "KU008": (ERROR, "YAML tags such as '{tag}' are not allowed", "YAML-tagit, kuten '{tag}', eivät ole sallittuja"),
    "KU009": (ERROR, "{what}", "{what_fi}"),
    # Structure (from the JSON Schema)
    "KU010": (ERROR, "unknown field '{name}' in {where}", "tuntematon kenttä '{name}' kohdassa {where}"),
    "KU011": (ERROR, "{where} is missing the required field '{name}'",
              "kohdasta {where} puuttuu pakollinen kenttä '{name}'"),
    "KU012": (ERROR, "{where} should be {expected}, not {found}",
              "kohdan {where} pitäisi olla {expected_fi}, ei {found_fi}"),
    "KU013": (ERROR, "{where}: {value} is not allowed here", "{where}: {value} ei käy tähän"),
    "KU014": (ERROR, "{where} has no '{lang}' text, but the scenario declares that language",
              "kohdasta {where} puuttuu kieli '{lang}', vaikka skenaario lupaa sen"),
    "KU015": (WARNING, "{where} has text in '{lang}', which the scenario does not declare",
              "kohdassa {where} on tekstiä kielellä '{lang}', jota skenaario ei ilmoita"),
    # IDs and targets
    "KU020": (ERROR, "duplicate node ID '{id}' (first at line {first_line})",
              "solmun tunnus '{id}' on kahdesti (ensin rivillä {first_line})"),
    "KU021": (ERROR, "duplicate choice ID '{id}' in node '{node}' (first at line {first_line})",
              "valinnan tunnus '{id}' on kahdesti solmussa '{node}' (ensin rivillä {first_line})"),
    "KU022": (ERROR, "'{target}' is not a node in this scenario", "'{target}' ei ole tämän skenaarion solmu"),
    "KU023": (ERROR, "the start node '{target}' does not exist", "aloitussolmua '{target}' ei ole"),
    "KU024": (WARNING, "node '{id}' can never be reached from the start",
              "solmuun '{id}' ei pääse koskaan alusta"),
    "KU025": (ERROR, "node '{id}' is not an ending but has no choices and no branches: the conversation would stop here",
              "solmu '{id}' ei ole loppu, mutta siinä ei ole valintoja eikä haaroja: keskustelu jäisi tähän"),
    "KU026": (WARNING, "in node '{id}' every choice can be unavailable, and nothing else leads on",
              "solmussa '{id}' jokainen valinta voi olla pois käytöstä, eikä mikään muu vie eteenpäin"),
    "KU027": (ERROR, "ending '{id}' has choices; an ending closes the conversation",
              "lopussa '{id}' on valintoja; loppu päättää keskustelun"),
    "KU028": (ERROR, "no ending can be reached from node '{id}': the conversation could go round for ever",
              "solmusta '{id}' ei pääse mihinkään loppuun: keskustelu voisi kiertää loputtomiin"),
    "KU029": (ERROR, "the scenario has no ending", "skenaariossa ei ole yhtään loppua"),
    "KU036": (WARNING, "node '{id}' has no `{field}`; trainees learn from every customer line having one",
              "solmusta '{id}' puuttuu `{field}`; harjoittelija oppii, kun jokaisella asiakkaan repliikillä on sellainen"),
    # Tags, conditions, mood
    "KU030": (ERROR, "unknown rubric tag '{tag}'", "tuntematon arviointitagi '{tag}'"),
    "KU031": (ERROR, "the condition '{expr}' does not parse: {reason}", "ehto '{expr}' ei ole kelvollinen: {reason_fi}"),
    "KU032": (ERROR, "the condition '{expr}' names an unknown variable '{name}'",
              "ehto '{expr}' viittaa tuntemattomaan muuttujaan '{name}'"),
    "KU033": (ERROR, "'{name}' is not a mood dimension or flag of this scenario",
              "'{name}' ei ole tämän skenaarion tunnetila eikä lippu"),
    "KU034": (WARNING, "choice '{id}' answers an empathic opportunity but has no ECCS level (from `eccs:` or a tag)",
              "valinta '{id}' vastaa empatian paikkaan, mutta sillä ei ole ECCS-tasoa (kentästä `eccs:` tai tagista)"),
    # Rubric file
    "KU040": (ERROR, "the rubric cannot be used: {reason}", "arviointiohjetta ei voi käyttää: {reason}"),
    # Command line
    "KU050": (ERROR, "no scenario files found in {path}", "polusta {path} ei löytynyt skenaariotiedostoja"),
}

HINTS: dict[str, tuple[str, str]] = {
    "did_you_mean": ("did you mean '{name}'?", "tarkoititko '{name}'?"),
    "allowed": ("allowed here: {names}", "sallitut: {names}"),
    "quote": ("put the text in quotes, e.g. \"{value}\"", "laita teksti lainausmerkkeihin, esim. \"{value}\""),
    "no_anchors": ("write the value out in full where it is needed", "kirjoita arvo auki joka kohtaan, jossa sitä tarvitaan"),
    "no_tags": ("remove the tag; quote the value if you mean text", "poista tagi; laita arvo lainausmerkkeihin, jos tarkoitat tekstiä"),
    "flatten": ("a scenario never needs this much nesting; is an indentation or bracket off?",
                "skenaario ei tarvitse näin syvää sisäkkäisyyttä; onko sisennys tai sulku pielessä?"),
    "split": ("split the scenario into smaller files", "jaa skenaario pienempiin tiedostoihin"),
    "encoding": ("save the file as UTF-8 in your editor", "tallenna tiedosto editorissa UTF-8-muodossa"),
    "add_language": ("add '{lang}: …' to this text, or remove '{lang}' from `languages`",
                     "lisää tähän tekstiin '{lang}: …' tai poista '{lang}' kentästä `languages`"),
    "declare_language": ("add '{lang}' to `languages`, or remove this text",
                         "lisää '{lang}' kenttään `languages` tai poista tämä teksti"),
    "rename": ("give each one its own ID", "anna jokaiselle oma tunnus"),
    "add_way_out": ("add a choice, a branch, or an `ending:`", "lisää valinta, haara tai `ending:`"),
    "add_fallback": ("add one choice without `if:` or `once:`", "lisää yksi valinta ilman kenttiä `if:` ja `once:`"),
    "link_it": ("add a choice or branch that goes to it, or remove it",
                "lisää valinta tai haara, joka vie siihen, tai poista se"),
    "add_exit": ("add a choice or branch from this loop to an ending", "lisää tästä silmukasta valinta tai haara johonkin loppuun"),
    "add_ending": ("add a node with `ending:`", "lisää solmu, jossa on `ending:`"),
    "move_choices": ("remove the choices, or remove `ending:` to make it a normal node",
                     "poista valinnat tai poista `ending:`, jolloin solmu on tavallinen"),
    "add_field": ("add `{field}:` to the node", "lisää solmuun `{field}:`"),
    "yaml_syntax": ("check the indentation and quotes here; put text that contains : # ? , [ ] {{ }} in quotes",
                    "tarkista sisennys ja lainausmerkit tästä kohdasta; laita lainausmerkkeihin teksti, jossa on : # ? , [ ] {{ }}"),
    "known_names": ("known names: {names}", "tunnetut nimet: {names}"),
    "condition_syntax": ("conditions use names, numbers, true/false, comparisons, and/or/not, + and -",
                         "ehdoissa käytetään nimiä, lukuja, true/false, vertailuja, and/or/not sekä + ja -"),
    "add_eccs": ("add `eccs: 0…6` to the choice or give it a tag with a level",
                 "lisää valinnalle `eccs: 0…6` tai anna sille tagi, jolla on taso"),
    "schema_hint": ("{en}", "{fi}"),
}


@dataclass(frozen=True)
class Diagnostic:
    code: str
    file: str
    line: int = 1
    col: int = 1
    params: dict = field(default_factory=dict, hash=False, compare=False)
    hint: tuple[str, dict] | None = field(default=None, hash=False, compare=False)

    @property
    def severity(self) -> str:
        return CATALOGUE[self.code][0]

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def message(self, lang: str = "en") -> str:
        _, english, finnish = CATALOGUE[self.code]
        values = {key: value for key, value in self.params.items()}
        for key in ("expected", "found", "reason", "what"):
            values.setdefault(key + "_fi", values.get(key, ""))
        return (finnish if lang == "fi" else english).format(**values)

    def hint_text(self, lang: str = "en") -> str:
        if not self.hint:
            return ""
        key, values = self.hint
        english, finnish = HINTS[key]
        return (finnish if lang == "fi" else english).format(**values)

    def format(self, lang: str = "en") -> str:
        word = SEVERITY_WORDS[self.severity][1 if lang == "fi" else 0]
        text = f"{self.file}:{self.line}:{self.col}: {word} {self.code}: {self.message(lang)}"
        hint = self.hint_text(lang)
        if hint:
            text += f"\n    {'vihje' if lang == 'fi' else 'hint'}: {hint}"
        return text

    def as_json(self, lang: str = "en") -> dict:
        return {
            "file": self.file, "line": self.line, "column": self.col, "severity": self.severity,
            "code": self.code, "message": self.message(lang), "hint": self.hint_text(lang) or None,
        }


class DiagnosticError(Exception):
    """Raised when a file cannot be used; carries everything that was found wrong."""

    def __init__(self, diagnostics: Sequence[Diagnostic]):
        self.diagnostics = list(diagnostics)
        super().__init__(f"{len(self.diagnostics)} problem(s)")

    def __str__(self) -> str:
        return "\n".join(d.format() for d in self.diagnostics)


def suggest(name: str, known: Iterable[str]) -> tuple[str, dict] | None:
    """A 'did you mean' hint for a misspelt name, or a list of the few allowed ones."""
    known = sorted(set(known))
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    if close:
        return ("did_you_mean", {"name": close[0]})
    if 0 < len(known) <= 12:
        return ("allowed", {"names": ", ".join(known)})
    return None


def sort_key(d: Diagnostic):
    return (d.file, d.line, d.col, d.code)


def to_json(diagnostics: Iterable[Diagnostic], lang: str = "en") -> str:
    return json.dumps([d.as_json(lang) for d in diagnostics], ensure_ascii=False, indent=2)
