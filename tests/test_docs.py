"""The trainers' guides must say what the code does.

scenarios/README.md (English) and scenarios/README.fi.md (Finnish) describe the
scenario format, the rubric, the limits and every diagnostic code. These tests
fail when the code and the guides drift apart: a new diagnostic code or schema
field that no guide explains, a tag table that no longer matches rubric.yaml, a
worked example that no longer validates, a limit that changed.

The guides mark the parts these tests read with HTML comments, invisible when
the Markdown is rendered:

    <!-- worked-example:start --> … <!-- worked-example:end -->   the example scenario
    <!-- rubric-tags:start --> … <!-- rubric-tags:end -->         the table of rubric tags
    <!-- diagnostics:start --> … <!-- diagnostics:end -->         the table of codes
    <!-- rubric-settings -->                                      followed by a ```yaml block
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

from game.paths import RUBRIC_SCHEMA, SCENARIO_SCHEMA, SHIPPED_RUBRIC
from game.scenario.conditions import MAX_LENGTH as CONDITION_MAX_LENGTH
from game.scenario.conditions import MAX_NUMBER as CONDITION_MAX_NUMBER
from game.scenario.diagnostics import CATALOGUE, SEVERITY_WORDS
from game.scenario.loader import load_scenario
from game.scenario.rubric import load_rubric
from game.scenario.safe_yaml import MAX_BYTES, MAX_DEPTH, MAX_NUMBER_DIGITS

ROOT = Path(__file__).resolve().parent.parent
GUIDES = {"en": ROOT / "scenarios" / "README.md", "fi": ROOT / "scenarios" / "README.fi.md"}
EXAMPLE = ROOT / "tests" / "fixtures" / "guide_example.yaml"
LANGS = sorted(GUIDES)

# How each guide writes the loader's limits (chapter 8), built from the constants themselves.
LIMIT_PHRASES = {
    "en": [f"{MAX_BYTES // 2**20} MB", f"{MAX_DEPTH} levels", f"{MAX_NUMBER_DIGITS} digits",
           f"{CONDITION_MAX_LENGTH} characters", f"{CONDITION_MAX_NUMBER:,}"],
    "fi": [f"{MAX_BYTES // 2**20} Mt", f"{MAX_DEPTH} tasoa", f"{MAX_NUMBER_DIGITS} numeroa",
           f"{CONDITION_MAX_LENGTH} merkkiä", f"{CONDITION_MAX_NUMBER:,}".replace(",", " ")],
}


@lru_cache(maxsize=None)
def guide(lang: str) -> str:
    return GUIDES[lang].read_text(encoding="utf-8")


def marked(text: str, name: str) -> str:
    """The text between <!-- name:start --> and <!-- name:end -->, which must each occur once."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    assert text.count(start) == 1 and text.count(end) == 1, f"the guide must mark its {name} once with {start} … {end}"
    return text.split(start, 1)[1].split(end, 1)[0]


def yaml_block(text: str) -> str:
    """The content of the first ```yaml fenced block in `text`."""
    found = re.search(r"^```yaml\n(.*?)^```$", text, re.S | re.M)
    assert found, "no ```yaml block found"
    return found.group(1)


def table_rows(text: str) -> list[list[str]]:
    """The body rows of the Markdown table in `text`, as lists of stripped cells (header and rule dropped)."""
    rows = [line.strip() for line in text.splitlines() if line.strip().startswith("|")]
    assert len(rows) >= 2 and set(rows[1]) <= set("|-: "), "expected a Markdown table with a header row"
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows[2:]]


def unticked(cell: str) -> str:
    return cell.strip().strip("`")


def property_names(schema) -> set[str]:
    """Every name under a `properties` keyword anywhere in a JSON Schema (top level and every $defs object)."""
    names: set[str] = set()
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key == "properties" and isinstance(value, dict):
                names.update(value)
            names |= property_names(value)
    elif isinstance(schema, list):
        for item in schema:
            names |= property_names(item)
    return names


