"""The trainers' guides must say what the code does.

scenarios/README.md (English) and scenarios/README.fi.md (Finnish) describe the
scenario format, the rubric, the limits and every diagnostic code. These tests
fail when the code and the guides drift apart: a new diagnostic code or schema
field that no guide explains, a tag table that no longer matches rubric.yaml, a
worked example that no longer validates, a limit that changed.

The guides mark the parts these tests read with HTML comments, invisible when
the Markdown is rendered:

    <!-- worked-example:start --> … <!-- worked-example:end -->   the example scenario
    <!-- example-routes:start --> … <!-- example-routes:end -->   routes through it, with their scores
    <!-- example-naive:start --> … <!-- example-naive:end -->     naive players on it
    <!-- example-turns:start --> … <!-- example-turns:end -->     one route's points, turn by turn
    <!-- rubric-codes:start --> … <!-- rubric-codes:end -->       the table of behaviour codes
    <!-- rubric-tags:start --> … <!-- rubric-tags:end -->         the table of secondary tags
    <!-- frameworks:start --> … <!-- frameworks:end -->           the frameworks the rubric cites
    <!-- diagnostics:start --> … <!-- diagnostics:end -->         the table of diagnostic codes
    <!-- rubric-settings -->                                      followed by a ```yaml block
    <!-- excerpt: tests/fixtures/FILE -->                          followed by a ```yaml block quoted from FILE
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

from game.analysis.naive import naive_players
from game.analysis.plans import is_plan, load_plan, run_plan
from game.engine.conversation import Conversation
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


# -- short examples quoted from fixtures ------------------------------------------------------------

EXCERPT = re.compile(r"^<!-- excerpt: (\S+) -->\n```yaml\n(.*?)^```$", re.S | re.M)


def excerpts(lang: str) -> list[tuple[str, str]]:
    """(fixture path, quoted text) of every ```yaml block the guide marks as quoted from a fixture."""
    return EXCERPT.findall(guide(lang))


@pytest.mark.parametrize("lang", LANGS)
def test_short_examples_are_quoted_from_fixtures_as_they_are(lang):
    found = excerpts(lang)
    assert len(found) == guide(lang).count("<!-- excerpt:"), "every <!-- excerpt: FILE --> must be followed by a ```yaml block"
    assert len(found) >= 5, "the trainers' tools are shown with short examples quoted from fixtures"
    for name, quoted in found:
        fixture = ROOT / name
        assert fixture.parent == ROOT / "tests" / "fixtures" and fixture.is_file(), f"no fixture {name}"
        assert quoted in fixture.read_text(encoding="utf-8"), (
            f"this example in {GUIDES[lang].name} is not in {name} as it stands:\n{quoted}")


def test_both_guides_quote_the_same_fixtures():
    assert {name for name, _ in excerpts("en")} == {name for name, _ in excerpts("fi")}


def test_quoted_fixtures_validate_and_their_plans_pass():
    for name in sorted({name for name, _ in excerpts("en")}):
        path = ROOT / name
        if is_plan(path):
            loaded = load_plan(path)
            assert [d.format() for d in loaded.diagnostics] == [], name
            failed = [result.case.name for result in run_plan(loaded.plan) if not result.passed]
            assert not failed, f"{name}: cases failed: {failed}"
        else:
            result = load_scenario(path)
            assert [d.format() for d in result.diagnostics] == [], name
            assert result.scenario is not None, name


# -- scoring --------------------------------------------------------------------------------------

def shipped_rubric_data() -> dict:
    return yaml.safe_load(SHIPPED_RUBRIC.read_text(encoding="utf-8"))


def label_in(label, lang: str) -> str:
    return label if isinstance(label, str) else label.get(lang) or label["en"]


def blank_or(value) -> str:
    return "" if value is None else str(value)


@pytest.mark.parametrize("lang", LANGS)
def test_code_table_matches_the_rubric(lang):
    rubric = load_rubric(SHIPPED_RUBRIC)
    rows = {unticked(row[0]): row for row in table_rows(marked(guide(lang), "rubric-codes"))}
    assert set(rows) == set(rubric.codes), (
        f"missing from the table: {sorted(set(rubric.codes) - set(rows))}; "
        f"not in the rubric: {sorted(set(rows) - set(rubric.codes))}")
    for name, code in rubric.codes.items():
        _, group, listening, empathy, miti, eccs, framework, label, *_ = rows[name]
        assert (unticked(group), int(listening), int(empathy)) == (code.group, code.listening, code.empathy), name
        assert (unticked(miti), eccs, framework) == (code.miti or "", blank_or(code.eccs), code.framework), name
        assert label == label_in(code.label, lang), f"{name}: the label should read {label_in(code.label, lang)!r}"


@pytest.mark.parametrize("lang", LANGS)
def test_code_table_lists_the_groups_in_the_rubrics_order(lang):
    """Codes of one group stand together, so the table reads as the coach's groups."""
    groups = [unticked(row[1]) for row in table_rows(marked(guide(lang), "rubric-codes"))]
    seen = [group for index, group in enumerate(groups) if index == 0 or groups[index - 1] != group]
    assert len(seen) == len(set(seen)), f"the codes of a group should stand together: {seen}"


