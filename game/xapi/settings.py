"""Where the organisation's Learning Record Store is, and how to sign in to it.

From environment variables, or else the settings file `lrs.toml` in the user's config folder:

    KUULE_LRS_URL            url = "https://lrs.example/xapi"
    KUULE_LRS_USER           user = "kuule"
    KUULE_LRS_PASSWORD       (environment only: never written in a file that is not private)
    KUULE_LRS_PASSWORD_FILE  password_file = "/home/coach/.config/Kuule/lrs.password"
    KUULE_LRS_HOMEPAGE       homepage = "https://example.org/staff"
    KUULE_LRS_PASS_MARK      pass_mark = 0.6

A password file must be readable by its owner only (0600 or stricter): another
mode is refused with a message, as ssh refuses a private key others can read.
An environment variable wins over the file. Without a URL nothing is sent.
"""

from __future__ import annotations

import os
import stat
import tomllib
from dataclasses import dataclass
from pathlib import Path

from game.i18n import Catalog

FILE = "lrs.toml"

_ = Catalog({
    "unreadable": ("{path}: cannot be read ({reason})", "{path}: ei voi lukea ({reason})"),
    "not_toml": ("{path}: not a settings file ({reason})", "{path}: ei ole asetustiedosto ({reason})"),
    "open_password": ("{path}: the password file can be read by others; allow only its owner (chmod 600 {path})",
                      "{path}: muut voivat lukea salasanatiedoston; salli se vain omistajalle (chmod 600 {path})"),
    "no_password": ("no LRS password: set KUULE_LRS_PASSWORD or a password file (KUULE_LRS_PASSWORD_FILE)",
                    "LRS:n salasana puuttuu: aseta KUULE_LRS_PASSWORD tai salasanatiedosto (KUULE_LRS_PASSWORD_FILE)"),
    "no_user": ("no LRS user: set KUULE_LRS_USER or user in {path}", "LRS:n käyttäjätunnus puuttuu: aseta KUULE_LRS_USER tai user tiedostossa {path}"),
    "bad_pass_mark": ("pass_mark must be a number between 0 and 1", "pass_mark on oltava luku väliltä 0–1"),
})


class SettingsError(Exception):
    def __init__(self, key: str, **params):
        self.key, self.params = key, params
        super().__init__(_(key, "en", **params))

    def message(self, lang: str) -> str:
        return _(self.key, lang, **self.params)


@dataclass(frozen=True)
class LRSSettings:
    url: str
    user: str
    password: str
    homepage: str
    pass_mark: float


def settings_path() -> Path:
    from game.paths import user_config_dir

    return user_config_dir() / FILE


def _file_settings(path: Path) -> dict:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise SettingsError("unreadable", path=path, reason=error.strerror or error) from None
    try:
        value = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, RecursionError) as error:
        raise SettingsError("not_toml", path=path, reason=error) from None
    return value if isinstance(value, dict) else {}


def read_password_file(path: Path) -> str:
    """The password in a file only its owner can read; SettingsError otherwise."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        raise SettingsError("unreadable", path=path, reason=error.strerror or error) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise SettingsError("unreadable", path=path, reason="not a regular file")
        if os.name != "nt" and info.st_mode & 0o077:
            raise SettingsError("open_password", path=path)
        data = os.read(fd, 4096)
    finally:
        os.close(fd)
    return data.decode("utf-8", "replace").strip()


def load(environ=None) -> LRSSettings | None:
    """The LRS settings, or None if no LRS is set up; SettingsError for settings that cannot be used."""
    from game.xapi.statements import DEFAULT_HOMEPAGE

    env = os.environ if environ is None else environ
    path = settings_path()
    file = _file_settings(path)
    url = env.get("KUULE_LRS_URL") or file.get("url")
    if not url:
        return None
    user = env.get("KUULE_LRS_USER") or file.get("user")
    if not user:
        raise SettingsError("no_user", path=path)
    password = env.get("KUULE_LRS_PASSWORD")
    if password is None:
        password_file = env.get("KUULE_LRS_PASSWORD_FILE") or file.get("password_file")
        if not password_file:
            raise SettingsError("no_password")
        password = read_password_file(Path(str(password_file)).expanduser())
    mark = env.get("KUULE_LRS_PASS_MARK", file.get("pass_mark", 0.6))
    try:
        mark = float(mark)
    except (TypeError, ValueError):
        raise SettingsError("bad_pass_mark") from None
    if not 0 <= mark <= 1:
        raise SettingsError("bad_pass_mark")
    return LRSSettings(str(url), str(user), password, str(env.get("KUULE_LRS_HOMEPAGE") or file.get("homepage")
                                                           or DEFAULT_HOMEPAGE), mark)
