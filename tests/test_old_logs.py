"""Score logs written by an older Kuule (commit 747c792, log format 1, format-1 scenarios and rubric in the
copies kept beside the logs) still verify, report, turn into xAPI and replay.

tests/fixtures/old_logs was written by that commit's own code (`git archive 747c792`, then
`python main.py play small_print --text --log-dir ...`): a finished assessment (Aino, en), a finished
practice session in Finnish with an answer taken back (Eero), and an unfinished practice session (Bea).
"""

import json
import shutil
from pathlib import Path

import pytest

from game.cli import main

OLD_LOGS = Path(__file__).parent / "fixtures" / "old_logs"
ASSESSMENT, PRACTICE, UNFINISHED = sorted(p.name for p in OLD_LOGS.glob("*.jsonl"))


@pytest.fixture
def logs(tmp_path, home):
    """A copy of the old logs (nothing a command does may touch the fixture)."""
    folder = tmp_path / "logs"
    shutil.copytree(OLD_LOGS, folder)
    return folder


def test_the_fixture_is_in_the_old_format():
    header = json.loads((OLD_LOGS / ASSESSMENT).read_text(encoding="utf-8").splitlines()[0])
    assert header["kind"] == "header" and header["format"] == 1 and header["app_version"] == "0.1.0"
    choice = next(json.loads(line) for line in (OLD_LOGS / ASSESSMENT).read_text(encoding="utf-8").splitlines()
                  if '"kind":"choice"' in line)
    assert "code" not in choice and "best" not in choice  # before behaviour codes and judging against the offer
    snapshot = OLD_LOGS / header["snapshot"]
    assert "format: 1" in snapshot.read_text(encoding="utf-8")
    assert "format: 1" in snapshot.with_name("rubric.yaml").read_text(encoding="utf-8")


def test_verify_reads_old_logs(logs, capsys):
    assert main(["verify", *(str(p) for p in sorted(logs.glob("*.jsonl")))]) == 0
    out, err = capsys.readouterr()
    assert f"{ASSESSMENT}: OK (27 lines, finished)" in out and f"{UNFINISHED}: OK (6 lines, unfinished)" in out
    assert "3 intact, 0 with problems" in out + err


def test_report_reads_old_logs(logs, tmp_path, capsys):
    out_file = tmp_path / "report.html"
    assert main(["report", str(logs), "--out", str(out_file), "--all-modes"]) == 0
    assert "3 session(s) of 3 trainee(s) in 1 scenario(s)" in capsys.readouterr().out
    page = out_file.read_text(encoding="utf-8")
    assert "Aino" in page and "Eero" in page and "Bea" in page
    assert main(["report", str(logs), "--out", str(out_file)]) == 0  # assessment only: Aino's
    assert "1 session(s) of 1 trainee(s)" in capsys.readouterr().out


def test_xapi_reads_old_logs_to_a_file(logs, tmp_path, capsys):
    out_file = tmp_path / "statements.json"
    assert main(["xapi", str(logs), "--out", str(out_file)]) == 0
    assert "from 2 session(s)" in capsys.readouterr().out
    statements = json.loads(out_file.read_text(encoding="utf-8"))
    assert statements and all(s["actor"] for s in statements)


@pytest.mark.parametrize("name, lang, words", [(ASSESSMENT, "en", "DEBRIEF"), (PRACTICE, "fi", "LOPPUPURKU")])
def test_replay_text_reads_old_logs(logs, capsys, name, lang, words):
    assert main(["--lang", lang, "replay", str(logs / name), "--text"]) == 0
    out = capsys.readouterr().out
    assert words in out and "Traceback" not in out
