"""LRS settings: from the environment or lrs.toml; a password only from the environment or a private file."""

import os

import pytest

from game.xapi.settings import SettingsError, load, settings_path


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("KUULE_HOME", str(tmp_path / "home"))
    for key in list(os.environ):
        if key.startswith("KUULE_LRS_"):
            monkeypatch.delenv(key)
    return tmp_path


def test_no_lrs_set_up_sends_nothing(home):
    assert load() is None


def test_the_settings_file_and_a_private_password_file(home):
    secret = home / "lrs.password"
    secret.write_text("s3cret\n")
    secret.chmod(0o600)
    settings_path().parent.mkdir(parents=True)
    settings_path().write_text(f'url = "https://lrs.example/xapi"\nuser = "kuule"\npassword_file = "{secret}"\n'
                               'pass_mark = 0.7\n')
    settings = load()
    assert (settings.url, settings.user, settings.password, settings.pass_mark) == \
        ("https://lrs.example/xapi", "kuule", "s3cret", 0.7)


def test_a_password_file_others_can_read_is_refused_in_both_languages(home, monkeypatch):
    secret = home / "lrs.password"
    secret.write_text("s3cret")
    secret.chmod(0o644)
    monkeypatch.setenv("KUULE_LRS_URL", "https://lrs.example/xapi")
    monkeypatch.setenv("KUULE_LRS_USER", "kuule")
    monkeypatch.setenv("KUULE_LRS_PASSWORD_FILE", str(secret))
    with pytest.raises(SettingsError) as refused:
        load()
    assert "chmod 600" in refused.value.message("en") and "salli se vain omistajalle" in refused.value.message("fi")
    monkeypatch.setenv("KUULE_LRS_PASSWORD", "from-env")  # the environment wins over the file
    assert load().password == "from-env"


@pytest.mark.parametrize("content, key", [("url = [", "not_toml"), ('url = "http://x"\n', "no_user"),
                                          ('url = "http://x"\nuser = "u"\n', "no_password")])
def test_settings_that_cannot_be_used_say_why(home, content, key):
    settings_path().parent.mkdir(parents=True, exist_ok=True)
    settings_path().write_text(content)
    with pytest.raises(SettingsError) as refused:
        load()
    assert refused.value.key == key


def test_xapi_outbox_without_settings_says_how_to_set_them(home):
    import subprocess
    import sys
    from pathlib import Path

    run = subprocess.run([sys.executable, "main.py", "xapi", "--outbox"], capture_output=True, text=True,
                         cwd=Path(__file__).parent.parent, env=dict(os.environ, LANG="C"), timeout=60)
    assert run.returncode == 2 and "No LRS is set up" in run.stderr and "Traceback" not in run.stderr
