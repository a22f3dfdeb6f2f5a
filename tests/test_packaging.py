"""Set-up a newcomer relies on: the Quick start, CI running that same test command, the entry points."""

import os
import re
import subprocess
import sys
from pathlib import Path

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
