"""`strings export|import`: translators' tables (gettext PO) of a scenario's texts."""

from __future__ import annotations

import os
import sys

from game.i18n import Catalog

_ = Catalog({
    "summary": ("export a scenario's texts for translators (PO), or import translations back",
                "vie skenaarion tekstit kääntäjille (PO) tai tuo käännökset takaisin"),
    "action": ("export or import", "export (vie) tai import (tuo)"),
    "scenario": ("export: the scenario file (or a shipped scenario's ID)", "export: skenaariotiedosto (tai valmiin skenaarion tunnus)"),
    "lang_to": ("export: the language to translate into", "export: kieli, jolle käännetään"),
    "source": ("export: the language to translate from (default: the scenario's first)",
               "export: kieli, josta käännetään (oletus: skenaarion ensimmäinen)"),
    "out": ("export: the PO file to write (default: standard output)", "export: kirjoitettava PO-tiedosto (oletus: vakiotuloste)"),
    "into": ("import: the scenario to write the translations into", "import: skenaario, johon käännökset kirjoitetaan"),
    "dry_run": ("import: check and count, write nothing", "import: tarkista ja laske, älä kirjoita mitään"),
    "need_lang": ("'{source}' is the language translated from: name the language to translate into with --lang (e.g. --lang fi)",
                  "'{source}' on kieli, josta käännetään: anna kieli, jolle käännetään, valitsimella --lang (esim. --lang fi)"),
    "need_into": ("import needs --into SCENARIO", "import tarvitsee valitsimen --into SKENAARIO"),
    "cannot": ("{file} has errors, so its texts cannot be exported:", "tiedostossa {file} on virheitä, joten sen tekstejä ei voi viedä:"),
    "written": ("{n} text(s) written to {file} ({missing} not translated yet)",
                "{n} tekstiä kirjoitettu tiedostoon {file} ({missing} vielä kääntämättä)"),
    "refused": ("Nothing was written to {file}:", "Tiedostoon {file} ei kirjoitettu mitään:"),
    "imported": ("{file}: {n} translation(s) into '{language}' written", "{file}: {n} käännöstä kielelle '{language}' kirjoitettu"),
    "would": ("{file}: {n} translation(s) into '{language}' would be written", "{file}: {n} käännöstä kielelle '{language}' kirjoitettaisiin"),
    "left_out": ("left as they were: {fuzzy} marked fuzzy, {empty} not translated",
                 "ennallaan: {fuzzy} epävarmaksi (fuzzy) merkittyä, {empty} kääntämätöntä"),
})


def summary(lang: str) -> str:
    return _("summary", lang)


def add_arguments(parser, lang: str) -> None:
    parser.add_argument("action", choices=("export", "import"), help=_("action", lang))
    parser.add_argument("file", metavar="FILE", help=_("scenario", lang) + "; " + _("into", lang).split(":")[0] + ": PO")
    parser.add_argument("--to", dest="to", metavar="LANG", help=_("lang_to", lang) + " (--lang)")
    parser.add_argument("--source", metavar="LANG", help=_("source", lang))
    parser.add_argument("--out", metavar="FILE.po", help=_("out", lang))
    parser.add_argument("--into", metavar="SCENARIO", help=_("into", lang))
    parser.add_argument("--dry-run", action="store_true", help=_("dry_run", lang))


def run(args) -> int:
    return _export(args) if args.action == "export" else _import(args)


def _export(args) -> int:
    from game.commands.files import resolve_scenario
    from game.scenario.loader import load_scenario
    from game.scenario.safe_yaml import read_file
    from game.scenario.strings import export_po, usable

    lang = args.lang
    target = args.to or args.lang  # `--lang fi` names the language to translate into, as it names the interface's
    path = resolve_scenario(args.file)
    loaded = load_scenario(path)
    if not usable(loaded.diagnostics):  # missing translations are what a table is for; other errors are not
        print(_("cannot", lang, file=path), file=sys.stderr)
        for diagnostic in loaded.errors:
            print(diagnostic.format(lang), file=sys.stderr)
        return 1
    document = read_file(path)
    source = args.source or document["languages"][0]
    if target == source:
        print(_("need_lang", lang, source=source), file=sys.stderr)
        return 2
    po = export_po(path, document, target, source)
    text = str(po) + "\n"
    if not args.out:
        sys.stdout.write(text)
        return 0
    temporary = f"{args.out}.tmp"
    with open(temporary, "w", encoding="utf-8") as stream:
        stream.write(text)
    os.replace(temporary, args.out)
    missing = sum(1 for entry in po if not entry.msgstr)
    print(_("written", lang, n=len(po), file=args.out, missing=missing))
    return 0


def _import(args) -> int:
    from pathlib import Path

    from game.commands.files import resolve_scenario
    from game.scenario.strings import import_po, write_checked

    lang = args.lang
    if not args.into:
        print(_("need_into", lang), file=sys.stderr)
        return 2
    scenario = resolve_scenario(args.into)
    result = import_po(Path(args.file), scenario)
    if result.problems:
        print(_("refused", lang, file=scenario), file=sys.stderr)
        for diagnostic in result.problems:
            print(diagnostic.format(lang), file=sys.stderr)
        return 1
    if result.skipped_fuzzy or result.untranslated:
        print(_("left_out", lang, fuzzy=len(result.skipped_fuzzy), empty=len(result.untranslated)))
    if args.dry_run:
        print(_("would", lang, file=scenario, n=result.changed, language=result.lang))
        return 0
    errors = write_checked(result)
    if errors:
        print(_("refused", lang, file=scenario), file=sys.stderr)
        for diagnostic in errors:
            print(diagnostic.format(lang), file=sys.stderr)
        return 1
    print(_("imported", lang, file=scenario, n=result.changed, language=result.lang))
    return 0
