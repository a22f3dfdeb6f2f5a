"""Set-up a newcomer relies on: the Quick start, CI running that same test command, the entry points."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from game.scenario import safe_yaml

ROOT = Path(__file__).parent.parent


def quick_start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    return [line.strip() for line in block.splitlines() if line.strip()]


def test_quick_start_has_exactly_two_commands_one_plays_one_tests():
    play, test = quick_start_commands()
    assert play.startswith("python -m pip install") and play.endswith("python main.py")
    assert "[test]" in test and test.endswith("python -m pytest")


def test_ci_runs_the_readmes_test_command_with_dummy_sdl_drivers():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert quick_start_commands()[1] in ci
    assert "SDL_VIDEODRIVER=dummy" in ci and "SDL_AUDIODRIVER=dummy" in ci
    assert "set -e" in ci  # a failing test fails the run


def test_both_entry_points_run_the_same_command_line():
    for command in ([sys.executable, "main.py", "--version"], [sys.executable, "-m", "game", "--version"]):
        run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert run.returncode == 0 and run.stdout.startswith("Kuule ")


def test_help_is_there_in_both_languages():
    english = subprocess.run([sys.executable, "main.py", "--help"], cwd=ROOT, capture_output=True, text=True)
    finnish = subprocess.run([sys.executable, "main.py", "--lang", "fi", "--help"], cwd=ROOT,
                             capture_output=True, text=True)
    assert "validate" in english.stdout and "check scenario files" in english.stdout
    assert "tarkista skenaariotiedostot" in finnish.stdout


def test_the_loader_uses_libyamls_parser_when_pyyaml_has_it():
    assert safe_yaml.USING_LIBYAML == yaml.__with_libyaml__


def test_every_message_template_names_only_real_placeholders():
    """A stray brace in a catalogue entry would crash the very diagnostic meant to help."""
    import string

    from game.scenario.diagnostics import CATALOGUE, HINTS
    templates = [t for _, en, fi in CATALOGUE.values() for t in (en, fi)] + [t for pair in HINTS.values() for t in pair]
    for template in templates:
        for _, field, _, _ in string.Formatter().parse(template):
            assert field is None or field.isidentifier(), (template, field)


# Runs main.py with some of Kuule's dependencies made impossible to import, as on a Python where
# Kuule was never installed.
WITHOUT = """
import sys, runpy
blocked = set(sys.argv[1].split(","))

class Missing:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in blocked:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)

