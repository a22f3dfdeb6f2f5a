"""Finding the trainer's files named on the command line."""

from __future__ import annotations

from pathlib import Path

from game.paths import SCENARIOS_DIR, scenario_dirs

YAML_SUFFIXES = (".yaml", ".yml")
PLAN_SUFFIXES = (".plan.yaml", ".plan.yml")
RUBRIC_NAMES = ("rubric.yaml", "rubric.yml")


def kind_of(path: Path) -> str:
    """'rubric', 'plan', 'strings' (a translators' PO table) or 'scenario', by file name."""
    name = path.name.lower()
    if name in RUBRIC_NAMES:
        return "rubric"
    if name.endswith(".po"):
        return "strings"
    if name.endswith(PLAN_SUFFIXES):
        return "plan"
    return "scenario"


def expand(paths: list[str]) -> tuple[list[Path], list[str]]:
    """Files named (a bare name is looked up like `play`'s: `small_print`), and the YAML files under folders
    named (sorted); plus the arguments that matched nothing."""
    found: list[Path] = []
    missing: list[str] = []
    for raw in paths:
        path = resolve_scenario(raw)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in YAML_SUFFIXES)
            if not files:
                missing.append(raw)
            found.extend(files)
        else:
            found.append(path)  # a missing file is reported by the loader, with its name
    return found, missing


def scenario_folders(chosen=()) -> list[Path]:
    """Where scenarios are listed and looked up: the shipped ones, then the trainer's (the folders chosen with
    --scenarios, else the `scenario_folder` setting, else the user's data folder's `scenarios`)."""
    setting = None
    if not chosen:
        from game.ui.settings import load_settings  # plain JSON: no pygame

        setting = load_settings().settings.scenario_folder
    return scenario_dirs(chosen, setting)


def resolve_scenario(name: str, chosen=()) -> Path:
    """A path, or the file name of a shipped scenario or one of the trainer's (`small_print`)."""
    path = Path(name)
    if path.exists() or path.suffix or not name or any(sep in name for sep in "/\\"):
        return path
    for folder in scenario_folders(chosen):
        for candidate in (folder / f"{name}.yaml", folder / f"{name}.yml"):
            if candidate.is_file():
                return candidate
    return path


def shipped_scenarios() -> list[Path]:
    return sorted(p for p in SCENARIOS_DIR.glob("*.yaml") if kind_of(p) == "scenario")


def playable_scenarios(chosen=()) -> list[Path]:
    """The scenarios to choose from: the shipped ones, then the trainer's (as the window's picker lists them)."""
    found = shipped_scenarios()
    for folder in scenario_folders(chosen)[1:]:
        if folder.is_dir():
            found += sorted(p for p in folder.glob("*") if p.is_file() and p.suffix.lower() in YAML_SUFFIXES
                            and kind_of(p) == "scenario" and p not in found)
    return found
