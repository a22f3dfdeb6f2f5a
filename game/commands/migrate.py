"""`migrate FILE...`: upgrade format-1 scenarios to format 2 (each answer's `code:`), keeping comments."""

from __future__ import annotations

import sys

from game.i18n import Catalog

_ = Catalog({
    "summary": ("upgrade format-1 scenarios to format 2, keeping comments and layout",
                "päivitä muodon 1 skenaariot muotoon 2 niin, että kommentit ja asettelu säilyvät"),
    "files": ("scenario files to upgrade", "päivitettävät skenaariotiedostot"),
    "dry_run": ("show what would change, write nothing", "näytä muutokset, älä kirjoita mitään"),
    "already": ("{file}: already format 2, nothing to do", "{file}: on jo muotoa 2, ei tehtävää"),
    "errors": ("{file}: has errors, so it was not upgraded (fix them first):",
               "{file}: tiedostossa on virheitä, joten sitä ei päivitetty (korjaa ne ensin):"),
    "done": ("{file}: upgraded to format 2; {n} answer(s) got `code:`", "{file}: päivitetty muotoon 2; {n} vastausta sai kentän `code:`"),
    "would": ("{file}: would upgrade to format 2; {n} answer(s) would get `code:`",
              "{file}: päivittyisi muotoon 2; {n} vastausta saisi kentän `code:`"),
    "code": ("{node}.{choice}: code {code}", "{node}.{choice}: koodi {code}"),
    "uncoded": ("{node}.{choice}: no tag gave it a code, so it got the neutral `give_information` (it earned nothing before either); check it (scenarios/README.md, chapter 6)",
                "{node}.{choice}: mikään tagi ei antanut sille koodia, joten se sai neutraalin koodin `give_information` (se ei tuonut pisteitä ennenkään); tarkista se (scenarios/README.fi.md, luku 6)"),
    "after": ("{file}: the upgraded file would not load, so nothing was written:",
              "{file}: päivitetty tiedosto ei latautuisi, joten mitään ei kirjoitettu:"),
})


def summary(lang: str) -> str:
    return _("summary", lang)


def add_arguments(parser, lang: str) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE", help=_("files", lang))
    parser.add_argument("--dry-run", action="store_true", help=_("dry_run", lang))


def run(args) -> int:
    from game.commands.files import resolve_scenario
    from game.scenario.migrate import check_and_write, migrate_text

    lang, status = args.lang, 0
    for name in args.files:
        path = resolve_scenario(name)
        migration = migrate_text(path)
        if migration.problems:
            print(_("errors", lang, file=path), file=sys.stderr)
            for diagnostic in migration.problems:
                print(diagnostic.format(lang), file=sys.stderr)
            status = 1
            continue
        if migration.already:
            print(_("already", lang, file=path))
            continue
        for node_id, choice_id, code in migration.changed:
            print("  " + _("code", lang, node=node_id, choice=choice_id, code=code))
        for node_id, choice_id in migration.uncoded:
            print("  " + _("uncoded", lang, node=node_id, choice=choice_id))
        if args.dry_run:
            print(_("would", lang, file=path, n=len(migration.changed)))
            continue
        errors = check_and_write(migration)
        if errors:
            print(_("after", lang, file=path), file=sys.stderr)
            for diagnostic in errors:
                print(diagnostic.format(lang), file=sys.stderr)
            status = 1
            continue
        print(_("done", lang, file=path, n=len(migration.changed)))
    return status
