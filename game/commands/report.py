"""`report PATH... --out report.html`: a coach report from session logs, as one offline HTML page."""

from __future__ import annotations

import sys
from datetime import date

from game.report.texts import _


def summary(lang: str) -> str:
    return _("summary", lang)


def add_arguments(parser, lang: str) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH", help=_("paths", lang))
    parser.add_argument("--out", "-o", default="report.html", metavar="FILE", help=_("out", lang))
    parser.add_argument("--csv", default=None, metavar="FILE", help=_("csv", lang))
    parser.add_argument("--trainee", action="append", default=[], metavar="NAME", help=_("opt_trainee", lang))
    parser.add_argument("--scenario", action="append", default=[], metavar="ID", help=_("opt_scenario", lang))
    parser.add_argument("--since", default=None, metavar="DATE", help=_("opt_since", lang))
    parser.add_argument("--until", default=None, metavar="DATE", help=_("opt_until", lang))
    parser.add_argument("--all-modes", action="store_true", help=_("opt_all_modes", lang))
    parser.add_argument("--attempt", choices=("first", "latest", "best"), default="latest", help=_("opt_attempt", lang))
    parser.add_argument("--scenarios", action="append", default=[], metavar="PATH", help=_("opt_scenarios", lang))
    parser.add_argument("--transcripts", type=int, default=200, metavar="N", help=_("opt_transcripts", lang))
    parser.add_argument("--charts", type=int, default=8, metavar="N", help=_("opt_charts", lang))
    parser.add_argument("--include-unverified", action="store_true", help=_("opt_unverified", lang))
    parser.add_argument("--lrs", default=None, metavar="URL", help=_("opt_lrs", lang))
    parser.add_argument("--user", default=None, help=_("opt_user", lang))


def _date(value: str | None, lang: str):
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise SystemExit(_("bad_date", lang, value=value)) from None


def run(args) -> int:
    import importlib.util

    if importlib.util.find_spec("matplotlib") is None:  # a trainee's install: the charts need Kuule's [coach] extra
        from game.cli import missing_package

        print(missing_package("matplotlib", args.lang), file=sys.stderr)
        return 2
    from game.report.build import write_report
    from game.report.collect import Filters

    lang = args.lang
    try:
        filters = Filters(trainees=tuple(args.trainee), scenarios=tuple(args.scenario), since=_date(args.since, lang),
                          until=_date(args.until, lang), all_modes=args.all_modes,
                          include_unverified=args.include_unverified)
    except SystemExit as stop:
        print(stop.code, file=sys.stderr)
        return 2
    paths = args.paths
    folder = None
    if args.lrs:
        folder, code = _from_lrs(args, lang, filters.since)
        if folder is None:
            return code
        paths = [str(folder)]
    elif not paths:
        from game.paths import session_log_dir

        paths = [str(session_log_dir())]
    try:
        return _write(args, lang, paths, filters)
    finally:
        if folder is not None:
            import shutil

            shutil.rmtree(folder, ignore_errors=True)


def _from_lrs(args, lang, since=None):
    """(a private temporary folder of logs rebuilt from the LRS's statements, 0) or (None, exit code)."""
    import os
    import tempfile
    from pathlib import Path

    from game.report.lrs import logs_from_lrs
    from game.xapi.send import Client, url_problem
    from game.xapi.settings import SettingsError, load

    why = url_problem(args.lrs)
    if why is not None:
        from game.commands.xapi import _ as xapi_text

        print(xapi_text("bad_url", lang, url=args.lrs, why=xapi_text("url_" + why, lang)), file=sys.stderr)
        return None, 2
    try:
        settings = load()
    except SettingsError as error:
        print(error.message(lang), file=sys.stderr)
        return None, 2
    user = args.user or os.environ.get("KUULE_LRS_USER") or (settings.user if settings else None)
    password = os.environ.get("KUULE_LRS_PASSWORD") or (settings.password if settings else None)
    if not user or password is None:
        print(_("lrs_login", lang), file=sys.stderr)
        return None, 2
    folder = Path(tempfile.mkdtemp(prefix="kuule-lrs-"))  # 0700: the sessions of people
    try:
        count = logs_from_lrs(Client(args.lrs, user, password, retries=2), folder, since)
    except OSError as error:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
        print(_("lrs_failed", lang, url=args.lrs, reason=error), file=sys.stderr)
        return None, 1
    print(_("lrs_read", lang, n=count, url=args.lrs))
    return folder, 0


def _write(args, lang, paths, filters) -> int:
    from game.report.build import write_report

    try:
        outcome = write_report(paths, args.out, lang=lang, filters=filters, attempt=args.attempt, csv_path=args.csv,
                               scenario_dirs=args.scenarios, max_transcripts=max(0, args.transcripts),
                               max_charts=max(0, args.charts))
    except OSError as error:
        print(_("cannot_write", lang, path=error.filename or args.out, reason=error.strerror or error), file=sys.stderr)
        return 1
    for path, error in outcome.problems:  # on standard output: what was left out belongs with what was written
        print(_("skipped", lang, path=path, reason=error.message(lang)))
    if not outcome.sessions:
        hint = _("hint_modes", lang, practice=outcome.practice_left_out) if outcome.practice_left_out and not args.all_modes \
            else _("hint_filters", lang)
        print(_("none_selected", lang, hint=hint), file=sys.stderr)
    print(_("wrote", lang, out=outcome.out, sessions=outcome.sessions, trainees=outcome.trainees,
            scenarios=outcome.scenarios))
    if outcome.csv:
        print(_("wrote_csv", lang, out=outcome.csv))
    return 0
