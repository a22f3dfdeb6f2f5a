"""The shipped library cannot be gamed: length gives nothing away, naive players do badly, failures cost,
and the same answers meet different customers. The same figures are in the README (`python -m bench scoring`)."""

from random import Random

import pytest

from bench.scoring import GOOD_AFTER_HARM, goals_met, measure, most_harm_before_good
from game.commands.files import shipped_scenarios

SHIPPED = shipped_scenarios()
_MEASURED: dict = {}


def measured(path) -> dict:
    """One measurement per scenario for the whole module: exploring every state is the slow part."""
    if path not in _MEASURED:
        _MEASURED[path] = measure(path)
    return _MEASURED[path]


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_a_shipped_scenario_meets_the_scoring_goals(path):
    row = measured(path)
    assert goals_met(row) == []
    for data in row["langs"].values():
        random = data["players"]["random"]
        assert random.runs == 200 and random.good_rate < 0.2  # a random player rarely ends well


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_no_good_ending_after_a_pattern_of_harm(path):
    """No conversation reaches a good ending after more than GOOD_AFTER_HARM harmful moves.

    Exhaustive, not sampled: `most_harm_before_good` reads the whole explored state graph (every customer,
    every answer the engine allows, loops included) and counts the harmful answers by their rubric code, not by
    the scenario's own `harm` counter, so an answer that forgot its `add: {harm: 1}` is caught too. It refuses
    a graph cut off at the state limit (`harm_before_good` is None then), so a passing test is a proof.
    """
    found = measured(path)["harm_before_good"]
    assert found is not None, f"{path.name}: the state graph passed the state limit; the search is not exhaustive"
    most, route = found
    assert most >= 0, f"{path.name}: no good ending can be reached at all"
    assert most <= GOOD_AFTER_HARM, (f"{path.name}: a good ending after {most} harmful moves (marked !): "
                                     + " → ".join(route))


SLIPS = """\
format: 2
id: slips
title: {en: Slips, fi: Lipsahdukset}
languages: [en, fi]
customer:
  name: Aino
  situation: {en: A bill., fi: Lasku.}
  hidden: {en: Rent., fi: Vuokra.}
nodes:
  - id: start
    line: {en: Hello., fi: Hei.}
    cue: {en: A sigh., fi: Huokaus.}
    thought: {en: Again., fi: Taas.}
    choices:
      - {id: listen, text: {en: Go on., fi: Jatka.}, code: open_question, goto: middle}
      - {id: lecture, text: {en: Read the letter., fi: Lue kirje.}, code: lecture, goto: middle}
  - id: middle
    line: {en: It is the rent., fi: Se on vuokra.}
    cue: {en: A pause., fi: Tauko.}
    thought: {en: Rent., fi: Vuokra.}
    choices:
      - {id: reflect, text: {en: The rent is at stake., fi: Vuokra on vaarassa.}, code: simple_reflection, goto: end_good}
      - {id: blame, text: {en: The bank did it., fi: Pankki sen teki.}, code: blame, goto: end_good}
      - {id: nag, text: {en: Calm down., fi: Rauhoitu.}, code: order, LOOP}
  - id: end_good
    line: {en: Thanks., fi: Kiitos.}
    ending: {outcome: good}
"""


def _slips(tmp_path, loop: bool):
    from game.scenario.loader import load_or_raise

    text = SLIPS.replace("LOOP", "goto: middle" if loop else "goto: end_good")
    path = tmp_path / "slips.yaml"
    path.write_text(text, encoding="utf-8")
    return load_or_raise(path)


def test_the_harm_search_finds_two_slips_before_a_good_ending_and_names_them(tmp_path):
    most, route = most_harm_before_good(_slips(tmp_path, loop=False))
    assert most == 2
    assert route[0] == "start.lecture!" and route[1] in ("middle.blame!", "middle.nag!")
    row = measure(tmp_path / "slips.yaml")
    assert any("a good ending after 2 harmful moves" in miss for miss in goals_met(row)), goals_met(row)


def test_a_harmful_answer_that_can_be_repeated_before_a_good_ending_is_unbounded(tmp_path):
    most, _route = most_harm_before_good(_slips(tmp_path, loop=True))
    assert most == float("inf")


def test_random_walks_never_count_more_harm_before_a_good_ending_than_the_search(tmp_path):
    """The exact figure is an upper bound that walks on the real rules reach but never pass."""
    from game.analysis.naive import play
    from game.engine.rules import all_draws

    scenario = _slips(tmp_path, loop=False)
    most, _ = most_harm_before_good(scenario)
    seen = 0
    for seed in range(60):
        rng = Random(seed)
        result = play(scenario, lambda offered, state: rng.choice(offered), "en", seed, all_draws(scenario)[0])
        if result.outcome == "good":
            seen = max(seen, result.harmful_moves)
    assert seen == most


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


# -- length must give nothing away, either way ---------------------------------------------------------------

