"""Shared test set-up: nothing a test does may land in the real user's folders."""

import os

import pytest


def pytest_addoption(parser):
    parser.addoption("--stress", type=int, default=None, metavar="N",
                     help="multiply the fuzzing, soak and crash-safety counts by N (see tests/reliability.py)")


def pytest_configure(config):
    stress = config.getoption("--stress")
    if stress:
        os.environ["KUULE_STRESS"] = str(stress)
    try:  # Hypothesis's example counts follow the same multiplier
        from hypothesis import HealthCheck, settings

        from tests.reliability import stress as multiplier
        settings.register_profile("kuule", max_examples=100 * multiplier(), deadline=None,
                                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
        settings.load_profile("kuule")
    except ImportError:
        pass


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


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A data folder of the test's own (KUULE_HOME); the path is returned."""
    monkeypatch.setenv("KUULE_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture
def windows(home):
    """Makes headless game windows (`windows(size=…, **options)`, see game.ui.harness) and closes them after."""
    from game.ui.harness import Harness

    made = []

    def make(**options):
        made.append(Harness(**options))
        return made[-1]

    yield make
    for window in made:
        window.close()
