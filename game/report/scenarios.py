"""Finding the scenario texts a session was played with, for transcripts and choice labels.

Logs hold IDs, not texts. The exact version is found by content hash: first the
copy kept beside the logs (scenarios/<hash>/), then the file the session was
played from, then any scenario in the folders given with --scenarios or shipped
with Kuule. Failing that, a scenario with the same ID (another version: texts
may differ, and the report says so), and failing that, IDs only.
"""

from __future__ import annotations

from pathlib import Path


class ScenarioLibrary:
    def __init__(self, folders=()):
        self._by_hash: dict[str, object] = {}
        self._by_id: dict[str, object] = {}
        self._folders = [Path(f) for f in folders]
        self._scanned = False

    def _load(self, path: Path):
        from game.scenario.loader import load_scenario

        try:
            if not path.is_file():
                return None
            scenario = load_scenario(path).scenario
        except (OSError, ValueError):
            return None
        if scenario is not None:
            self._by_hash.setdefault(scenario.content_hash, scenario)
            self._by_id.setdefault(scenario.id, scenario)
        return scenario

    def _scan(self):
        if self._scanned:
            return
        self._scanned = True
        from game.commands.files import shipped_scenarios

        candidates = []
        for folder in self._folders:
            if folder.is_dir():
                candidates += sorted(folder.rglob("*.yaml")) + sorted(folder.rglob("*.yml"))
            elif folder.is_file():
                candidates.append(folder)
        candidates += shipped_scenarios()
        for path in candidates:
            if path.name in ("rubric.yaml", "rubric.yml") or path.name.endswith((".plan.yaml", ".plan.yml")):
                continue
            self._load(path)

    def find(self, content_hash: str, scenario_id: str, log_path: Path | None = None, snapshot: str | None = None,
             scenario_path: str = "") -> tuple[object | None, bool]:
        """(scenario, exact) — exact is False when only another version with the same ID was found."""
        if content_hash in self._by_hash:
            return self._by_hash[content_hash], True
        if snapshot and log_path is not None:
            candidate = (Path(log_path).parent / snapshot).resolve()
            base = Path(log_path).parent.resolve()
            if base in candidate.parents:  # a snapshot path in a log never leads out of the log folder
                scenario = self._load(candidate)
                if scenario is not None and scenario.content_hash == content_hash:
                    return scenario, True
        if scenario_path:
            scenario = self._load(Path(scenario_path))
            if scenario is not None and scenario.content_hash == content_hash:
                return scenario, True
        self._scan()
        if content_hash in self._by_hash:
            return self._by_hash[content_hash], True
        if scenario_id in self._by_id:
            return self._by_id[scenario_id], False
        return None, False

    def thresholds(self) -> dict:
        """The MITI thresholds of the rubric in use (the first scenario found's, else the shipped rubric's)."""
        for scenario in self._by_hash.values():
            if scenario.rubric.thresholds:
                return dict(scenario.rubric.thresholds)
        from game.scenario.rubric import load_rubric

        try:
            return dict(load_rubric().thresholds or {})
        except Exception:  # noqa: BLE001 - a broken shipped rubric must not stop a report
            return {}

    def rubric(self):
        for scenario in self._by_hash.values():
            return scenario.rubric
        from game.scenario.rubric import load_rubric

        try:
            return load_rubric()
        except Exception:  # noqa: BLE001
            return None
