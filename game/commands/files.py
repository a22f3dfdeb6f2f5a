"""Finding the trainer's files named on the command line."""

from __future__ import annotations

from pathlib import Path

from game.paths import SCENARIOS_DIR

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
    """Files named, and the YAML files under folders named (sorted); plus the arguments that matched nothing."""
    found: list[Path] = []
    missing: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in YAML_SUFFIXES)
            if not files:
                missing.append(raw)
            found.extend(files)
        else:
            found.append(path)  # a missing file is reported by the loader, with its name
    return found, missing


def resolve_scenario(name: str) -> Path:
    """A path, or the ID/file name of a shipped scenario (`small_print`)."""
    path = Path(name)
    if path.exists() or path.suffix:
        return path
    for candidate in (SCENARIOS_DIR / f"{name}.yaml", SCENARIOS_DIR / f"{name}.yml"):
        if candidate.exists():
            return candidate
    return path


def shipped_scenarios() -> list[Path]:
    return sorted(p for p in SCENARIOS_DIR.glob("*.yaml") if kind_of(p) == "scenario")
