"""Translators' tables: a scenario's texts out to a gettext PO file, and translations back in.

Every text is keyed by where it lives, in the trainer's own IDs (`start.line`, `start.notice_glare.text`,
`start.variants.1.line`, `customer.situation`, `traits.guarded.label`), which is the PO entry's `msgctxt`;
the source text (the scenario's first language) is the `msgid`, the translation the `msgstr`, and the YAML
comments written just above the node or choice are the translator's notes (`#.`). Reading uses the safe
loader; writing back goes through `ruamel.yaml`'s round trip, so comments and layout are kept, and a file is
written only when the whole import is valid and the result still loads without errors.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from game.scenario.diagnostics import Diagnostic

SCENARIO_HEADER = "X-Kuule-Scenario"
NODE_FIELDS = ("line", "cue", "thought", "opportunity")
CHOICE_FIELDS = ("text", "feedback")
VARIANT_FIELDS = ("line", "cue", "thought", "title", "summary")


@dataclass
class Entry:
    context: str  # where the text lives, in the trainer's IDs
    path: tuple  # keys and indexes from the document's root to the text
    text: object  # a str (the same in every language) or a {lang: str} mapping
    notes: str = ""
    line: int = 0


# A table can be made and brought in while translations are missing: that is what it is for.
TRANSLATION_CODES = {"KU014", "KU015"}


def usable(diagnostics) -> bool:
    """Whether a scenario's only errors (if any) are missing translations."""
    return all(d.code in TRANSLATION_CODES for d in diagnostics if d.is_error)


def entries(path: str | Path, document) -> list[Entry]:
    """Every translatable text of a scenario, in file order, from its safely loaded document."""
    found: list[Entry] = []

    def add(context, path, container, key, line=0, notes=""):
        if key in container and container[key] is not None:
            found.append(Entry(context, path + (key,), container[key], notes, line))

    for key in ("title", "description"):
        add(key, (), document, key)
    customer = document.get("customer", {})
    for key in ("name", "situation", "hidden"):
        add(f"customer.{key}", ("customer",), customer, key)
    for kind in ("traits", "stakes"):
        for name, entry in (document.get(kind) or {}).items():
            for key in ("label", "hidden"):
                add(f"{kind}.{name}.{key}", (kind, name), entry, key)
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    for n, node in enumerate(document.get("nodes", [])):
        node_id = node["id"]
        notes = _comments_above(lines, node.pos[0])
        for key in NODE_FIELDS:
            add(f"{node_id}.{key}", ("nodes", n), node, key, node.pos[0], notes)
        for v, variant in enumerate(node.get("variants", []) or [], 1):
            for key in VARIANT_FIELDS:
                add(f"{node_id}.variants.{v}.{key}", ("nodes", n, "variants", v - 1), variant, key, variant.pos[0])
        ending = node.get("ending")
        if ending:
            for key in ("title", "summary"):
                add(f"{node_id}.ending.{key}", ("nodes", n, "ending"), ending, key, ending.pos[0])
        for c, choice in enumerate(node.get("choices", []) or []):
            choice_notes = _comments_above(lines, choice.pos[0])
            for key in CHOICE_FIELDS:
                add(f"{node_id}.{choice['id']}.{key}", ("nodes", n, "choices", c), choice, key, choice.pos[0],
                    choice_notes)
    return found


def _comments_above(lines: list[str], line: int) -> str:
    """The comment lines written just above a line of the file (the trainer's notes for a translator)."""
    notes = []
    index = line - 2
    while index >= 0 and lines[index].strip().startswith("#"):
        text = lines[index].strip().lstrip("#").strip().strip("-=~* ")  # rulers are layout, not notes
        if text:
            notes.append(text)
        index -= 1
    return "\n".join(reversed(notes))


def _text_in(value, lang: str) -> str:
    if isinstance(value, str):
        return value
    return value.get(lang, "") if hasattr(value, "get") else ""


def export_po(path: str | Path, document, lang: str, source: str):
    """A polib.POFile with every text: msgid in the source language, msgstr in `lang` (empty if missing)."""
    import polib

    scenario_id = document["id"]
    po = polib.POFile(wrapwidth=0)
    po.metadata = {"Project-Id-Version": f"kuule {scenario_id}", "Language": lang, "MIME-Version": "1.0",
                   "Content-Type": "text/plain; charset=UTF-8", "Content-Transfer-Encoding": "8bit",
                   SCENARIO_HEADER: scenario_id, "X-Kuule-Source-Language": source}
    for entry in entries(path, document):
        original = _text_in(entry.text, source)
        if not original:
            continue
        translated = _text_in(entry.text, lang)  # a plain string serves every language: it is its own translation
        po.append(polib.POEntry(msgctxt=entry.context, msgid=original, msgstr=translated, comment=entry.notes,
                                occurrences=[(Path(path).name, str(entry.line))] if entry.line else []))
    return po


@dataclass
class Import:
    scenario_path: Path
    lang: str = ""
    text: str | None = None  # the scenario with the translations in, when the import is valid
    changed: int = 0
    skipped_fuzzy: list[str] = field(default_factory=list)
    untranslated: list[str] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)


