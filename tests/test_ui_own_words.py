"""Own-words mode in the window: the trainee types a reply first, Kuule codes it and marks the closest answer.

Headless (SDL's dummy drivers); events go through pygame's own queue as a player's would. Each test gets its
own KUULE_HOME, so settings and session logs go to a temporary folder. The screenshots land in
tests/output/screens/own_words_*.png.
"""

import json
import os
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # noqa: E402
import pytest  # noqa: E402

from game.ui.harness import Harness  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"
SCREENS = Path(__file__).parent / "output" / "screens"
SMALL_PRINT = Path(__file__).parent.parent / "scenarios" / "small_print.yaml"
MINI = FIXTURES / "mini.yaml"


@pytest.fixture
def harness(windows):
    def make(size=(1280, 720), lang="en", **options):
        options.setdefault("scenario_sources", [FIXTURES])
        h = windows(size=size, lang=lang, own_words=True, **options)
        h.app.apply_settings(replace(h.app.settings, text_speed="instant"), save=False)
        return h

    return make


def ready(h, scenario=SMALL_PRINT, mode="practice"):
    h.start(scenario, mode=mode)
    h.finish_typing()
    h.frames(1, dt=0.3)
    assert h.scene.asking, "the reply field shows once the line has been said"


def submit(h):
    h.key(pygame.K_RETURN)
    h.frames(1, dt=0.3)  # a moment: the Enter that sent the reply does not also answer


def log_lines(home):
    logs = sorted((home).rglob("*.jsonl"))
    assert logs, "a score log was written"
    return [json.loads(line) for line in logs[-1].read_text(encoding="utf-8").splitlines() if line.strip()]


def test_typing_with_finnish_letters_and_editing(harness):
    h = harness(lang="fi")
    ready(h)
    field = h.scene.reply
    h.type_text("Pähkinä ja öljy å")
    assert field.value == "Pähkinä ja öljy å"
    h.key(pygame.K_HOME)
    h.key(pygame.K_DELETE)
    h.type_text("Ä")
    assert field.value == "Äähkinä ja öljy å"
    h.key(pygame.K_END)
    h.key(pygame.K_BACKSPACE)
    h.key(pygame.K_BACKSPACE)
    assert field.value == "Äähkinä ja öljy"
    h.key(pygame.K_LEFT)
    h.key(pygame.K_LEFT)
    h.type_text("x")
    assert field.value == "Äähkinä ja ölxjy"
    h.key(pygame.K_BACKSPACE, mod=pygame.KMOD_CTRL)  # a word at a time
    assert field.value == "Äähkinä ja jy"
    # an input method's text in composition is shown, not stored, until it is finished
    h.post(pygame.TEXTEDITING, text="ää", start=0, length=2)
    h.frames(1)
    assert field.composition == "ää" and field.value == "Äähkinä ja jy"
    h.post(pygame.TEXTINPUT, text="ää")
    h.frames(1)
    assert field.composition == "" and field.value == "Äähkinä ja ääjy"
    # the letter keys are text here, not the play screen's shortcuts (H history, M mood hint, 1-9 answers)
    h.key(pygame.K_h, unicode="h")
    h.key(pygame.K_1, unicode="1")
    assert h.scene.backlog is None and h.scene.asking and len(h.scene.conversation.history) == 0


def test_closest_is_preselected_and_enter_confirms_it_into_the_log(harness, home):
    h = harness()
    ready(h)
    h.type_text("So the receipt was too small to read, and that made you feel nobody told you?")
    submit(h)
    scene = h.scene
    assert not scene.asking and scene.coding is not None
    closest = next(b for b in scene.choice_buttons if b.data.id == scene.closest_id)
    assert closest.note == "closest to what you said"
    assert scene.focus.current is closest and closest.visible
    assert scene.coding.group in ("reflection", "question", "support", "information", "roadblock", "other")
    h.app.draw()
    assert scene._blocks["heard"] is not None and scene._blocks["heard"][0].startswith("Heard as: ")
    h.key(pygame.K_RETURN)
    assert len(scene.conversation.history) == 1
    assert scene.conversation.history[0].choice_id == closest.data.id
    assert scene.session.own_said[1].text.startswith("So the receipt")
    # the next turn asks again
    h.finish_typing()
    h.frames(1, dt=0.3)
    assert scene.asking and scene.reply.value == ""
    h.app.end_session()
    choices = [r for r in log_lines(home) if r.get("type") == "choice" or "own_words" in r]
    own = [r["own_words"] for r in choices if "own_words" in r]
    assert own and own[0]["text"].startswith("So the receipt")
    assert own[0]["closest"] == closest.data.id and own[0]["lang"] == "en"
    assert own[0]["codes"] and own[0]["group"]


