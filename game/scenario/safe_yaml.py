"""Strict, safe YAML reading for trainers' files.

The values are built straight from the parser's event stream (libyaml's C
parser when present). Nothing is ever constructed from a tag, so nothing in a
file can run. Working on events also lets us stop at the first sign of trouble,
before anything deep or large is built:

* nesting deeper than MAX_DEPTH is refused as soon as it is seen (the C
  composer crashes the whole process on ~25,000 levels; we never call it);
* anchors and aliases are refused (an alias "bomb" is tiny on disk and huge in memory);
* tags are refused, duplicate keys are refused;
* scalars follow the YAML 1.2 core schema: only true/false are booleans, so
  `on`, `no` and `yes` stay text (a Finnish word and a language code).

It is also about four times faster than `yaml.load(..., CSafeLoader)`, which
resolves every scalar with Python regular expressions.

Mappings and sequences come back as `Map` and `Seq`, which remember the
(line, column) of each key and value for diagnostics.
"""

from __future__ import annotations

import gc
import math
import os
import re
from pathlib import Path

import yaml
from yaml import events as ev
from yaml.loader import SafeLoader as _PythonParser

from game.scenario.diagnostics import Diagnostic, DiagnosticError

try:  # libyaml's parser; the pure-Python one is the fallback
    from yaml.cyaml import CParser as _Parser
    USING_LIBYAML = True
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    _Parser = _PythonParser
    USING_LIBYAML = False

MAX_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 32
MAX_NUMBER_DIGITS = 15
MAX_VALUES = 3_000_000  # a 10,000-node scenario has about 1,000,000; this bounds memory, not just bytes

_INT = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_NULLS = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}


class Map(dict):
    """A mapping that remembers where each key and value stood (1-based line, column)."""

    __slots__ = ("key_pos", "value_pos", "pos")

    def __init__(self, pos=(1, 1)):
        super().__init__()
        self.pos = pos
        self.key_pos: dict[str, tuple[int, int]] = {}
        self.value_pos: dict[str, tuple[int, int]] = {}

    def where(self, key) -> tuple[int, int]:
        return self.value_pos.get(key) or self.key_pos.get(key) or self.pos

    def where_key(self, key) -> tuple[int, int]:
        return self.key_pos.get(key) or self.pos


class Seq(list):
    """A sequence that remembers where each item stood."""

    __slots__ = ("item_pos", "pos")

    def __init__(self, pos=(1, 1)):
        super().__init__()
        self.pos = pos
        self.item_pos: list[tuple[int, int]] = []

    def where(self, index: int) -> tuple[int, int]:
        return self.item_pos[index] if 0 <= index < len(self.item_pos) else self.pos


def position_of(container, key) -> tuple[int, int]:
    """Where a key or index of a Map or Seq stood; (1, 1) for plain containers."""
    if isinstance(container, (Map, Seq)):
        return container.where(key)
    return (1, 1)


class _Problem(Exception):
    def __init__(self, code, mark, params=None, hint=None):
        self.code, self.mark, self.params, self.hint = code, mark, params or {}, hint


def _pos(mark) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


def _scalar(event):
    value = event.value
    if event.style or not event.implicit[0]:  # quoted or block text (libyaml says '' for plain, PyYAML None)
        return value
    if value in _NULLS:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if _INT.match(value):
        if len(value.lstrip("+-")) > MAX_NUMBER_DIGITS:
            raise _Problem("KU013", event.start_mark, {"where": "number", "value": value[:20] + "…"})
        return int(value)
    if _FLOAT.match(value) and any(ch.isdigit() for ch in value):
        number = float(value)
        if not math.isfinite(number):
            raise _Problem("KU013", event.start_mark, {"where": "number", "value": value[:20]})
        return number
    return value


