"""xAPI against a real LRS: Ralph, started on 127.0.0.1 by the test; statements read back and compared."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.services import ralph_lrs
from tests.test_xapi import make_log

ROOT = Path(__file__).parent.parent

if not ralph_lrs.available():
    if os.environ.get("CI") == "true":
        raise RuntimeError("CI=true but Ralph is not installed: run tests/services/install-ralph.sh first")
    pytest.skip("Ralph LRS not installed (tests/services/install-ralph.sh)", allow_module_level=True)


@pytest.fixture(scope="module")
def lrs(tmp_path_factory):
    with ralph_lrs.RalphLRS(tmp_path_factory.mktemp("ralph")) as server:
        yield server


def send(lrs, *paths, out):
    env = dict(os.environ, LANG="C", KUULE_LRS_PASSWORD=lrs.password)
    return subprocess.run([sys.executable, "main.py", "xapi", *map(str, paths), "--out", str(out), "--lrs", lrs.url,
                           "--user", lrs.user], capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)


def test_statements_are_stored_read_back_equal_and_never_twice(tmp_path, lrs, monkeypatch):
    monkeypatch.setenv("KUULE_HOME", str(tmp_path / "home"))
    folder = tmp_path / "logs"
    make_log(folder, ["ask", "again", "<back>", "help"], trainee="Aino", mode="practice")
    make_log(folder, ["lecture"], trainee="<script>alert(1)</script>", seed=2)
    make_log(folder, ["reflect", "deep"], scenario="tests/fixtures/engine.yaml", trainee="Eero Mäkinen", seed=3)
    out = tmp_path / "statements.json"
    before = lrs.stored_lines()
    first = send(lrs, folder, out=out)
    assert first.returncode == 0, first.stderr
    ours = json.loads(out.read_text())
    assert f"{len(ours)} stored, 0 already there" in first.stdout
    assert lrs.stored_lines() == before + len(ours)
    # read back by registration (Ralph's fs backend cannot filter by verb or activity) and compare
    for registration in {s["context"]["registration"] for s in ours}:
        expected = {s["id"]: s for s in ours if s["context"]["registration"] == registration}
        stored = {s["id"]: s for s in lrs.statements(registration=registration)}
        assert set(stored) == set(expected)
        for statement_id, statement in expected.items():
            back = stored[statement_id]
            for key in ("actor", "verb", "object", "result", "context"):
                if key in statement:
                    assert back[key] == statement[key], (key, back[key], statement[key])
            assert back["timestamp"].startswith(statement["timestamp"][:19])
    selected = [s for s in ours if s["verb"]["id"].endswith("/selected") and s["actor"].get("name") == "Aino"]
    assert [s["result"]["response"] for s in selected] == ["ask", "help"]  # the taken-back "again" is not sent
    # sending again stores nothing twice
    second = send(lrs, folder, out=out)
    assert second.returncode == 0, second.stderr
    assert f"0 stored, {len(ours)} already there" in second.stdout
    assert lrs.stored_lines() == before + len(ours)
    agent = json.dumps(ours[0]["actor"])
    assert len(lrs.statements(agent=agent)) == sum(1 for s in ours if s["actor"] == ours[0]["actor"])


def test_wrong_password_is_reported_and_nothing_is_lost(tmp_path, lrs, monkeypatch):
    monkeypatch.setenv("KUULE_HOME", str(tmp_path / "home"))
    make_log(tmp_path / "logs", ["ask", "help"])
    env = dict(os.environ, LANG="C")
    run = subprocess.run([sys.executable, "main.py", "xapi", str(tmp_path / "logs"), "--out", str(tmp_path / "s.json"),
                          "--lrs", lrs.url, "--user", lrs.user, "--password", "wrong"], capture_output=True, text=True,
                         cwd=ROOT, env=env, timeout=120)
    assert run.returncode == 1 and "NOT sent (HTTP 401" in run.stderr
    assert json.loads((tmp_path / "s.unsent.json").read_text()) == json.loads((tmp_path / "s.json").read_text())