def test_another_answer_can_be_picked_by_number_or_arrows(harness):
    h = harness()
    ready(h)
    h.type_text("You have to read the small print before you buy.")
    submit(h)
    scene = h.scene
    others = [n for n, view in scene._shown if view.available and view.id != scene.closest_id]
    assert others
    number = others[0]
    chosen = scene.view_by_number(number).id
    h.key(getattr(pygame, f"K_{number}"))
    assert scene.conversation.history[-1].choice_id == chosen
    assert scene.session.own_said[1].text == "You have to read the small print before you buy."


@pytest.mark.parametrize("said", ["", "😀🙏"])
@pytest.mark.parametrize("lang", ["en", "fi"])
def test_when_nothing_said_is_close_no_answer_is_marked_and_enter_takes_none(harness, home, said, lang):
    # the first turn of small_print offers no silent answer: staying quiet or emoji alone are close to none
    h = harness(lang=lang)
    ready(h)
    if said:
        h.post(pygame.TEXTINPUT, text=said)
        h.frames(1)
    submit(h)
    scene = h.scene
    assert scene.coding.main == ("attentive_silence" if not said else "other")
    assert scene.closest_id is None
    assert not any(b.note for b in scene.choice_buttons if b.enabled), "no answer is marked closest"
    assert scene.focus.current is None
    h.app.draw()
    none_close = ("None of these is close to what you said — pick one." if lang == "en"
                  else "Mikään näistä ei ole lähellä sitä, mitä sanoit — valitse yksi.")
    assert scene._blocks["said"][0].endswith(none_close)
    if not said:
        assert scene._blocks["said"][0].startswith("You would stay quiet." if lang == "en" else "Olisit hiljaa.")
    h.frames(1, dt=0.5)
    h.key(pygame.K_RETURN)  # Enter alone takes nothing
    h.frames(1, dt=0.5)
    assert not scene.conversation.history and scene.pending is None
    h.screenshot(SCREENS / f"own_words_none_close_{lang}_1280x720.png")
    h.key(pygame.K_2)  # an explicit choice does
    assert len(scene.conversation.history) == 1
    h.app.end_session()
    own = [r["own_words"] for r in log_lines(home) if "own_words" in r]
    assert own[0]["closest"] is None and own[0]["codes"][0] == scene.session.own_said[1].codes[0]


def test_empty_reply_is_staying_quiet_and_marks_the_silent_answer(harness):
    h = harness()
    ready(h)
    scene = h.scene
    silent = next(v for v in scene.conversation.choices if v.code == "attentive_silence" and v.available) \
        if any(v.code == "attentive_silence" and v.available for v in scene.conversation.choices) else None
    submit(h)
    assert scene.coding.main == "attentive_silence"
    h.app.draw()
    assert scene._blocks["said"][0].startswith("You would stay quiet.")
    assert scene.closest_id == (silent.id if silent is not None else None)


def test_the_input_methods_window_opens_at_the_caret(harness):
    h = harness()
    ready(h)
    field = h.scene.reply
    h.app.draw()
    start = field.caret_rect(h.app.ui)
    h.type_text("Hello there")
    h.app.draw()
    after = field.caret_rect(h.app.ui)
    font = h.app.ui.fonts("body")
    assert after.x - start.x == font.size("Hello there")[0]
    assert field.rect.contains(after) and after.y == start.y
    h.post(pygame.TEXTINPUT, text="sana " * 200)  # many rows: the caret's row, as scrolled into view
    h.frames(1)
    h.app.draw()
    deep = field.caret_rect(h.app.ui)
    assert field.rect.contains(deep) and deep.y > start.y


