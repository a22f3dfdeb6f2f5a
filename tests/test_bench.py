"""`python -m bench`: its bounds file covers every quick figure, and `--check` fails a figure over its bound.

Nothing here times anything: the checker is given made-up rows. The figures themselves come from
`python -m bench --quick --check`, which CI runs after the tests.
"""

from __future__ import annotations

import tomllib

import pytest

import bench.__main__ as bench
from bench import readme, reliability


def made_up(figure: str, ratio: float) -> dict:
    return bench.row(figure, {"en": f"{figure} measured", "fi": f"{figure} mitattu"}, ratio * 0.01,
                     {"en": "the baseline", "fi": "vertailukohta"}, 0.01)


def test_the_bounds_file_parses_and_bounds_every_quick_figure():
    with open(bench.BOUNDS, "rb") as handle:
        raw = tomllib.load(handle)
    assert "quick" in raw, "bench/bounds.toml needs a [quick] table"
    bounds = bench.load_bounds()["quick"]
    quick = bench.figures(quick=True)
    assert quick and len(quick) == len(set(quick)), quick
    missing = [figure for figure in quick if figure not in bounds]
    assert not missing, f"figures of `python -m bench --quick` without a bound in bench/bounds.toml: {missing}"
    assert all(bound > 0 for bound in bounds.values()), bounds
    assert bounds["start_cost"] <= 2 and bounds["report_1000_memory"] >= 1.34, bounds
    unknown = sorted(set(bounds) - set(quick))
    assert not unknown, f"bounds for figures the quick bench does not give (renamed?): {unknown}"


def test_the_quick_run_measures_what_the_readme_lists():
    quick = set(bench.figures(quick=True))
    assert {"startup", "frame_mean", "frame_p99", "load_1000", "analyze_1000", "report_1000",
            "report_1000_memory"} <= quick
    # the scaling guards: starting a conversation must not grow with the scenario, and a 300-node session to its
    # debrief stays near a `validate` of it (tests/test_scaling_guards.py: it never needs the search)
    assert {"start_cost", "play_300"} <= quick
    full = set(bench.figures(quick=False))
    assert {"load_10000", "analyze_10000", "report_10000", "report_10000_memory"} <= full


def test_check_names_a_figure_over_its_bound_with_its_ratio_and_bound():
    bounds = {"load_1000": 3.0, "startup": 4.0}
    problems = bench.check([made_up("load_1000", 3.5), made_up("startup", 2.0)], bounds)
    assert len(problems) == 1
    assert "load_1000" in problems[0] and "3.50×" in problems[0] and "3.00×" in problems[0]
    assert bench.check([made_up("load_1000", 2.9), made_up("startup", 4.0)], bounds) == []


def test_check_fails_a_figure_without_a_bound():
    problems = bench.check([made_up("something_new", 1.0)], {"startup": 4.0})
    assert len(problems) == 1 and "something_new" in problems[0] and "no bound" in problems[0]


def test_quick_check_exits_non_zero_when_a_ratio_passes_its_bound(monkeypatch, tmp_path, capsys):
    bounds = tmp_path / "bounds.toml"
    bounds.write_text("[quick]\nstartup = 2.0\nload_1000 = 3.0\n", encoding="utf-8")
    rows = [made_up("startup", 1.5), made_up("load_1000", 7.25)]
    monkeypatch.setattr(bench, "run", lambda quick=False, progress=None, only=None: rows)
    assert bench.main(["--quick", "--check", "--bounds", str(bounds)]) == 1
    err = capsys.readouterr().err
    assert "load_1000" in err and "7.25×" in err and "3.00×" in err and "startup" not in err
    rows[1] = made_up("load_1000", 2.0)
    assert bench.main(["--quick", "--check", "--bounds", str(bounds)]) == 0


def test_check_without_bounds_for_the_mode_is_refused(monkeypatch, tmp_path):
    bounds = tmp_path / "bounds.toml"
    bounds.write_text("[quick]\nstartup = 2.0\n", encoding="utf-8")
    monkeypatch.setattr(bench, "run", lambda quick=False, progress=None, only=None: [])
    with pytest.raises(SystemExit):
        bench.main(["--check", "--bounds", str(bounds)])


def test_the_table_is_written_in_both_languages():
    rows = [made_up("load_1000", 1234.5)]
    english, finnish = bench.table(rows, "en"), bench.table(rows, "fi")
    assert "load_1000 measured" in english and "1,234.50×" in english
    assert "load_1000 mitattu" in finnish and "1 234,50×" in finnish and "suhde" in finnish
    assert "| ratio | bound |" in bench.table(rows, "en", {"load_1000": 2000.0})


def test_the_machine_is_described_in_both_languages():
    assert readme.machine("en").startswith("Measured on: ") and " cores" in readme.machine("en")
    assert readme.machine("fi").startswith("Mitattu: ") and " ydintä" in readme.machine("fi")


def test_the_readmes_have_the_markers_the_commands_fill():
    for name, _ in readme.READMES:
        text = (readme.ROOT / name).read_text(encoding="utf-8")
        for marker in (bench.MARKER, reliability.MARKER):
            assert text.count(f"<!-- {marker}:start -->") == 1 and text.count(f"<!-- {marker}:end -->") == 1, (
                name, marker)


