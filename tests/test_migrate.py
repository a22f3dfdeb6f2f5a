"""`migrate`: format-1 scenarios upgraded to format 2, comments kept, scores and codes unchanged."""

import shutil
from pathlib import Path

from game.cli import main
from game.engine import Conversation
from game.scenario.loader import load_or_raise

FIXTURES = Path(__file__).parent / "fixtures"


def play(scenario, *answers):
    conversation = Conversation(scenario, seed=1)
    for answer in answers:
        conversation.choose(answer)
    return conversation.result


def test_a_format_1_file_is_upgraded_in_place_keeping_comments_and_scores(tmp_path, capsys):
    path = tmp_path / "engine.yaml"
    shutil.copy(FIXTURES / "engine.yaml", path)
    before = load_or_raise(path)
    assert main(["migrate", str(path)]) == 0
    assert "upgraded to format 2; 10 answer(s)" in capsys.readouterr().out
    text = path.read_text(encoding="utf-8")
    assert "# A scenario built to exercise every engine rule" in text and "format: 2" in text
    after = load_or_raise(path)
    assert after.format == 2
    codes = {c.id: c.code for n in before.nodes.values() for c in n.choices}
    assert {c.id: c.code for n in after.nodes.values() for c in n.choices} == codes
    reflect = after.nodes["start"].choice("reflect")
    assert reflect.tags == ("names_emotion",)  # the deciding tag is now the code; the rest stay
    assert after.nodes["hub"].choice("deep").tags == ("explores",)  # it raises the ECCS level: kept
    for answers in (("reflect", "deep"), ("lecture", "plan", "fine"), ("rude",)):
        new, old = play(after, *answers), play(before, *answers)
        assert (new.listening, new.empathy, new.outcome, new.ceiling, new.code_counts, new.opportunities_answered) == \
            (old.listening, old.empathy, old.outcome, old.ceiling, old.code_counts, old.opportunities_answered)


def test_dry_run_writes_nothing_and_format_2_is_left_alone(tmp_path, capsys):
    path = tmp_path / "engine.yaml"
    shutil.copy(FIXTURES / "engine.yaml", path)
    original = path.read_bytes()
    assert main(["migrate", str(path), "--dry-run"]) == 0
    assert "would upgrade" in capsys.readouterr().out and path.read_bytes() == original
    assert main(["migrate", str(FIXTURES / "variety.yaml"), "--lang", "fi"]) == 0
    assert "on jo muotoa 2" in capsys.readouterr().out


def test_a_file_with_errors_is_not_touched(tmp_path, capsys):
    path = tmp_path / "broken.yaml"
    text = (FIXTURES / "engine.yaml").read_text(encoding="utf-8").replace("goto: hub\n", "goto: hubb\n", 1)
    path.write_text(text, encoding="utf-8")
    assert main(["migrate", str(path)]) == 1
    err = capsys.readouterr().err
    assert "KU022" in err and "Traceback" not in err
    assert path.read_text(encoding="utf-8") == text


# -- a trainer's own format-1 rubric beside format-1 scenarios ---------------------------------------

FORMAT_1 = FIXTURES / "format1"


def without_the_rubric(tmp_path, name="small_till.yaml"):
    """The same scenario in a folder of its own, scored with the shipped rubric."""
    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copy(FORMAT_1 / name, alone / name)
    return load_or_raise(alone / name)


