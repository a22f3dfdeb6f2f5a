"""Answering in the play window: the answer said is the one the player meant, and what they must read is in view.

An assessment's chosen answer follows the highlight while it waits; a double click to hurry the text
says nothing; the coach's note is open unless it could not share the view with the customer's next
words; the portrait keeps its width for the whole session; once a line is said, the answers are in view.
"""

import os
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # noqa: E402
import pytest  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"
SCENARIOS = Path(__file__).parent.parent / "scenarios"
MINI = FIXTURES / "mini.yaml"  # not shuffled: start 1=ask 2=lecture; middle 1=help 2=again 3=shrug
SMALL_PRINT = SCENARIOS / "small_print.yaml"
SALARY_DAY = SCENARIOS / "salary_day.yaml"


@pytest.fixture
def harness(windows):
    def make(size=(1280, 720), scale=100, speed="fast", **options):
        options.setdefault("scenario_sources", [FIXTURES])
        h = windows(size=size, **options)
        h.app.apply_settings(replace(h.app.settings, font_scale=scale, text_speed=speed), save=False)
        h.app.notices.clear()  # the first run's welcome
        return h

    return make


def typed_out(h) -> None:
    """Let the line finish typing by itself, then a moment to read."""
    play = h.scene
    for _ in range(600):
        if not play.typing:
            break
        h.frames(1)
    h.frames(2)
    assert not play.typing


def inside(rect: pygame.Rect, column: pygame.Rect) -> bool:
    return column.top <= rect.top and rect.bottom <= column.bottom


def harmful_first_answer(play) -> int:
    """The number of an answer of this line that hurts the conversation (a roadblock)."""
    from game.ui.play import answer_tone

    rubric = play.session.scenario.rubric
    node = play.conversation.node
    for number, view in play._shown:
        if answer_tone(node.choice(view.id), rubric) == "harm":
            return number
    pytest.skip("no harmful answer at the first line of this scenario any more")


# -- 1. an assessment's waiting answer follows the highlight ----------------------------------------------
def to_middle(h) -> None:
    """mini.yaml in an assessment, at its second line: 1=help 2=again 3=shrug, all possible."""
    h.start(MINI, mode="assessment")
    h.answer(1)  # ask
    h.finish_typing()
    assert h.scene.conversation.node.id == "middle"


@pytest.mark.parametrize("lang", ["en", "fi"])
def test_moving_the_highlight_while_an_answer_waits_chooses_the_highlighted_one(harness, lang):
    h = harness(lang=lang)
    to_middle(h)
    play = h.scene
    h.key(pygame.K_1)  # help: chosen, waiting
    assert play.pending[0] == "help"
    h.frames(8, dt=0.25)  # two seconds of the three pass
    h.key(pygame.K_DOWN)
    h.key(pygame.K_DOWN)
    assert play.focus.current is play.choice_buttons[2]
    assert play.pending[0] == "shrug"  # the highlighted answer waits now, with the whole moment again
    assert play.pending[1] - h.app.clock_time > play.UNDO_SECONDS - 0.1
    shown = play._hints()
    assert ("Answer 3 chosen" if lang == "en" else "Valitsit vastauksen 3") in shown[0]
    assert ("Enter confirms it now" if lang == "en" else "Enter vahvistaa heti") in shown[0]
    assert shown[1].startswith("Answer 3" if lang == "en" else "Vastaus 3")
    h.key(pygame.K_RETURN)  # Enter says what is highlighted
    assert play.conversation.choice_log == ["ask", "shrug"]


def test_the_moved_answer_counts_when_its_moment_is_over(harness):
    h = harness()
    to_middle(h)
    play = h.scene
    h.key(pygame.K_1)
    h.key(pygame.K_DOWN)  # again
    h.key(pygame.K_UP)  # back to help
    h.key(pygame.K_UP)  # round to the last: shrug (the arrows stay among the answers while one waits)
    assert play.pending[0] == "shrug" and play.focus.current is play.choice_buttons[2]
    h.frames(16, dt=0.25)
    assert play.conversation.choice_log == ["ask", "shrug"]


