"""Text variables and conditional fragments inside a scenario's texts, safe by construction.

    "Welcome to {company}, {customer}."                  a variable: `texts:`, a flag, a counter, a mood value
    "{apologies > 1: Sorry again. | Sorry.} Let's look."  a fragment chosen by a condition (the second is optional)
    "{{" and "}}" write a brace.

Nothing in a text is ever run: a fragment's condition is the condition language of `if:` (parsed with
`ast`, whitelisted), and a variable is only looked up. Templates are parsed once per distinct text.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from game.scenario.conditions import Condition, ConditionError, compile_condition


class TemplateError(ValueError):
    def __init__(self, reason: str, reason_fi: str, fix: str | None = None):
        super().__init__(reason)
        self.reason, self.reason_fi, self.fix = reason, reason_fi, fix


@dataclass(frozen=True)
class Part:
    text: str = ""  # literal text
    name: str | None = None  # {name}
    condition: Condition | None = None  # {condition: yes | no}
    yes: str = ""
    no: str = ""


@dataclass(frozen=True)
class Template:
    parts: tuple[Part, ...]

    @property
    def names(self) -> frozenset[str]:
        found = set()
        for part in self.parts:
            if part.name:
                found.add(part.name)
            if part.condition is not None:
                found |= part.condition.names
        return frozenset(found)

    def render(self, variables: dict) -> str:
        out = []
        for part in self.parts:
            if part.name is not None:
                value = variables.get(part.name, "")
                out.append(str(value).lower() if isinstance(value, bool) else str(value))
            elif part.condition is not None:
                out.append(part.yes if part.condition(variables) else part.no)
            else:
                out.append(part.text)
        return "".join(out)


def has_template(text: str) -> bool:
    return "{" in text or "}" in text


@lru_cache(maxsize=4096)
def parse(text: str) -> Template:
    """Parse a text into literal parts, variables and fragments; raises TemplateError."""
    parts: list[Part] = []
    literal: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if text.startswith("{{", index) or text.startswith("}}", index):
            literal.append(char)
            index += 2
            continue
        if char == "}":
            raise TemplateError("a '}' without its '{' (write }} for a brace)", "'}' ilman '{'-merkkiä (aaltosulje kirjoitetaan }})")
        if char != "{":
            literal.append(char)
            index += 1
            continue
        end = text.find("}", index + 1)
        inner = text[index + 1:end] if end != -1 else ""
        if end == -1 or "{" in inner:
            raise TemplateError("a '{' is not closed with '}' (write {{ for a brace)",
                                "'{' jää sulkematta '}'-merkillä (aaltosulje kirjoitetaan {{)")
        if literal:
            parts.append(Part(text="".join(literal)))
            literal = []
        parts.append(_part(inner))
        index = end + 1
    if literal:
        parts.append(Part(text="".join(literal)))
    return Template(tuple(parts))


def _part(inner: str) -> Part:
    if ":" not in inner:
        name = inner.strip()
        if not name.isidentifier():
            raise TemplateError(f"'{{{inner}}}' is not a variable name", f"'{{{inner}}}' ei ole muuttujan nimi")
        return Part(name=name)
    source, _, choices = inner.partition(":")
    yes, _, no = choices.partition("|")
    try:
        condition = compile_condition(source.strip())
    except ConditionError as error:
        raise TemplateError(f"the condition '{source.strip()}' cannot be used: {error.reason}",
                            f"ehtoa '{source.strip()}' ei voi käyttää: {error.reason_fi}", error.fix) from None
    return Part(condition=condition, yes=yes.strip(), no=no.strip())


def needs_rendering(text) -> bool:
    """Whether a Text has anything to fill in (most texts have not: they are returned as they are)."""
    if text is None:
        return False
    if isinstance(text, str):
        return "{" in text or "}" in text
    return any(isinstance(value, str) and ("{" in value or "}" in value) for value in text.values())


def render_text(text, variables: dict, texts=None, languages=("en",)):
    """A Text (a str or a {lang: str} mapping) with its variables and fragments filled in; `texts` are the
    scenario's text variables (each a Text), filled in in the language being rendered."""
    if text is None:
        return None
    if isinstance(text, str):
        if not has_template(text):
            return text
        text = {lang: text for lang in languages}
    elif not any(isinstance(value, str) and has_template(value) for value in text.values()):
        return text

    def in_language(lang):
        if not texts:
            return variables
        return {**variables, **{name: _pick(value, lang) for name, value in texts.items()}}
    return {lang: parse(value).render(in_language(lang)) if has_template(value) else value
            for lang, value in text.items()}


def _pick(value, lang):
    if isinstance(value, str):
        return value
    return value.get(lang) or next(iter(value.values()), "")
