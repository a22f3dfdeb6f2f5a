"""The shipped JSON Schemas: valid Draft 2020-12, inside our checker's keyword subset, and our checker
agrees with the reference `jsonschema` validator, so the editor and `validate` never contradict each other.
"""

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from game.scenario.loader import load_scenario
from game.scenario.rubric import load_rubric
from game.scenario.safe_yaml import parse_text, read_file
from game.scenario.schema import KEYWORDS, load_schema

ROOT = Path(__file__).resolve().parent.parent
SCENARIO_SCHEMA = ROOT / "scenarios" / "scenario.schema.json"
RUBRIC_SCHEMA = ROOT / "scenarios" / "rubric.schema.json"
RUBRIC = ROOT / "scenarios" / "rubric.yaml"
MINI = ROOT / "tests" / "fixtures" / "mini.yaml"
STRUCTURAL = {"KU010", "KU011", "KU012", "KU013"}


def schema_json(path):
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", [SCENARIO_SCHEMA, RUBRIC_SCHEMA], ids=["scenario", "rubric"])
def test_shipped_schemas_are_valid_draft_2020_12(path):
    document = schema_json(path)
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(document)


# Keywords whose value is a schema, a map of schemas, or a list of schemas; everything else is data.
SUBSCHEMA = {"items", "additionalProperties", "propertyNames"}
SCHEMA_MAPS = {"properties", "$defs"}
SCHEMA_LISTS = {"oneOf"}


def keywords_used(schema, where="#"):
    """(keyword, where) for every keyword of every (sub)schema."""
    if not isinstance(schema, dict):
        return
    for key, value in schema.items():
        yield key, where
        if key in SUBSCHEMA:
            yield from keywords_used(value, f"{where}/{key}")
        elif key in SCHEMA_MAPS:
            for name, sub in value.items():
                yield from keywords_used(sub, f"{where}/{key}/{name}")
        elif key in SCHEMA_LISTS:
            for index, sub in enumerate(value):
                yield from keywords_used(sub, f"{where}/{key}/{index}")


@pytest.mark.parametrize("path", [SCENARIO_SCHEMA, RUBRIC_SCHEMA], ids=["scenario", "rubric"])
def test_shipped_schemas_use_only_keywords_our_checker_knows(path):
    unknown = [(key, where) for key, where in keywords_used(schema_json(path)) if key not in KEYWORDS]
    assert unknown == []


def test_keyword_walk_sees_the_nested_schemas():
    used = {key for key, _ in keywords_used(schema_json(SCENARIO_SCHEMA))}
    assert {"oneOf", "propertyNames", "pattern", "minimum", "uniqueItems", "x-hint", "x-name", "enum"} <= used


def test_our_checker_accepts_the_valid_fixture():
    document = read_file(MINI)
    assert load_schema(str(SCENARIO_SCHEMA)).check(document, "mini.yaml") == []
    assert Draft202012Validator(schema_json(SCENARIO_SCHEMA)).is_valid(document)


# -- agreement ------------------------------------------------------------------------------------

MINI_TEXT = MINI.read_text(encoding="utf-8")


def mini_with(old, new):
    assert old in MINI_TEXT, old
    return MINI_TEXT.replace(old, new, 1)


