"""Where things are: the shipped files, the trainer's scenarios and the user's own folders.

Every reader asks here. The shipped scenarios, schemas, rubric, authoring guides and fonts are written in
the top-level `scenarios/` and `assets/` folders of a checkout; a wheel carries a copy of them inside the
package (`game/_shipped/`, copied at build time by setup.py) and they are found there through
`importlib.resources`. Run from a checkout (`python main.py`, an editable install) the checkout's own
folders are used, so an edit shows at once and no stale copy ever wins.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent          # game/: its own code and templates


def _checkout() -> Path | None:
    """The checkout `game/` was imported from, if it was: a pyproject.toml and the authoring folders beside it."""
    root = PACKAGE_DIR.parent
    if (root / "pyproject.toml").is_file() and (root / "scenarios" / "scenario.schema.json").is_file():
        return root
    return None


def _installed(name: str) -> Path:
    # pip installs a wheel as plain files, so the package's Traversable is a real folder
    return Path(os.fspath(resources.files("game").joinpath("_shipped", name)))


CHECKOUT = _checkout()
SCENARIOS_DIR = CHECKOUT / "scenarios" if CHECKOUT else _installed("scenarios")
ASSETS_DIR = CHECKOUT / "assets" if CHECKOUT else _installed("assets")   # fonts/ and their licence
SCENARIO_SCHEMA = SCENARIOS_DIR / "scenario.schema.json"
RUBRIC_SCHEMA = SCENARIOS_DIR / "rubric.schema.json"
PLAN_SCHEMA = SCENARIOS_DIR / "plan.schema.json"
SHIPPED_RUBRIC = SCENARIOS_DIR / "rubric.yaml"


def _user_base(kind: str) -> Path:
    """The user's folder of a kind ('data' or 'config'); KUULE_HOME puts them all under one folder (tests, kiosks)."""
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
    override = os.environ.get("KUULE_HOME")
    if override:
        return Path(override) / "cache"
    import platformdirs

    return Path(platformdirs.user_cache_dir("Kuule", appauthor=False))


def session_log_dir() -> Path:
    """Where session logs go unless --log-dir says otherwise."""
    return user_data_dir() / "sessions"


def default_trainer_scenarios_dir() -> Path:
    """The trainer's scenario folder when no setting chooses one."""
    return user_data_dir() / "scenarios"


def trainer_scenarios_dirs(chosen=(), setting: str | None = None) -> list[Path]:
    """The trainer's own scenario folders: those chosen (`--scenarios DIR`), else the `scenario_folder`
    setting, else the user's data folder's `scenarios`."""
    if chosen:
        return [Path(folder).expanduser() for folder in chosen]
    if setting:
        return [Path(setting).expanduser()]
    return [default_trainer_scenarios_dir()]


def scenario_dirs(chosen=(), setting: str | None = None) -> list[Path]:
    """Every folder scenarios are listed from: the shipped ones first, then the trainer's."""
    return [SCENARIOS_DIR, *trainer_scenarios_dirs(chosen, setting)]