def _ladder(tmp_path, best: str, middle: str, weak: str):
    """Three decision points, each with a best answer (a simple reflection), a middling one (a closed question)
    and a weak one (a lecture), worded `best`, `middle` and `weak` in both languages: only length tells them apart
    to someone who does not read."""
    from game.scenario.loader import load_or_raise

    nodes = []
    for number, goto in ((1, "n2"), (2, "n3"), (3, "end_good")):
        nodes.append(f"""\
  - id: n{number}
    line: {{en: Line {number}., fi: Repliikki {number}.}}
    cue: {{en: A pause., fi: Tauko.}}
    thought: {{en: Hm., fi: Hm.}}
    choices:
      - {{id: best, text: {{en: '{best}', fi: '{best}'}}, code: simple_reflection, goto: {goto}}}
      - {{id: middle, text: {{en: '{middle}', fi: '{middle}'}}, code: closed_question, goto: {goto}}}
      - {{id: weak, text: {{en: '{weak}', fi: '{weak}'}}, code: lecture, goto: {goto}}}
""")
    text = SLIPS.split("nodes:\n")[0].replace("id: slips", "id: ladder") + "nodes:\n" + "".join(nodes) + """\
  - id: end_good
    line: {en: Thanks., fi: Kiitos.}
    ending: {outcome: good}
"""
    path = tmp_path / "ladder.yaml"
    path.write_text(text, encoding="utf-8")
    return path, load_or_raise(path)


SHORT, MIDDLE, LONG = "It stings.", "Did the letter come on Monday?", ("Letters like this go out to everyone, so read "
                                                                     "the terms before you ring us next time.")


def test_the_goals_check_catches_length_that_points_away_from_the_best_answer(tmp_path):
    """The best answer always the shortest and the weak one always the longest: "never the longest" is an exploit,
    and the check says so in both languages (correlation, shortest-is-best, second longest, never-the-longest)."""
    from game.analysis.naive import length_correlation, shortest_is_best

    path, scenario = _ladder(tmp_path, best=SHORT, middle=MIDDLE, weak=LONG)
    assert length_correlation(scenario, "en") < -0.8 and shortest_is_best(scenario, "fi") == (3, 3)
    missed = goals_met(measure(path))
    for lang in ("en", "fi"):
        assert any(f"[{lang}]: answer length and points correlate at -" in miss for miss in missed), missed
        assert any(f"[{lang}]: the best answer is the shortest at 3/3" in miss for miss in missed), missed
        assert any(f"[{lang}]: second_longest reaches the good ending" in miss for miss in missed), missed
        assert any(f"[{lang}]: never_longest beats random by" in miss for miss in missed), missed
        assert any(f"[{lang}]: shortest scores" in miss for miss in missed), missed


def test_the_goals_check_catches_length_that_points_to_the_best_answer(tmp_path):
    from game.analysis.naive import length_correlation, longest_is_best

    path, scenario = _ladder(tmp_path, best=LONG, middle=MIDDLE, weak=SHORT)
    assert length_correlation(scenario, "en") > 0.8 and longest_is_best(scenario, "en") == (3, 3)
    missed = goals_met(measure(path))
    assert any("[en]: answer length and points correlate at +" in miss for miss in missed), missed
    assert any("[fi]: the best answer is the longest at 3/3" in miss for miss in missed), missed
    assert not any("correlate at -" in miss or "never_longest beats random" in miss for miss in missed), missed


def test_never_the_longest_plays_the_random_players_seeds_and_never_takes_the_longest(monkeypatch):
    """The fair comparison: the same seeds (so the same customers drawn) as the random player, and at every
    decision point one of the answers that are not the longest; the second-longest player takes the next one down."""
    from game.analysis import naive
    from game.engine import rules
    from game.i18n import pick
    from game.scenario.loader import load_or_raise

    scenario = load_or_raise(SHIPPED[0])
    results = {r.strategy: r for r in naive.naive_players(scenario, "en", random_runs=12,
                                                           strategies=naive.STRATEGIES + naive.LENGTH_STRATEGIES)}
    assert results["random"].runs == results["never_longest"].runs == 12
    assert results["second_longest"].runs == results["longest"].runs == len(rules.all_draws(scenario))

    seen = []
    original = naive._pick

    def watched(offered, strategy, lang, rng):
        choice = original(offered, strategy, lang, rng)
        seen.append((strategy, list(offered), choice))
        return choice

    monkeypatch.setattr(naive, "_pick", watched)
    for seed in range(12):
        for strategy in ("never_longest", "second_longest"):
            naive.play(scenario, strategy, "en", seed)
    assert {strategy for strategy, _, _ in seen} == {"never_longest", "second_longest"}
    for strategy, offered, choice in seen:
        if len(offered) < 2:
            continue
        ranked = sorted(offered, key=lambda c: -len(pick(c.text, "en")))  # stable: ties in the author's order
        assert choice is not ranked[0]
        if strategy == "second_longest":
            assert choice is ranked[1]
