"""The rubric: behaviour codes that score an answer, and secondary tags that describe it.

Every answer has one main behaviour, its code (MITI 4.2.1-style codes and the articles' anti-patterns).
The code alone decides the points on the listening and empathy axes; secondary tags never add points,
so an answer that does three things does not outscore a short, exact one. Roadblock codes are the
harmful moves. Format-1 scenarios name only tags; their main code is worked out from the tags.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from game.paths import RUBRIC_SCHEMA, SHIPPED_RUBRIC
from game.scenario.diagnostics import Diagnostic, DiagnosticError
from game.scenario.model import Text
from game.scenario.safe_yaml import read_file
from game.scenario.schema import load_schema

AXES = ("listening", "empathy")
GROUPS = ("question", "reflection", "support", "roadblock", "information")
OUTCOME_CEILINGS = {"good": 1.0, "mixed": 0.7, "bad": 0.45, "left": 0.35}


@dataclass(frozen=True, slots=True)
class Code:
    id: str
    group: str
    listening: int
    empathy: int
    framework: str
    label: Text
    grounding: Text
    miti: str | None = None
    eccs: int | None = None

    @property
    def harmful(self) -> bool:
        return self.group == "roadblock"


@dataclass(frozen=True, slots=True)
class Tag:
    """A secondary tag, or a code seen as a move. `harmful`, `axis` and `weight` come from its code, so a
    coach's table of moves can sort and mark tags and codes alike."""
    id: str
    framework: str
    label: Text
    grounding: Text
    code: str | None = None  # the main code of a format-1 choice this tag decides
    eccs: int | None = None
    harmful: bool = False
    axis: str = "listening"  # the axis its code weighs most on
    weight: float = 0.0  # its code's points, both axes together


@dataclass(frozen=True)
class Rubric:
    codes: Mapping[str, Code]
    tags: Mapping[str, Tag]
    harm_multiplier: float = 2.0
    acknowledged_level: int = 3
    recovery_floor: float = 0.25
    corrections_per_failure: int = 12
    harm_ceiling_step: float = 0.25
    ending_ceiling: Mapping[str, float] = field(default_factory=lambda: dict(OUTCOME_CEILINGS))
    thresholds: Mapping[str, Mapping[str, float]] = None
    path: str = ""

    def points(self, code: str | None) -> dict[str, float]:
        """Points an answer with this main code earns on each axis (negative points weigh harm_multiplier times)."""
        entry = self.codes.get(code) if code else None
        if entry is None:
            return {axis: 0.0 for axis in AXES}
        return {axis: value * self.harm_multiplier if value < 0 else float(value)
                for axis, value in (("listening", entry.listening), ("empathy", entry.empathy))}

    def is_harmful(self, code: str | None) -> bool:
        entry = self.codes.get(code) if code else None
        return entry is not None and entry.harmful

    def group(self, code: str | None) -> str | None:
        entry = self.codes.get(code) if code else None
        return entry.group if entry else None

    def miti(self, code: str | None) -> str | None:
        entry = self.codes.get(code) if code else None
        return entry.miti if entry else None

    def label(self, name: str) -> Text:
        """The label of a code or a tag (codes first), or the name itself."""
        entry = self.codes.get(name) or self.tags.get(name)
        return entry.label if entry else name

    def eccs_level(self, code: str | None, tags=(), explicit: int | None = None) -> int | None:
        """The ECCS level of an answer: the author's `eccs:`; else its code's, raised by secondary tags
        (an open question that explores the feeling is pursuit, 4) unless the answer is harmful."""
        if explicit is not None:
            return explicit
        entry = self.codes.get(code) if code else None
        levels = [entry.eccs] if entry is not None and entry.eccs is not None else []
        if entry is None or not entry.harmful:
            levels += [self.tags[name].eccs for name in tags if name in self.tags and self.tags[name].eccs is not None]
        return max(levels) if levels else None

    def main_code(self, tags) -> str | None:
        """The main code of a format-1 choice from its tags: the most harmful one if any tag is harmful
        (a harmful move is what the customer hears), otherwise the first tag's."""
        codes = [self.tags[name].code if name in self.tags else name for name in tags]
        codes = [code for code in codes if code in self.codes]
        if not codes:
            return None
        harmful = [code for code in codes if self.codes[code].harmful]
        if harmful:
            return min(harmful, key=lambda code: sum(self.points(code).values()))
        return codes[0]

    def ceiling(self, harmful_moves: int, outcome: str | None) -> float:
        """The highest share a conversation can get: each harmful move leaves a mark, and the ending counts."""
        mark = max(0.0, 1.0 - self.harm_ceiling_step * harmful_moves)
        return min(mark, self.ending_ceiling.get(outcome, 1.0)) if outcome else mark