def _build(text: str, parser_class=_Parser):
    """Build the document from events; raise _Problem on the first thing we refuse."""
    parser = parser_class(text)
    stack: list = []  # containers being filled
    keys: list = []  # for each Map on the stack: the pending key (or None) and its mark
    root = None
    documents = 0
    budget = MAX_VALUES
    Scalar, MapStart, MapEnd = ev.ScalarEvent, ev.MappingStartEvent, ev.MappingEndEvent
    SeqStart, SeqEnd, Alias, DocStart = ev.SequenceStartEvent, ev.SequenceEndEvent, ev.AliasEvent, ev.DocumentStartEvent

    def add(value, mark):
        nonlocal root
        if not stack:
            root = value
            return
        top = stack[-1]
        if type(top) is Seq:
            top.append(value)
            top.item_pos.append(_pos(mark))
            return
        pending = keys[-1]
        if pending is None:  # this value is a key
            if type(value) is not str:
                if isinstance(value, (Map, Seq)):
                    raise _Problem("KU004", mark, {"problem": "a key must be a plain name"})
                value = str(value).lower() if isinstance(value, bool) else str(value)
            if value in top.key_pos:
                raise _Problem("KU007", mark, {"key": value, "first_line": top.key_pos[value][0]})
            top.key_pos[value] = _pos(mark)
            keys[-1] = value
        else:
            top[pending] = value
            top.value_pos[pending] = _pos(mark)
            keys[-1] = None

    try:
        while True:
            event = parser.get_event()
            kind = type(event)
            if kind is Scalar:
                budget -= 1
                if budget < 0:
                    raise _Problem("KU016", event.start_mark, {"limit": f"{MAX_VALUES:,}"}, ("split", {}))
                if event.anchor is not None:
                    raise _Problem("KU005", event.start_mark, hint=("no_anchors", {}))
                if event.tag is not None and event.tag != "!":
                    raise _Problem("KU008", event.start_mark, {"tag": event.tag}, ("no_tags", {}))
                if stack and type(stack[-1]) is Map and keys[-1] is None:
                    add(event.value, event.start_mark)  # keys are always text, as written
                else:
                    add(_scalar(event), event.start_mark)
            elif kind is MapStart or kind is SeqStart:
                if event.anchor is not None:
                    raise _Problem("KU005", event.start_mark, hint=("no_anchors", {}))
                if event.tag is not None and event.tag != "!":
                    raise _Problem("KU008", event.start_mark, {"tag": event.tag}, ("no_tags", {}))
                if len(stack) >= MAX_DEPTH:
                    raise _Problem("KU006", event.start_mark, {"limit": MAX_DEPTH}, ("flatten", {}))
                container = (Map if kind is MapStart else Seq)(_pos(event.start_mark))
                add(container, event.start_mark)
                stack.append(container)
                keys.append(None)
            elif kind is MapEnd or kind is SeqEnd:
                stack.pop()
                keys.pop()
            elif kind is Alias:
                raise _Problem("KU005", event.start_mark, hint=("no_anchors", {}))
            elif kind is DocStart:
                documents += 1
                if documents > 1:
                    raise _Problem("KU009", event.start_mark, {
                        "what": "the file holds more than one YAML document (a second '---')",
                        "what_fi": "tiedostossa on useampi YAML-dokumentti (toinen '---')"})
            elif kind is ev.StreamEndEvent:
                return root
    finally:
        dispose = getattr(parser, "dispose", None)
        if dispose:
            dispose()


# what libyaml (and so every other diagnostic) counts as the end of a line
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _utf8_error_position(data: bytes, offset: int) -> tuple[int, int]:
    """Line and column (in characters, as an editor counts them) of a byte offset."""
    before = data[:offset]
    if before.startswith(b"\xef\xbb\xbf"):
        before = before[3:]
    text = before.decode("utf-8", "replace")
    return _text_position(text, len(text))


def _character(character) -> str:
    code = character if isinstance(character, int) else ord(character)
    return f"U+{code:04X}"


def _text_position(text: str, index: int) -> tuple[int, int]:
    line, line_start = 1, 0
    for found in _LINE_BREAK.finditer(text, 0, index):
        line, line_start = line + 1, found.end()
    return line, index - line_start + 1