# -- diagnostic codes ---------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_every_catalogue_code_is_in_the_table_with_its_severity(lang):
    rows = table_rows(marked(guide(lang), "diagnostics"))
    codes = [row[0] for row in rows]
    assert len(codes) == len(set(codes)), f"codes listed twice: {sorted(c for c in codes if codes.count(c) > 1)}"
    assert set(codes) == set(CATALOGUE), (
        f"missing from the table: {sorted(set(CATALOGUE) - set(codes))}; "
        f"not in the catalogue: {sorted(set(codes) - set(CATALOGUE))}")
    word = 1 if lang == "fi" else 0
    for code, severity, meaning, fix in (row[:4] for row in rows):
        assert severity == SEVERITY_WORDS[CATALOGUE[code][0]][word], f"{code}: severity should be {CATALOGUE[code][0]}"
        assert meaning and fix, f"{code}: say what it means and how to fix it"


@pytest.mark.parametrize("lang", LANGS)
def test_every_code_the_guide_mentions_exists(lang):
    mentioned = set(re.findall(r"KU\d+", guide(lang)))
    assert mentioned <= set(CATALOGUE), f"codes in the guide but not in the catalogue: {sorted(mentioned - set(CATALOGUE))}"


# -- the format ---------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_every_scenario_field_is_explained(lang):
    names = property_names(json.loads(SCENARIO_SCHEMA.read_text(encoding="utf-8")))
    missing = sorted(name for name in names if f"`{name}`" not in guide(lang))
    assert not missing, f"scenario fields never named in {GUIDES[lang].name}: {missing}"


@pytest.mark.parametrize("lang", LANGS)
def test_every_rubric_setting_is_explained(lang):
    names = property_names(json.loads(RUBRIC_SCHEMA.read_text(encoding="utf-8")))
    missing = sorted(name for name in names if f"`{name}`" not in guide(lang))
    assert not missing, f"rubric fields never named in {GUIDES[lang].name}: {missing}"


# -- the worked example -------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_worked_example_is_the_fixture(lang):
    shown = yaml_block(marked(guide(lang), "worked-example"))
    assert shown == EXAMPLE.read_text(encoding="utf-8"), (
        f"the example in {GUIDES[lang].name} differs from {EXAMPLE.relative_to(ROOT)}; copy one over the other")


def test_worked_example_validates_without_any_diagnostic():
    result = load_scenario(EXAMPLE)
    assert [d.format() for d in result.diagnostics] == []
    assert result.scenario is not None


# -- scoring --------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_tag_table_matches_the_rubric(lang):
    rubric = load_rubric(SHIPPED_RUBRIC)
    rows = {unticked(row[0]): row for row in table_rows(marked(guide(lang), "rubric-tags"))}
    assert set(rows) == set(rubric.tags), (
        f"missing from the table: {sorted(set(rubric.tags) - set(rows))}; "
        f"not in the rubric: {sorted(set(rows) - set(rubric.tags))}")
    for name, tag in rubric.tags.items():
        _, axis, weight, framework, eccs, miti, *_ = rows[name]
        assert (unticked(axis), int(weight), framework) == (tag.axis, tag.weight, tag.framework), name
        assert (eccs, miti) == ("" if tag.eccs is None else str(tag.eccs), tag.miti or ""), name


@pytest.mark.parametrize("lang", LANGS)
def test_rubric_settings_shown_are_the_shipped_ones(lang):
    text = guide(lang)
    assert text.count("<!-- rubric-settings -->") == 1
    shown = yaml.safe_load(yaml_block(text.split("<!-- rubric-settings -->", 1)[1]))
    shipped = yaml.safe_load(SHIPPED_RUBRIC.read_text(encoding="utf-8"))
    assert set(shown) == {"scoring", "trust_recovery", "thresholds"}, "show the scoring, trust_recovery and thresholds settings"
    assert shown == {key: shipped[key] for key in shown}, f"{GUIDES[lang].name} shows other settings than {SHIPPED_RUBRIC.name}"


# -- limits and structure ---------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_limits_quoted_are_the_loaders(lang):
    missing = [phrase for phrase in LIMIT_PHRASES[lang] if phrase not in guide(lang)]
    assert not missing, f"{GUIDES[lang].name} does not state these limits as the code has them: {missing}"


def test_both_guides_have_the_same_structure():
    def outline(text):
        without_code = re.sub(r"^```.*?^```$", "", text, flags=re.S | re.M)
        return [len(m.group(1)) for m in re.finditer(r"^(#{1,4}) ", without_code, re.M)]

    assert outline(guide("en")) == outline(guide("fi")), "the two guides should have the same headings, in the same order"
    assert "README.fi.md" in guide("en") and "README.md" in guide("fi"), "each guide should link to the other"
