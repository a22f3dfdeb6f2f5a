"""Translators' tables: export a scenario's texts to PO, translate, import them back without losing comments."""

import shutil
from pathlib import Path

import polib
import pytest

from game.cli import main
from game.scenario.loader import load_or_raise
from game.scenario.safe_yaml import read_file

ROOT = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def copy(tmp_path):
    path = tmp_path / "variety.yaml"
    text = (FIXTURES / "variety.yaml").read_text(encoding="utf-8")
    # a comment for the translator above a node, and a text that serves every language
    text = text.replace("  - id: story\n", "  # He has called three times: keep it sharp.\n  - id: story\n")
    path.write_text(text.replace("languages: [en, fi]", "languages: [en, fi, sv]"), encoding="utf-8")
    return path


def export(path, lang, out):
    option = "--lang" if lang in ("en", "fi") else "--to"  # --lang is also the interface's language: en or fi
    assert main(["strings", "export", str(path), option, lang, "--out", str(out)]) == 0
    return polib.pofile(str(out))


def test_export_keys_every_text_by_the_trainers_ids_with_notes(tmp_path):
    po = export(ROOT / "scenarios" / "small_print.yaml", "fi", tmp_path / "fi.po")
    entries = {entry.msgctxt: entry for entry in po}
    assert po.metadata["X-Kuule-Scenario"] == "small_print" and po.metadata["Language"] == "fi"
    assert entries["start.line"].msgstr.startswith("Voi hyvänen aika")
    assert "start.notice_glare.text" in entries and "start.notice_glare.feedback" in entries
    assert any(context.startswith("traits.") for context in entries)
    assert any(context.split(".")[1:2] == ["variants"] for context in entries)
    assert all(entry.msgstr for entry in po)  # the shipped scenario is fully translated


def test_a_translation_comes_back_in_with_comments_and_layout_kept(copy, tmp_path, capsys):
    po = export(copy, "sv", tmp_path / "sv.po")
    untranslated = [entry for entry in po if not entry.msgstr]
    assert untranslated and main(["validate", str(copy)]) == 1  # sv is declared but missing: KU014
    capsys.readouterr()
    for entry in untranslated:
        entry.msgstr = "SV " + entry.msgid
    notes = next(entry for entry in po if entry.msgctxt == "story.line").comment
    assert notes == "He has called three times: keep it sharp."
    po.save(str(tmp_path / "sv.po"))
    assert main(["strings", "import", str(tmp_path / "sv.po"), "--into", str(copy)]) == 0
    assert "written" in capsys.readouterr().out
    text = copy.read_text(encoding="utf-8")
    assert "# He has called three times: keep it sharp." in text and "# Format 2: behaviour codes" in text
    scenario = load_or_raise(copy)
    assert scenario.nodes["story"].line["sv"] == "SV It's the third time."
    assert main(["validate", str(copy)]) == 0


def test_nothing_is_written_unless_the_whole_import_is_valid(copy, tmp_path, capsys):
    po = export(copy, "sv", tmp_path / "sv.po")
    for entry in po:
        entry.msgstr = "SV"
    po[0].msgctxt = "nowhere.line"
    po.save(str(tmp_path / "sv.po"))
    before = copy.read_bytes()
    assert main(["strings", "import", str(tmp_path / "sv.po"), "--into", str(copy)]) == 1
    err = capsys.readouterr().err
    assert "KU084" in err and "'nowhere.line' is not a text of this scenario" in err and copy.read_bytes() == before
    # a PO file made from another scenario
    other = export(ROOT / "scenarios" / "small_print.yaml", "fi", tmp_path / "other.po")
    assert other and main(["strings", "import", str(tmp_path / "other.po"), "--into", str(copy)]) == 1
    assert "belongs to the scenario 'small_print', not to 'variety'" in capsys.readouterr().err
    # broken syntax, located
    (tmp_path / "broken.po").write_text('msgid ""\nmsgstr ""\n"X-Kuule-Scenario: variety\\n"\n\nmsgctxt "a"\n'
                                        'msgid "b"\nthis is not po\n', encoding="utf-8")
    assert main(["strings", "import", str(tmp_path / "broken.po"), "--into", str(copy)]) == 1
    err = capsys.readouterr().err
    assert "broken.po:7:1: error KU081: the PO file cannot be read: Syntax error in po file" in err
    assert "Traceback" not in err and copy.read_bytes() == before


def test_fuzzy_and_empty_entries_are_left_as_they_were(copy, tmp_path, capsys):
    po = export(copy, "fi", tmp_path / "fi.po")
    line = next(entry for entry in po if entry.msgctxt == "start.line")
    line.msgstr, line.flags = "Kyse on siitä laskusta.", ["fuzzy"]
    cue = next(entry for entry in po if entry.msgctxt == "start.cue")
    cue.msgstr = ""
    po.save(str(tmp_path / "fi.po"))
    assert main(["strings", "import", str(tmp_path / "fi.po"), "--into", str(copy)]) == 0
    assert "1 marked fuzzy, 1 not translated" in capsys.readouterr().out
    start = read_file(copy)["nodes"][0]
    assert start["line"]["fi"] == "Kyse on laskusta." and start["cue"]["fi"] == "Pitkä huokaus."


def test_validate_reads_a_table_and_lists_what_is_untranslated_or_fuzzy(tmp_path, capsys):
    shutil.copy(ROOT / "scenarios" / "small_print.yaml", tmp_path / "small_print.yaml")
    po = export(tmp_path / "small_print.yaml", "fi", tmp_path / "small_print.fi.po")
    capsys.readouterr()
    empty = next(entry for entry in po if entry.msgctxt == "start.cue")
    empty.msgstr = ""
    fuzzy = next(entry for entry in po if entry.msgctxt == "start.line")
    fuzzy.flags = ["fuzzy"]
    po.save(str(tmp_path / "small_print.fi.po"))
    assert main(["validate", str(tmp_path / "small_print.fi.po")]) == 0
    out = capsys.readouterr().out
    assert "warning KU086: 'start.cue' is not translated yet" in out
    assert "warning KU087: 'start.line' is marked fuzzy" in out
    assert out.splitlines()[-1] == "1 file(s) checked: 0 error(s), 2 warning(s)"
