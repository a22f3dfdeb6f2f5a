"""`test PATH...`: run test plans (NAME.plan.yaml) and report like pytest."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from game.i18n import Catalog, number

_ = Catalog({
    "summary": ("run the test plans of scenarios and report each case like pytest",
                "aja skenaarioiden testisuunnitelmat ja raportoi jokainen tapaus pytestin tapaan"),
    "paths": ("plan files (NAME.plan.yaml), scenario files with a plan beside them, or folders",
              "suunnitelmatiedostoja (NAME.plan.yaml), skenaarioita, joiden vieressä on suunnitelma, tai kansioita"),
    "passed": ("PASSED", "OK"),
    "failed": ("FAILED", "VIRHE"),
    "no_plans": ("no test plans found in {path}", "polusta {path} ei löytynyt testisuunnitelmia"),
    "plan_errors": ("{path}: the plan cannot run:", "{path}: suunnitelmaa ei voi ajaa:"),
    "summary_line": ("{passed} passed, {failed} failed", "onnistui {passed}, epäonnistui {failed}"),
    "errors_line": (", {errors} plan file(s) with errors", ", virheellisiä suunnitelmatiedostoja {errors}"),
    "time": ("in {seconds} s", "aikaa kului {seconds} s"),
})


def summary(lang: str) -> str:
    return _("summary", lang)


def add_arguments(parser, lang: str) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help=_("paths", lang))


def run(args) -> int:
    from game.analysis.plans import collect, load_plan, run_plan
    from game.commands.files import resolve_scenario

    lang = args.lang
    pick = 1 if lang == "fi" else 0
    started = time.perf_counter()
    # a bare name is a scenario looked up like `play`'s (`small_print`): its plan is the one beside it
    files, missing = collect([raw if Path(raw).exists() else str(resolve_scenario(raw)) for raw in args.paths])
    passed = failed = broken = 0
    for raw in missing:
        print(_("no_plans", lang, path=raw), file=sys.stderr)
        broken += 1
    for path in files:
        loaded = load_plan(path)
        for diagnostic in loaded.diagnostics:
            if not diagnostic.is_error:
                print(diagnostic.format(lang))
        if loaded.plan is None:
            broken += 1
            print(_("plan_errors", lang, path=path))
            for diagnostic in loaded.errors:
                print(diagnostic.format(lang))
            continue
        for outcome in run_plan(loaded.plan):
            word = _("passed", lang) if outcome.passed else _("failed", lang)
            print(f"{path}::{outcome.case.name} {word}")
            for failure in outcome.failures:
                print(f"    {failure[pick]}")
            if outcome.passed:
                passed += 1
            else:
                failed += 1
    line = _("summary_line", lang, passed=passed, failed=failed)
    if broken:
        line += _("errors_line", lang, errors=broken)
    print(line)
    print(_("time", lang, seconds=number(time.perf_counter() - started, lang, 2)), file=sys.stderr)
    return 1 if failed or broken else 0
