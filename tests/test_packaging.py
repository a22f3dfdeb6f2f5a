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