def test_assessment_shows_no_coding_and_keeps_the_undo_moment(harness):
    h = harness()
    ready(h, mode="assessment")
    h.type_text("I understand, that must be annoying.")
    submit(h)
    scene = h.scene
    h.app.draw()
    assert scene._blocks["heard"] is None  # no coding feedback before the debrief
    assert "Heard as" not in " ".join(str(v) for v in scene._blocks.values())
    h.key(pygame.K_RETURN)
    assert scene.pending is not None and not scene.conversation.history  # chosen, still changeable
    h.key(pygame.K_BACKSPACE)
    assert scene.pending is None and not scene.conversation.history
    h.frames(1, dt=0.3)
    h.key(pygame.K_DOWN)
    h.key(pygame.K_RETURN)
    h.key(pygame.K_RETURN)
    assert len(scene.conversation.history) == 1


def test_long_paste_control_characters_and_emoji_stay_in_the_box(harness):
    h = harness(size=(800, 600))
    ready(h)
    field = h.scene.reply
    h.post(pygame.TEXTINPUT, text=("kauhean pitkä vastaus " * 500)[:10_000])
    h.frames(1)
    assert len(field.value) == 10_000
    h.post(pygame.TEXTINPUT, text="a" * 100)  # no more than the field holds
    h.post(pygame.TEXTINPUT, text="\x00\x1b[31m\u202e\ud83d😀\r\n\t")
    h.frames(2)
    assert len(field.value) == 10_000
    field.value, field.caret = "", 0
    h.post(pygame.TEXTINPUT, text="\x00\x07ok\x1b[31m 😀 \u202eשלום\r\nrivi")
    h.frames(2)
    assert "\x00" not in field.value and "\x1b" not in field.value and "\n" not in field.value
    assert "😀" in field.value and "ok" in field.value
    field.value, field.caret = "", 0
    h.post(pygame.TEXTINPUT, text="w" * 10_000)  # one long word, no spaces
    h.frames(2)
    rows = field.rows(h.app.ui, field.rect.width - h.app.ui.s(30))
    font = h.app.ui.fonts("body")
    assert all(font.size(field.value[a:b])[0] <= field.rect.width for a, b in rows)
    path = h.screenshot(SCREENS / "own_words_long_800x600.png")
    assert path.exists()
    # drawn, it stays inside its box: the pixels just right of and below the box are the background
    surface = h.app.window
    background = h.app.ui.theme.background
    rect = field.rect
    ring = h.app.ui.s(6)  # the focus ring is drawn around the box
    for x in range(rect.x, rect.right, 17):
        assert tuple(surface.get_at((x, rect.bottom + ring)))[:3] == tuple(background)[:3]
    for y in range(rect.y, rect.bottom, 7):
        assert tuple(surface.get_at((rect.right + ring, y)))[:3] == tuple(background)[:3]
    submit(h)
    assert h.scene.coding is not None  # coded (best effort), never a crash
    assert h.scene.closest_id is None  # one unknown 10,000-letter word is close to no answer
    h.key(pygame.K_RETURN)
    assert not h.scene.conversation.history
    h.key(pygame.K_1)
    assert len(h.scene.conversation.history) == 1


def test_take_back_asks_for_the_words_again(harness):
    h = harness()
    ready(h)
    h.type_text("Tell me what happened.")
    submit(h)
    h.key(pygame.K_RETURN)
    scene = h.scene
    assert 1 in scene.session.own_said
    h.finish_typing()
    h.frames(1, dt=0.3)
    scene.take_back()
    h.frames(1, dt=0.3)
    assert not scene.session.own_said and scene.asking and not scene.conversation.history


