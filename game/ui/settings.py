"""The player's settings, kept between runs in the user's config folder as JSON.

A missing file gives the defaults; a broken file or a bad value gives the
defaults for what could not be read, and `load_settings` says so in a notice
the menu shows. Saving writes a new file and renames it over the old one, so a
crash mid-save never leaves half a file. No pygame here.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path

from game.i18n import LANGUAGES, Catalog
from game.paths import user_config_dir

TEXT_SPEEDS = ("slow", "normal", "fast", "instant")
CHARACTERS_PER_SECOND = {"slow": 25.0, "normal": 50.0, "fast": 110.0, "instant": None}
FONT_SCALES = (100, 125, 150, 175, 200)
FILE_NAME = "settings.json"
FORMAT = 1

_ = Catalog({
    "missing": ("Welcome! The default settings are in use; you can change them under Settings.",
                "Tervetuloa! Käytössä ovat oletusasetukset; voit muuttaa niitä kohdassa Asetukset."),
    "broken": ("The settings file {path} could not be read ({reason}); the defaults are in use. It is rewritten when you change a setting.",
               "Asetustiedostoa {path} ei voitu lukea ({reason}), joten käytössä ovat oletukset. Tiedosto kirjoitetaan uudelleen, kun muutat jotakin asetusta."),
    "bad_values": ("Some settings in {path} were not valid ({names}); their defaults are in use.",
                   "Osa tiedoston {path} asetuksista ei kelvannut ({names}), joten niiden tilalla ovat oletukset."),
    "save_failed": ("Settings could not be saved to {path}: {reason}", "Asetuksia ei voitu tallentaa tiedostoon {path}: {reason}"),
})


@dataclass(frozen=True)
class Settings:
    text_speed: str = "normal"
    font_scale: int = 100          # percent, 100-200
    high_contrast: bool = False
    fullscreen: bool = False
    language: str | None = None    # None: from the system (or --lang)
    trainee: str = ""              # the last name typed on the menu
    window: tuple[int, int] | None = None  # the last windowed size
    mood_hint: bool = False        # practice: the customer's face put into words under the portrait
    trainer_tools: bool = False    # F5 reloads the scenario from disk, and the hint bar says so
    scenario_folder: str | None = None  # the trainer's scenarios, listed with the shipped ones (set in the file)
    own_words: bool = False        # at each turn the trainee first types what they would say

    @property
    def characters_per_second(self) -> float | None:
        """None means instant."""
        return CHARACTERS_PER_SECOND[self.text_speed]

    def to_json(self) -> dict:
        data = asdict(self)
        data["window"] = list(self.window) if self.window else None
        return {"format": FORMAT, **data}


@dataclass
class Loaded:
    settings: Settings
    path: Path
    notice_key: str | None = None      # 'missing', 'broken' or 'bad_values'
    notice_values: dict = field(default_factory=dict)

    def notice(self, lang: str) -> str | None:
        if self.notice_key is None:
            return None
        return _(self.notice_key, lang, path=str(self.path), **self.notice_values)

    @property
    def problem(self) -> bool:
        """A real problem (broken file or values), not merely a first run."""
        return self.notice_key in ("broken", "bad_values")


def settings_path() -> Path:
    return user_config_dir() / FILE_NAME


def _valid(name: str, value) -> bool:
    if name == "text_speed":
        return value in TEXT_SPEEDS
    if name == "font_scale":
        return isinstance(value, int) and not isinstance(value, bool) and 100 <= value <= 200
    if name in ("high_contrast", "fullscreen", "mood_hint", "trainer_tools", "own_words"):
        return isinstance(value, bool)
    if name == "language":
        return value is None or value in LANGUAGES
    if name == "trainee":
        return isinstance(value, str) and len(value) <= 80 and value.isprintable()
    if name == "scenario_folder":
        return value is None or (isinstance(value, str) and 0 < len(value) <= 4096 and value.isprintable())
    if name == "window":
        return value is None or (isinstance(value, (list, tuple)) and len(value) == 2
                                 and all(isinstance(v, int) and not isinstance(v, bool) and 100 <= v <= 20000 for v in value))
    return False


def nearest_scale(value: int) -> int:
    return min(FONT_SCALES, key=lambda scale: abs(scale - value))


def load_settings(path: Path | None = None) -> Loaded:
    """The saved settings, or the defaults with a notice saying why. Never raises."""
    path = Path(path) if path is not None else settings_path()
    defaults = Settings()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Loaded(defaults, path, "missing")
    except OSError as error:
        return Loaded(defaults, path, "broken", {"reason": error.strerror or type(error).__name__})
    if len(raw) > 64_000:
        return Loaded(defaults, path, "broken", {"reason": "too large"})
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        reason = f"line {error.lineno}: {error.msg}" if isinstance(error, json.JSONDecodeError) else "not UTF-8"
        return Loaded(defaults, path, "broken", {"reason": reason})
    if not isinstance(data, dict):
        return Loaded(defaults, path, "broken", {"reason": "not a JSON object"})
    values, bad = {}, []
    for item in fields(Settings):
        if item.name not in data:
            continue
        value = data[item.name]
        if _valid(item.name, value):
            if item.name == "window" and value is not None:
                value = (int(value[0]), int(value[1]))
            if item.name == "font_scale":
                value = nearest_scale(value)
            values[item.name] = value
        else:
            bad.append(item.name)
    settings = replace(defaults, **values)
    if bad:
        return Loaded(settings, path, "bad_values", {"names": ", ".join(bad)})
    return Loaded(settings, path)


def save_settings(settings: Settings, path: Path | None = None, lang: str = "en") -> str | None:
    """Write the settings; returns None, or a message saying why they could not be saved."""
    path = Path(path) if path is not None else settings_path()
    temporary = path.with_name(path.name + ".tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump(settings.to_json(), handle, ensure_ascii=False, indent=2)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as error:
        try:
            temporary.unlink(missing_ok=True)
        except OSError:
            pass
        return _("save_failed", lang, path=str(path), reason=error.strerror or type(error).__name__)
    return None
