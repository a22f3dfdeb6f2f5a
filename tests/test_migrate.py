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
