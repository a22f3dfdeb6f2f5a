"""`validate PATH...`: check scenario (and rubric) files and print every problem like a compiler."""

from __future__ import annotations

import json

from game.i18n import Catalog

_ = Catalog({
    "summary": ("check scenario files and report every problem like a compiler",
                "tarkista skenaariotiedostot ja näytä kaikki ongelmat kääntäjän tapaan"),
    "paths": ("scenario files or folders", "skenaariotiedostoja tai kansioita"),
    "format": ("output format", "tulosteen muoto"),
    "done": ("{files} file(s) checked: {errors} error(s), {warnings} warning(s)",
             "tarkistettu {files} tiedosto(a): {errors} virhe(ttä), {warnings} varoitus(ta)"),
})


def summary(lang: str) -> str:
    return _("summary", lang)


def add_arguments(parser, lang: str) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help=_("paths", lang))
    parser.add_argument("--format", choices=("text", "json"), default="text", help=_("format", lang))


def check_paths(paths: list[str]):
    """Every diagnostic of every file; a bad file never stops the others being checked."""
    from pathlib import Path

    from game.commands.files import expand, kind_of
    from game.scenario.diagnostics import Diagnostic, DiagnosticError
    from game.scenario.loader import load_scenario
    from game.scenario.rubric import load_rubric

    files, missing = expand(paths)
    diagnostics = [Diagnostic("KU050", raw, params={"path": raw}) for raw in missing]
    checked = []
    for path in files:
        kind = kind_of(path)
        if kind == "plan":
            from game.analysis.plans import load_plan

            checked.append(str(path))
            diagnostics.extend(load_plan(path).diagnostics)
            continue
        checked.append(str(path))
        if kind == "rubric":
            try:
                load_rubric(Path(path))
            except DiagnosticError as error:
                diagnostics.extend(error.diagnostics)
            continue
        diagnostics.extend(load_scenario(path).diagnostics)
    return checked, diagnostics


def run(args) -> int:
    checked, diagnostics = check_paths(args.paths)
    errors = sum(1 for d in diagnostics if d.is_error)
    warnings = len(diagnostics) - errors
    if args.format == "json":
        print(json.dumps({
            "files": checked, "errors": errors, "warnings": warnings,
            "diagnostics": [d.as_json(args.lang) for d in diagnostics],
        }, ensure_ascii=False, indent=2))
    else:
        for diagnostic in diagnostics:
            print(diagnostic.format(args.lang))
        print(_("done", args.lang, files=len(checked), errors=errors, warnings=warnings))
    return 1 if errors else 0