def test_with_the_highlight_on_the_toolbar_enter_presses_that_button_and_the_hint_says_so(harness):
    h = harness()
    to_middle(h)
    play = h.scene
    h.key(pygame.K_2)  # again
    h.key(pygame.K_TAB)  # Tab onto the next answer: it waits instead
    assert play.pending[0] == "shrug"
    h.key(pygame.K_TAB)  # and on, to the toolbar: the answer still waits
    assert play.focus.current is next(b for b in play.toolbar if b.label == "History")
    assert play.pending[0] == "shrug"
    shown = play._hints()[0]
    assert "Answer 3 chosen" in shown and "Backspace or Esc changes it" in shown and "Enter" not in shown
    h.key(pygame.K_RETURN)  # the history opens; the answer is not said
    assert play.backlog is not None and play.pending[0] == "shrug" and play.conversation.turn == 1
    h.key(pygame.K_ESCAPE)
    h.key(pygame.K_DOWN)  # back to the waiting answer
    assert play.focus.current.data.id == "shrug"
    assert "Enter confirms it now" in play._hints()[0]
    h.key(pygame.K_RETURN)
    assert play.conversation.choice_log == ["ask", "shrug"]


# -- 2. a double click to hurry the text says nothing --------------------------------------------------------
def test_a_double_click_to_hurry_the_text_does_not_say_the_answer_under_it(harness):
    h = harness(speed="normal", scenario_sources=[SCENARIOS])
    h.start(SALARY_DAY, mode="practice", seed=1)
    h.finish_typing()
    first = h.scene.choice_buttons[0]
    spot = first.rect.center  # where the first answer shows once the first line is said
    h.app.end_session()
    h.app.go("to_menu")
    h.start(SALARY_DAY, mode="practice", seed=1)  # the same session again, the line typing
    play = h.scene
    assert play.typing and not any(b.hit(spot) for b in play.choice_buttons)
    h.click(spot)  # the first click of a double click shows the whole line...
    assert not play.typing and play.choice_buttons[0].hit(spot)
    h.click(spot)  # ...and the second, a frame later, lands on the answer that just appeared
    assert not play.conversation.history
    h.frames(1, dt=0.3)  # a moment to read: now a click answers
    h.click(spot)
    assert play.conversation.choice_log == [first.data.id]


def test_a_press_before_the_answers_showed_does_not_answer(harness):
    h = harness(speed="normal")
    h.start(MINI, mode="practice")
    play = h.scene
    typed_out(h)
    target = play.choice_buttons[0].rect.center
    play._answers_at = h.app.clock_time  # the answers appear in this very frame
    h.click(target)
    assert play.conversation.turn == 0
    h.frames(1, dt=0.1)
    h.click(target)
    assert play.conversation.turn == 1


def test_a_click_at_once_after_the_click_that_said_an_answer_does_not_say_another(harness):
    h = harness(speed="instant")  # the next line and its answers show at once
    h.start(MINI, mode="practice")
    play = h.scene
    assert not play.typing
    h.click(play.choice_buttons[0].rect.center)  # ask
    assert play.conversation.choice_log == ["ask"]
    h.click(play.choice_buttons[0].rect.center)  # a frame later: the second click of a double click
    assert play.conversation.choice_log == ["ask"]
    h.frames(1, dt=0.3)
    h.click(play.choice_buttons[0].rect.center)
    assert play.conversation.choice_log == ["ask", "help"]


# -- 3. the coach's note open by default -------------------------------------------------------------------
@pytest.mark.parametrize("size,scale", [((800, 600), 100), ((1280, 720), 200)])
def test_the_coachs_note_is_open_by_default(harness, size, scale):
    h = harness(size=size, scale=scale, scenario_sources=[SCENARIOS])
    h.start(SMALL_PRINT, mode="practice", seed=4)
    play = h.scene
    notes = 0
    while not play.conversation.ended and play.conversation.turn < 12:
        h.answer(2 if play.conversation.turn % 2 else 1)
        h.frames(2)
        coach = play._blocks["coach"]
        if coach is not None:
            notes += 1
            assert coach[4] is True, f"folded at turn {play.conversation.turn}"
        typed_out(h)
    assert notes >= 3


@pytest.mark.parametrize("lang,words", [("en", "this hurt the conversation"), ("fi", "tästä oli haittaa")])
def test_a_note_folded_for_want_of_room_still_says_in_words_that_it_hurt(harness, monkeypatch, lang, words):
    h = harness(size=(800, 600), scale=200, lang=lang, scenario_sources=[SCENARIOS])
    h.start(SMALL_PRINT, mode="practice", seed=4)
    play = h.scene
    h.answer(harmful_first_answer(play))
    h.frames(2)
    note = play._blocks["coach"]
    assert note is not None and note[2] == "harm"
    if note[4]:
        pytest.skip("the note fits open at this size now")
    column = play._blocks["column"]
    rect = note[3].move(column.x, column.y - play.scroller.offset)
    assert rect.height < column.height
    drawn = []
    original = h.app.ui.text.draw

    def spy(target, text, *args, **kwargs):
        drawn.append(text)
        return original(target, text, *args, **kwargs)

    monkeypatch.setattr(h.app.ui.text, "draw", spy)
    play.draw(h.app.canvas)
    assert words in " ".join(drawn)  # in words, not only the mark and the colour
    h.key(pygame.K_c)  # opened: the view goes to it
    h.frames(1)
    note = play._blocks["coach"]
    top = note[3].top + column.y - play.scroller.offset
    assert note[4] is True and column.top <= top < column.bottom


