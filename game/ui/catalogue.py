"""The scenarios the picker lists: found on disk, loaded safely, cached until the file changes.

A file that fails to load is kept in the list with its first diagnostic, so the
picker can show it greyed out instead of hiding it (or crashing).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from typing import TYPE_CHECKING

from game.commands.files import YAML_SUFFIXES, kind_of
from game.i18n import pick

if TYPE_CHECKING:  # the loader is imported when a file is first loaded, not when the menu opens
    from game.scenario.diagnostics import Diagnostic
    from game.scenario.model import Scenario


@dataclass(frozen=True)
class Entry:
    path: Path
    scenario: Scenario | None
    problem: Diagnostic | None
    problem_text: str | None = None  # for failures that are not diagnostics

    @property
    def ok(self) -> bool:
        return self.scenario is not None

    @property
    def id(self) -> str:
        return self.scenario.id if self.scenario else self.path.stem

    def title(self, lang: str) -> str:
        return pick(self.scenario.title, lang) if self.scenario else self.path.name

    def description(self, lang: str) -> str:
        if not (self.scenario and self.scenario.description):
            return ""
        from game.engine.conversation import fill_in_at_start

        return pick(fill_in_at_start(self.scenario, self.scenario.description), lang)

    def problem_message(self, lang: str) -> str:
        if self.problem is not None:
            where = f"{self.problem.line}:{self.problem.col}"
            return f"{self.problem.code} ({where}): {self.problem.message(lang)}"
        return self.problem_text or ""


_cache: dict[Path, tuple[tuple[int, int], Entry]] = {}


def _stamp(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
        return stat.st_mtime_ns, stat.st_size
    except OSError:
        return 0, 0


def fresh_entry(path: Path) -> Entry | None:
    """The cached entry if the file has not changed since it was loaded; None if it must be (re)loaded."""
    path = Path(path)
    cached = _cache.get(path)
    stamp = _stamp(path)
    if cached is not None and cached[0] == stamp and stamp != (0, 0):
        return cached[1]
    return None


def load_entry(path: Path) -> Entry:
    """Load (or take from the cache) one scenario file. Safe to call from a background thread."""
    path = Path(path)
    cached = fresh_entry(path)
    if cached is not None:
        return cached
    stamp = _stamp(path)
    from game.scenario.loader import load_scenario

    try:
        result = load_scenario(path)
        entry = Entry(path, result.playable, result.errors[0] if result.errors else None)
    except Exception as error:  # the loader promises not to raise; the menu must survive if it ever does
        entry = Entry(path, None, None, f"{type(error).__name__}: {error}")
    _cache[path] = (stamp, entry)
    return entry


def find_files(sources) -> list[Path]:
    """Scenario files in the given files and folders (folders: their *.yaml, not rubrics or plans)."""
    found: list[Path] = []
    for source in sources:
        source = Path(source)
        if source.is_dir():
            found.extend(sorted(p for p in source.glob("*") if p.is_file() and p.suffix.lower() in YAML_SUFFIXES
                                and kind_of(p) == "scenario"))
        elif source.is_file():
            found.append(source)
    unique, seen = [], set()
    for path in found:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def order(entries) -> list[Entry]:
    """Playable first, easiest first; then the ones with problems."""
    rank = {"easy": 0, "medium": 1, "hard": 2}
    return sorted(entries, key=lambda e: (not e.ok, rank.get(e.scenario.difficulty, 1) if e.ok else 3, e.id))


def scan(sources) -> list[Entry]:
    return order(load_entry(path) for path in find_files(sources))
