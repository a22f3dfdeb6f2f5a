"""`migrate FILE...`: upgrade format-1 scenarios to format 2 (each answer's `code:`), and a trainer's own format-1
`rubric.yaml` (each tag's `code:`), keeping comments."""

from __future__ import annotations

import sys

from game.i18n import Catalog

_ = Catalog({
    "summary": ("upgrade format-1 scenarios (and your own rubric.yaml) to format 2, keeping comments and layout",
                "päivitä muodon 1 skenaariot (ja oma rubric.yaml) muotoon 2 niin, että kommentit ja asettelu säilyvät"),
    "files": ("scenario files, or a rubric.yaml, to upgrade", "päivitettävät skenaariotiedostot tai rubric.yaml"),
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
    "rubric_already": ("{file}: already a format-2 rubric, every tag with its code; nothing to do",
                       "{file}: on jo muodon 2 arviointiohje, ja jokaisella tagilla on koodinsa; ei tehtävää"),
    "rubric_errors": ("{file}: this rubric has errors, so it was not upgraded (fix them first):",
                      "{file}: arviointiohjeessa on virheitä, joten sitä ei päivitetty (korjaa ne ensin):"),
    "rubric_code": ("tag {tag}: code {code}", "tagi {tag}: koodi {code}"),
    "rubric_uncoded": ("tag {tag}: the shipped rubric has no tag of this name, so it gives no code and an answer it alone tags earns nothing; give it `code:` (scenarios/README.md, chapter 6)",
                       "tagi {tag}: valmiissa arviointiohjeessa ei ole tämännimistä tagia, joten se ei anna koodia, eikä vastaus, jolla on vain se, tuo pisteitä; anna sille `code:` (scenarios/README.fi.md, luku 6)"),
    "rubric_done": ("{file}: rubric upgraded to format 2; {n} tag(s) got the `code:` they score with (the shipped rubric's); `axis`, `weight` and `miti` stay but no longer score",
                    "{file}: arviointiohje päivitetty muotoon 2; {n} tagia sai koodin (`code:`), jolla se pisteytetään (valmiin arviointiohjeen); `axis`, `weight` ja `miti` jäävät, mutta eivät enää vaikuta pisteisiin"),
    "rubric_would": ("{file}: would upgrade the rubric to format 2; {n} tag(s) would get `code:`",
                     "{file}: arviointiohje päivittyisi muotoon 2; {n} tagia saisi kentän `code:`"),
    "not_scenario": ("{file}: a {kind} file; `migrate` upgrades scenarios and rubric.yaml files only",
                     "{file}: {kind_fi}; `migrate` päivittää vain skenaarioita ja rubric.yaml-tiedostoja"),
    "after": ("{file}: the upgraded file would not load, so nothing was written:",
              "{file}: päivitetty tiedosto ei latautuisi, joten mitään ei kirjoitettu:"),
})


def summary(lang: str) -> str:
    return _("summary", lang)


def add_arguments(parser, lang: str) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE", help=_("files", lang))
    parser.add_argument("--dry-run", action="store_true", help=_("dry_run", lang))


def run(args) -> int:
    from game.commands.files import kind_of, resolve_scenario
    from game.scenario.migrate import check_and_write, migrate_text

    lang, status = args.lang, 0
    for name in args.files:
        path = resolve_scenario(name)
        kind = kind_of(path)
        if kind == "rubric":
            status = max(status, _rubric(path, args.dry_run, lang))
            continue
        if kind != "scenario":
            print(_("not_scenario", lang, file=path, kind="test plan" if kind == "plan" else "translators' table",
                    kind_fi="testisuunnitelma" if kind == "plan" else "käännöstaulukko"), file=sys.stderr)
            status = 1
            continue
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


def _rubric(path, dry_run: bool, lang: str) -> int:
    """Upgrade a trainer's own rubric.yaml: format 2, each tag with the code it scores with."""
    from game.scenario.migrate import migrate_rubric_text, rubric_replace_if_it_loads

    migration = migrate_rubric_text(path)
    if migration.problems:
        print(_("rubric_errors", lang, file=path), file=sys.stderr)
        for diagnostic in migration.problems:
            print(diagnostic.format(lang), file=sys.stderr)
        return 1
    if migration.already:
        print(_("rubric_already", lang, file=path))
        return 0
    for tag, code in migration.changed:
        print("  " + _("rubric_code", lang, tag=tag, code=code))
    for tag in migration.uncoded:
        print("  " + _("rubric_uncoded", lang, tag=tag))
    if dry_run:
        print(_("rubric_would", lang, file=path, n=len(migration.changed)))
        return 0
    errors = rubric_replace_if_it_loads(path, migration.text)
    if errors:
        print(_("after", lang, file=path), file=sys.stderr)
        for diagnostic in errors:
            print(diagnostic.format(lang), file=sys.stderr)
        return 1
    print(_("rubric_done", lang, file=path, n=len(migration.changed)))
    return 0
