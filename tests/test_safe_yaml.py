"""Safe YAML reading: what a trainer's file may and may not contain, and where problems are reported.

Every refusal is a located diagnostic (code, 1-based line:col); nothing in a file can run code,
blow up memory, crash the process or hang the validator.
"""

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import yaml

from game.scenario import safe_yaml
from game.scenario.diagnostics import DiagnosticError
from game.scenario.loader import load_scenario
from game.scenario.safe_yaml import MAX_BYTES, MAX_DEPTH, Map, Seq, parse_text, position_of, read_file

ROOT = Path(__file__).resolve().parent.parent


def parse(data):
    return parse_text(data.encode("utf-8") if isinstance(data, str) else data, "t.yaml")


def refused(data):
    """The diagnostics for a file that must be refused, as (code, line, col) triples."""
    with pytest.raises(DiagnosticError) as caught:
        parse(data)
    return [(d.code, d.line, d.col) for d in caught.value.diagnostics]


def refusal(data):
    """The single diagnostic of a refused file."""
    with pytest.raises(DiagnosticError) as caught:
        parse(data)
    assert len(caught.value.diagnostics) == 1
    return caught.value.diagnostics[0]


# -- anchors and aliases ---------------------------------------------------------------------------

def test_anchor_on_a_scalar_is_refused_where_it_stands():
    d = refusal("a: &x 1\nb: 2\n")
    assert (d.code, d.line, d.col) == ("KU005", 1, 4)
    assert d.hint_text() == "write the value out in full where it is needed"


def test_alias_is_refused_where_it_stands():
    assert refused("a: 1\nb: *x\n") == [("KU005", 2, 4)]


@pytest.mark.parametrize("text, where", [
    ("a: &m {x: 1}\n", (1, 4)),
    ("a:\n  - &s [1, 2]\n", (2, 5)),
    ("- 1\n- &anchor\n  k: v\n", (2, 3)),
])
def test_anchor_on_a_collection_is_refused(text, where):
    assert refused(text) == [("KU005", *where)]


def test_billion_laughs_is_refused_instantly():
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    text = "\n".join(lines) + "\n"
    started = time.perf_counter()
    assert refused(text) == [("KU005", 1, 4)]
    assert time.perf_counter() - started < 5  # at once, not after expanding (generous: CI machines are busy)


def test_alias_bomb_without_anchor_first_is_refused_at_the_first_alias():
    # The anchor comes last in the file, so the first thing seen is an alias.
    text = "x: [*a, *a, *a, *a]\n"
    assert refused(text) == [("KU005", 1, 5)]


# -- nesting --------------------------------------------------------------------------------------

DEEP_SCRIPT = textwrap.dedent("""
    import json, sys, time
    from game.scenario.safe_yaml import parse_text
    from game.scenario.diagnostics import DiagnosticError
    N = 100_000
    cases = {
        "flow_sequence": b"[" * N + b"]" * N,
        "flow_sequence_unclosed": b"[" * N,
        "flow_mapping": b"{a: " * N + b"1" + b"}" * N,
        "block_sequence": b"- " * N + b"x\\n",
        "value_of_a_key": b"a: " + b"[" * N + b"]" * N + b"\\n",
    }
    out = {}
    for name, data in cases.items():
        started = time.perf_counter()
        try:
            parse_text(data, "deep.yaml")
            out[name] = {"result": "loaded"}
        except DiagnosticError as error:
            out[name] = {"result": [[d.code, d.line, d.col] for d in error.diagnostics]}
        out[name]["seconds"] = time.perf_counter() - started
    print(json.dumps(out))
""")


