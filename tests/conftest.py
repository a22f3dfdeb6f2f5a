"""Shared test set-up: nothing a test does may land in the real user's folders."""

import os

import pytest


@pytest.fixture(scope="session", autouse=True)
def private_user_folders(tmp_path_factory):
    """Logs, settings and caches of the whole run go to one temporary folder (tests that need
    their own set KUULE_HOME themselves). One folder for the session lets caches be shared."""
    previous = os.environ.get("KUULE_HOME")
    os.environ["KUULE_HOME"] = str(tmp_path_factory.mktemp("kuule-home"))
    yield
    if previous is None:
        os.environ.pop("KUULE_HOME", None)
    else:
        os.environ["KUULE_HOME"] = previous
