"""More than one speaker: a colleague, a manager, a relative on the line, each with a name, a role and a look."""

from io import StringIO
from pathlib import Path

from game.engine import Conversation
from game.scenario.loader import load_or_raise, load_scenario
from game.terminal import TerminalGame

FIXTURES = Path(__file__).parent / "fixtures"
SPEAKERS = """speakers:
  manager:
    name: Riikka
    role: {en: your manager, fi: esihenkilösi}
    look: {hair: brown, glasses: true}
"""


def with_manager(tmp_path, extra="", speaker="manager"):
    text = (FIXTURES / "variety.yaml").read_text(encoding="utf-8")
    text = text.replace("traits:", SPEAKERS + extra + "traits:", 1)
    text = text.replace("  - id: close\n    line:", f"  - id: close\n    speaker: {speaker}\n    line:")
    path = tmp_path / "v.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_line_says_who_speaks_and_the_terminal_shows_it(tmp_path):
    scenario = load_or_raise(with_manager(tmp_path))
    conversation = Conversation(scenario, seed=1, drawn={"trait": "talkative", "stake": "job"})
    assert conversation.line.speaker is None
    conversation.choose("reflect")
    conversation.choose("ask")
    assert conversation.line.speaker == "manager" and scenario.speakers["manager"].look["hair"] == "brown"
    out = StringIO()
    game = TerminalGame(scenario, lang="fi", conversation=conversation, stdin=StringIO("1\n"), stdout=out)
    game.show_line()
    assert "Riikka (esihenkilösi): \u201cNo mitäs nyt?\u201d" in out.getvalue()


def test_speaker_mistakes_are_located(tmp_path):
    path = with_manager(tmp_path, extra="  son:\n    name: Ville\n", speaker="manger")
    found = {(d.code, d.params.get("name")) for d in load_scenario(path).diagnostics}
    assert ("KU056", "manger") in found  # an unknown speaker, with did-you-mean
    assert ("KU057", "son") in found  # a speaker without a look
    assert ("KU058", "son") in found and ("KU058", "manager") in found  # nobody gives them a line
    unknown = next(d for d in load_scenario(path).diagnostics if d.code == "KU056")
    assert unknown.hint_text() == "did you mean 'manager'?"


def test_the_terminal_names_who_said_the_last_words_and_hints_only_the_customers_face():
    from game.debrief import debrief_for

    scenario = load_or_raise(FIXTURES / "speakers.yaml")
    conversation = Conversation(scenario, seed=1)
    conversation.choose("harsh")  # the customer is upset; the manager's line is written hopeful
    out = StringIO()
    game = TerminalGame(scenario, lang="en", conversation=conversation, stdin=StringIO(""), stdout=out)
    game.mood_hint = True
    game.show_line()
    said = out.getvalue()
    assert "Riikka Laine (your manager): \u201cI'll take a look at that refund myself.\u201d" in said
    assert "Pekka Virtanen looks " in said and "hopeful" not in said  # her face is hers, not his
    for choice in ("thanks", "wait", "plan"):
        conversation.choose(choice)
    game.show_debrief(debrief_for(conversation))
    debrief = " ".join(out.getvalue().split())  # as words: the terminal wraps long lines
    assert "Last words — Riikka Laine (your manager): \u201cIt's on its way. Sorry it took this long.\u201d" in debrief
    assert "3. Ville Virtanen (his son, on speaker-phone): \u201cDad? Is it sorted or not?\u201d" in debrief