@pytest.fixture(scope="module")
def deep_results():
    """100,000 levels of nesting, parsed in a child process: a segfault shows as a failed test."""
    done = subprocess.run([sys.executable, "-c", DEEP_SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"the parser crashed (exit {done.returncode}): {done.stderr[-2000:]}"
    return json.loads(done.stdout)


@pytest.mark.parametrize("case, where", [
    ("flow_sequence", (1, 33)),
    ("flow_sequence_unclosed", (1, 33)),
    ("flow_mapping", (1, 4 * 32 + 1)),
    ("block_sequence", (1, 2 * 32 + 1)),
    ("value_of_a_key", (1, 3 + 31 + 1)),  # the top mapping is the first level
])
def test_hundred_thousand_levels_of_nesting_are_refused_without_a_crash(deep_results, case, where):
    assert deep_results[case]["result"] == [["KU006", *where]]
    assert deep_results[case]["seconds"] < 5


def test_nesting_limit_is_exact():
    assert MAX_DEPTH == 32
    value = parse("[" * 32 + "]" * 32)
    depth = 0
    while isinstance(value, list):
        depth += 1
        value = value[0] if value else None
    assert depth == 32
    d = refusal("[" * 33 + "]" * 33)
    assert (d.code, d.line, d.col) == ("KU006", 1, 33)
    assert d.message() == "nesting is deeper than 32 levels"


def test_deep_block_mapping_by_indentation_is_refused_at_the_first_level_too_deep():
    text = "".join("  " * level + "k:\n" for level in range(40))
    # line n holds the n-th mapping: the 33rd starts at line 33, where its first key stands
    assert refused(text) == [("KU006", 33, 2 * 32 + 1)]


# -- tags: nothing may ever run -------------------------------------------------------------------

@pytest.mark.parametrize("text, tag", [
    ("x: !!python/object/apply:os.system ['echo hi']\n", "tag:yaml.org,2002:python/object/apply:os.system"),
    ("x: !!python/name:os.system\n", "tag:yaml.org,2002:python/name:os.system"),
    ("x: !!python/object/new:subprocess.Popen [['ls']]\n", "tag:yaml.org,2002:python/object/new:subprocess.Popen"),
    ("x: !!python/module:os\n", "tag:yaml.org,2002:python/module:os"),
    ("x: !!str 3\n", "tag:yaml.org,2002:str"),
    ("x: !!map {a: 1}\n", "tag:yaml.org,2002:map"),
    ("x: !!seq [1]\n", "tag:yaml.org,2002:seq"),
    ("x: !custom 3\n", "!custom"),
])
def test_tags_are_refused(text, tag):
    d = refusal(text)
    assert (d.code, d.line, d.col) == ("KU008", 1, 4)
    assert tag in d.message()
    assert d.hint_text() == "remove the tag; quote the value if you mean text"


def test_tag_on_the_whole_document_is_refused():
    assert refused("--- !!python/object:collections.OrderedDict\na: 1\n") == [("KU008", 1, 5)]


def test_a_tag_that_would_create_a_file_creates_nothing(tmp_path):
    target = tmp_path / "created-by-yaml"
    text = f"format: 1\nx: !!python/object/apply:builtins.open [{json.dumps(str(target))}, 'w']\n"
    # The payload is live: PyYAML's unsafe loader would create the file.
    witness = tmp_path / "witness"
    yaml.unsafe_load(text.replace(str(target), str(witness))).get("x").close()
    assert witness.exists()
    # Ours refuses it, from bytes, from a file, and through the scenario loader.
    assert refused(text) == [("KU008", 2, 4)]
    path = tmp_path / "evil.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DiagnosticError):
        read_file(path)
    result = load_scenario(path)
    assert [(d.code, d.line, d.col) for d in result.diagnostics] == [("KU008", 2, 4)]
    assert result.scenario is None
    assert not target.exists()


# -- duplicate keys -------------------------------------------------------------------------------

def test_duplicate_key_is_refused_at_the_second_with_the_first_line_in_the_message():
    d = refusal("a: 1\nb: 2\na: 3\n")
    assert (d.code, d.line, d.col) == ("KU007", 3, 1)
    assert d.message() == "duplicate key 'a' (first at line 1)"


def test_duplicate_key_deep_inside_a_node():
    text = "nodes:\n  - id: start\n    line: Hi\n    cue: a\n    line: Hello\n"
    d = refusal(text)
    assert (d.code, d.line, d.col) == ("KU007", 5, 5)
    assert "first at line 3" in d.message()


def test_duplicate_key_written_once_quoted_and_once_plain():
    assert refused('"a": 1\na: 2\n') == [("KU007", 2, 1)]


def test_duplicate_key_in_flow_mapping():
    assert refused("m: {x: 1, y: 2, x: 3}\n") == [("KU007", 1, 17)]


def test_same_key_in_different_mappings_is_fine():
    assert parse("a: {x: 1}\nb: {x: 2}\n") == {"a": {"x": 1}, "b": {"x": 2}}


# -- scalars: YAML 1.2 core, not YAML 1.1 ---------------------------------------------------------

@pytest.mark.parametrize("word", ["on", "off", "yes", "no", "y", "n", "On", "OFF", "Yes", "NO", "Y", "N"])
def test_yaml_1_1_boolean_words_stay_text(word):
    assert parse(f"v: {word}\n") == {"v": word}
    assert parse(f"- {word}\n") == [word]


@pytest.mark.parametrize("word, value", [
    ("true", True), ("false", False), ("True", True), ("False", False), ("TRUE", True), ("FALSE", False),
])
def test_true_and_false_are_booleans(word, value):
    assert parse(f"v: {word}\n")["v"] is value


def test_no_as_a_key_stays_the_language_code():
    document = parse("languages: [en, no]\ntitle: {en: Hello, no: Hei}\nno: norsk\non: päällä\n")
    assert document == {"languages": ["en", "no"], "title": {"en": "Hello", "no": "Hei"},
                        "no": "norsk", "on": "päällä"}
    assert list(document["title"]) == ["en", "no"]


def test_keys_stay_text_as_written():
    assert list(parse("1: a\ntrue: b\nnull: c\n1.5: d\n")) == ["1", "true", "null", "1.5"]


@pytest.mark.parametrize("text, value", [
    ("v: 12", 12), ("v: -3", -3), ("v: +4", 4), ("v: 1.5", 1.5), ("v: '12'", "12"), ('v: "true"', "true"),
    ("v: ~", None), ("v: null", None), ("v:", None), ("v: hello world", "hello world"),
    ("v: 123456789012345", 123456789012345),
])
def test_scalars(text, value):
    result = parse(text + "\n")["v"]
    assert result == value and type(result) is type(value)


# -- numbers that are too big ---------------------------------------------------------------------

@pytest.mark.parametrize("text, where", [
    ("n: 1234567890123456\n", (1, 4)),
    ("n: -1234567890123456\n", (1, 4)),
    ("- 1\n- " + "9" * 100_000 + "\n", (2, 3)),
    ("n: " + "9" * 100_000 + "\n", (1, 4)),
    ("n: -" + "9" * 100_000 + "\n", (1, 4)),
    ("n: " + "9" * 100_000 + ".5\n", (1, 4)),
    ("n: 1e400\n", (1, 4)),
])
def test_huge_numbers_give_a_diagnostic_quickly(text, where):
    started = time.perf_counter()
    d = refusal(text)
    assert (d.code, d.line, d.col) == ("KU013", *where)
    assert "number" in d.message()
    assert len(d.message()) < 100  # the number is not echoed in full
    assert time.perf_counter() - started < 5  # never a hang (generous: CI machines are busy)


def test_huge_number_in_quotes_is_just_text():
    assert parse('n: "' + "9" * 100_000 + '"\n')["n"] == "9" * 100_000


# -- encodings and binary -------------------------------------------------------------------------

def test_invalid_utf8_is_reported_at_the_bad_byte():
    d = refusal(b"a: 1\nb: caf\xe9\n")
    assert (d.code, d.line, d.col) == ("KU003", 2, 7)
    assert d.message() == "the file is not valid UTF-8 text"
    assert d.hint_text() == "save the file as UTF-8 in your editor"


def test_invalid_utf8_column_counts_characters_not_bytes():
    # 'b: ää' is five characters (seven bytes); the bad byte is the sixth character of the line.
    assert refused("a: ä\n".encode() + b"b: \xc3\xa4\xc3\xa4\xff\n") == [("KU003", 2, 6)]


def test_nul_byte_is_refused_at_its_place():
    assert refused(b"a: 1\nb: x\x00y\n") == [("KU003", 2, 5)]


def test_nul_byte_after_a_bom_is_reported_at_its_character_column():
    # The BOM is not a character of the line: 'a: x' then NUL at column 5.
    assert refused(b"\xef\xbb\xbfa: x\x00\n") == [("KU003", 1, 5)]


def test_nul_byte_column_counts_characters_not_bytes():
    assert refused("b: ää x\x00\n".encode()) == [("KU003", 1, 8)]


@pytest.mark.parametrize("data, where", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", (1, 1)),
    ("a: 1\n".encode("utf-16"), (1, 1)),
    (bytes(range(256)), (3, 115)),  # 0x80 is the first byte that is not UTF-8; 0x0a and 0x0d end lines 1 and 2
], ids=["png", "utf16", "all-bytes"])
def test_binary_files_are_refused_as_not_utf8(data, where):
    assert refused(data) == [("KU003", *where)]


def test_control_character_is_reported_where_it_stands():
    d = refusal(b"a: 1\nb: x\x07y\n")
    assert (d.code, d.line, d.col) == ("KU004", 2, 5)


def test_bom_is_accepted_and_does_not_shift_columns():
    document = parse(b"\xef\xbb\xbfa: 1\nb: [x, y]\n")
    assert document == {"a": 1, "b": ["x", "y"]}
    assert document.key_pos["a"] == (1, 1)
    assert document.value_pos["a"] == (1, 4)
    assert document["b"].item_pos == [(2, 5), (2, 8)]


# -- size -----------------------------------------------------------------------------------------

def test_file_over_16_mb_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.truncate(64 * 1024 ** 3)  # sparse: 64 GB that take no disk space
    started = time.perf_counter()
    with pytest.raises(DiagnosticError) as caught:
        read_file(path)
    [d] = caught.value.diagnostics
    assert (d.code, d.line, d.col) == ("KU002", 1, 1)
    assert d.message() == f"the file is {64 * 1024 ** 3} bytes; the limit is {MAX_BYTES} bytes"
    result = load_scenario(path)
    assert [x.code for x in result.diagnostics] == ["KU002"]
    assert time.perf_counter() - started < 2


def test_limit_is_16_mb_and_one_byte_over_is_refused(tmp_path):
    assert MAX_BYTES == 16 * 1024 * 1024
    path = tmp_path / "just-over.yaml"
    with path.open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)
    with pytest.raises(DiagnosticError) as caught:
        read_file(path)
    assert [d.code for d in caught.value.diagnostics] == ["KU002"]