def _text(value):
    return dict(value) if isinstance(value, dict) else value


def rubric_from_data(data, path: str, codes_from: Mapping[str, Code] | None = None,
                     tags_from: Mapping[str, Tag] | None = None) -> Rubric:
    """A rubric from its (checked) data. A rubric without codes of its own (format 1) scores with `codes_from`,
    and a tag of it without `code` takes the code of the tag of the same name in `tags_from` (the shipped
    rubric's, where every code is a tag too), so a format-1 rubric's `lectures` decides `lecture` as the
    shipped one's does."""
    codes = {
        name: Code(id=name, group=entry["group"], listening=entry["listening"], empathy=entry["empathy"],
                   framework=entry["framework"], label=_text(entry["label"]), grounding=_text(entry["grounding"]),
                   miti=entry.get("miti"), eccs=entry.get("eccs"))
        for name, entry in data.get("codes", {}).items()
    } or dict(codes_from or {})
    def as_move(code_id):
        code = codes.get(code_id)
        if code is None:
            return {}
        return {"harmful": code.harmful, "axis": "empathy" if abs(code.empathy) > abs(code.listening) else "listening",
                "weight": float(code.listening + code.empathy)}

    def code_of(name, entry):
        code = entry.get("code")
        if code is None and tags_from is not None and name in tags_from:
            code = tags_from[name].code
        return code

    tags = {}
    for name, entry in data["tags"].items():
        code = code_of(name, entry)
        tags[name] = Tag(id=name, framework=entry["framework"], label=_text(entry["label"]),
                         grounding=_text(entry["grounding"]), code=code, eccs=entry.get("eccs"), **as_move(code))
    for name, code in codes.items():  # every code is a move too, under its own name
        tags.setdefault(name, Tag(id=name, framework=code.framework, label=code.label, grounding=code.grounding,
                                  code=name, eccs=code.eccs, **as_move(name)))
    recovery = data["trust_recovery"]
    scoring = data["scoring"]
    thresholds = {name: dict(values) for name, values in data.get("thresholds", {}).items()}
    return Rubric(codes=codes, tags=tags, harm_multiplier=scoring["harm_multiplier"],
                  acknowledged_level=scoring["acknowledged_level"], recovery_floor=recovery["floor"],
                  corrections_per_failure=recovery["corrections_per_failure"],
                  harm_ceiling_step=scoring.get("harm_ceiling_step", 0.25),
                  ending_ceiling={**OUTCOME_CEILINGS, **dict(scoring.get("ending_ceiling", {}))},
                  thresholds=thresholds, path=path)


@lru_cache(maxsize=16)
def _load_cached(path: str, mtime_ns: int) -> Rubric:
    data = read_file(path)
    problems = load_schema(str(RUBRIC_SCHEMA)).check(data, path)
    if problems:
        raise DiagnosticError(problems)
    if "codes" not in data and Path(path).resolve() != Path(SHIPPED_RUBRIC).resolve():
        shipped = load_rubric(SHIPPED_RUBRIC)  # a format-1 rubric scores with the shipped codes, by its tags' names
        return rubric_from_data(data, path, shipped.codes, shipped.tags)
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
