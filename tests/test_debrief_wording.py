"""The debrief and the report describe the scoring model as it is: each answer against the best on offer at
that moment, held under a ceiling; not a share of the best a whole scenario allows (the first model)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
OLD_WORDS = ("this scenario allows", "each scenario allows", "mitä skenaariossa voi saada", "mitä kukin skenaario sallii")


@pytest.mark.parametrize("lang, heading", [
    ("en", "Scores (each answer against the best on offer at that moment, then the ceiling):"),
    ("fi", "Pisteet (jokainen vastaus verrattuna siihen, mikä sillä hetkellä oli parasta tarjolla; katto rajaa tuloksen):"),
])
def test_the_terminal_debrief_heading_describes_the_current_model(tmp_path, lang, heading):
    env = dict(os.environ, KUULE_HOME=str(tmp_path), LANG="C")
    answers = "lecture\nblame\nminimise\norder\nfriday\n"
    run = subprocess.run([sys.executable, "main.py", "--lang", lang, "play", "tests/fixtures/harm_then_good.yaml", "--text",
                          "--seed", "1"], input=answers, capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)
    assert run.returncode == 0, run.stderr
    assert heading in " ".join(run.stdout.split())  # a long heading is wrapped
    assert not any(words in run.stdout for words in OLD_WORDS)
    # and the verdict beside a ceiling of 0% is not a confident one (tests/test_debrief_verdict.py)
    assert ("Very likely" if lang == "en" else "Hyvin todennäköisesti") not in run.stdout


def test_the_reports_note_describes_the_current_model():
    from game.report.texts import _

    english, finnish = _("overview_note", "en"), _("overview_note", "fi")
    assert english.startswith("Each answer is scored against the best on offer at that moment") and "ceiling" in english
    assert finnish.startswith("Jokaista vastausta verrataan siihen, mikä sillä hetkellä oli parasta tarjolla") and "katon" in finnish
    assert not any(words in english + finnish for words in OLD_WORDS)
