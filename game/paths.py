"""Where the shipped files live, found from the package itself so any working folder works."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS_DIR = ROOT / "scenarios"
SCENARIO_SCHEMA = SCENARIOS_DIR / "scenario.schema.json"
RUBRIC_SCHEMA = SCENARIOS_DIR / "rubric.schema.json"
SHIPPED_RUBRIC = SCENARIOS_DIR / "rubric.yaml"
ASSETS_DIR = ROOT / "assets"
