"""Upgrading a format-1 scenario to format 2, keeping the trainer's comments and layout.

Reading stays with the safe reader (the loader works out each answer's main code from its tags);
only writing goes through `ruamel.yaml`'s round-trip mode, which keeps comments, key order and
quoting. The result is checked by the loader before anything is written: a file is upgraded whole,
or not at all.
"""

from __future__ import annotations

import io
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from game.scenario.loader import load_scenario

# An answer without tags earned nothing in format 1; the neutral code earns nothing in format 2 either.
NEUTRAL_CODE = "give_information"


@dataclass
class Migration:
    path: Path
    text: str | None = None  # the upgraded file, when it could be made
    changed: list[tuple[str, str, str]] = field(default_factory=list)  # (node, choice, code given)
    uncoded: list[tuple[str, str]] = field(default_factory=list)  # answers no tag gave a code: given NEUTRAL_CODE
    already: bool = False  # the file is format 2 already
    problems: list = field(default_factory=list)  # diagnostics that stop the upgrade


def _deciding_tag(rubric, tags, code) -> str | None:
    """The tag that gave the answer its code, when `code:` now says all it said (it is then dropped from
    `tags:`); a tag that also raises the ECCS level, such as `explores`, stays."""
    level = rubric.codes[code].eccs if code in rubric.codes else None
    for tag in tags:
        entry = rubric.tags.get(tag)
        if entry is None or entry.code != code:
            continue
        if entry.eccs is None or (level is not None and entry.eccs <= level):
            return tag
    return None


def migrate_text(path: str | Path) -> Migration:
    from ruamel.yaml import YAML

    path = Path(path)
    migration = Migration(path)
    result = load_scenario(path)
    if result.errors:
        migration.problems = result.errors
        return migration
    scenario = result.scenario
    if scenario.format >= 2:
        migration.already = True
        return migration
    yaml = YAML()  # round trip: comments, order and quotes kept
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a trainer's lines
    yaml.indent(mapping=2, sequence=4, offset=2)
    document = yaml.load(path.read_text(encoding="utf-8"))
    document["format"] = 2
    for raw_node in document.get("nodes", []):
        node = scenario.nodes[raw_node["id"]]
        for raw_choice in raw_node.get("choices", []) or []:
            choice = node.choice(raw_choice["id"])
            code = choice.code
            if code is None:
                migration.uncoded.append((node.id, choice.id))
                code = NEUTRAL_CODE
            keys = list(raw_choice.keys())
            position = keys.index("text") + 1 if "text" in keys else len(keys)
            raw_choice.insert(position, "code", code)
            tags = raw_choice.get("tags")
            if tags is not None and choice.code is not None:
                dropped = _deciding_tag(scenario.rubric, list(tags), choice.code)
                if dropped is not None:
                    tags.remove(dropped)
                if not tags:
                    del raw_choice["tags"]
            migration.changed.append((node.id, choice.id, code))
    out = io.StringIO()
    yaml.dump(document, out)
    migration.text = out.getvalue()
    return migration


@dataclass
class RubricMigration:
    path: Path
    text: str | None = None  # the upgraded file, when it could be made
    changed: list[tuple[str, str]] = field(default_factory=list)  # (tag, code given)
    uncoded: list[str] = field(default_factory=list)  # tags the shipped rubric does not know: no code to give
    already: bool = False  # the rubric is format 2 already, every tag with its code
    problems: list = field(default_factory=list)  # diagnostics that stop the upgrade


def migrate_rubric_text(path: str | Path) -> RubricMigration:
    """A format-1 rubric (tags with an axis and a weight, no codes) upgraded to format 2: `format: 2`, and on each
    tag the `code:` it already scores with (the shipped rubric's tag of the same name). It keeps scoring with the
    shipped codes, as before; `axis`, `weight` and `miti` stay, and score nothing, as in format 1 read today."""
    from ruamel.yaml import YAML

    from game.paths import SHIPPED_RUBRIC
    from game.scenario.diagnostics import DiagnosticError
    from game.scenario.rubric import load_rubric

    path = Path(path)
    migration = RubricMigration(path)
    try:
        rubric = load_rubric(path)
    except DiagnosticError as error:
        migration.problems = error.diagnostics
        return migration
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    document = yaml.load(path.read_text(encoding="utf-8"))
    own_codes = "codes" in document
    shipped = None if own_codes else load_rubric(SHIPPED_RUBRIC)
    for name, entry in document["tags"].items():
        if entry.get("code") is not None:
            continue
        code = rubric.tags[name].code
        if code is None or (shipped is not None and code not in shipped.codes):
            if not own_codes:
                migration.uncoded.append(name)
            continue
        keys = list(entry.keys())
        position = keys.index("framework") if "framework" in keys else len(keys)
        entry.insert(position, "code", code)
        migration.changed.append((name, code))
    if document.get("format") == 2 and not migration.changed:
        migration.already = True
        return migration
    document["format"] = 2
    out = io.StringIO()
    yaml.dump(document, out)
    migration.text = out.getvalue()
    return migration


def rubric_replace_if_it_loads(path: Path, text: str) -> list:
    """Write `text` over the rubric at `path` only if it loads without errors; returns the errors that stopped it."""
    from game.scenario.diagnostics import DiagnosticError
    from game.scenario.rubric import load_rubric

    def errors_of(written: str) -> list:
        try:
            load_rubric(written)
        except DiagnosticError as error:
            return error.diagnostics
        return []

    return _replace_if(path, text, errors_of)


def replace_if_it_loads(path: Path, text: str, allowed: frozenset[str] = frozenset()) -> list:
    """Write `text` over the scenario at `path` only if it loads without errors (other than the `allowed` codes);
    returns the errors that stopped it."""
    return _replace_if(path, text, lambda written: [d for d in load_scenario(written).errors if d.code not in allowed])


def _replace_if(path: Path, text: str, errors_of) -> list:
    """Write `text` beside the file at `path` and rename it over the file only if `errors_of(that copy)` finds none:
    all or nothing. Returns the errors that stopped it."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".yaml", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        errors = errors_of(temporary)
        if errors:
            return errors
        os.replace(temporary, path)
        temporary = None
        return []
    finally:
        if temporary is not None:
            try:
                os.unlink(temporary)
            except OSError:
                pass


def check_and_write(migration: Migration) -> list:
    """Write the upgraded file in place if it loads without errors (returns the errors otherwise)."""
    return replace_if_it_loads(migration.path, migration.text)
