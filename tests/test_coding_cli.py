"""`python main.py code`: trainers and coaches code replies from the command line."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent


def code(*args, stdin=None):
    return subprocess.run([sys.executable, "main.py", "code", *args], input=stdin, capture_output=True, text=True,
                          cwd=ROOT, env=dict(os.environ, LANG="C"), timeout=120)


def test_each_text_argument_is_coded_as_json_with_text_group_codes_and_evidence():
    run = code("--lang", "fi", "--format", "json", "Saitteko viestin?", "", "Älä huoli, ei se oo mitään.")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert [item["text"] for item in data] == ["Saitteko viestin?", "", "Älä huoli, ei se oo mitään."]
    assert [item["group"] for item in data] == ["question", "support", "roadblock"]
    assert data[1]["codes"] == ["attentive_silence"]
    for item in data:
        assert item["codes"][0] == item["main"] and item["evidence"]


def test_without_text_each_line_of_standard_input_is_one_reply():
    run = code("--lang", "en", "--format", "json", stdin="What happened next?\nDid it arrive?\n")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert [item["codes"][0] for item in data] == ["open_question", "closed_question"]


def test_human_output_is_in_the_users_language():
    fi = code("--lang", "fi", "Olen pahoillani, että lasku meni väärin.")
    assert fi.returncode == 0 and "anteeksipyyntö" in fi.stdout and "perusteet" in fi.stdout
    en = code("--lang", "en", "--reply-lang", "fi", "Olen pahoillani, että lasku meni väärin.")
    assert en.returncode == 0 and "apology" in en.stdout and "because" in en.stdout


def test_bad_input_on_standard_input_gives_no_traceback():
    raw = ("x" * 10_000 + "\n\x00\x1b[2J\n😀\n\u202eabc\n$(rm -rf ~)\n").encode("utf-8") + b"\xff\xfe broken\n"
    run = subprocess.run([sys.executable, "main.py", "code", "--lang", "fi", "--format", "json"], input=raw,
                         capture_output=True, cwd=ROOT, timeout=120)
    assert run.returncode == 0, run.stderr
    assert b"Traceback" not in run.stderr
    data = json.loads(run.stdout.decode("utf-8"))
    assert len(data) == 6
    assert all(item["group"] for item in data)


def test_json_carries_the_words_that_decided_and_the_text_as_typed():
    typed = "  Olen   pahoillani, että lasku meni väärin."
    run = code("--lang", "fi", "--format", "json", typed)
    assert run.returncode == 0, run.stderr
    [item] = json.loads(run.stdout)
    assert item["typed"] == typed and item["text"] == typed.strip().replace("   ", " ")
    assert isinstance(item["words"], list) and "pahoillani" in item["words"]


def test_finnish_replies_are_read_as_finnish_without_reply_lang_in_an_english_locale():
    run = code("--format", "json", "Olen pahoillani, että lasku meni väärin.", "What happened next?")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert [item["lang"] for item in data] == ["fi", "en"]
    assert [item["main"] for item in data] == ["apologise", "open_question"]
    forced = code("--format", "json", "--reply-lang", "en", "Olen pahoillani.")
    assert json.loads(forced.stdout)[0]["lang"] == "en"
    assert "read from each reply" in " ".join(code("--help").stdout.split())