def syntax_hint(text: str, line: int, problem: str) -> tuple[str, dict]:
    """The most likely cause of a YAML syntax error, from the line it was found on (and the one before)."""
    lines = text.splitlines()
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    before = lines[line - 2] if 1 < line <= len(lines) + 1 else ""
    for candidate in (here, before):
        if "\t" in candidate[:len(candidate) - len(candidate.lstrip())] or "\t" in candidate:
            return "yaml_tab", {}
    for candidate in (here, before):
        key, colon, value = candidate.partition(": ")
        value = value.strip()
        if not colon or not value:
            continue
        quote = value[0]
        if quote in "\"'" and value.count(quote) > 2:
            return "yaml_inner_quote", {"quote": quote, "other": "'" if quote == '"' else '"'}
        if quote not in "\"'[{" and (": " in value or value.endswith(":")):
            return "yaml_colon", {"key": key.strip().lstrip("- "), "value": value.replace('"', "'")}
    return "yaml_syntax", {}


def parse_text(data: bytes, file: str):
    """Parse bytes into Map/Seq/scalars, or raise DiagnosticError with the located problem."""
    if len(data) > MAX_BYTES:
        raise DiagnosticError([Diagnostic("KU002", file, params={"size": len(data), "limit": MAX_BYTES},
                                          hint=("split", {}))])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0  # utf-8-sig counts the error's offset after the BOM
        line, col = _utf8_error_position(data, error.start + bom)
        raise DiagnosticError([Diagnostic("KU003", file, line, col, hint=("encoding", {}))]) from None
    if "\x00" in text:
        line, col = _utf8_error_position(data, data.index(b"\x00"))
        raise DiagnosticError([Diagnostic("KU003", file, line, col, hint=("encoding", {}))])
    collecting = gc.isenabled()
    gc.disable()  # building many small containers triggers needless full collections
    parser_class = _Parser
    try:
        try:
            root = _build(text)
        except yaml.MarkedYAMLError as error:
            # Newer libyaml refuses flow nesting past 1,000 levels while scanning ahead, before the
            # events reach our own depth check: read it again with the Python parser, which scans
            # lazily, so the trainer is told where MAX_DEPTH was passed (KU006), not of a syntax error.
            if "maximum nesting depth" not in str(error.problem) or _Parser is _PythonParser:
                raise
            parser_class = _PythonParser
            root = _build(text, parser_class)
    except _Problem as problem:
        line, col = _pos(problem.mark)
        raise DiagnosticError([Diagnostic(problem.code, file, line, col, problem.params, problem.hint)]) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        if error.context_mark is not None and mark is not None and mark.index >= len(text):
            mark = error.context_mark  # "found end of stream": point where the unclosed thing opened
        line, col = _pos(mark) if mark else (1, 1)
        if mark is not None and mark.index >= len(text):  # libyaml ends the stream on a line after the last
            line, col = _text_position(text, len(text))
        problem = " ".join(str(part) for part in (error.context, error.problem) if part) or "unreadable YAML"
        raise DiagnosticError([Diagnostic("KU004", file, line, col, {"problem": problem},
                                          syntax_hint(text, line, problem))]) from None
    except yaml.reader.ReaderError as error:  # a control character YAML does not allow
        index = error.position
        if parser_class.__module__.startswith("yaml._yaml"):  # libyaml counts bytes of the UTF-8 text, not characters
            index = len(text.encode("utf-8")[:index].decode("utf-8", "ignore"))
        line, col = _text_position(text, index)
        raise DiagnosticError([Diagnostic("KU004", file, line, col, {
            "problem": f"the control character {_character(error.character)} is not allowed in YAML"})]) from None
    except yaml.YAMLError as error:
        raise DiagnosticError([Diagnostic("KU004", file, params={"problem": str(error).splitlines()[0]})]) from None
    finally:
        if collecting:
            gc.enable()
    if root is None:
        raise DiagnosticError([Diagnostic("KU009", file, params={
            "what": "the file is empty", "what_fi": "tiedosto on tyhjä"})])
    return root


def read_file(path: str | os.PathLike, display: str | None = None):
    """Read and parse a YAML file with all the limits above."""
    file = display or str(path)
    try:
        path = Path(path)
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise DiagnosticError([Diagnostic("KU002", file, params={"size": size, "limit": MAX_BYTES},
                                              hint=("split", {}))])
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except DiagnosticError:
        raise
    except OSError as error:
        reason = error.strerror or error.__class__.__name__
        raise DiagnosticError([Diagnostic("KU001", file, params={"reason": reason})]) from None
    return parse_text(data, file)