def test_reliability_counts_get_words_and_unknown_keys_are_kept():
    counts = {"fuzz.raw_bytes": 200, "crash.kills": 12, "newsuite.odd_things": 3}
    for lang in ("en", "fi"):
        text = reliability.section(counts, tests=1500, code_counts={"error": 41, "warning": 13}, lang=lang)
        assert reliability.LABELS["fuzz.raw_bytes"][lang] in text
        assert reliability.LABELS["crash.kills"][lang] in text
        assert "`newsuite.odd_things`" in text and "| 3 |" in text
        assert ("1,500" if lang == "en" else "1 500") in text and "| 54 |" in text
    assert text.index("Fuzz-testaus") < text.index("Kaatumisturvallisuus") < text.index("newsuite")


@pytest.mark.parametrize("key", ["fuzz.structured_documents", "fuzz.mutated_scenarios", "fuzz.raw_bytes",
                                 "hostile.cases", "soak.playthroughs", "soak.ui_events", "soak.ui_scenes",
                                 "crash.kills", "crash.choices_checked"])
def test_every_known_reliability_key_has_words_in_both_languages(key):
    assert reliability.LABELS[key]["en"] and reliability.LABELS[key]["fi"]


def test_only_runs_the_steps_of_the_figures_named_and_what_prepares_their_input(tmp_path):
    steps = bench.plan(bench.settings_for(quick=False), tmp_path)
    chosen = bench.only(steps, ["report_10000"])
    assert [step.figures for step in chosen] == [(), ("report_10000", "report_10000_memory")]
    assert "generating" in chosen[0].says  # the logs the report reads
    assert [step.figures for step in bench.only(steps, ["load_1000", "startup"])] == [("startup",), ("load_1000",)]
    lrs = [step for step in steps if "report --lrs" in step.says]
    assert len(lrs) == 1  # in the full run, measured or said to be skipped
    if lrs[0].figures:
        assert [step.figures for step in bench.only(steps, ["report_lrs_10000"])] == [("report_lrs_10000",)]
        assert "report_lrs_10000" not in bench.figures(quick=True)
    else:
        assert "skipped, Ralph is not installed" in lrs[0].says


def test_only_puts_its_rows_into_the_readme_table_and_keeps_the_others(monkeypatch, tmp_path):
    every = ["startup", "load_1000", "report_1000"]
    monkeypatch.setattr(bench, "figures", lambda quick: every)
    monkeypatch.setattr(readme, "ROOT", tmp_path)
    old = {figure: made_up(figure, 1.0) for figure in ("startup", "report_1000")}
    (tmp_path / "README.md").write_text("# Kuule\n<!-- bench:start -->\n"
                                        + bench.readme_body(list(old.values()), "en", quick=False)
                                        + "\n<!-- bench:end -->\n", encoding="utf-8")
    new = made_up("load_1000", 4.0)
    table = bench.merged_rows([new], "en", quick=False)  # a figure the table did not have: put in its place
    assert table == bench.table([old["startup"], new, old["report_1000"]], "en")
    (tmp_path / "README.md").write_text("<!-- bench:start -->\n" + table + "\n<!-- bench:end -->\n", encoding="utf-8")
    again = made_up("load_1000", 2.5)
    assert bench.merged_rows([again], "en", quick=False) == bench.table([old["startup"], again, old["report_1000"]], "en")
    monkeypatch.setattr(bench, "figures", lambda quick: every + ["analyze_1000", "report_10000"])
    with pytest.raises(SystemExit, match="run the whole bench"):
        bench.merged_rows([again], "en", quick=False)


def test_choice_is_cpu_time_over_rounds_taking_turns_and_shown_as_a_whole_number(monkeypatch, tmp_path):
    from bench import core

    asked = {}

    def fake(nodes, folder, turns=2000, repeat=1):
        asked["repeat"] = repeat
        return {"seconds": 250e-6, "baseline_seconds": 8.3e-6, "ratio": 250 / 8.3}

    monkeypatch.setattr(core, "choice_cost", fake)
    [step] = [step for step in bench.plan(bench.settings_for(quick=False), tmp_path) if step.figures == ("choice",)]
    [made] = step.run(lambda message: None)
    assert asked["repeat"] >= 5  # one wall-clock round moved by a fifth between runs
    assert "CPU time" in made["label"]["en"] and "suoritinaika" in made["label"]["fi"]
    assert f"least of {asked['repeat']} rounds" in made["label"]["en"]
    assert bench.table([made], "en").endswith("| 30× |")


def test_only_replaces_rows_by_their_label_when_the_table_lacks_figures_of_the_run(monkeypatch, tmp_path):
    monkeypatch.setattr(readme, "ROOT", tmp_path)
    monkeypatch.setattr(bench, "figures", lambda quick: ["startup", "choice", "report_1000", "report_10000",
                                                         "report_100000"])

    def labelled(figure, label, ratio):
        return bench.row(figure, {"en": label, "fi": label}, ratio * 0.01, {"en": "b", "fi": "b"}, 0.01)

    old = [labelled("startup", "start-up to the first menu frame (fresh process)", 2.0),
           labelled("choice", "one answer chosen in the engine (10,000-node scenario, mean)", 25.0),
           labelled("report_1000", "`report` over 1,000 sessions", 2.0)]  # no report_100000 row: never measured in
    (tmp_path / "README.md").write_text("<!-- bench:start -->\n" + bench.table(old, "en") + "\n<!-- bench:end -->\n",
                                        encoding="utf-8")
    new = labelled("choice", "one answer chosen in the engine (10,000-node scenario; CPU time, least of 7 rounds)", 30)
    assert bench.merged_rows([new], "en", quick=False) == bench.table([old[0], new, old[2]], "en")
    stranger = labelled("choice", "something measured that no row begins like", 3.0)
    with pytest.raises(SystemExit, match="run the whole bench"):
        bench.merged_rows([stranger], "en", quick=False)
