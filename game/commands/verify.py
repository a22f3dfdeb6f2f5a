"""`verify LOG...`: check session logs' hash chains; report edited, removed or reordered lines.

Also named: a session resumed after its log was cut back (see game.session.ledger); noted: lines
that are not records (left out by every reader, the chain proving the rest) and resumes."""

from __future__ import annotations

import sys

from game.i18n import Catalog

_ = Catalog({
    "summary": ("check session logs for edited, removed or reordered lines",
                "tarkista istuntolokit: muokatut, poistetut tai siirretyt rivit"),
    "paths": ("session log files (.jsonl) or folders of them", "istuntolokitiedostoja (.jsonl) tai niiden kansioita"),
    "quiet": ("print only problems", "näytä vain ongelmat"),
    "ok_finished": ("OK ({lines} lines, finished)", "OK ({lines} riviä, päättynyt)"),
    "ok_unfinished": ("OK ({lines} lines, unfinished)", "OK ({lines} riviä, kesken)"),
    "truncated": ("note: the last line was cut off mid-write (a crash or a killed process); the lines before it are intact",
                  "huom: viimeisen rivin kirjoitus katkesi (kaatuminen tai keskeytetty prosessi); sitä edeltävät rivit ovat ehjiä"),
    "note": ("note: {text}", "huom: {text}"),
    "resumed": ("note: resumed {n} time(s) after a stop", "huom: jatkettu {n} kertaa keskeytyksen jälkeen"),
    "done": ("{files} log(s) checked: {good} intact, {bad} with problems",
             "lokeja tarkistettu {files}: ehjiä {good}, ongelmallisia {bad}"),
})


def summary(lang: str) -> str:
    return _("summary", lang)


def add_arguments(parser, lang: str) -> None:
    parser.add_argument("paths", nargs="+", metavar="LOG", help=_("paths", lang))
    parser.add_argument("--quiet", "-q", action="store_true", help=_("quiet", lang))


def run(args) -> int:
    from game.session.reader import expand_logs
    from game.session.verify import problem_message, verify_log

    lang = args.lang
    files, missing = expand_logs(args.paths)
    bad = len(missing)
    for path, error in missing:
        print(f"{path}: {error.message(lang)}", file=sys.stderr)
    for path in files:
        verdict = verify_log(path)
        if verdict.error is not None:
            bad += 1
            print(f"{path}: {verdict.error.message(lang)}")
            continue
        for problem in verdict.problems:
            print(f"{path}:{problem.line}: {problem.message(lang)}")
        flagged = {problem.line for problem in verdict.problems}
        for line in verdict.ignored:
            if line not in flagged and not args.quiet:
                print(f"{path}:{line}: " + _("note", lang, text=problem_message("ignored", lang, {"line": line})))
        if verdict.resumed and not args.quiet and not verdict.problems:
            print(f"{path}: " + _("resumed", lang, n=verdict.resumed))
        if verdict.problems:
            bad += 1
        elif not args.quiet:
            print(f"{path}: " + _("ok_finished" if verdict.finished else "ok_unfinished", lang, lines=verdict.lines))
        if verdict.truncated and not args.quiet:
            print(f"{path}: " + _("truncated", lang))
    checked = len(files) + len(missing)
    print(_("done", lang, files=checked, good=checked - bad, bad=bad), file=sys.stderr)
    return 1 if bad else 0
