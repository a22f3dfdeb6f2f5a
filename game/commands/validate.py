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
             "tiedostoja tarkistettu {files}: virheitä {errors}, varoituksia {warnings}"),
})


def summary(lang: str) -> str:
    return _("summary", lang)


def add_arguments(parser, lang: str) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help=_("paths", lang))
    parser.add_argument("--format", choices=("text", "json"), default="text", help=_("format", lang))


def check_paths(paths: list[str]):
    """Every diagnostic of every file; a bad file never stops the others being checked.

    Files unchanged since the last check (with everything they depend on) are answered from
    the cache in game.commands.validate_cache, so only what was edited is checked again.
    """
    from game.commands import validate_cache
    from game.commands.files import expand, kind_of
    from game.scenario.diagnostics import Diagnostic

    files, missing = expand(paths)
    diagnostics = [Diagnostic("KU050", raw, params={"path": raw}) for raw in missing]
    checked = []
    for path in files:
        kind = kind_of(path)
        checked.append(str(path))
        found = validate_cache.recall(kind, path, str(path))
        if found is None:
            found, depends = _check(kind, path)
            validate_cache.remember(kind, path, str(path), depends, found)
        diagnostics.extend(found)
    return checked, diagnostics


def _check(kind: str, path):
    """The file's diagnostics, and the files they depend on."""
    from game.scenario.diagnostics import DiagnosticError
    from game.scenario.rubric import SHIPPED_RUBRIC, load_rubric

    if kind == "rubric":
        try:
            load_rubric(path)
        except DiagnosticError as error:
            return error.diagnostics, [path]
        return [], [path]
    if kind == "plan":
        from game.analysis.plans import load_plan

        result = load_plan(path)
        scenario = result.scenario_path
        depends = [path, SHIPPED_RUBRIC] + ([scenario, scenario.with_name("rubric.yaml")] if scenario else [])
        return result.diagnostics, depends
    if kind == "strings":
        from game.scenario.strings import check_po

        return check_po(path)
    from game.scenario.loader import load_scenario

    return load_scenario(path).diagnostics, [path, path.with_name("rubric.yaml"), SHIPPED_RUBRIC]


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
