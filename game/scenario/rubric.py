"""The rubric: scoring tags, each on the listening or empathy axis, grounded in a framework."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from game.paths import RUBRIC_SCHEMA, SHIPPED_RUBRIC
from game.scenario.diagnostics import Diagnostic, DiagnosticError
from game.scenario.model import Text
from game.scenario.safe_yaml import read_file
from game.scenario.schema import load_schema

AXES = ("listening", "empathy")


@dataclass(frozen=True, slots=True)
class Tag:
    id: str
    axis: str
    weight: int
    framework: str
    label: Text
    grounding: Text
    miti: str | None = None
    eccs: int | None = None

    @property
    def harmful(self) -> bool:
        return self.weight < 0


@dataclass(frozen=True)
class Rubric:
    tags: Mapping[str, Tag]
    harm_multiplier: float = 2.0
    acknowledged_level: int = 3
    recovery_floor: float = 0.25
    corrections_per_failure: int = 12
    thresholds: Mapping[str, Mapping[str, float]] = None
    path: str = ""

    def points(self, tags) -> dict[str, float]:
        """Points a move with these tags earns on each axis (harm weighs harm_multiplier times)."""
        totals = {axis: 0.0 for axis in AXES}
        for name in tags:
            tag = self.tags.get(name)
            if tag is not None:
                weight = tag.weight * self.harm_multiplier if tag.weight < 0 else tag.weight
                totals[tag.axis] += weight
        return totals

    def is_harmful(self, tags) -> bool:
        return any(self.tags[name].harmful for name in tags if name in self.tags)

    def eccs_level(self, tags, explicit: int | None) -> int | None:
        """The ECCS level of an answer: the author's `eccs:` or else the highest its tags give."""
        if explicit is not None:
            return explicit
        levels = [self.tags[name].eccs for name in tags if name in self.tags and self.tags[name].eccs is not None]
        return max(levels) if levels else None


def rubric_from_data(data, path: str) -> Rubric:
    tags = {
        name: Tag(id=name, axis=entry["axis"], weight=entry["weight"], framework=entry["framework"],
                  label=dict(entry["label"]) if isinstance(entry["label"], dict) else entry["label"],
                  grounding=dict(entry["grounding"]) if isinstance(entry["grounding"], dict) else entry["grounding"],
                  miti=entry.get("miti"), eccs=entry.get("eccs"))
        for name, entry in data["tags"].items()
    }
    recovery = data["trust_recovery"]
    thresholds = {name: dict(values) for name, values in data.get("thresholds", {}).items()}
    return Rubric(tags=tags, harm_multiplier=data["scoring"]["harm_multiplier"],
                  acknowledged_level=data["scoring"]["acknowledged_level"], recovery_floor=recovery["floor"],
                  corrections_per_failure=recovery["corrections_per_failure"], thresholds=thresholds, path=path)


@lru_cache(maxsize=16)
def _load_cached(path: str, mtime_ns: int) -> Rubric:
    data = read_file(path)
    problems = load_schema(str(RUBRIC_SCHEMA)).check(data, path)
    if problems:
        raise DiagnosticError(problems)
    return rubric_from_data(data, path)


def load_rubric(path: str | Path = SHIPPED_RUBRIC) -> Rubric:
    """Load and check a rubric file; raises DiagnosticError with located problems."""
    path = Path(path)
    try:
        mtime = path.stat().st_mtime_ns
    except OSError as error:
        raise DiagnosticError([Diagnostic("KU001", str(path), params={"reason": error.strerror or "missing"})]) from None
    return _load_cached(str(path), mtime)


def rubric_for(scenario_path: str | Path) -> Path:
    """A rubric.yaml beside the scenario wins; otherwise the shipped one."""
    beside = Path(scenario_path).with_name("rubric.yaml")
    return beside if beside.is_file() else SHIPPED_RUBRIC
