"""`xapi PATH... --out FILE.json [--lrs URL --user U --password P]`: session logs as xAPI statements."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from game.i18n import Catalog

_ = Catalog({
    "summary": ("turn session logs into xAPI statements, and send them to a Learning Record Store",
                "muunna istuntolokit xAPI-lausumiksi ja lähetä ne oppimistietovarastoon (LRS)"),
    "paths": ("session logs or folders of them; or statement files (.json) to send again",
              "istuntolokeja tai niiden kansioita; tai uudelleen lähetettäviä lausumatiedostoja (.json)"),
    "out": ("write the statements to this JSON file", "kirjoita lausumat tähän JSON-tiedostoon"),
    "lrs": ("the LRS's address, e.g. http://127.0.0.1:8100 (the statements resource is found from it)",
            "LRS:n osoite, esim. http://127.0.0.1:8100 (lausumaresurssi päätellään siitä)"),
    "user": ("LRS user name (HTTP Basic)", "LRS:n käyttäjätunnus (HTTP Basic)"),
    "password": ("LRS password (or set KUULE_LRS_PASSWORD)", "LRS:n salasana (tai aseta KUULE_LRS_PASSWORD)"),
    "homepage": ("the homePage of trainees' xAPI accounts (your organisation's address)",
                 "harjoittelijoiden xAPI-tilien homePage (organisaatiosi osoite)"),
    "pass_mark": ("overall score share that passes, 0..1 (default: 0.6)", "hyväksytyn kokonaispisteiden osuus, 0..1 (oletus: 0.6)"),
    "unfinished": ("include unfinished sessions (they may still be resumed and change)",
                   "ota mukaan kesken jääneet istunnot (niitä voidaan vielä jatkaa)"),
    "retries": ("how many times to retry a failed request (default: 5)", "montako kertaa epäonnistunut pyyntö yritetään uudelleen (oletus: 5)"),
    "need_target": ("Give --out FILE.json, --lrs URL, or both.", "Anna --out TIEDOSTO.json, --lrs OSOITE tai molemmat."),
    "need_user": ("--lrs needs --user and a password (--password or KUULE_LRS_PASSWORD).",
                  "--lrs tarvitsee valitsimen --user ja salasanan (--password tai KUULE_LRS_PASSWORD)."),
    "skipped": ("{path}: skipped: {reason}", "{path}: ohitettu: {reason}"),
    "unfinished_skipped": ("{n} unfinished session(s) left out (add --unfinished to include them)",
                           "{n} kesken jäänyttä istuntoa jätettiin pois (ota mukaan valitsimella --unfinished)"),
    "not_statements": ("not a file of xAPI statements", "ei ole xAPI-lausumatiedosto"),
    "wrote": ("Wrote {n} statement(s) from {sessions} session(s) to {out}.",
              "Kirjoitettiin {n} lausumaa {sessions} istunnosta tiedostoon {out}."),
    "sent": ("LRS {url}: {stored} stored, {already} already there.", "LRS {url}: {stored} tallennettu, {already} oli jo tallessa."),
    "retried": ("({n} request(s) were retried.)", "({n} pyyntöä yritettiin uudelleen.)"),
    "conflicts": ("{n} statement(s) conflict with different statements the LRS already holds under the same ID: {ids}",
                  "{n} lausumaa on ristiriidassa LRS:ssä samalla tunnuksella jo olevien eri lausumien kanssa: {ids}"),
    "rejected": ("The LRS refused statement {id}: {reason}", "LRS hylkäsi lausuman {id}: {reason}"),
    "unsent": ("{n} statement(s) were NOT sent ({reason}). They are saved in {file}; run the same command again to send them — nothing is stored twice.",
               "{n} lausumaa jäi lähettämättä ({reason}). Ne on tallennettu tiedostoon {file}; aja sama komento uudelleen lähettääksesi ne — mitään ei tallenneta kahdesti."),
    "cannot_write": ("cannot write {path}: {reason}", "tiedostoa {path} ei voi kirjoittaa: {reason}"),
    "bad_pass": ("--pass-mark must be between 0 and 1", "--pass-mark on annettava väliltä 0–1"),
})


def summary(lang: str) -> str:
    return _("summary", lang)


def add_arguments(parser, lang: str) -> None:
    from game.xapi.statements import DEFAULT_HOMEPAGE

    parser.add_argument("paths", nargs="+", metavar="PATH", help=_("paths", lang))
    parser.add_argument("--out", "-o", default=None, metavar="FILE.json", help=_("out", lang))
    parser.add_argument("--lrs", default=None, metavar="URL", help=_("lrs", lang))
    parser.add_argument("--user", default=None, help=_("user", lang))
    parser.add_argument("--password", default=None, help=_("password", lang))
    parser.add_argument("--homepage", default=DEFAULT_HOMEPAGE, metavar="URL", help=_("homepage", lang))
    parser.add_argument("--pass-mark", type=float, default=0.6, metavar="SHARE", help=_("pass_mark", lang))
    parser.add_argument("--unfinished", action="store_true", help=_("unfinished", lang))
    parser.add_argument("--retries", type=int, default=5, metavar="N", help=_("retries", lang))


def _statement_file(path: Path):
    """Statements saved earlier (e.g. an .unsent.json), or None if the file is not that."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if isinstance(data, list) and all(isinstance(s, dict) and "id" in s and "verb" in s for s in data):
        return data
    return None