def test_a_format_1_rubric_takes_its_codes_from_the_shipped_rubrics_tags_of_the_same_name(tmp_path):
    from game.scenario.loader import load_scenario

    result = load_scenario(FORMAT_1 / "small_till.yaml")
    assert result.scenario.rubric.path == str(FORMAT_1 / "rubric.yaml")
    assert [d.code for d in result.diagnostics] == []  # no KU041: every tagged answer has its code
    codes = {c.id: c.code for n in result.scenario.nodes.values() for c in n.choices}
    assert codes == {"notice_glare": "complex_reflection", "ask_open": "open_question", "rules": "lecture",
                     "reflect": "simple_reflection", "no_worry": "minimise"}
    shipped = without_the_rubric(tmp_path)
    assert {c.id: c.code for n in shipped.nodes.values() for c in n.choices} == codes
    assert play(result.scenario, "notice_glare", "reflect").listening.share == 1.0  # it scores, as it did
    for answers in (("notice_glare", "reflect"), ("rules", "no_worry")):
        own, reference = play(result.scenario, *answers), play(shipped, *answers)
        assert (own.listening, own.empathy, own.ceiling, own.code_counts) == \
            (reference.listening, reference.empathy, reference.ceiling, reference.code_counts)


def test_migrate_gives_format_1_answers_their_real_codes_beside_a_format_1_rubric(tmp_path, capsys):
    folder = tmp_path / "own"
    shutil.copytree(FORMAT_1, folder)
    assert main(["migrate", str(folder / "small_till.yaml")]) == 0
    out = capsys.readouterr().out
    assert "give_information" not in out and "start.rules: code lecture" in out
    after = load_or_raise(folder / "small_till.yaml")
    assert after.format == 2 and after.nodes["story"].choice("no_worry").code == "minimise"


def test_migrate_upgrades_a_format_1_rubric_keeping_its_comments_and_scores(tmp_path, capsys):
    folder = tmp_path / "own"
    shutil.copytree(FORMAT_1, folder)
    rubric = folder / "rubric.yaml"
    before = load_or_raise(folder / "small_till.yaml")
    original = rubric.read_text(encoding="utf-8")
    assert main(["migrate", str(rubric), "--dry-run"]) == 0
    assert "would upgrade the rubric to format 2; 25 tag(s)" in capsys.readouterr().out
    assert rubric.read_text(encoding="utf-8") == original
    assert main(["migrate", str(rubric)]) == 0
    out = capsys.readouterr().out
    assert "tag lectures: code lecture" in out and "rubric upgraded to format 2; 25 tag(s)" in out
    text = rubric.read_text(encoding="utf-8")
    assert "format: 2" in text and "# A trainer's own rubric in format 1" in text
    assert "  lectures:\n    axis: empathy\n    weight: -3\n    eccs: 0\n    code: lecture\n    framework: articles\n" in text
    after = load_or_raise(folder / "small_till.yaml")
    assert {c.id: c.code for n in after.nodes.values() for c in n.choices} == \
        {c.id: c.code for n in before.nodes.values() for c in n.choices}
    assert main(["validate", str(folder)]) == 0
    assert main(["migrate", str(rubric), "--lang", "fi"]) == 0
    assert "on jo muodon 2 arviointiohje" in capsys.readouterr().out


def test_migrate_names_a_tag_the_shipped_rubric_does_not_know(tmp_path, capsys):
    folder = tmp_path / "own"
    shutil.copytree(FORMAT_1, folder)
    rubric = folder / "rubric.yaml"
    rubric.write_text(rubric.read_text(encoding="utf-8").replace("  let_them_finish:\n", "  waits_kindly:\n"),
                      encoding="utf-8")
    assert main(["migrate", str(rubric), "--lang", "fi"]) == 0
    out = capsys.readouterr().out
    assert "tagi waits_kindly: valmiissa arviointiohjeessa ei ole tämännimistä tagia" in out
    assert "rubric.yaml: arviointiohje päivitetty muotoon 2; 24 tagia" in out


def test_migrate_says_what_it_upgrades_when_given_a_plan(tmp_path, capsys):
    assert main(["migrate", str(FIXTURES / "mini.plan.yaml")]) == 1
    err = capsys.readouterr().err
    assert "a test plan file; `migrate` upgrades scenarios and rubric.yaml files only" in err and "KU010" not in err
    assert main(["--lang", "fi", "migrate", str(FIXTURES / "mini.plan.yaml")]) == 1
    assert "testisuunnitelma; `migrate` päivittää vain skenaarioita ja rubric.yaml-tiedostoja" in capsys.readouterr().err
