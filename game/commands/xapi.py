"""`xapi PATH... --out FILE.json [--lrs URL --user U --password P]`: session logs as xAPI statements."""

from __future__ import annotations

import argparse
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
    "pass_mark": ("the overall score that passes, as a share 0–1 or a percentage (default: 0.6, that is 60%%)",
                  "hyväksymisraja: kokonaispisteet osuutena 0–1 tai prosentteina (oletus: 0,6 eli 60 %%)"),
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
    "bad_pass": ("give the pass mark as a share 0–1 or a percentage, e.g. 0.6 or 60%",
                 "anna hyväksymisraja osuutena 0–1 tai prosentteina, esim. 0,6 tai 60 %"),
    "unverified": ("also send logs whose hash chain does not verify (marked unverified); by default they are left out and listed",
                   "lähetä myös lokit, joiden tiivisteketju ei täsmää (merkitään tarkistamattomiksi); oletuksena ne jätetään pois ja luetellaan"),
    "outbox": ("send the sessions waiting in this computer's queue to the LRS of the settings (KUULE_LRS_URL or lrs.toml)",
               "lähetä tämän koneen jonossa odottavat istunnot asetusten LRS:ään (KUULE_LRS_URL tai lrs.toml)"),
    "no_settings": ("No LRS is set up: set KUULE_LRS_URL, KUULE_LRS_USER and KUULE_LRS_PASSWORD (or a password file), or write {path}.",
                    "LRS:ää ei ole asetettu: aseta KUULE_LRS_URL, KUULE_LRS_USER ja KUULE_LRS_PASSWORD (tai salasanatiedosto) tai kirjoita {path}."),
    "outbox_sent": ("Queue: {stored} stored, {already} already there, {left} still waiting.",
                    "Jono: {stored} tallennettu, {already} oli jo tallessa, {left} odottaa yhä."),
    "need_paths": ("Name session logs or folders, or give --outbox.", "Anna istuntolokeja tai kansioita tai valitsin --outbox."),
    "bad_url": ("--lrs {url}: {why}", "--lrs {url}: {why}"),
    "url_scheme": ("the address must start with http:// or https://", "osoitteen on alettava http:// tai https://"),
    "url_host": ("no host name in the address (e.g. http://127.0.0.1:8100)", "osoitteessa ei ole palvelimen nimeä (esim. http://127.0.0.1:8100)"),
    "url_port": ("the port is not a number from 1 to 65535", "portti ei ole luku väliltä 1–65535"),
    "url_credentials": ("leave the user name and password out of the address: use --user and KUULE_LRS_PASSWORD",
                        "jätä käyttäjätunnus ja salasana pois osoitteesta: käytä valitsinta --user ja muuttujaa KUULE_LRS_PASSWORD"),
    "url_query": ("the address must not hold a query (?…) or a fragment (#…)", "osoitteessa ei saa olla kyselyä (?…) eikä osaa (#…)"),
    "voided": ("{n} earlier passed/failed statement(s) voided (another pass mark).",
               "{n} aiempaa hyväksytty/hylätty-lausumaa mitätöitiin (eri hyväksymisraja)."),
})


def share_type(lang: str):
    """Reads a pass mark as people write it: 0.6, 0,6, 60% or 60 %; anything else, or outside 0–1, is refused."""
    def share(text: str) -> float:
        text = text.strip().replace(",", ".")
        try:
            value = float(text[:-1]) / 100 if text.endswith("%") else float(text)
        except ValueError:
            value = -1.0
        if not 0 <= value <= 1:  # also NaN
            raise argparse.ArgumentTypeError(_("bad_pass", lang))
        return value
    return share


def summary(lang: str) -> str:
    return _("summary", lang)


def add_arguments(parser, lang: str) -> None:
    from game.xapi.statements import DEFAULT_HOMEPAGE

    parser.add_argument("paths", nargs="*", metavar="PATH", help=_("paths", lang))
    parser.add_argument("--outbox", action="store_true", help=_("outbox", lang))
    parser.add_argument("--out", "-o", default=None, metavar="FILE.json", help=_("out", lang))
    parser.add_argument("--lrs", default=None, metavar="URL", help=_("lrs", lang))
    parser.add_argument("--user", default=None, help=_("user", lang))
    parser.add_argument("--password", default=None, help=_("password", lang))
    parser.add_argument("--homepage", default=DEFAULT_HOMEPAGE, metavar="URL", help=_("homepage", lang))
    parser.add_argument("--pass-mark", type=share_type(lang), default=0.6, metavar="SHARE", help=_("pass_mark", lang))
    parser.add_argument("--unfinished", action="store_true", help=_("unfinished", lang))
    parser.add_argument("--retries", type=int, default=5, metavar="N", help=_("retries", lang))
    parser.add_argument("--include-unverified", action="store_true", help=_("unverified", lang))


