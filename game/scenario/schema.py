"""Checking documents against the shipped JSON Schemas.

The schema files in scenarios/ are the one definition of each format: editors
read them for completion, and this module reads the very same files to check a
document. It understands the subset of JSON Schema those files use (listed in
KEYWORDS; a test keeps the schemas inside it), and turns each failure into a
located diagnostic with a hint, which a general validator cannot do.

`oneOf` is read in the way our schemas use it: the alternatives differ by type,
so the one whose type fits the value is the one that is checked.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from game.scenario.diagnostics import Diagnostic, suggest
from game.scenario.safe_yaml import Map, Seq, position_of

VALIDATING = {
    "$ref", "type", "properties", "required", "additionalProperties", "propertyNames", "enum", "const",
    "pattern", "minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems", "minProperties",
    "maxProperties", "uniqueItems", "items", "oneOf",
}
ANNOTATIONS = {"$schema", "$id", "$defs", "title", "description", "default", "examples", "x-hint", "x-name"}
KEYWORDS = VALIDATING | ANNOTATIONS

TYPE_NAMES = {
    "string": ("text", "tekstiä"), "integer": ("a whole number", "kokonaisluku"),
    "number": ("a number", "luku"), "boolean": ("true or false", "true tai false"),
    "object": ("a mapping (key: value)", "kenttiä (avain: arvo)"), "array": ("a list (- …)", "luettelo (- …)"),
    "null": ("empty", "tyhjä"),
}


def json_type(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "object"
    return "array"


def _fits(value, type_name: str) -> bool:
    actual = json_type(value)
    if actual == type_name or (type_name == "number" and actual == "integer"):
        return True
    return type_name == "integer" and actual == "number" and value.is_integer()  # 40.0 is a whole number


def _short(value) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, (Map, Seq)) else type(value).__name__
    return text if len(text) <= 40 else text[:39] + "…"


_NOTHING = object()


WHERE, WHERE_FI, _PATH = object(), object(), object()  # filled in by _emit, only when a problem is found


class Schema:
    """One JSON Schema file, ready to check documents."""

    def __init__(self, document: dict):
        self.document = document
        self.defs = document.get("$defs", {})
        self._patterns: dict[str, re.Pattern] = {}
        self._resolved: dict[int, dict] = {}
        self._keep: list[dict] = []

    @classmethod
    def from_file(cls, path: Path) -> "Schema":
        return cls(json.loads(Path(path).read_text(encoding="utf-8")))

    def check(self, value, file: str) -> list[Diagnostic]:
        found: list[Diagnostic] = []
        self._check(self.document, value, (), None, None, file, found)
        return found

    # -- internals -------------------------------------------------------------------------
    def _resolve(self, schema: dict) -> dict:
        resolved = self._resolved.get(id(schema))
        if resolved is not None:
            return resolved
        original = schema
        while "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            merged = dict(self.defs[name])
            merged.update({k: v for k, v in schema.items() if k != "$ref"})
            schema = merged
        self._resolved[id(original)] = schema
        self._keep.append(original)  # ids stay valid while the schema lives
        return schema

    def _pattern(self, pattern: str) -> re.Pattern:
        compiled = self._patterns.get(pattern)
        if compiled is None:
            compiled = self._patterns[pattern] = re.compile(pattern)
        return compiled

    @staticmethod
    def _where(path: tuple) -> str:
        return " › ".join(str(part) for part in path) if path else "the top level"

    def _emit(self, found, code, file, site, params, hint=None):
        """Record a problem. `site` is (line, col) or (parent, key, path); WHERE marks where to name the place."""
        if len(site) == 3:
            parent, key, path = site
            pos = position_of(parent, key) if parent is not None else (1, 1)
        else:
            pos, path = site, params.pop(_PATH, ())
        values = {}
        for name, value in params.items():
            if value is WHERE:
                value = self._where(path)
            elif value is WHERE_FI:
                value = self._where(path) if path else "ylätaso"
            values[name] = value
        found.append(Diagnostic(code, file, pos[0], pos[1], values, hint))

    def _check(self, schema, value, path, parent, key, file, found):
        schema = self._resolve(schema)
        site = (parent, key, path)  # where the value stands, worked out only if something is wrong
        place = {"where": WHERE, "where_fi": WHERE_FI}

        if "oneOf" in schema:
            for option in schema["oneOf"]:
                option = self._resolve(option)
                if _fits(value, option["type"]):
                    return self._check(option, value, path, parent, key, file, found)
            self._type_error(found, file, site, schema, value, [o.get("type") for o in schema["oneOf"]])
            return

        const = schema.get("const", _NOTHING)
        if const is not _NOTHING and (value != const or isinstance(value, bool) != isinstance(const, bool)):
            self._emit(found, "KU013", file, site, {**place, "value": _short(value)},
                       ("allowed", {"names": _short(schema["const"])}))
            return
        if "enum" in schema:
            if not isinstance(value, str) or value not in schema["enum"]:
                self._emit(found, "KU013", file, site, {**place, "value": _short(value)},
                           suggest(str(value), schema["enum"]))
            return

        types = schema.get("type")
        if types is not None:
            wanted = types if isinstance(types, list) else [types]
            if not any(_fits(value, t) for t in wanted):
                self._type_error(found, file, site, schema, value, wanted)
                return

        if isinstance(value, str):
            own_hint = schema.get("x-hint")
            hint = ("schema_hint", own_hint) if own_hint else None
            if len(value) < schema.get("minLength", 0):
                self._emit(found, "KU013", file, site, {**place, "value": "an empty text", "value_fi": "tyhjä teksti"},
                           hint)
            elif "maxLength" in schema and len(value) > schema["maxLength"]:
                self._emit(found, "KU013", file, site, {
                    **place, "value": f"a text of {len(value)} characters (at most {schema['maxLength']})",
                    "value_fi": f"{len(value)} merkin teksti (enintään {schema['maxLength']})"})
            elif "pattern" in schema and not self._pattern(schema["pattern"]).search(value):
                self._emit(found, "KU013", file, site, {**place, "value": _short(value)}, hint)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            if ("minimum" in schema and value < schema["minimum"]) or ("maximum" in schema and value > schema["maximum"]):
                bounds = f"{schema.get('minimum', '…')}–{schema.get('maximum', '…')}"
                self._emit(found, "KU013", file, site, {**place, "value": _short(value)},
                           ("allowed", {"names": bounds}))
        elif isinstance(value, dict):
            self._check_object(schema, value, path, file, found)
        elif isinstance(value, list):
            self._check_array(schema, value, path, file, found, site)

    def _type_error(self, found, file, site, schema, value, wanted):
        name = schema.get("x-name")
        if name:
            expected, expected_fi = name["en"], name["fi"]
        else:
            expected = " or ".join(TYPE_NAMES[t][0] for t in wanted)
            expected_fi = " tai ".join(TYPE_NAMES[t][1] for t in wanted)
        actual = json_type(value)
        hint = ("quote", {"value": str(value).lower() if isinstance(value, bool) else value}) \
            if "string" in wanted and actual in ("boolean", "integer", "number") else None
        if wanted == ["boolean"] and actual == "string":
            hint = ("true_false", {})
        self._emit(found, "KU012", file, site, {
            "where": WHERE, "where_fi": WHERE_FI, "expected": expected, "expected_fi": expected_fi,
            "found": TYPE_NAMES[actual][0], "found_fi": TYPE_NAMES[actual][1]}, hint)

    def _check_object(self, schema, value, path, file, found):
        place = {"where": WHERE, "where_fi": WHERE_FI, _PATH: path}
        here = getattr(value, "pos", (1, 1))
        properties = schema.get("properties", {})
        for name in schema.get("required", ()):
            if name not in value:
                self._emit(found, "KU011", file, here, {**place, "name": name})
        if len(value) < schema.get("minProperties", 0):
            self._emit(found, "KU013", file, here, {**place, "value": "an empty mapping", "value_fi": "tyhjä kenttäjoukko"})
        if "maxProperties" in schema and len(value) > schema["maxProperties"]:
            self._emit(found, "KU013", file, here, {
                **place, "value": f"{len(value)} entries (at most {schema['maxProperties']})",
                "value_fi": f"{len(value)} kenttää (enintään {schema['maxProperties']})"})
        extra = schema.get("additionalProperties", True)
        names = schema.get("propertyNames")
        for name, item in value.items():
            if names is not None:
                before = len(found)
                self._check(names, name, path + (name,), None, None, file, found)
                if len(found) > before:
                    line, col = value.where_key(name) if isinstance(value, Map) else (1, 1)
                    for index in range(before, len(found)):  # point at the key itself
                        d = found[index]
                        found[index] = Diagnostic(d.code, file, line, col, d.params, d.hint)
                    continue
            if name in properties:
                self._check(properties[name], item, path + (name,), value, name, file, found)
            elif extra is False:
                key_pos = value.where_key(name) if isinstance(value, Map) else (1, 1)
                self._emit(found, "KU010", file, key_pos, {"name": name, **place}, suggest(name, properties))
            elif isinstance(extra, dict):
                label = item.get("id") if isinstance(item, dict) and isinstance(item.get("id"), str) else name
                self._check(extra, item, path + (label,), value, name, file, found)

    def _check_array(self, schema, value, path, file, found, site):
        place = {"where": WHERE, "where_fi": WHERE_FI}
        if len(value) < schema.get("minItems", 0):
            self._emit(found, "KU013", file, site, {**place, "value": "an empty list", "value_fi": "tyhjä luettelo"})
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            self._emit(found, "KU013", file, site, {
                **place, "value": f"{len(value)} items (at most {schema['maxItems']})",
                "value_fi": f"{len(value)} kohtaa (enintään {schema['maxItems']})"})
        if schema.get("uniqueItems"):
            seen = set()
            for index, item in enumerate(value):
                marker = json.dumps(item, sort_keys=True, default=str)
                if marker in seen:
                    self._emit(found, "KU013", file, position_of(value, index), {
                        **place, _PATH: path, "value": f"{_short(item)} twice", "value_fi": f"{_short(item)} kahdesti"})
                seen.add(marker)
        items = schema.get("items")
        if items is not None:
            for index, item in enumerate(value):
                label = item["id"] if isinstance(item, dict) and isinstance(item.get("id"), str) else index + 1
                self._check(items, item, path + (label,), value, index, file, found)


@lru_cache(maxsize=None)
def load_schema(path: str) -> Schema:
    return Schema.from_file(Path(path))