@pytest.mark.parametrize("size,scale", [((1280, 720), 200), ((800, 600), 150)])
def test_the_line_being_said_stays_in_view_below_an_open_note(harness, size, scale):
    h = harness(size=size, scale=scale, speed="normal", scenario_sources=[SCENARIOS])
    h.start(SMALL_PRINT, mode="practice", seed=4)
    play = h.scene
    line_height = h.app.ui.fonts.line_height("line")
    for _turn in range(3):
        h.answer(2 if play.conversation.turn % 2 else 1)
        assert play._blocks["coach"][4] is True
        while play.typing:
            h.frames(3)
            if not play.typing:
                break
            column = play._blocks["column"]
            text, top = play._blocks["line"]
            inner = max(40, column.width - h.app.ui.s(14) - 14)
            row = h.app.ui.text.paragraph(text, "line", h.app.ui.theme.text, inner).row_of(int(play.typed))
            y = column.y - play.scroller.offset + top + row * line_height
            assert column.top <= y and y + line_height <= column.bottom, "the words being said are out of view"


# -- 4. the portrait keeps its width -----------------------------------------------------------------------
@pytest.mark.parametrize("size", [(800, 600), (1024, 640), (1280, 720)])
def test_the_portrait_keeps_its_size_over_a_whole_path(harness, size):
    h = harness(size=size, scenario_sources=[SCENARIOS])
    h.start(SMALL_PRINT, mode="practice", seed=4, brief=True)
    play = h.scene
    h.frames(1)
    first = pygame.Rect(play._blocks["portrait"])  # from the briefing on
    h.key(pygame.K_RETURN)
    while not play.conversation.ended:
        h.finish_typing()
        h.frames(2)
        assert play._blocks["portrait"] == first, f"turn {play.conversation.turn}"
        h.answer(2 if play.conversation.turn % 2 else 1)
    assert play.conversation.turn >= 4


def test_the_portrait_is_chosen_again_on_resizing_and_a_new_text_size(harness):
    h = harness(size=(1280, 720), scenario_sources=[SCENARIOS])
    h.start(SMALL_PRINT, mode="practice", seed=4)
    play = h.scene
    h.finish_typing()
    big = pygame.Rect(play._blocks["portrait"])
    h.resize((1000, 700))
    smaller = pygame.Rect(play._blocks["portrait"])
    assert smaller != big and smaller.right < h.app.size[0] // 2
    h.answer(1)
    h.finish_typing()
    assert play._blocks["portrait"] == smaller
    h.key(pygame.K_EQUALS, mod=pygame.KMOD_CTRL)  # larger text: chosen again, then kept
    h.finish_typing()
    larger_text = pygame.Rect(play._blocks["portrait"])
    h.answer(1)
    h.finish_typing()
    assert play._blocks["portrait"] == larger_text


# -- 5. once the line is said, the answers are in view -----------------------------------------------------
@pytest.mark.parametrize("size,scale", [((1280, 720), 100), ((800, 600), 100), ((1280, 720), 200)])
def test_once_typing_ends_the_answers_are_in_the_text_column(harness, size, scale):
    h = harness(size=size, scale=scale, scenario_sources=[SCENARIOS])
    h.start(SMALL_PRINT, mode="practice", seed=4)
    play = h.scene
    ui = h.app.ui
    checked = 0
    while not play.conversation.ended:
        if play.conversation.turn % 2:
            typed_out(h)  # the line ends by itself
        else:
            h.finish_typing()  # or hurried
            h.frames(2)
        blocks = play._blocks
        column = blocks["column"]
        buttons = play.choice_buttons
        assert buttons and all(b.visible for b in buttons)
        if blocks["you"] is not None and blocks["coach"] is not None:  # the echoed answer and the note above
            assert blocks["coach"][4] is True  # open, as it is by default
            checked += 1
        turn = play.conversation.turn
        assert inside(buttons[0].rect, column), f"turn {turn}: the first answer is out of view"
        together = buttons[-1].rect.bottom - buttons[0].rect.top
        if together + 2 * ui.s(12) <= column.height:
            assert all(inside(b.rect, column) for b in buttons), f"turn {turn}: the answers fit, but not all show"
        h.answer(2 if turn % 2 else 1)
    assert checked >= 3