def test_bytes_over_the_limit_are_refused_by_parse_text():
    assert refused(b"#" * (MAX_BYTES + 1)) == [("KU002", 1, 1)]


def test_missing_file_and_folder_give_ku001(tmp_path):
    for path in (tmp_path / "nope.yaml", tmp_path):
        with pytest.raises(DiagnosticError) as caught:
            read_file(path)
        assert [(d.code, d.line, d.col) for d in caught.value.diagnostics] == [("KU001", 1, 1)]


# -- documents ------------------------------------------------------------------------------------

@pytest.mark.parametrize("data", [b"", b"\n\n", b"# only a comment\n", b"   \n", b"---\n", b"\xef\xbb\xbf"])
def test_empty_file_is_refused(data):
    d = refusal(data)
    assert (d.code, d.line, d.col) == ("KU009", 1, 1)
    assert d.message() == "the file is empty"
    assert d.message("fi") == "tiedosto on tyhjä"


def test_second_document_is_refused_at_its_marker():
    d = refusal("a: 1\n---\nb: 2\n")
    assert (d.code, d.line, d.col) == ("KU009", 2, 1)
    assert "more than one YAML document" in d.message()


def test_leading_document_marker_and_end_marker_are_fine():
    assert parse("---\na: 1\n...\n") == {"a": 1}


