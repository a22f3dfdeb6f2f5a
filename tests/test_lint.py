"""The meaning checks of `load_scenario`: every problem of a scenario, located, with a hint.

Each test starts from BASE, a minimal valid scenario, and changes one thing (`variant`), then
checks the exact diagnostics: code, line and column, and the hint a trainer reads.
"""

import pytest

from game.scenario.loader import load_scenario

BASE = """\
format: 1
id: base
title: Base
languages: [en, fi]
customer:
  name: Asiakas
  situation: Returns a kettle.
  hidden: Cannot read the receipt.
flags: {asked: false}
nodes:
  - id: start
    line: Hello.
    cue: Smiles.
    thought: Fine.
    choices:
      - id: greet
        text: Hi.
        tags: [open_question]
        goto: ending_good
      - id: leave
        text: Bye.
        goto: ending_bad
  - id: ending_good
    line: Thanks.
    ending: {outcome: good}
  - id: ending_bad
    line: Bye.
    ending: {outcome: bad}
"""
# Lines of BASE used below: 11 `- id: start`, 16 `- id: greet`, 18 tags, 19 greet's goto,
# 20 `- id: leave`, 22 leave's goto, 23 `- id: ending_good`, 26 `- id: ending_bad`.


def variant(*edits, append=""):
    """BASE with each (old, new) replaced once, plus text appended at the end."""
    text = BASE
    for old, new in edits:
        assert text.count(old) >= 1, f"not in BASE: {old!r}"
        text = text.replace(old, new, 1)
    return text + append


