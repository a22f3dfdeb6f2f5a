"""The command line: `python main.py [COMMAND] ...` (default: play).

Each command lives in its own module with `add_arguments(parser, t)` and
`run(args) -> int`; this module only wires them up, in the user's language.
Modules are imported when their command runs, so `validate` starts fast.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from game import __version__
from game.i18n import LANGUAGES, Catalog, system_language

_ = Catalog({
    "description": ("Kuule: an empathy-training game for customer-facing staff.",
                    "Kuule: empatiaharjoituspeli asiakaspalvelun ammattilaisille."),
    "lang": ("language of the interface and messages (default: from the system)",
             "käyttöliittymän ja viestien kieli (oletus: järjestelmän kieli)"),
    "commands": ("commands (default: play)", "komennot (oletus: play)"),
    "play": ("play a scenario", "pelaa skenaario"),
    "validate": ("check scenario files and report problems like a compiler", "tarkista skenaariotiedostot ja raportoi ongelmat"),
    "missing": ("Kuule needs the Python package '{package}', which is not installed for this Python ({python}).\n"
                "Install Kuule with what it needs, from its folder: python -m pip install -e .",
                "Kuule tarvitsee Python-paketin '{package}', jota ei ole asennettu tälle Pythonille ({python}).\n"
                "Asenna Kuule ja sen tarvitsemat paketit sen kansiossa: python -m pip install -e ."),
})

# what each runtime dependency in pyproject.toml is imported as -> its name on PyPI
DEPENDENCIES = {"pygame": "pygame-ce", "yaml": "PyYAML", "transitions": "transitions", "platformdirs": "platformdirs",
                "jinja2": "Jinja2", "markupsafe": "Jinja2", "matplotlib": "matplotlib", "ruamel": "ruamel.yaml", "polib": "polib",
                "simplemma": "simplemma"}

# command name -> module under game.commands
COMMANDS = {
    "play": "game.commands.play",
    "validate": "game.commands.validate",
    "analyze": "game.commands.analyze",
    "test": "game.commands.test",
    "graph": "game.commands.graph",
    "verify": "game.commands.verify",
    "report": "game.commands.report",
    "xapi": "game.commands.xapi",
    "replay": "game.commands.replay",
    "migrate": "game.commands.migrate",
    "strings": "game.commands.strings",
    "code": "game.commands.code",
}


def _language_from(argv: list[str]) -> str:
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv) and argv[index + 1] in LANGUAGES:
            return argv[index + 1]
        if arg.startswith("--lang=") and arg.split("=", 1)[1] in LANGUAGES:
            return arg.split("=", 1)[1]
    return system_language()


def _names_a_command(argv: list[str]) -> bool:
    """Whether the first word that is not an option (or --lang's value) is a command."""
    return _command_in(argv) is not None


def _command_in(argv: list[str]) -> str | None:
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--lang":
            skip = True
        elif not arg.startswith("-"):
            return arg if arg in COMMANDS else None
    return None


def build_parser(lang: str, only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line; with `only`, the arguments of that command alone are built (a faster start)."""
    def t(key, **values):
        return _(key, lang, **values)

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--lang", choices=LANGUAGES, default=lang, help=t("lang"))
    parser = argparse.ArgumentParser(prog="python main.py", description=t("description"), parents=[common])
    parser.add_argument("--version", action="version", version=f"Kuule {__version__}")
    commands = parser.add_subparsers(dest="command", title=t("commands"), metavar="COMMAND")
    for name, module_name in COMMANDS.items():
        module = importlib.import_module(module_name)
        sub = commands.add_parser(name, parents=[common], help=module.summary(lang), description=module.summary(lang))
        if only is None or name == only:
            module.add_arguments(sub, lang)
        sub.set_defaults(module=module_name)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = _language_from(argv)
    try:
        return _main(argv, lang)
    except ModuleNotFoundError as error:  # Kuule run without being installed: say how, not a traceback
        top = (error.name or "").partition(".")[0]
        if top not in DEPENDENCIES:
            raise
        print(_("missing", lang, package=DEPENDENCIES[top], python=sys.executable), file=sys.stderr)
        return 2


def _main(argv: list[str], lang: str) -> int:
    if not _names_a_command(argv) and not {"-h", "--help", "--version"} & set(argv):
        argv = ["play"] + argv  # `python main.py`, `python main.py --lang fi`: play is the default
    parser = build_parser(lang, only=_command_in(argv))
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["play"] + argv)
    module = importlib.import_module(args.module)
    try:
        return module.run(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (e.g. `| head`): not an error of ours
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return 0