def _statement_file(path: Path):
    """Statements saved earlier (e.g. an .unsent.json), or None if the file is not that."""
    from game.session.reader import LogError, MAX_LOG, nesting, read_bytes

    try:
        raw = read_bytes(path)  # a regular file of bounded size (never waits on a pipe)
        if len(raw) > MAX_LOG or nesting(raw) > 8:  # a list of statements is a few levels deep
            return None
        data = json.loads(raw.decode("utf-8"))
    except (LogError, ValueError, RecursionError):
        return None
    if isinstance(data, list) and all(isinstance(s, dict) and "id" in s and "verb" in s for s in data):
        return data
    return None


def collect(args, lang):
    """(statements, sessions, problems, unfinished count): statements grouped per session, in log order."""
    from game.report.scenarios import ScenarioLibrary
    from game.session.reader import LogError, expand_logs
    from game.session.verify import verify_log
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
        failure = verify_log(path).failure()
        if failure is not None and (failure.reason in LogError.READER_REASONS or not args.include_unverified):
            problems.append((path, failure.message(lang)))  # not a log, or a chain that does not verify: left out
            continue
        try:
            statements.extend(statements_for_log(path, homepage=args.homepage, pass_mark=args.pass_mark,
                                                 include_unfinished=args.unfinished, library=library,
                                                 verified=failure is None))
            sessions += 1
        except NotFinished:
            unfinished += 1
        except LogError as error:
            problems.append((path, error.message(lang)))
        except (KeyError, TypeError, ValueError):
            problems.append((path, LogError(path, "foreign").message(lang)))
    return statements, sessions, problems, unfinished


def _write_json(path: Path, statements: list[dict]) -> None:
    """Statements name trainees and their scores: the file is readable by its owner only (0600)."""
    import secrets

    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    with open(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w", encoding="utf-8") as handle:
        handle.write("[\n")
        for index, statement in enumerate(statements):
            handle.write(("" if index == 0 else ",\n") + json.dumps(statement, ensure_ascii=False))
        handle.write("\n]\n")
    os.replace(temporary, path)


def send_outbox(lang: str) -> int:
    from game.xapi.outbox import Outbox
    from game.xapi.send import Client, url_problem
    from game.xapi.settings import SettingsError, load, settings_path

    try:
        settings = load()
    except SettingsError as error:
        print(error.message(lang), file=sys.stderr)
        return 2
    if settings is None:
        print(_("no_settings", lang, path=settings_path()), file=sys.stderr)
        return 2
    why = url_problem(settings.url)
    if why is not None:
        print(_("bad_url", lang, url=settings.url, why=_("url_" + why, lang)), file=sys.stderr)
        return 2
    outbox = Outbox()
    report = outbox.flush(Client(settings.url, settings.user, settings.password))
    left = outbox.pending()
    print(_("outbox_sent", lang, stored=report.stored, already=report.already, left=left))
    for line in report.errors[-1:]:
        print(line, file=sys.stderr)
    return 1 if left or report.conflicts or report.rejected else 0


def run(args) -> int:
    lang = args.lang
    if args.outbox:
        return send_outbox(lang)
    if not args.paths:
        print(_("need_paths", lang), file=sys.stderr)
        return 2
    if not args.out and not args.lrs:
        print(_("need_target", lang), file=sys.stderr)
        return 2
    password = args.password if args.password is not None else os.environ.get("KUULE_LRS_PASSWORD")
    if args.lrs and (not args.user or password is None):
        print(_("need_user", lang), file=sys.stderr)
        return 2
    if args.lrs:
        from game.xapi.send import url_problem

        why = url_problem(args.lrs)
        if why is not None:
            print(_("bad_url", lang, url=args.lrs, why=_("url_" + why, lang)), file=sys.stderr)
            return 2
    statements, sessions, problems, unfinished = collect(args, lang)
    for path, reason in problems:  # on standard output: what was left out belongs with what was written
        print(_("skipped", lang, path=path, reason=reason))
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
        from game.xapi.send import Client, SendReport, send, supersede
        from game.xapi.statements import EXT

        client = Client(args.lrs, args.user, password, retries=max(0, args.retries))
        voids: list[dict] = []
        try:
            voids = supersede(statements, client, EXT["pass-mark"])
        except OSError as error:  # the LRS cannot be asked: nothing is sent, everything is kept to send later
            report = SendReport(unsent=list(statements), errors=[str(error)])
        else:
            report = send(statements + voids, client)
        if voids:
            print(_("voided", lang, n=len(voids)))
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