@pytest.fixture
def load(tmp_path):
    def load(text, name="scenario.yaml"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return load_scenario(path, display=name)
    return load


def found(result):
    return [(d.code, d.line, d.col) for d in result.diagnostics]


def static(result):
    """The file-level checks only: the path checks (KU060 and up) explore conditions and are tested elsewhere."""
    return [(d.code, d.line, d.col) for d in result.diagnostics if d.code < "KU060"]


def only(result, code):
    [d] = [d for d in result.diagnostics if d.code == code]
    return d


def test_base_is_valid(load):
    result = load(BASE)
    assert result.diagnostics == []
    assert result.scenario is not None
    assert result.ok


# -- structure (from the schema) -------------------------------------------------------------------

def test_unknown_field_with_did_you_mean(load):
    result = load(variant(("languages: [en, fi]\n", "languages: [en, fi]\ndificulty: easy\n")))
    assert found(result) == [("KU010", 5, 1)]
    d = result.diagnostics[0]
    assert d.message() == "unknown field 'dificulty' in the top level"
    assert d.hint_text() == "did you mean 'difficulty'?"
    assert d.severity == "error"
    assert result.scenario is None


def test_unknown_field_in_a_choice(load):
    result = load(variant(("        goto: ending_bad\n", "        goto: ending_bad\n        feedbak: Nice.\n")))
    assert found(result) == [("KU010", 23, 9)]
    assert result.diagnostics[0].hint_text() == "did you mean 'feedback'?"


def test_missing_required_field(load):
    result = load(variant(("  hidden: Cannot read the receipt.\n", "")))
    assert found(result) == [("KU011", 6, 3)]
    assert result.diagnostics[0].message() == "customer is missing the required field 'hidden'"


def test_two_missing_required_fields_are_both_reported(load):
    result = load(variant(("  name: Asiakas\n", ""), ("  hidden: Cannot read the receipt.\n", "")))
    assert found(result) == [("KU011", 6, 3), ("KU011", 6, 3)]
    assert sorted(d.message() for d in result.diagnostics) == [
        "customer is missing the required field 'hidden'", "customer is missing the required field 'name'"]


def test_missing_required_field_of_a_node(load):
    result = load(variant(("    line: Thanks.\n", "")))
    assert found(result) == [("KU011", 23, 5)]
    assert result.diagnostics[0].message() == "nodes › ending_good is missing the required field 'line'"


def test_wrong_type_with_quote_hint(load):
    result = load(variant(("        text: Bye.\n", "        text: true\n")))
    assert found(result) == [("KU012", 21, 15)]
    d = result.diagnostics[0]
    assert d.message().startswith("nodes › start › choices › leave › text should be text")
    assert d.message().endswith("not true or false")
    assert d.hint_text() == 'put the text in quotes, e.g. "true"'


def test_number_where_text_belongs_gets_quote_hint(load):
    result = load(variant(("title: Base\n", "title: 2024\n")))
    assert found(result) == [("KU012", 3, 8)]
    assert result.diagnostics[0].hint_text() == 'put the text in quotes, e.g. "2024"'


def test_enum_with_did_you_mean(load):
    result = load(variant(("{outcome: good}", "{outcome: godo}")))
    assert found(result) == [("KU013", 25, 23)]
    d = result.diagnostics[0]
    assert d.message() == 'nodes › ending_good › ending › outcome: "godo" is not allowed here'
    assert d.hint_text() == "did you mean 'good'?"


def test_enum_lists_the_allowed_values_when_nothing_is_close(load):
    result = load(variant(("{outcome: good}", "{outcome: xyz}")))
    assert found(result) == [("KU013", 25, 23)]
    assert result.diagnostics[0].hint_text() == "allowed here: bad, good, left, mixed"


def test_pattern(load):
    result = load(variant(("id: base", "id: 2base")))
    assert found(result) == [("KU013", 2, 5)]
    assert result.diagnostics[0].hint_text() == "IDs start with a letter and use letters, digits and _ (at most 64)"


def test_range(load):
    result = load(variant(("flags: {asked: false}\n", "flags: {asked: false}\nmood: {trust: 150}\n")))
    assert found(result) == [("KU013", 10, 15)]
    d = result.diagnostics[0]
    assert d.message() == "mood › trust: 150 is not allowed here"
    assert d.hint_text() == "allowed here: 0–100"


def test_too_many_choices(load):
    extra = "".join(f"      - {{id: c{i}, text: x, goto: ending_bad}}\n" for i in range(8))
    result = load(variant(("      - id: leave\n", extra + "      - id: leave\n")))
    assert found(result) == [("KU013", 16, 7)]
    assert "10 items (at most 9)" in result.diagnostics[0].message()


# -- languages ------------------------------------------------------------------------------------

def test_missing_declared_language(load):
    result = load(variant(("title: Base\n", "title: {en: Base}\n")))
    assert found(result) == [("KU014", 3, 8)]
    d = result.diagnostics[0]
    assert d.message() == "title has no 'fi' text, but the scenario declares that language"
    assert d.hint_text() == "add 'fi: …' to this text, or remove 'fi' from `languages`"


def test_missing_language_deep_in_a_choice(load):
    result = load(variant(("        text: Hi.\n", "        text: {fi: Hei.}\n")))
    assert found(result) == [("KU014", 17, 15)]
    assert result.diagnostics[0].message() == "start › greet › text has no 'en' text, but the scenario declares that language"


def test_two_missing_languages_of_one_text_are_both_reported(load):
    result = load(variant(("languages: [en, fi]", "languages: [en, fi, sv]"), ("title: Base\n", "title: {en: Base}\n")))
    assert found(result) == [("KU014", 3, 8), ("KU014", 3, 8)]
    assert sorted(d.params["lang"] for d in result.diagnostics) == ["fi", "sv"]


def test_undeclared_language_is_a_warning_and_the_scenario_still_loads(load):
    result = load(variant(("title: Base\n", "title: {en: Base, fi: Perus, sv: Bas}\n")))
    assert found(result) == [("KU015", 3, 30)]
    d = result.diagnostics[0]
    assert d.severity == "warning"
    assert d.hint_text() == "add 'sv' to `languages`, or remove this text"
    assert result.scenario is not None


def test_no_is_a_language_code_not_a_boolean(load):
    result = load(variant(("languages: [en, fi]", "languages: [en, no]"), ("title: Base", "title: {en: Base, no: Base}")))
    assert result.diagnostics == []
    assert result.scenario.languages == ("en", "no")


def test_finnish_words_that_yaml_1_1_calls_booleans_are_text(load):
    result = load(variant(("    line: Hello.\n", "    line: on\n"), ("        text: Bye.\n", "        text: no\n")))
    assert result.diagnostics == []
    assert result.scenario.nodes["start"].line == "on"


# -- IDs and targets ------------------------------------------------------------------------------

def test_duplicate_node_id(load):
    result = load(BASE + "  - id: ending_bad\n    line: Again.\n    ending: {outcome: bad}\n")
    assert found(result) == [("KU020", 29, 9)]
    d = result.diagnostics[0]
    assert d.message() == "duplicate node ID 'ending_bad' (first at line 26)"
    assert d.hint_text() == "give each one its own ID"


def test_duplicate_choice_id_in_a_node(load):
    result = load(variant(("      - id: leave\n", "      - id: greet\n")))
    assert found(result) == [("KU021", 20, 13)]
    assert result.diagnostics[0].message() == "duplicate choice ID 'greet' in node 'start' (first at line 16)"


def test_same_choice_id_in_different_nodes_is_fine(load):
    result = load(variant(("        goto: ending_bad\n", "        goto: middle\n"),
                          append="  - id: middle\n    line: So?\n    cue: c\n    thought: t\n    choices:\n"
                                 "      - id: greet\n        text: Hi again.\n        goto: ending_bad\n"))
    assert result.diagnostics == []


def test_unknown_goto_with_did_you_mean(load):
    result = load(variant(("goto: ending_good", "goto: ending_godo")))
    # the misspelt goto, and the node it was meant to reach is now unreachable
    assert found(result) == [("KU022", 19, 15), ("KU024", 23, 9)]
    d = result.diagnostics[0]
    assert d.message() == "'ending_godo' is not a node in this scenario"
    assert d.hint_text() == "did you mean 'ending_good'?"


def test_unknown_goto_in_a_branch_and_an_interrupt(load):
    result = load(variant(
        ("flags: {asked: false}\n", "flags: {asked: false}\ninterrupts:\n  - {id: out, when: distress > 90, goto: gone}\n"),
        ("    cue: Smiles.\n", "    cue: Smiles.\n    branches:\n      - {when: trust < 5, goto: ending_bda}\n")))
    assert [(c, l, k) for c, l, k in found(result) if c == "KU022"] == [("KU022", 11, 42), ("KU022", 17, 33)]
    hints = [d.hint_text() for d in result.diagnostics if d.code == "KU022"]
    assert hints[1] == "did you mean 'ending_bad'?"


def test_unknown_start(load):
    result = load(variant(("flags: {asked: false}\n", "flags: {asked: false}\nstart: strat\n")))
    d = only(result, "KU023")
    assert (d.line, d.col) == (10, 8)
    assert d.message() == "the start node 'strat' does not exist"
    assert d.hint_text() == "did you mean 'start'?"
    assert [e.code for e in result.errors] == ["KU023"]


def test_unreachable_node_is_a_warning(load):
    result = load(BASE + "  - id: orphan\n    line: Lost.\n    ending: {outcome: mixed}\n")
    assert found(result) == [("KU024", 29, 9)]
    d = result.diagnostics[0]
    assert d.severity == "warning"
    assert d.message() == "node 'orphan' can never be reached from the start"
    assert result.scenario is not None


def test_explicit_start_makes_earlier_nodes_unreachable(load):
    result = load(variant(("flags: {asked: false}\n", "flags: {asked: false}\nstart: ending_bad\n")))
    assert found(result) == [("KU024", 12, 9), ("KU024", 24, 9)]


# -- the graph ------------------------------------------------------------------------------------

def test_dead_end(load):
    result = load(variant(("    ending: {outcome: bad}\n", "    cue: Sighs.\n    thought: Hm.\n")))
    assert found(result) == [("KU025", 26, 9)]
    assert result.diagnostics[0].hint_text() == "add a choice, a branch, or an `ending:`"


def test_every_choice_conditional_is_a_warning(load):
    result = load(variant(("        goto: ending_good\n", "        if: asked\n        goto: ending_good\n"),
                          ("        goto: ending_bad\n", "        if: trust > 10\n        goto: ending_bad\n")))
    assert static(result) == [("KU026", 11, 9)]
    d = result.diagnostics[0]
    assert d.severity == "warning"
    assert d.message() == "in node 'start' every choice can be unavailable, and nothing else leads on"
    assert result.scenario is not None


def test_once_choice_in_a_node_that_cannot_be_revisited_is_always_available(load):
    result = load(variant(("        goto: ending_good\n", "        once: true\n        goto: ending_good\n"),
                          ("        goto: ending_bad\n", "        if: trust > 10\n        goto: ending_bad\n")))
    assert result.diagnostics == []


def test_once_choice_in_a_node_that_can_be_revisited_can_run_out(load):
    result = load(variant(("        goto: ending_good\n", "        once: true\n        goto: start\n"),
                          ("        goto: ending_bad\n", "        if: trust > 10\n        goto: ending_bad\n")))
    assert [c for c, _, _ in found(result)] == ["KU026", "KU024"]
    assert only(result, "KU026").line == 11


def test_unconditional_branch_is_a_way_on(load):
    result = load(variant(("        goto: ending_good\n", "        if: asked\n        goto: ending_good\n"),
                          ("        goto: ending_bad\n", "        if: trust > 10\n        goto: ending_bad\n"),
                          ("    cue: Smiles.\n", "    cue: Smiles.\n    branches:\n      - goto: ending_bad\n")))
    assert static(result) == []  # its choices are never shown: the path check says so (KU060)


def test_ending_with_choices(load):
    result = load(variant(("    ending: {outcome: bad}\n",
                           "    ending: {outcome: bad}\n    choices:\n      - id: again\n        text: Again?\n"
                           "        goto: start\n")))
    assert found(result) == [("KU027", 29, 5)]
    assert result.diagnostics[0].message() == "ending 'ending_bad' has choices; an ending closes the conversation"


LOOP = """\
  - id: loop_a
    line: A.
    cue: a
    thought: a
    choices:
      - id: on
        text: On.
        goto: loop_b
  - id: loop_b
    line: B.
    cue: b
    thought: b
    choices:
      - id: back
        text: Back.
        goto: loop_a
"""


def test_loop_with_no_way_to_an_ending(load):
    result = load(variant(("        goto: ending_bad\n",
                           "        goto: ending_bad\n      - id: wander\n        text: Hmm.\n        goto: loop_a\n"),
                          append=LOOP))
    assert found(result) == [("KU028", 32, 9), ("KU028", 40, 9)]
    d = result.diagnostics[0]
    assert d.message() == "no ending can be reached from node 'loop_a': the conversation could go round for ever"
    assert d.hint_text() == "add a choice or branch from this loop to an ending"


def test_loop_with_an_interrupt_to_an_ending_is_fine(load):
    result = load(variant(("        goto: ending_bad\n",
                           "        goto: ending_bad\n      - id: wander\n        text: Hmm.\n        goto: loop_a\n"),
                          ("flags: {asked: false}\n",
                           "flags: {asked: false}\ninterrupts:\n  - {id: out, when: distress > 90, goto: ending_bad}\n"),
                          append=LOOP))
    assert static(result) == []  # statically there is a way out; whether the interrupt can fire is KU061's job


def test_no_ending_at_all(load):
    text = BASE.split("  - id: ending_good")[0].replace("goto: ending_good", "goto: start").replace(
        "goto: ending_bad", "goto: start")
    result = load(text)
    assert found(result) == [("KU029", 10, 1)]
    assert result.diagnostics[0].message() == "the scenario has no ending"
    assert result.diagnostics[0].hint_text() == "add a node with `ending:`"


# -- tags, conditions, flags ----------------------------------------------------------------------

def test_unknown_rubric_tag_with_did_you_mean(load):
    result = load(variant(("[open_question]", "[open_questoin]")))
    assert found(result) == [("KU030", 18, 16)]
    d = result.diagnostics[0]
    assert d.message() == "unknown rubric tag 'open_questoin'"
    assert d.hint_text() == "did you mean 'open_question'?"


def test_second_unknown_tag_is_located_on_its_own(load):
    result = load(variant(("[open_question]", "[open_question, lecturess]")))
    assert found(result) == [("KU030", 18, 31)]
    assert result.diagnostics[0].hint_text() == "did you mean 'lectures'?"


def test_condition_that_does_not_parse(load):
    result = load(variant(("        goto: ending_good\n", "        if: trust >\n        goto: ending_good\n")))
    assert found(result) == [("KU031", 19, 13)]
    d = result.diagnostics[0]
    assert d.message() == "the condition 'trust >' does not parse: it is not a valid expression"
    assert d.message("fi") == "ehto 'trust >' ei ole kelvollinen: se ei ole kelvollinen lauseke"
    assert d.hint_text() == "conditions use names, numbers, true/false, comparisons, and/or/not, + and -"


def test_dangerous_condition_is_refused_not_run(load, tmp_path):
    target = tmp_path / "pwned"
    condition = f"__import__('os').system('touch {target}')"
    result = load(variant(("        goto: ending_good\n", f"        if: \"{condition}\"\n        goto: ending_good\n")))
    assert found(result) == [("KU031", 19, 13)]
    assert "calling functions is not allowed" in result.diagnostics[0].message()
    assert not target.exists()


def test_condition_with_unknown_variable(load):
    result = load(variant(("        goto: ending_good\n", "        if: trsut > 10\n        goto: ending_good\n")))
    assert found(result) == [("KU032", 19, 13)]
    d = result.diagnostics[0]
    assert d.message() == "the condition 'trsut > 10' names an unknown variable 'trsut'"
    assert d.hint_text() == "did you mean 'trust'?"


def test_two_unknown_variables_in_one_condition_are_both_reported(load):
    result = load(variant(("        goto: ending_good\n", "        if: trsut > 1 and askd\n        goto: ending_good\n")))
    assert found(result) == [("KU032", 19, 13), ("KU032", 19, 13)]
    assert sorted(d.params["name"] for d in result.diagnostics) == ["askd", "trsut"]


def test_condition_may_read_mood_turn_and_flags(load):
    result = load(variant(("        goto: ending_good\n",
                           "        if: trust + heard - distress > 0 and turn < 5 and not asked\n        goto: ending_good\n")))
    assert result.diagnostics == []


def test_set_of_an_undeclared_flag(load):
    result = load(variant(("        goto: ending_good\n", "        set: {askd: true}\n        goto: ending_good\n")))
    assert found(result) == [("KU033", 19, 15)]
    d = result.diagnostics[0]
    assert d.message() == "'askd' is not a flag declared under `flags:`"
    assert d.hint_text() == "did you mean 'asked'?"


OPPORTUNITY = ("    thought: Fine.\n", "    thought: Fine.\n    opportunity: embarrassed\n")


def test_opportunity_choice_gets_its_eccs_level_from_its_code(load):
    """A closed question answering a feeling is implicit recognition (ECCS 2): its code says so, no warning."""
    result = load(variant(OPPORTUNITY, ("        goto: ending_bad\n", "        tags: [closed_question]\n        goto: ending_bad\n")))
    assert found(result) == []
    choice = result.scenario.nodes["start"].choice("leave")
    assert choice.code == "closed_question"
    assert result.scenario.rubric.eccs_level(choice.code, choice.tags, choice.eccs) == 2


def test_opportunity_choice_without_tags_or_eccs(load):
    """An untagged answer to an opportunity has no ECCS level either; scoring would count it as level 0."""
    result = load(variant(OPPORTUNITY))
    assert found(result) == [("KU034", 21, 9)]


def test_opportunity_choice_with_explicit_eccs_is_fine(load):
    result = load(variant(OPPORTUNITY, ("        goto: ending_bad\n", "        eccs: 1\n        goto: ending_bad\n")))
    assert result.diagnostics == []


def test_missing_cue_and_thought_are_warnings(load):
    result = load(variant(("    cue: Smiles.\n", ""), ("    thought: Fine.\n", "")))
    assert found(result) == [("KU036", 11, 5), ("KU036", 11, 5)]
    messages = sorted(d.message() for d in result.diagnostics)
    assert messages == ["node 'start' has no `cue`; trainees learn from every customer line having one",
                        "node 'start' has no `thought`; trainees learn from every customer line having one"]
    assert all(d.severity == "warning" for d in result.diagnostics)
    assert result.scenario is not None


# -- all at once ----------------------------------------------------------------------------------

FIVE_MISTAKES = variant(
    ("title: Base\n", "title: 2024\n"),                                       # KU012 line 3
    ("languages: [en, fi]\n", "languages: [en, fi]\ndificulty: easy\n"),      # KU010 line 5
    ("[open_question]", "[open_questoin]"),                                   # KU030 line 19
    ("        goto: ending_bad\n", "        set: {askd: true}\n        goto: ending_bad\n"),  # KU033 line 23
    ("{outcome: good}", "{outcome: gud}"),                                    # KU013 line 27
)


def test_all_problems_of_a_file_are_reported_in_one_run_sorted_by_line(load):
    result = load(FIVE_MISTAKES)
    assert found(result) == [("KU012", 3, 8), ("KU010", 5, 1), ("KU030", 19, 16), ("KU033", 23, 15),
                             ("KU013", 27, 23)]
    lines = [(d.line, d.col) for d in result.diagnostics]
    assert lines == sorted(lines)
    assert result.scenario is None
    assert len(result.errors) == 5


def test_scenario_is_built_only_without_errors(load):
    assert load(BASE).scenario is not None
    warnings_only = load(BASE + "  - id: orphan\n    line: Lost.\n    ending: {outcome: mixed}\n")
    assert warnings_only.diagnostics and not warnings_only.errors
    assert warnings_only.scenario is not None
    with_error = load(variant(("[open_question]", "[open_questoin]")))
    assert with_error.errors and with_error.scenario is None


def test_a_first_node_whose_id_is_a_list_is_reported_not_a_crash(load):
    result = load(variant(("  - id: start\n", "  - id: [start]\n")))
    assert ("KU012", 11, 9) in found(result)
    assert result.scenario is None


def test_a_first_node_whose_id_is_a_mapping_is_reported_not_a_crash(load):
    result = load(variant(("  - id: start\n", "  - id: {a: 1}\n")))
    assert ("KU012", 11, 9) in found(result)
    assert result.scenario is None


@pytest.mark.parametrize("edit", [
    ("nodes:\n", "nodes: {}\nx:\n"),
    ("  - id: start\n", "  - id: 5\n"),
    ("goto: ending_good", "goto: 7"),
    ("goto: ending_good", "goto: [ending_good]"),
    ("    choices:\n", "    choices: x\n    chx:\n"),
    ("[open_question]", "[[a], {b: 1}, 3]"),
    ("[open_question]", "open_question"),
    ("languages: [en, fi]", "languages: en"),
    ("languages: [en, fi]", "languages: [[en], fi]"),
    ("flags: {asked: false}", "flags: {1: x, asked: [1]}"),
    ("flags: {asked: false}", "flags: {asked: false}\nstart: [3]"),
    ("flags: {asked: false}", "flags: {asked: false}\ninterrupts: [1, {when: 5, goto: 3}, {id: x, when: [a], goto: {}}]"),
    ("ending: {outcome: good}", "ending: good"),
    ("ending: {outcome: good}", "ending:"),
    ("    cue: Smiles.\n", "    cue: Smiles.\n    branches: [1, {when: 3}, {goto: 4}, {when: 'x(', goto: []}]\n"),
    ("customer:\n", "customer: []\nc:\n"),
    ("title: Base", "title: {en: [1], 5: x, fi: ~}"),
    ("        goto: ending_good\n", "        set: [a]\n        goto: ending_good\n"),
    ("        goto: ending_good\n", "        if: {a: 1}\n        goto: ending_good\n"),
    ("        text: Hi.\n", "        text: {}\n"),
], ids=lambda edit: edit[1].strip()[:30] if isinstance(edit, tuple) else None)
def test_odd_shapes_give_errors_not_crashes(load, edit):
    result = load(variant(edit))
    assert result.errors
    assert result.scenario is None


@pytest.mark.parametrize("text", ["- a\n- b\n", "hello\n", "5\n", "{}\n", "nodes: []\n"])
def test_a_document_that_is_not_a_scenario(load, text):
    result = load(text)
    assert result.errors and result.scenario is None


# -- Finnish --------------------------------------------------------------------------------------

def test_finnish_messages(load):
    result = load(variant(("goto: ending_good", "goto: ending_godo")))
    error, warning = result.diagnostics
    assert error.format("fi") == ("scenario.yaml:19:15: virhe KU022: 'ending_godo' ei ole tämän skenaarion solmu\n"
                                  "    vihje: tarkoititko 'ending_good'?")
    assert warning.format("fi") == ("scenario.yaml:23:9: varoitus KU024: solmuun 'ending_good' ei pääse koskaan alusta\n"
                                    "    vihje: lisää valinta tai haara, joka vie siihen, tai poista se")
    assert error.format() == ("scenario.yaml:19:15: error KU022: 'ending_godo' is not a node in this scenario\n"
                              "    hint: did you mean 'ending_good'?")


def test_finnish_type_error_uses_finnish_type_names(load):
    result = load(variant(("title: Base\n", "title: 2024\n")))
    d = result.diagnostics[0]
    assert d.format("fi") == ("scenario.yaml:3:8: virhe KU012: kohdan title pitäisi olla tekstiä "
                              "(merkkijono tai esim. {en: …, fi: …}), ei kokonaisluku\n"
                              "    vihje: laita teksti lainausmerkkeihin, esim. \"2024\"")


def test_every_diagnostic_of_the_five_mistakes_has_finnish_text(load):
    for d in load(FIVE_MISTAKES).diagnostics:
        finnish = d.format("fi")
        assert " virhe " in finnish
        assert d.message("fi") != d.message("en")


# -- reserved flag names and farmable loops ---------------------------------------------------------

@pytest.mark.parametrize("name", ["trust", "turn", "and", "true", "None"])
def test_a_flag_named_like_a_built_in_is_refused(load, name):
    result = load(variant(("flags: {asked: false}\n", f"flags: {{asked: false, {name}: 1}}\n")))
    assert "KU037" in [d.code for d in result.diagnostics]
    assert only(result, "KU037").params["name"] == name
    assert result.scenario is None


def test_a_point_earning_choice_in_a_loop_is_flagged_unless_once_or_guarded(tmp_path):
    loop = """\
format: 1
id: loop
title: Loop
languages: [en]
customer: {name: A, situation: s, hidden: h}
flags: {asked: false}
nodes:
  - id: a
    line: Hi
    cue: c
    thought: t
    choices:
      - {id: again, text: Again, tags: [open_question], goto: b}
      - {id: done, text: Done, goto: end}
  - id: b
    line: Hm
    cue: c
    thought: t
    choices:
      - {id: back, text: Back, goto: a}
  - id: end
    line: Bye
    ending: {outcome: good}
"""
    def codes(text):
        path = tmp_path / "loop.yaml"
        path.write_text(text, encoding="utf-8")
        return [(d.code, d.line) for d in load_scenario(path).diagnostics if d.code == "KU038"]

    assert codes(loop) == [("KU038", 13)]
    assert codes(loop.replace("goto: b}", "once: true, goto: b}")) == []
    assert codes(loop.replace("goto: b}", "if: not asked, set: {asked: true}, goto: b}")) == []
    # a loop whose way back is gated by a condition is not flagged, whatever the choice itself says
    assert codes(loop.replace("{id: back, text: Back, goto: a}", "{id: back, text: Back, if: trust > 90, goto: a}")) == []


def test_an_ending_with_branches_is_refused(load):
    result = load(variant(("    ending: {outcome: bad}\n",
                           "    ending: {outcome: bad}\n    branches:\n      - goto: start\n")))
    assert "KU027" in [d.code for d in result.diagnostics]
    assert "ending 'ending_bad' has branches" in only(result, "KU027").message()
    assert result.scenario is None


def test_a_condition_slip_gets_the_fix_as_its_hint(load):
    result = load(variant(("        goto: ending_good\n", "        if: asked = true\n        goto: ending_good\n")))
    d = next(d for d in result.diagnostics if d.code == "KU031")
    assert d.hint_text() == "did you mean `asked == true`? (conditions write == for equals, >= and <=, and, or, not)"
    assert d.hint_text("fi").startswith("tarkoititko `asked == true`?")


def test_a_branch_on_a_pass_through_node_is_explained_with_the_values_that_reach_it(tmp_path):
    """The values in KU065's reason are those the conversation has when it passes the node, not the start's."""
    text = """\
format: 2
id: passing
title: Passing
languages: [en]
customer: {name: A, situation: S., hidden: H.}
flags: {count: 0}
nodes:
  - id: start
    line: Hello.
    cue: Smiles.
    thought: Fine.
    choices:
      - {id: a, text: Tell me., code: open_question, set: {count: 5}, goto: pass}
      - {id: b, text: Go on then., code: closed_question, set: {count: 6}, goto: pass}
  - id: pass
    line: Hm.
    branches:
      - {when: count > 10, goto: never}
      - {goto: good}
  - id: good
    line: Thanks.
    ending: {outcome: good}
  - id: never
    line: Never.
    ending: {outcome: bad}
"""
    path = tmp_path / "passing.yaml"
    path.write_text(text, encoding="utf-8")
    from game.scenario.loader import load_scenario

    found = {d.code: d for d in load_scenario(path).diagnostics}  # validate: the ending it keeps from being reached
    assert "(count 5–6)" in found["KU060"].message() and "(count 5–6)" in found["KU060"].message("fi")
    from game.analysis.analyze import analyze

    branch = next(d for d in analyze(load_scenario(path).scenario).problems if d.code == "KU065")
    assert "`count > 10` never holds when the conversation gets here (count 5–6)" in branch.message()


# -- answers a trainee could tell apart without reading (check_answers) -----------------------------

def test_answers_that_all_score_the_same_cannot_be_told_apart(load):
    """KU043: both answers are open questions, so the node measures nothing."""
    result = load(variant(("        goto: ending_bad\n", "        tags: [open_question]\n        goto: ending_bad\n")))
    assert static(result) == [("KU043", 11, 5)]
    d = only(result, "KU043")
    assert d.severity == "warning" and result.scenario is not None
    assert d.message() == ("the answers in node 'start' all score the same: "
                           "the choice here cannot be told apart by listening or empathy")
    assert d.message("fi") == ("solmun 'start' vastaukset saavat kaikki saman arvion: "
                               "valinta ei tässä erottele kuuntelua eikä empatiaa")
    assert d.hint_text() == "give the answers different codes: at least one should listen better or worse than the others"
    assert d.hint_text("fi") == "anna vastauksille eri koodit: ainakin yhden pitäisi kuunnella muita paremmin tai huonommin"


LONG_BEST = ("        text: Hi.\n", "        text: Hello, tell me in your own words what happened with the kettle?\n")
CLOSED = ("        goto: ending_bad\n", "        tags: [closed_question]\n        goto: ending_bad\n")


def test_the_best_answer_that_is_clearly_the_longest_gives_itself_away(load):
    """KU042: the open question (the best answer) is 63 characters, the closed one 4: a test-wise trainee
    picks it by its length. Located at the best answer's ID."""
    result = load(variant(LONG_BEST, CLOSED))
    assert static(result) == [("KU042", 16, 9)]
    d = only(result, "KU042")
    assert d.severity == "warning"
    assert d.message() == ("in node 'start' the best answer 'greet' is also clearly the longest (63 characters against "
                           "at most 4, 'en'): a trainee can pick it by length without reading")
    assert d.message("fi").startswith("solmussa 'start' paras vastaus 'greet' on myös selvästi pisin (63 merkkiä, muut enintään 4")
    assert d.hint_text() == ("make a weaker answer as long or longer, or say the best one in fewer words: "
                             "length must not give the answer away")
    assert d.hint_text("fi") == ("tee jostain heikommasta vastauksesta yhtä pitkä tai pidempi, tai sano paras "
                                 "lyhyemmin: pituus ei saa paljastaa vastausta")


def test_a_best_answer_only_a_little_longer_is_fine(load):
    """Within the margin (fewer than 15 characters longer) length gives nothing away."""
    result = load(variant(("        text: Hi.\n", "        text: Tell me more?\n"), CLOSED))
    assert static(result) == []


def test_a_title_on_a_variant_of_a_node_that_is_no_ending(load):
    """KU045: `title` and `summary` of a variant are for endings; on another node nothing would show them."""
    result = load(variant(("    thought: Fine.\n",
                           "    thought: Fine.\n    variants:\n      - if: asked\n        line: Hello again.\n"
                           "        title: Again\n")))
    assert static(result) == [("KU045", 18, 9)]
    d = only(result, "KU045")
    assert d.severity == "warning" and result.scenario is not None
    assert d.message() == "a variant of node 'start' has `title`, which only an ending uses"
    assert d.message("fi") == "solmun 'start' muunnelmassa on `title`, jota käytetään vain lopussa"
    assert d.hint_text() == "move the variant to an ending node, or remove the field"
    assert d.hint_text("fi") == "siirrä muunnelma loppusolmuun tai poista kenttä"