def test_null_document_is_refused_as_empty():
    assert refused("~\n") == [("KU009", 1, 1)]


# -- syntax errors --------------------------------------------------------------------------------

@pytest.mark.parametrize("text, where", [
    ("a: b: c\n", (1, 5)),
    ("a:\n  - 1\n - 2\n", (3, 2)),
    ("key: value\n  bad: 2\n", (2, 6)),
    ("a:\n\tb: 1\n", (2, 1)),
    ("a: @x\n", (1, 4)),
    ("a: }\n", (1, 4)),
    ("a: [1, 2\nc: 3\n", (2, 2)),
    ("- a\nb: 1\n", (2, 1)),
])
def test_syntax_errors_are_located(text, where):
    d = refusal(text)
    assert (d.code, d.line, d.col) == ("KU004", *where)
    assert d.message().startswith("YAML syntax error: ")


def test_unterminated_quote_is_reported_where_the_quote_opens():
    """Like a compiler's 'missing terminating quote': the end of the file is no help to the trainer."""
    d = refusal('a: 1\nb: "abc\nc: 2\nd: 3\n')
    assert (d.code, d.line, d.col) == ("KU004", 2, 4)


def test_complex_key_is_refused():
    assert refused("? [a, b]\n: x\n")[0][0] == "KU004"


# -- size of values and speed ---------------------------------------------------------------------