def collect(args, lang):
    """(statements, sessions, problems, unfinished count): statements grouped per session, in log order."""
    from game.report.scenarios import ScenarioLibrary
    from game.session.reader import LogError, expand_logs
    from game.xapi.statements import NotFinished, statements_for_log

    library = ScenarioLibrary()
    statements, sessions, problems, unfinished = [], 0, [], 0
    logs, missing = expand_logs([p for p in args.paths if not p.endswith(".json")])
    problems += [(path, error.message(lang)) for path, error in missing]
    for raw in (p for p in args.paths if p.endswith(".json")):
        saved = _statement_file(Path(raw))
        if saved is None:
            problems.append((Path(raw), _("not_statements", lang)))
        else:
            statements.extend(saved)
    for path in logs:
        try:
            statements.extend(statements_for_log(path, homepage=args.homepage, pass_mark=args.pass_mark,
                                                 include_unfinished=args.unfinished, library=library))
            sessions += 1
        except NotFinished:
            unfinished += 1
        except LogError as error:
            problems.append((path, error.message(lang)))
        except (KeyError, TypeError, ValueError):
            problems.append((path, LogError(path, "foreign").message(lang)))
    return statements, sessions, problems, unfinished


def _write_json(path: Path, statements: list[dict]) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write("[\n")
        for index, statement in enumerate(statements):
            handle.write(("" if index == 0 else ",\n") + json.dumps(statement, ensure_ascii=False))
        handle.write("\n]\n")
    os.replace(temporary, path)


def run(args) -> int:
    lang = args.lang
    if not args.out and not args.lrs:
        print(_("need_target", lang), file=sys.stderr)
        return 2
    password = args.password if args.password is not None else os.environ.get("KUULE_LRS_PASSWORD")
    if args.lrs and (not args.user or password is None):
        print(_("need_user", lang), file=sys.stderr)
        return 2
    if not 0 <= args.pass_mark <= 1:
        print(_("bad_pass", lang), file=sys.stderr)
        return 2
    statements, sessions, problems, unfinished = collect(args, lang)
    for path, reason in problems:
        print(_("skipped", lang, path=path, reason=reason), file=sys.stderr)
    if unfinished:
        print(_("unfinished_skipped", lang, n=unfinished), file=sys.stderr)
    code = 0
    if args.out:
        try:
            _write_json(Path(args.out), statements)
        except OSError as error:
            print(_("cannot_write", lang, path=args.out, reason=error.strerror or error), file=sys.stderr)
            return 1
        print(_("wrote", lang, n=len(statements), sessions=sessions, out=args.out))
    if args.lrs:
        from game.xapi.send import Client, send

        client = Client(args.lrs, args.user, password, retries=max(0, args.retries))
        report = send(statements, client)
        print(_("sent", lang, url=client.url, stored=report.stored, already=report.already))
        if report.retries:
            print(_("retried", lang, n=report.retries))
        if report.conflicts:
            print(_("conflicts", lang, n=len(report.conflicts), ids=", ".join(report.conflicts[:10])), file=sys.stderr)
        for statement_id, reason in report.rejected[:20]:
            print(_("rejected", lang, id=statement_id, reason=reason), file=sys.stderr)
        if report.unsent:
            base = Path(args.out) if args.out else Path("statements.json")
            unsent_file = base.with_name(base.stem + ".unsent.json")
            try:
                _write_json(unsent_file, report.unsent)
            except OSError as error:
                print(_("cannot_write", lang, path=unsent_file, reason=error.strerror or error), file=sys.stderr)
            print(_("unsent", lang, n=len(report.unsent), reason="; ".join(report.errors[-1:]) or "?",
                    file=unsent_file), file=sys.stderr)
        if not report.ok:
            code = 1
    return code
