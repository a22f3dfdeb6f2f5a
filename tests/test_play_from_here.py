"""A trainer's "play from here": start at a node with chosen flags and mood; practice only, never logged."""

import subprocess
import sys
from pathlib import Path

from game.engine import Conversation
from game.scenario.loader import load_or_raise

ROOT = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures"


def test_the_conversation_starts_where_the_trainer_says_with_their_values():
    scenario = load_or_raise(FIXTURES / "engine.yaml")
    conversation = Conversation.from_here(scenario, "hub", {"asked": True}, {"trust": 20}, seed=1)
    assert conversation.line.node_id == "hub" and conversation.mood.trust == 20
    assert "deep" in [view.id for view in conversation.choices if view.available]  # `if: asked` now holds
    conversation.choose("deep")
    assert conversation.ended and conversation.line.node_id == "good"



def test_play_from_here_in_the_terminal_writes_no_log(tmp_path):
    done = subprocess.run([sys.executable, "main.py", "play", str(FIXTURES / "engine.yaml"), "--text", "--from", "hub",
                           "--set", "asked=true", "--mood", "trust=40", "--log-dir", str(tmp_path)],
                          input="deep\n", capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Playing from 'hub' (practice, not logged)." in done.stdout and "DEBRIEF" in done.stdout
    assert list(tmp_path.iterdir()) == []


def test_mistakes_in_the_starting_point_are_told_not_thrown(tmp_path):
    done = subprocess.run([sys.executable, "main.py", "play", str(FIXTURES / "engine.yaml"), "--text", "--from", "hbu",
                           "--set", "askd=true", "--set", "asked=maybe", "--mood", "trust=150", "--lang", "fi"],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "'hbu' ei ole tämän skenaarion solmu; tarkoititko 'hub'?" in done.stderr
    assert "'askd' ei ole tämän skenaarion lippu; tarkoititko 'asked'?" in done.stderr
    assert "asked: kirjoita true tai false, ei 'maybe'" in done.stderr
    assert "trust: kirjoita kokonaisluku 0–100, ei '150'" in done.stderr
    assessment = subprocess.run([sys.executable, "main.py", "play", str(FIXTURES / "engine.yaml"), "--text", "--from",
                                 "hub", "--mode", "assessment"], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert assessment.returncode == 2 and "practice only" in assessment.stderr
