"""The shipped library cannot be gamed: length gives nothing away, naive players do badly, failures cost,
and the same answers meet different customers. The same figures are in the README (`python -m bench scoring`)."""

import pytest

from bench.scoring import goals_met, measure
from game.commands.files import shipped_scenarios

SHIPPED = shipped_scenarios()


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_a_shipped_scenario_meets_the_scoring_goals(path):
    row = measure(path)
    assert goals_met(row) == []
    for data in row["langs"].values():
        random = data["players"]["random"]
        assert random.runs == 200 and random.good_rate < 0.2  # a random player rarely ends well


def test_the_goals_check_would_catch_a_scenario_where_the_longest_answer_wins(tmp_path):
    """A scenario written the old way (the best answer always the longest) fails the check."""
    from pathlib import Path

    text = (Path(__file__).parent / "fixtures" / "engine.yaml").read_text(encoding="utf-8")
    text = text.replace("text: {en: This has really worn you down., fi: Tämä on todella kuluttanut sinua.}",
                        "text: {en: 'This has really worn you down, all of it, the waiting and the calls and the letters "
                        "that never answered anything.', fi: 'Tämä on todella kuluttanut sinua, kaikki se odottaminen ja "
                        "soittelu ja kirjeet, jotka eivät vastanneet mihinkään.'}")
    path = tmp_path / "engine.yaml"
    path.write_text(text, encoding="utf-8")
    missed = goals_met(measure(path))
    assert any("the best answer is the longest" in miss for miss in missed)
    assert any("different conversations" in miss for miss in missed)