def read_po(po_path: Path, file: str) -> tuple[object | None, list[Diagnostic]]:
    import polib

    if not po_path.is_file():
        return None, [Diagnostic("KU001", file, params={"reason": "not a readable file"})]
    try:
        return polib.pofile(str(po_path), wrapwidth=0), []
    except UnicodeDecodeError:
        return None, [Diagnostic("KU003", file, 1, 1, hint=("encoding", {}))]
    except Exception as error:  # polib raises OSError "Syntax error in po file … (line N)"
        message = str(error).replace(f" {po_path}", "")
        line = 1
        if "(line " in message:
            try:
                line = int(message.rsplit("(line ", 1)[1].split(")")[0])
            except ValueError:
                pass
        return None, [Diagnostic("KU081", file, line, 1, {"problem": message.split(" (line")[0]}, ("po_syntax", {}))]


def import_po(po_path: str | Path, scenario_path: str | Path, display: str | None = None) -> Import:
    """Check a PO file against its scenario and make the translated scenario text (nothing is written)."""
    from ruamel.yaml import YAML

    from game.scenario.loader import load_scenario
    from game.scenario.safe_yaml import read_file

    po_path, scenario_path = Path(po_path), Path(scenario_path)
    file = display or str(po_path)
    result = Import(scenario_path)
    po, problems = read_po(po_path, file)
    if po is None:
        result.problems = problems
        return result
    if not usable(load_scenario(scenario_path).diagnostics):
        result.problems = [Diagnostic("KU071", file, 1, 1, {"name": str(scenario_path)},
                                      ("validate_it", {"name": str(scenario_path)}))]
        return result
    document = read_file(scenario_path)
    languages = list(document["languages"])
    owner = po.metadata.get(SCENARIO_HEADER)
    if owner != document["id"]:
        result.problems = [Diagnostic("KU082", file, 1, 1, {"owner": owner or "-", "id": document["id"]},
                                      ("po_owner", {}))]
        return result
    lang = po.metadata.get("Language", "")
    if lang not in languages:
        result.problems = [Diagnostic("KU083", file, 1, 1, {"lang": lang or "-"},
                                      ("declare_language", {"lang": lang or "xx"}))]
        return result
    result.lang = lang
    source = po.metadata.get("X-Kuule-Source-Language") or languages[0]
    known = {entry.context: entry for entry in entries(scenario_path, document)}
    wanted = []
    for item in po:
        where = item.linenum or 1
        entry = known.get(item.msgctxt)
        if entry is None:
            from game.scenario.diagnostics import suggest

            result.problems.append(Diagnostic("KU084", file, where, 1, {"context": item.msgctxt or "-"},
                                              suggest(item.msgctxt or "", known)))
            continue
        if item.obsolete:
            continue
        if "fuzzy" in item.flags:
            result.skipped_fuzzy.append(item.msgctxt)
            continue
        if not item.msgstr:
            result.untranslated.append(item.msgctxt)
            continue
        if _text_in(entry.text, source) != item.msgid:
            result.problems.append(Diagnostic("KU085", file, where, 1, {"context": item.msgctxt}, ("po_export_again", {})))
            continue
        wanted.append((entry, item.msgstr))
    if result.problems:
        return result
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    document = yaml.load(scenario_path.read_text(encoding="utf-8"))
    for entry, translation in wanted:
        container = document
        for key in entry.path[:-1]:
            container = container[key]
        key = entry.path[-1]
        value = container[key]
        if isinstance(value, str):  # one text for every language until now: keep it as the source's
            if value == translation:
                continue
            from ruamel.yaml.comments import CommentedMap

            mapping = CommentedMap()
            mapping[source] = value
            mapping[lang] = translation
            if len(value) + len(translation) < 80:
                mapping.fa.set_flow_style()  # short texts stay on one line, as trainers write them
            container[key] = mapping
            result.changed += 1
        elif value.get(lang) != translation:
            value[lang] = translation
            result.changed += 1
    out = io.StringIO()
    yaml.dump(document, out)
    result.text = out.getvalue()
    return result


def write_checked(result: Import) -> list[Diagnostic]:
    """Write the translated scenario in place if it loads without errors; otherwise write nothing."""
    from game.scenario.migrate import replace_if_it_loads

    # still-missing languages are fine: a table may bring in one language of several
    return replace_if_it_loads(result.scenario_path, result.text, frozenset(TRANSLATION_CODES))


def scenario_for(po_path: Path, scenario_id: str | None) -> Path | None:
    """The scenario a table was made from: `ID.yaml` beside it, else the shipped one of that ID."""
    from game.paths import SCENARIOS_DIR

    if not scenario_id:
        return None
    for candidate in (po_path.with_name(f"{scenario_id}.yaml"), SCENARIOS_DIR / f"{scenario_id}.yaml"):
        if candidate.is_file():
            return candidate
    return None


def check_po(po_path: str | Path, display: str | None = None) -> tuple[list[Diagnostic], list[Path]]:
    """`validate` of a PO table: what would stop an import, and every text not translated yet or marked fuzzy."""
    po_path = Path(po_path)
    file = display or str(po_path)
    po, problems = read_po(po_path, file)
    if po is None:
        return problems, [po_path]
    scenario_path = scenario_for(po_path, po.metadata.get(SCENARIO_HEADER))
    if scenario_path is None:
        return [Diagnostic("KU088", file, 1, 1, {"name": po.metadata.get(SCENARIO_HEADER) or "-"},
                           ("po_beside", {}))], [po_path]
    result = import_po(po_path, scenario_path, file)
    found = list(result.problems)
    by_context = {item.msgctxt: item.linenum or 1 for item in po}
    found += [Diagnostic("KU086", file, by_context.get(c, 1), 1, {"context": c}) for c in result.untranslated]
    found += [Diagnostic("KU087", file, by_context.get(c, 1), 1, {"context": c}) for c in result.skipped_fuzzy]
    return found, [po_path, scenario_path]