def test_one_megabyte_line_loads_fast():
    text = "a: " + "x" * 1_000_000 + "\nb: " + "ä" * 1000 + "\n"
    started = time.perf_counter()
    document = parse(text)
    assert len(document["a"]) == 1_000_000
    assert document.value_pos["b"] == (2, 4)
    assert time.perf_counter() - started < 2


def test_uses_libyaml_parser_when_available():
    """The module promises libyaml's C parser when PyYAML has it (about ten times faster on big files)."""
    if not yaml.__with_libyaml__:
        pytest.skip("PyYAML built without libyaml")
    assert safe_yaml._Parser.__name__ == "CParser", f"falls back to {safe_yaml._Parser!r}"


def test_libyaml_parser_gives_the_same_values(monkeypatch):
    """With libyaml's parser (plain scalars have style '' there, not None) the values must not change."""
    if not yaml.__with_libyaml__:
        pytest.skip("PyYAML built without libyaml")
    from yaml.cyaml import CParser

    text = "a: 1\nb: true\nc: ~\nd: on\ne: '1'\nf: 1.5\ng: [no, 2]\n"
    expected = {"a": 1, "b": True, "c": None, "d": "on", "e": "1", "f": 1.5, "g": ["no", 2]}
    assert parse(text) == expected
    monkeypatch.setattr(safe_yaml, "_Parser", CParser)
    assert parse(text) == expected


# -- positions ------------------------------------------------------------------------------------

POSITIONS = """\
title: Hello
customer:
  name: Aino
list:
  - one
  - {k: v}
flow: [a, b]
"""


def test_map_and_seq_positions_are_one_based_and_exact():
    document = parse(POSITIONS)
    assert isinstance(document, Map) and document.pos == (1, 1)
    assert document.key_pos["title"] == (1, 1) and document.value_pos["title"] == (1, 8)
    assert document.where("title") == (1, 8) and document.where_key("title") == (1, 1)
    customer = document["customer"]
    assert isinstance(customer, Map) and customer.pos == (3, 3)
    assert document.where_key("customer") == (2, 1)
    assert customer.where("name") == (3, 9) and customer.where_key("name") == (3, 3)
    items = document["list"]
    assert isinstance(items, Seq) and items.pos == (5, 3)
    assert items.item_pos == [(5, 5), (6, 5)] and items.where(1) == (6, 5)
    inner = items[1]
    assert inner.pos == (6, 5) and inner.where_key("k") == (6, 6) and inner.where("k") == (6, 9)
    flow = document["flow"]
    assert flow.pos == (7, 7) and flow.item_pos == [(7, 8), (7, 11)]


def test_position_helpers_fall_back_sensibly():
    document = parse(POSITIONS)
    assert document.where("missing") == (1, 1)  # the mapping itself
    assert document["list"].where(99) == (5, 3)  # the sequence itself
    assert position_of(document, "title") == (1, 8)
    assert position_of({"title": "x"}, "title") == (1, 1)


def test_positions_count_characters_after_non_ascii_text():
    document = parse("ääää: [x, yö, z]\n")
    assert document["ääää"].item_pos == [(1, 8), (1, 11), (1, 15)]


def test_too_many_values_are_refused_before_memory_runs_out(tmp_path, monkeypatch):
    monkeypatch.setattr(safe_yaml, "MAX_VALUES", 1000)
    with pytest.raises(DiagnosticError) as caught:
        safe_yaml.parse_text(b"[" + b"1," * 2000 + b"1]", "many.yaml")
    [problem] = caught.value.diagnostics
    assert problem.code == "KU016" and problem.line == 1
    assert "1,000" in problem.message()


@pytest.mark.parametrize("text, hint", [
    ("a:\n\tb: 1\n", "replace the tab with spaces: YAML indents with spaces only"),
    ('a: "she said "hi" to me"\n', "the text has a \" inside \"…\": put ' quotes around it instead"),
    ("line: Note: this breaks\nx: 1\n", "the text has ': ' in it, which YAML reads as a new key: put the whole text in quotes, e.g. line: \"Note: this breaks\""),
])
def test_a_syntax_error_gets_the_hint_for_its_likely_cause(text, hint):
    with pytest.raises(DiagnosticError) as caught:
        parse_text(text.encode(), "f.yaml")
    found = caught.value.diagnostics[0]
    assert found.code == "KU004" and found.hint_text().startswith(hint)
    assert found.hint_text("fi") != found.hint_text()  # and in Finnish