@pytest.mark.parametrize("lang", LANGS)
def test_tag_table_matches_the_rubric(lang):
    rubric = load_rubric(SHIPPED_RUBRIC)
    secondary = shipped_rubric_data()["tags"]  # the tags the rubric defines (every code is a move too)
    rows = {unticked(row[0]): row for row in table_rows(marked(guide(lang), "rubric-tags"))}
    assert set(rows) == set(secondary), (
        f"missing from the table: {sorted(set(secondary) - set(rows))}; "
        f"not in the rubric: {sorted(set(rows) - set(secondary))}")
    for name in secondary:
        tag = rubric.tags[name]
        _, code, eccs, framework, label, *_ = rows[name]
        assert (unticked(code), eccs, framework) == (tag.code or "", blank_or(tag.eccs), tag.framework), name
        assert label == label_in(tag.label, lang), f"{name}: the label should read {label_in(tag.label, lang)!r}"


@pytest.mark.parametrize("lang", LANGS)
def test_every_framework_the_rubric_cites_is_listed(lang):
    data = shipped_rubric_data()
    cited = {entry["framework"] for part in ("codes", "tags") for entry in data[part].values()}
    listed = marked(guide(lang), "frameworks")
    missing = sorted(name for name in cited if f"**{name}**" not in listed)
    assert not missing, f"frameworks the rubric cites but {GUIDES[lang].name} does not list: {missing}"


@pytest.mark.parametrize("lang", LANGS)
def test_rubric_settings_shown_are_the_shipped_ones(lang):
    text = guide(lang)
    assert text.count("<!-- rubric-settings -->") == 1
    shown = yaml.safe_load(yaml_block(text.split("<!-- rubric-settings -->", 1)[1]))
    shipped = shipped_rubric_data()
    assert set(shown) == {"scoring", "trust_recovery", "thresholds"}, "show the scoring, trust_recovery and thresholds settings"
    assert shown == {key: shipped[key] for key in shown}, f"{GUIDES[lang].name} shows other settings than {SHIPPED_RUBRIC.name}"


# -- what the guide says about the worked example -----------------------------------------------------

def percent(cell: str) -> int:
    found = re.fullmatch(r"(\d+)\s?%", cell.strip())
    assert found, f"expected a percentage, found {cell!r}"
    return int(found.group(1))


def whole_percent(share: float) -> int:
    return int(share * 100 + 0.5)


def test_worked_example_shows_format_2():
    scenario = load_scenario(EXAMPLE).scenario
    choices = [choice for node in scenario.nodes.values() for choice in node.choices]
    assert scenario.format == 2 and all(choice.code for choice in choices)
    assert len(scenario.traits) >= 2 and all(
        any(name in variant.condition.names for node in scenario.nodes.values() for variant in node.variants)
        for name in scenario.traits), "every trait should change a line"
    assert any(variant.summary for node in scenario.endings for variant in node.variants), "a path-specific ending summary"
    assert any(node.expression for node in scenario.nodes.values())
    assert any(choice.code == "attentive_silence" for choice in choices)


@pytest.mark.parametrize("lang", LANGS)
def test_example_routes_score_as_the_guide_says(lang):
    scenario = load_scenario(EXAMPLE).scenario
    rows = table_rows(marked(guide(lang), "example-routes"))
    assert len(rows) >= 4
    for customer, answers, ending, harmful, ceiling, listening, empathy, *_ in rows:
        choices = re.findall(r"`(\w+)`", answers)
        traits = re.findall(r"`(\w+)`", customer) or list(scenario.traits)
        assert set(traits) <= set(scenario.traits), customer
        for trait in traits:
            conversation = Conversation(scenario, seed=0, drawn={"trait": trait, "stake": None})
            for choice in choices:
                conversation.choose(choice)
            result = conversation.result
            where = f"{' → '.join(choices)} ({trait})"
            assert conversation.ended and result.ending == unticked(ending), where
            assert result.harmful_moves == int(harmful), where
            assert whole_percent(result.ceiling) == percent(ceiling), where
            assert whole_percent(result.listening.share) == percent(listening), where
            assert whole_percent(result.empathy.share) == percent(empathy), where


@pytest.mark.parametrize("lang", LANGS)
def test_example_turns_earn_the_points_the_guide_shows(lang):
    """The chapter 6 table: each turn's points against the best on offer then, and the shares they make."""
    scenario = load_scenario(EXAMPLE).scenario
    rows = table_rows(marked(guide(lang), "example-turns"))
    turns, total = rows[:-1], rows[-1]
    conversation = Conversation(scenario, seed=0)
    for node, answer, listening, empathy, *_ in turns:
        choice, code = re.findall(r"`(\w+)`", answer)
        assert conversation.node.id == unticked(node), f"the route reaches {conversation.node.id}, not {node}"
        turn = conversation.choose(choice)
        assert turn.code == code, choice
        for axis, cell in (("listening", listening), ("empathy", empathy)):
            earned, best = (float(part) for part in re.findall(r"-?\d+", cell))
            assert (earned, best) == (turn.points[axis], turn.best[axis]), f"{choice}, {axis}"
    result = conversation.result
    for axis, cell in (("listening", total[2]), ("empathy", total[3])):
        earned, best, share = (int(part) for part in re.findall(r"\d+", cell))
        score = getattr(result, axis)
        assert (earned, best, share) == (score.points, score.best, whole_percent(score.share)), axis


@pytest.mark.parametrize("lang", LANGS)
def test_example_naive_players_score_as_the_guide_says(lang):
    scenario = load_scenario(EXAMPLE).scenario
    shown = {unticked(row[0]): row for row in table_rows(marked(guide(lang), "example-naive"))}
    results = {result.strategy: result for result in naive_players(scenario, "en")}
    assert set(shown) == set(results)
    for strategy, result in results.items():
        _, listening, empathy, good, *_ = shown[strategy]
        assert percent(listening) == whole_percent(result.listening), strategy
        assert percent(empathy) == whole_percent(result.empathy), strategy
        assert percent(good) == whole_percent(result.good_rate), strategy


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