DOCUMENTS = {
    "mini": MINI_TEXT,
    "unknown_top_field": mini_with("shuffle_choices: false", "shuffle_choices: false\nshufle: true"),
    "unknown_choice_field": mini_with("        once: true\n", "        onse: true\n"),
    "missing_title": mini_with("title: {en: A small test, fi: Pieni testi}\n", ""),
    "missing_goto": mini_with("        goto: bad\n", ""),
    "missing_outcome": mini_with("ending: {outcome: left}", "ending: {title: Gone}"),
    "title_number": mini_with("title: {en: A small test, fi: Pieni testi}", "title: 12"),
    "once_text": mini_with("once: true", "once: 'yes'"),
    "choices_not_a_list": mini_with("    choices:\n      - id: help", "    chose: 1\n    choices:\n      - id: help"),
    "flag_text": mini_with("flags: {asked: false}", "flags: {asked: maybe}"),
    "outcome_enum": mini_with("ending: {outcome: bad}", "ending: {outcome: sad}"),
    "hair_enum": mini_with("  age: 70\n", "  age: 70\n  look: {hair: green}\n"),
    "id_pattern": mini_with("id: mini", "id: mini-test"),
    "language_pattern": mini_with("languages: [en, fi]", "languages: [en, FI]"),
    "age_range": mini_with("age: 70", "age: 130"),
    "mood_change_range": mini_with("mood: {trust: -20, distress: 45}", "mood: {trust: -200, distress: 45}"),
    "format_2": mini_with("format: 1", "format: 2"),
    "format_true": mini_with("format: 1", "format: true"),
    "format_1_0": mini_with("format: 1", "format: 1.0"),
    "integral_float_mood": mini_with("mood: {trust: 40,", "mood: {trust: 40.0,"),
    "empty_text": mini_with("thought: {en: Maybe., fi: Ehkä.}", "thought: ''"),
    "long_condition": mini_with("when: distress >= 90", "when: '" + "x" * 201 + "'"),
    "duplicate_language": mini_with("languages: [en, fi]", "languages: [en, fi, en]"),
    "no_nodes": MINI_TEXT.split("nodes:")[0] + "nodes: []\n",
    "ten_choices": mini_with("    choices:\n      - id: help",
                             "    choices:\n" + "".join(f"      - {{id: x{i}, text: t, goto: bad}}\n" for i in range(7))
                             + "      - id: help"),
    # meaning problems only: the schema is satisfied
    "unknown_goto": mini_with("goto: good", "goto: godo"),
    "unknown_tag": mini_with("[plans_together]", "[plans_togther]"),
    "bad_condition": mini_with("if: asked", "if: asked >"),
}


@pytest.fixture(scope="module")
def reference():
    return Draft202012Validator(schema_json(SCENARIO_SCHEMA))


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_our_checker_agrees_with_jsonschema(name, reference, tmp_path):
    text = DOCUMENTS[name]
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    ours = [d for d in load_scenario(path).diagnostics if d.code in STRUCTURAL]
    document = parse_text(text.encode("utf-8"), name)
    theirs = [error.message for error in reference.iter_errors(document)]
    assert bool(ours) == bool(theirs), (
        f"ours: {[d.format() for d in ours]}\njsonschema: {theirs}")


def test_agreement_set_covers_both_answers(reference):
    answers = {reference.is_valid(parse_text(text.encode("utf-8"), name)) for name, text in DOCUMENTS.items()}
    assert answers == {True, False}
    assert len(DOCUMENTS) >= 20


# -- the rubric -----------------------------------------------------------------------------------

def test_rubric_schema_validates_the_shipped_rubric():
    document = read_file(RUBRIC)
    errors = [error.message for error in Draft202012Validator(schema_json(RUBRIC_SCHEMA)).iter_errors(document)]
    assert errors == []
    assert load_schema(str(RUBRIC_SCHEMA)).check(document, "rubric.yaml") == []
    rubric = load_rubric(RUBRIC)
    assert "open_question" in rubric.tags


RUBRIC_TEXT = RUBRIC.read_text(encoding="utf-8")

RUBRIC_VARIANTS = {
    "shipped": RUBRIC_TEXT,
    "harm_multiplier_too_big": RUBRIC_TEXT.replace("harm_multiplier: 2 ", "harm_multiplier: 20 ", 1),
    "unknown_group": RUBRIC_TEXT.replace("group: question", "group: questions", 1),
    "unknown_tag_field": RUBRIC_TEXT.replace("  closed_question:\n    code: closed_question\n",
                                             "  closed_question:\n    code: closed_question\n    groundin: x\n", 1),
    "code_without_points": RUBRIC_TEXT.replace("    listening: 3\n    empathy: 2\n", "    empathy: 2\n", 1),
    "bad_tag_name": RUBRIC_TEXT.replace("  summarises:\n", "  2summarises:\n", 1),
    "eccs_7": RUBRIC_TEXT.replace("eccs: 4", "eccs: 7", 1),
}


@pytest.mark.parametrize("name", list(RUBRIC_VARIANTS))
def test_rubric_checker_agrees_with_jsonschema(name):
    document = parse_text(RUBRIC_VARIANTS[name].encode("utf-8"), name)
    ours = load_schema(str(RUBRIC_SCHEMA)).check(document, name)
    theirs = list(Draft202012Validator(schema_json(RUBRIC_SCHEMA)).iter_errors(document))
    assert bool(ours) == bool(theirs)
    assert bool(ours) == (name != "shipped")
