"""Where the shipped files live, found from the package itself so any working folder works."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS_DIR = ROOT / "scenarios"
SCENARIO_SCHEMA = SCENARIOS_DIR / "scenario.schema.json"
RUBRIC_SCHEMA = SCENARIOS_DIR / "rubric.schema.json"
SHIPPED_RUBRIC = SCENARIOS_DIR / "rubric.yaml"
ASSETS_DIR = ROOT / "assets"


def _user_base(kind: str) -> Path:
    """The user's folder of a kind ('data' or 'config'); KUULE_HOME puts them all under one folder (tests, kiosks)."""
    import os

    override = os.environ.get("KUULE_HOME")
    if override:
        return Path(override) / kind
    import platformdirs

    if kind == "config":
        return Path(platformdirs.user_config_dir("Kuule", appauthor=False))
    return Path(platformdirs.user_data_dir("Kuule", appauthor=False))


def user_data_dir() -> Path:
    return _user_base("data")


def user_config_dir() -> Path:
    return _user_base("config")


def user_cache_dir() -> Path:
    """Results that can always be worked out again (deleting this folder loses nothing)."""
    import os

    override = os.environ.get("KUULE_HOME")
    if override:
        return Path(override) / "cache"
    import platformdirs

    return Path(platformdirs.user_cache_dir("Kuule", appauthor=False))


def session_log_dir() -> Path:
    """Where session logs go unless --log-dir says otherwise."""
    return user_data_dir() / "sessions"
