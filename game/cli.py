"""The command line: `kuule [COMMAND] ...`, or `python main.py [COMMAND] ...` in a checkout (default: play).

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
    "version": ("show Kuule's version and exit", "näytä Kuulen versio ja lopeta"),
    "too_old": ("Kuule needs Python 3.11 or newer; this is Python {version} ({python}).\n"
                "Run it with a newer Python (from python.org or your system's packages), for example: "
                "python3.11 -m pip install -e . && python3.11 main.py",
                "Kuule tarvitsee Pythonin 3.11 tai uudemman, mutta tämä on Python {version} ({python}).\n"
                "Käytä uudempaa Pythonia (python.orgista tai järjestelmän paketeista), esimerkiksi: "
                "python3.11 -m pip install -e . && python3.11 main.py"),
    "missing": ("Kuule needs the Python package '{package}', which is not installed for this Python ({python}).\n"
                "{how}",
                "Kuule tarvitsee Python-paketin '{package}', jota ei ole asennettu tälle Pythonille ({python}).\n"
                "{how}"),
    "install_checkout": ("Install Kuule with what it needs, from its folder: python -m pip install -e .",
                         "Asenna Kuule ja sen tarvitsemat paketit sen kansiossa: python -m pip install -e ."),
    "install_package": ("Install it for the Python Kuule runs on: \"{python}\" -m pip install \"{package}\"",
                        "Asenna se sille Pythonille, jolla Kuule toimii: \"{python}\" -m pip install \"{package}\""),
    "coach_extra": ("The coach report draws its charts with matplotlib, which a trainee's install leaves out "
                    "(Kuule's [coach] extra).\nInstall it: from Kuule's folder python -m pip install -e \".[coach]\"; "
                    "from a wheel python -m pip install \"kuule[coach] @ FILE.whl\"; with pipx: pipx inject kuule matplotlib; "
                    "or for this Python: \"{python}\" -m pip install matplotlib",
                    "Valmennusraportti piirtää kaavionsa matplotlibilla, jota harjoittelijan asennukseen ei oteta "
                    "(Kuulen [coach]-lisäosa).\nAsenna se: Kuulen kansiossa python -m pip install -e \".[coach]\"; "
                    "wheel-tiedostosta python -m pip install \"kuule[coach] @ TIEDOSTO.whl\"; pipx-asennukseen "
                    "pipx inject kuule matplotlib; tai tälle Pythonille: \"{python}\" -m pip install matplotlib"),
})

MINIMUM_PYTHON = (3, 11)

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


class _Formatter(argparse.HelpFormatter):
    """argparse's help, with folder paths kept whole (never wrapped at a hyphen in them)."""

    def _split_lines(self, text, width):
        import textwrap

        return textwrap.wrap(" ".join(text.split()), width, break_on_hyphens=False, break_long_words=False)


def build_parser(lang: str, only: str | None = None, prog: str = "kuule") -> argparse.ArgumentParser:
    """The whole command line; with `only`, the arguments of that command alone are built (a faster start).
    Build it inside `game.argparse_fi.speaking(lang)`, so argparse's own words are in that language too."""
    def t(key, **values):
        return _(key, lang, **values)

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--lang", choices=LANGUAGES, default=lang, help=t("lang"))
    parser = argparse.ArgumentParser(prog=prog, description=t("description"), parents=[common], formatter_class=_Formatter)
    parser.add_argument("--version", action="version", version=f"Kuule {__version__}", help=t("version"))
    commands = parser.add_subparsers(dest="command", title=t("commands"), metavar="COMMAND")
    for name, module_name in COMMANDS.items():
        module = importlib.import_module(module_name)
        sub = commands.add_parser(name, parents=[common], help=module.summary(lang), description=module.summary(lang),
                                  formatter_class=_Formatter)
        if only is None or name == only:
            module.add_arguments(sub, lang)
        sub.set_defaults(module=module_name)
    return parser


def main(argv: list[str] | None = None, prog: str = "kuule") -> int:
    """The command line; `prog` is how the user started it (`kuule`, `python main.py`), for the help."""
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = _language_from(argv)
    import game

    game.COMMAND = prog
    if sys.version_info < MINIMUM_PYTHON:  # before anything else: on an old Python every other message misleads
        print(_("too_old", lang, version=".".join(map(str, sys.version_info[:3])), python=sys.executable),
              file=sys.stderr)
        return 2
    try:
        return _main(argv, lang, prog)
    except ModuleNotFoundError as error:  # Kuule run without what it needs: say how to install it, not a traceback
        top = (error.name or "").partition(".")[0]
        if top not in DEPENDENCIES:
            raise
        print(missing_package(DEPENDENCIES[top], lang), file=sys.stderr)
        return 2


def missing_package(package: str, lang: str) -> str:
    """What to tell the user when `package` (its PyPI name) cannot be imported."""
    if package == "matplotlib":
        return _("coach_extra", lang, python=sys.executable)
    from game.paths import CHECKOUT

    how = _("install_checkout", lang) if CHECKOUT else _("install_package", lang, python=sys.executable, package=package)
    return _("missing", lang, package=package, python=sys.executable, how=how)


def _main(argv: list[str], lang: str, prog: str) -> int:
    from game.argparse_fi import speaking

    if not _names_a_command(argv) and not {"-h", "--help", "--version"} & set(argv):
        argv = ["play"] + argv  # `kuule`, `kuule --lang fi`: play is the default
    with speaking(lang):
        parser = build_parser(lang, only=_command_in(argv), prog=prog)
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