sys.meta_path.insert(0, Missing())
sys.argv = ["main.py", *sys.argv[2:]]
runpy.run_path("main.py", run_name="__main__")
"""


def test_without_its_dependencies_kuule_says_how_to_install_them_in_either_language():
    for blocked, argv, lang, words in (
            ("platformdirs", ["validate", "scenarios"], "en", "Kuule needs the Python package 'platformdirs'"),
            ("pygame,transitions", ["--lang", "fi", "play", "small_print", "--text"], "fi",
             "Kuule tarvitsee Python-paketin"),
            ("yaml", ["--lang", "en", "analyze", "scenarios/small_print.yaml"], "en", "'PyYAML'")):
        env = dict(os.environ)
        if blocked == "platformdirs":
            env.pop("KUULE_HOME", None)  # with KUULE_HOME set, the user's folders need no platformdirs
        run = subprocess.run([sys.executable, "-c", WITHOUT, blocked, *argv], capture_output=True, text=True,
                             cwd=ROOT, input="", timeout=60, env=env)
        assert run.returncode == 2, (blocked, run.stdout[-500:], run.stderr[-1500:])
        assert "Traceback" not in run.stderr and words in run.stderr, run.stderr[-1500:]
        assert "python -m pip install -e ." in run.stderr


# -- the installed package ---------------------------------------------------------------------------
# Built as a user builds it (an sdist, and the wheel from that sdist), installed in a fresh virtual
# environment (dependencies from PyPI or pip's cache), and run from a folder that has nothing of Kuule's.

def _run(command, cwd, env, stdin="", timeout=300):
    run = subprocess.run(command, cwd=cwd, env=env, input=stdin, capture_output=True, text=True, timeout=timeout)
    return run


def _outside_env(venv: Path, home: Path) -> dict:
    env = {name: value for name, value in os.environ.items()
           if name not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP")}
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    env.update(PATH=str(bin_dir) + os.pathsep + env.get("PATH", ""), KUULE_HOME=str(home), SDL_VIDEODRIVER="dummy",
               SDL_AUDIODRIVER="dummy", PIP_DISABLE_PIP_VERSION_CHECK="1", KUULE_LANG="en")
    return env


def test_the_wheel_installed_in_a_fresh_venv_plays_validates_analyzes_and_reports_from_any_folder(tmp_path):
    import tarfile
    import zipfile

    dist = tmp_path / "dist"
    built = subprocess.run([sys.executable, "-m", "build", "--outdir", str(dist), str(ROOT)],
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    wheel, = dist.glob("kuule-*.whl")
    sdist, = dist.glob("kuule-*.tar.gz")

    shipped = {p.name for p in (ROOT / "scenarios").iterdir() if p.suffix in (".yaml", ".json", ".md")}
    fonts = {p.name for p in (ROOT / "assets" / "fonts").iterdir()}
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert {f"game/_shipped/scenarios/{name}" for name in shipped} <= names
    assert {f"game/_shipped/assets/fonts/{name}" for name in fonts} <= names
    assert "game/report/report.html.j2" in names
    licences = {name.split(".dist-info/licenses/", 1)[1] for name in names if ".dist-info/licenses/" in name}
    assert licences == {"LICENSE", "assets/fonts/LICENSE-OFL.txt"}
    assert "License-Expression: MIT" in metadata and "Provides-Extra: coach" in metadata
    assert not any(line.startswith("Requires-Dist: matplotlib") and "extra ==" not in line
                   for line in metadata.splitlines()), "matplotlib belongs to the [coach] extra only"
    with tarfile.open(sdist) as archive:
        in_sdist = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {f"scenarios/{name}" for name in shipped} <= in_sdist and "LICENSE" in in_sdist

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = _outside_env(venv, tmp_path / "home")
    installed = _run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], elsewhere, env, timeout=600)
    assert installed.returncode == 0, installed.stderr[-3000:]

    where = _run([str(python), "-c", "import game.paths as p; print(p.CHECKOUT); print(p.SCENARIOS_DIR); "
                                     "print(p.ASSETS_DIR / 'fonts' / 'LiberationSans-Regular.ttf')"], elsewhere, env)
    checkout, scenarios, font = where.stdout.split("\n")[:3]
    assert checkout == "None" and "site-packages" in scenarios and Path(font).is_file(), where.stdout + where.stderr

    helped = _run(["kuule", "--help"], elsewhere, env)
    assert helped.returncode == 0 and helped.stdout.startswith("usage: kuule "), helped.stdout[:300]

    logs = elsewhere / "logs"
    played = _run(["kuule", "play", "small_print", "--text", "--seed", "4", "--trainee", "Aino", "--log-dir",
                   str(logs)], elsewhere, env, stdin="1\n" * 40)
    assert played.returncode == 0, played.stdout[-1500:] + played.stderr[-1500:]
    assert "What Sirkka Lehtonen never said aloud" in played.stdout  # reached an ending and its debrief
    log, = logs.glob("*.jsonl")

    validated = _run(["kuule", "validate", "small_print", scenarios], elsewhere, env)
    assert validated.returncode == 0, validated.stdout[-1500:] + validated.stderr[-1500:]
    assert "Traceback" not in validated.stderr

    analyzed = _run(["kuule", "analyze", "small_print"], elsewhere, env)
    assert analyzed.returncode == 0 and "Traceback" not in analyzed.stderr, analyzed.stderr[-1500:]

    tested = _run(["kuule", "test", "small_print"], elsewhere, env)
    assert tested.returncode == 0 and " passed, 0 failed" in tested.stdout, tested.stdout[-1500:] + tested.stderr[-1500:]

    # the reply coder's model and Finnish word table travel too: the installed coder says what the checkout's does
    replies = ["Kuulostaa siltä, että olet tosi pettynyt.", "Miten tämä on vaikuttanut sinun arkeesi?"]
    coded = _run(["kuule", "code", "--lang", "fi", "--format", "json", *replies], elsewhere, env)
    here = subprocess.run([sys.executable, str(ROOT / "main.py"), "code", "--lang", "fi", "--format", "json", *replies],
                          capture_output=True, text=True, timeout=120)
    assert coded.returncode == 0 and "Traceback" not in coded.stderr, coded.stderr[-1500:]
    assert json.loads(coded.stdout) == json.loads(here.stdout)

    # the window's picker lists from the same folders
    listed = _run([str(python), "-c", "from game.paths import scenario_dirs; from game.ui.catalogue import scan; "
                                      "print(sum(entry.ok for entry in scan(scenario_dirs())))"], elsewhere, env)
    assert listed.returncode == 0 and int(listed.stdout.strip() or 0) >= 5, listed.stdout + listed.stderr[-1500:]

    replayed = _run(["kuule", "replay", str(log), "--text"], elsewhere, env)
    assert replayed.returncode == 0, replayed.stdout[-1500:] + replayed.stderr[-1500:]

    # a trainee's install has no matplotlib: the report says how to add the coach's extra
    lean = _run(["kuule", "report", str(logs), "--out", "report.html", "--all-modes"], elsewhere, env)
    assert lean.returncode == 2 and "[coach]" in lean.stderr and "Traceback" not in lean.stderr, lean.stderr[-1500:]
    coach = _run([str(python), "-m", "pip", "install", "--quiet", f"kuule[coach] @ {wheel.as_uri()}"], elsewhere, env,
                 timeout=600)
    assert coach.returncode == 0, coach.stderr[-3000:]
    reported = _run(["kuule", "report", str(logs), "--out", "report.html", "--all-modes"], elsewhere, env)
    assert reported.returncode == 0, reported.stdout[-1500:] + reported.stderr[-1500:]
    page = (elsewhere / "report.html").read_text(encoding="utf-8")
    assert "Aino" in page and "<svg" in page


# -- the command line's own words ------------------------------------------------------------------------

def _main(argv, capsys, **kwargs):
    from game.cli import main

    try:
        code = main(argv, **kwargs)
    except SystemExit as stop:
        code = stop.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_installed_command_names_itself_kuule_and_main_py_names_itself(capsys):
    assert _main(["--help"], capsys)[1].startswith("usage: kuule ")
    assert _main(["--help"], capsys, prog="python main.py")[1].startswith("usage: python main.py ")
    run = subprocess.run([sys.executable, "main.py", "validate", "--help"], cwd=ROOT, capture_output=True, text=True)
    assert run.stdout.startswith("usage: python main.py validate ")


def test_argparses_own_words_are_finnish_under_lang_fi_and_english_otherwise(capsys):
    code, out, _ = _main(["--lang", "fi", "play", "--help"], capsys)
    assert code == 0 and out.startswith("käyttö: kuule play ")
    assert "\nvalitsimet:\n" in out and "\nargumentit:\n" in out and "näytä tämä ohje ja lopeta" in out
    code, _, err = _main(["--lang", "fi", "play", "--mode", "kokeilu"], capsys)
    assert code == 2 and "kuule play: virhe: argumentti --mode: virheellinen valinta: 'kokeilu'" in err
    code, _, err = _main(["--lang", "fi", "validate"], capsys)
    assert code == 2 and "virhe: nämä argumentit puuttuvat: PATH" in err
    code, _, err = _main(["--lang", "fi", "play", "--seed", "x"], capsys)
    assert code == 2 and "virheellinen arvo: 'x'" in err
    code, out, _ = _main(["--lang", "en", "play", "--help"], capsys)
    assert out.startswith("usage: kuule play ") and "\noptions:\n" in out  # and argparse is English again after
    code, _, err = _main(["--lang", "en", "validate"], capsys)
    assert "error: the following arguments are required: PATH" in err


def test_play_help_shows_where_the_score_logs_and_the_trainers_scenarios_go(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("KUULE_HOME", str(tmp_path / "home"))
    for lang in ("en", "fi"):
        out = " ".join(_main(["--lang", lang, "play", "--help"], capsys)[1].split())
        assert str(tmp_path / "home" / "data" / "sessions") in out
        assert str(tmp_path / "home" / "data" / "scenarios") in out and "--scenarios DIR" in out


def test_an_old_python_is_told_so_before_anything_else(capsys, monkeypatch):
    monkeypatch.setattr(sys, "version_info", (3, 10, 13, "final", 0))
    code, out, err = _main(["validate", "scenarios"], capsys)
    assert code == 2 and out == "" and "Kuule needs Python 3.11 or newer; this is Python 3.10.13" in err
    code, _, err = _main(["--lang", "fi", "play"], capsys)
    assert code == 2 and "Kuule tarvitsee Pythonin 3.11 tai uudemman, mutta tämä on Python 3.10.13" in err


def test_report_without_matplotlib_says_how_to_install_the_coach_extra():
    for lang, words in (("en", "Kuule's [coach] extra"), ("fi", "Kuulen [coach]-lisäosa")):
        run = subprocess.run([sys.executable, "-c", WITHOUT, "matplotlib", "--lang", lang, "report", "tests/fixtures",
                              "--out", os.devnull], capture_output=True, text=True, cwd=ROOT, timeout=60)
        assert run.returncode == 2 and words in run.stderr and "Traceback" not in run.stderr, run.stderr[-1500:]
        assert 'pip install -e ".[coach]"' in run.stderr and "pipx inject kuule matplotlib" in run.stderr


# -- where things are ----------------------------------------------------------------------------------

def test_run_from_a_checkout_the_shipped_files_are_the_checkouts_own():
    from game import paths

    assert paths.CHECKOUT == ROOT
    assert paths.SCENARIOS_DIR == ROOT / "scenarios" and paths.ASSETS_DIR == ROOT / "assets"
    assert all(p.is_file() for p in (paths.SCENARIO_SCHEMA, paths.RUBRIC_SCHEMA, paths.PLAN_SCHEMA,
                                     paths.SHIPPED_RUBRIC))


def _trainer_folder(tmp_path) -> Path:
    folder = tmp_path / "own scenarios"
    folder.mkdir()
    text = (ROOT / "tests" / "fixtures" / "mini.yaml").read_text(encoding="utf-8")
    (folder / "our_counter.yaml").write_text(text, encoding="utf-8")
    return folder


def test_a_trainers_folder_is_listed_with_the_shipped_scenarios_and_found_by_name(tmp_path, monkeypatch):
    monkeypatch.setenv("KUULE_HOME", str(tmp_path / "home"))
    folder = _trainer_folder(tmp_path)
    env = dict(os.environ, KUULE_HOME=str(tmp_path / "home"), PYTHONPATH=str(ROOT))
    listed = subprocess.run([sys.executable, "main.py", "--lang", "en", "play", "--text", "--scenarios", str(folder)],
                            cwd=ROOT, env=env, input="q\n", capture_output=True, text=True, timeout=120)
    assert "The small print (medium)" in listed.stdout and "A small test (medium)" in listed.stdout, listed.stdout
    typo = subprocess.run([sys.executable, "main.py", "--lang", "fi", "play", "--text", "--scenarios", str(tmp_path / "nope")],
                          cwd=ROOT, env=env, input="q\n", capture_output=True, text=True, timeout=120)
    assert f"--scenarios {tmp_path / 'nope'}: kansiota ei ole" in typo.stderr and "Pienellä präntillä" in typo.stdout
    by_name = subprocess.run([sys.executable, "main.py", "validate", "our_counter"], cwd=tmp_path, env=env,
                             capture_output=True, text=True, timeout=120)
    assert by_name.returncode != 0  # not in the default folder: the name is not a file here
    settings = tmp_path / "home" / "config" / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_text(json.dumps({"format": 1, "scenario_folder": str(folder)}), encoding="utf-8")
    by_name = subprocess.run([sys.executable, str(ROOT / "main.py"), "validate", "our_counter"], cwd=tmp_path,
                             env=env, capture_output=True, text=True, timeout=120)
    assert by_name.returncode == 0 and "1 file(s) checked: 0 error(s)" in by_name.stdout, by_name.stderr
    from game.commands.files import playable_scenarios

    assert folder / "our_counter.yaml" in playable_scenarios()  # the setting, as the window's picker uses it
    from game.ui.settings import load_settings

    assert load_settings(settings).settings.scenario_folder == str(folder)


def test_a_hint_names_the_command_as_the_user_typed_it(tmp_path, capsys, monkeypatch):
    """A rubric beside the scenario with problems: the hint says to validate it, with `kuule` or `python main.py`."""
    import game

    monkeypatch.setattr(game, "COMMAND", game.COMMAND)  # put back after
    scenario = tmp_path / "mini.yaml"
    scenario.write_text((ROOT / "tests" / "fixtures" / "mini.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "rubric.yaml").write_text("format: 1\nnot_a_rubric: [1, 2\n", encoding="utf-8")
    code, out, err = _main(["--lang", "en", "validate", str(scenario)], capsys)
    assert code == 1 and f"run `kuule validate {tmp_path / 'rubric.yaml'}`" in out + err
    run = subprocess.run([sys.executable, "main.py", "--lang", "en", "validate", str(scenario)], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert f"run `python main.py validate {tmp_path / 'rubric.yaml'}`" in run.stdout + run.stderr


@pytest.mark.parametrize("lang", ["en", "fi"])
def test_every_commands_help_prints_in_both_languages(capsys, lang):
    """A help text is formatted by argparse (a bare % in it would crash): each command's must print."""
    from game.cli import COMMANDS

    for command in COMMANDS:
        code, out, err = _main(["--lang", lang, command, "--help"], capsys)
        assert code == 0 and "Traceback" not in err, (command, err)
        assert out.startswith(f"{'käyttö' if lang == 'fi' else 'usage'}: kuule {command} "), command