def test_debrief_shows_own_words_with_codes(harness):
    h = harness(lang="fi")
    ready(h, scenario=MINI)
    h.type_text("Kerrotko, mitä tapahtui?")
    submit(h)
    h.key(pygame.K_1)
    h.finish_typing()
    h.frames(1, dt=0.3)
    submit(h)  # staying quiet
    h.key(pygame.K_1)
    h.settle(0.5)
    h.key(pygame.K_RETURN)
    h.frames(2)
    assert h.screen == "debrief"
    debrief = h.scene
    texts = [text for step in debrief.debrief.steps for text, *_ in debrief._answer_texts(step)]
    own = [t for t in texts if t.startswith("Omin sanoin:")]
    assert own and "Kerrotko, mitä tapahtui?" in own[0] and "[" in own[0]
    assert any("olet hiljaa" in t for t in own)
    h.screenshot(SCREENS / "own_words_debrief_fi_1280x720.png")


@pytest.mark.parametrize("size", [(1280, 720), (800, 600)])
@pytest.mark.parametrize("lang", ["en", "fi"])
def test_own_words_screens(harness, size, lang):
    h = harness(size=size, lang=lang)
    ready(h)
    h.type_text("Eli kuitti oli niin pieni, ettei siitä saanut selvää?" if lang == "fi"
                else "So the receipt was so small you could not read it?")
    h.screenshot(SCREENS / f"own_words_typing_{lang}_{size[0]}x{size[1]}.png")
    field = h.scene.reply
    column = h.scene._blocks["column"]
    assert column.contains(field.rect), "the reply field is in view when the line has been said"
    submit(h)
    h.screenshot(SCREENS / f"own_words_closest_{lang}_{size[0]}x{size[1]}.png")
    closest = next(b for b in h.scene.choice_buttons if b.data.id == h.scene.closest_id)
    assert closest.visible and column.contains(closest.rect), "the marked answer is in view"


def test_switch_in_settings_and_menu(home):
    h = Harness(size=(1280, 720), lang="fi", scenario_sources=[FIXTURES])
    try:
        assert not h.app.settings.own_words
        menu = h.scene
        assert menu.own_words.label == "Sano ensin omin sanoin"
        menu.own_words.step(1)
        h.frames(1)
        assert h.app.settings.own_words
        saved = json.loads(h.app.settings_file.read_text(encoding="utf-8"))
        assert saved["own_words"] is True
    finally:
        h.close()


def test_command_line_switch_is_not_saved(home):
    h = Harness(size=(1280, 720), lang="en", scenario_sources=[FIXTURES], own_words=True)
    try:
        assert h.app.settings.own_words
        h.app.remember_trainee()
        h.app.set_trainee("Someone")
        h.app.remember_trainee()
        saved = json.loads(h.app.settings_file.read_text(encoding="utf-8"))
        assert saved.get("own_words") is False
    finally:
        h.close()


@pytest.mark.parametrize("lang", ["en", "fi"])
def test_email_channel_has_an_inbox_framing(harness, tmp_path, lang):
    text = SMALL_PRINT.read_text(encoding="utf-8").replace("\nchannel: counter\n", "\nchannel: email\n")
    assert "channel: email" in text
    scenario = tmp_path / "small_print_email.yaml"
    scenario.write_text(text, encoding="utf-8")
    h = harness(lang=lang)
    h.start(scenario, brief=True)
    scene = h.scene
    assert scene.framing.channel == "email"
    assert scene.begin_button.label == ("Open the email" if lang == "en" else "Avaa sähköposti")
    h.key(pygame.K_RETURN)
    h.finish_typing()
    h.frames(1, dt=0.3)
    h.app.draw()
    assert scene._blocks["ask"][0] == ("Write a reply in your own words." if lang == "en"
                                      else "Kirjoita vastaus omin sanoin.")
    h.screenshot(SCREENS / f"own_words_email_{lang}_1280x720.png")
    h.resize((800, 600))
    h.frames(2)
    h.screenshot(SCREENS / f"own_words_email_{lang}_800x600.png")
    field = h.scene.reply
    assert h.scene._blocks["column"].contains(field.rect), "after a resize the reply field is still in view"
