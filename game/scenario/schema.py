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


_TYPE_TESTS = {
    "string": lambda value: isinstance(value, str),
    "object": lambda value: isinstance(value, dict),
    "array": lambda value: json_type(value) == "array",
    "boolean": lambda value: isinstance(value, bool),
}


def _type_test(wanted: list):
    """A quick test for the common single types; `_fits` for the rest (numbers, several types)."""
    if len(wanted) == 1 and wanted[0] in _TYPE_TESTS:
        return _TYPE_TESTS[wanted[0]]
    return lambda value: any(_fits(value, type_name) for type_name in wanted)


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
        self._functions: dict[int, object] = {}

    @classmethod
    def from_file(cls, path: Path) -> "Schema":
        return cls(json.loads(Path(path).read_text(encoding="utf-8")))

    def check(self, value, file: str) -> list[Diagnostic]:
        found: list[Diagnostic] = []
        self._compiled(self.document)(value, (), None, None, file, found)
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

    # -- compiling: each schema node becomes a function of (value, path, parent, key, file, found) --
    # A valid document is the common case, so the checks for it are worked out once per schema node
    # and bound into closures; everything about a problem (places, paths, messages) is worked out only
    # when there is one. `path` is the route to the value (names, IDs or item numbers) for messages.

    def _compiled(self, schema: dict):
        function = self._functions.get(id(schema))
        if function is None:
            built: list = []
            self._functions[id(schema)] = lambda *args: built[0](*args)  # a schema that refers to itself
            self._keep.append(schema)
            built.append(self._compile(self._resolve(schema)))
            function = self._functions[id(schema)] = built[0]
        return function

    def _compile(self, schema: dict):
        emit, type_error = self._emit, self._type_error
        if "oneOf" in schema:
            options = [(self._resolve(option)["type"], self._compiled(option)) for option in schema["oneOf"]]
            listed = [option.get("type") for option in schema["oneOf"]]

            def check_one_of(value, path, parent, key, file, found):
                for type_name, function in options:
                    if _fits(value, type_name):
                        return function(value, path, parent, key, file, found)
                type_error(found, file, (parent, key, path), schema, value, listed)
            return check_one_of

        const = schema.get("const", _NOTHING)
        enum = schema.get("enum")
        types = schema.get("type")
        wanted = None if types is None else (types if isinstance(types, list) else [types])
        fits = _type_test(wanted) if wanted is not None else None
        text = self._text_check(schema)
        number = ("minimum" in schema or "maximum" in schema) and self._number_check(schema)
        mapping = self._object_check(schema)
        sequence = self._array_check(schema)

        def check(value, path, parent, key, file, found):
            if const is not _NOTHING and (value != const or isinstance(value, bool) != isinstance(const, bool)):
                emit(found, "KU013", file, (parent, key, path), {"where": WHERE, "where_fi": WHERE_FI,
                     "value": _short(value)}, ("allowed", {"names": _short(const)}))
                return
            if enum is not None:
                if isinstance(value, float) and value.is_integer():
                    value = int(value)  # JSON Schema: 1.0 is the number 1
                plain = isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))
                if not plain or value not in enum:
                    hint = (suggest(str(value), enum) if all(isinstance(e, str) for e in enum)
                            else ("allowed", {"names": ", ".join(str(e) for e in enum)}))
                    emit(found, "KU013", file, (parent, key, path), {"where": WHERE, "where_fi": WHERE_FI,
                         "value": _short(value)}, hint)
                return
            if fits is not None and not fits(value):
                type_error(found, file, (parent, key, path), schema, value, wanted)
                return
            if isinstance(value, str):
                if text:
                    text(value, (parent, key, path), file, found)
            elif isinstance(value, dict):
                if mapping:
                    mapping(value, path, file, found)
            elif isinstance(value, list):
                if sequence:
                    sequence(value, path, file, found, (parent, key, path))
            elif number and isinstance(value, (int, float)) and not isinstance(value, bool):
                number(value, (parent, key, path), file, found)
        return check

    def _text_check(self, schema: dict):
        min_length, max_length = schema.get("minLength", 0), schema.get("maxLength")
        pattern = self._pattern(schema["pattern"]) if "pattern" in schema else None
        if not min_length and max_length is None and pattern is None:
            return None
        own_hint = schema.get("x-hint")
        hint = ("schema_hint", own_hint) if own_hint else None
        emit = self._emit

        def check_text(value, site, file, found):
            place = {"where": WHERE, "where_fi": WHERE_FI}
            if len(value) < min_length:
                emit(found, "KU013", file, site, {**place, "value": "an empty text", "value_fi": "tyhjä teksti"}, hint)
            elif max_length is not None and len(value) > max_length:
                emit(found, "KU013", file, site, {
                    **place, "value": f"a text of {len(value)} characters (at most {max_length})",
                    "value_fi": f"{len(value)} merkin teksti (enintään {max_length})"})
            elif pattern is not None and not pattern.search(value):
                emit(found, "KU013", file, site, {**place, "value": _short(value)}, hint)
        return check_text

    def _number_check(self, schema: dict):
        low, high = schema.get("minimum"), schema.get("maximum")
        bounds = f"{schema.get('minimum', '…')}–{schema.get('maximum', '…')}"
        emit = self._emit

        def check_number(value, site, file, found):
            if (low is not None and value < low) or (high is not None and value > high):
                emit(found, "KU013", file, site, {"where": WHERE, "where_fi": WHERE_FI, "value": _short(value)},
                     ("allowed", {"names": bounds}))
        return check_number

    def _object_check(self, schema: dict):
        if not any(word in schema for word in ("properties", "required", "minProperties", "maxProperties",
                                                "additionalProperties", "propertyNames")):
            return None
        properties = schema.get("properties", {})
        compiled = {name: self._compiled(sub) for name, sub in properties.items()}
        required = tuple(schema.get("required", ()))
        min_properties, max_properties = schema.get("minProperties", 0), schema.get("maxProperties")
        extra = schema.get("additionalProperties", True)
        extra_check = self._compiled(extra) if isinstance(extra, dict) else None
        names = schema.get("propertyNames")
        names_check = self._compiled(names) if names is not None else None
        emit = self._emit

        def check_object(value, path, file, found):
            if required or min_properties or max_properties is not None:
                place = {"where": WHERE, "where_fi": WHERE_FI, _PATH: path}
                here = getattr(value, "pos", (1, 1))
                for name in required:
                    if name not in value:
                        emit(found, "KU011", file, here, {**place, "name": name})
                if len(value) < min_properties:
                    emit(found, "KU013", file, here, {**place, "value": "an empty mapping",
                                                      "value_fi": "tyhjä kenttäjoukko"})
                if max_properties is not None and len(value) > max_properties:
                    emit(found, "KU013", file, here, {
                        **place, "value": f"{len(value)} entries (at most {max_properties})",
                        "value_fi": f"{len(value)} kenttää (enintään {max_properties})"})
            for name, item in value.items():
                if names_check is not None:
                    before = len(found)
                    names_check(name, path + (name,), None, None, file, found)
                    if len(found) > before:
                        line, col = value.where_key(name) if isinstance(value, Map) else (1, 1)
                        for index in range(before, len(found)):  # point at the key itself
                            d = found[index]
                            found[index] = Diagnostic(d.code, file, line, col, d.params, d.hint)
                        continue
                function = compiled.get(name)
                if function is not None:
                    function(item, path + (name,), value, name, file, found)
                elif extra is False:
                    key_pos = value.where_key(name) if isinstance(value, Map) else (1, 1)
                    emit(found, "KU010", file, key_pos, {"name": name, "where": WHERE, "where_fi": WHERE_FI,
                                                         _PATH: path}, suggest(name, properties))
                elif extra_check is not None:
                    label = item.get("id") if isinstance(item, dict) and isinstance(item.get("id"), str) else name
                    extra_check(item, path + (label,), value, name, file, found)
        return check_object

    def _array_check(self, schema: dict):
        min_items, max_items = schema.get("minItems", 0), schema.get("maxItems")
        unique = schema.get("uniqueItems")
        items = schema.get("items")
        items_check = self._compiled(items) if items is not None else None
        if not min_items and max_items is None and not unique and items_check is None:
            return None
        emit = self._emit

        def check_array(value, path, file, found, site):
            if len(value) < min_items:
                emit(found, "KU013", file, site, {"where": WHERE, "where_fi": WHERE_FI, "value": "an empty list",
                                                  "value_fi": "tyhjä luettelo"})
            if max_items is not None and len(value) > max_items:
                emit(found, "KU013", file, site, {
                    "where": WHERE, "where_fi": WHERE_FI, "value": f"{len(value)} items (at most {max_items})",
                    "value_fi": f"{len(value)} kohtaa (enintään {max_items})"})
            if unique:
                seen = set()
                for index, item in enumerate(value):
                    marker = json.dumps(item, sort_keys=True, default=str)
                    if marker in seen:
                        emit(found, "KU013", file, position_of(value, index), {
                            "where": WHERE, "where_fi": WHERE_FI, _PATH: path,
                            "value": f"{_short(item)} twice", "value_fi": f"{_short(item)} kahdesti"})
                    seen.add(marker)
            if items_check is not None:
                for index, item in enumerate(value):
                    label = item["id"] if isinstance(item, dict) and isinstance(item.get("id"), str) else index + 1
                    items_check(item, path + (label,), value, index, file, found)
        return check_array

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


@lru_cache(maxsize=None)
def load_schema(path: str) -> Schema:
    return Schema.from_file(Path(path))
