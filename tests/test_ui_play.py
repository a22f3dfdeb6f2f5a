"""The pygame game driven by synthetic key and mouse events: whole playthroughs, take-backs, history, pause.

Headless: SDL's dummy video and audio drivers. Each test gets its own KUULE_HOME,
so settings and session logs go to a temporary folder.
"""

import json
import os
import shutil
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # noqa: E402
import pytest  # noqa: E402


FIXTURES = Path(__file__).parent / "fixtures"
SCREENS = Path(__file__).parent / "output" / "screens"
MINI = FIXTURES / "mini.yaml"
SMALL_PRINT = Path(__file__).parent.parent / "scenarios" / "small_print.yaml"

# mini.yaml (choices not shuffled): start 1=ask 2=lecture; middle 1=help 2=again 3=shrug
ENDINGS = {"good": [1, 1], "bad": [1, 3], "left": [2]}


@pytest.fixture
def harness(windows):
    def make(size=(1280, 720), **options):
        options.setdefault("scenario_sources", [FIXTURES])
        h = windows(size=size, **options)
        return h

    return make


def trainer(h):
    from dataclasses import replace
    h.app.apply_settings(replace(h.app.settings, trainer_tools=True), save=False)


def fast(h):
    from dataclasses import replace
    h.app.apply_settings(replace(h.app.settings, text_speed="fast"), save=False)


def session_logs(home):
    folder = home / "data" / "sessions"
    return sorted(folder.glob("*.jsonl")) if folder.is_dir() else []


def last_record(path):
    return json.loads(path.read_text(encoding="utf-8").splitlines()[-1])


# -- whole playthroughs ---------------------------------------------------------------------------------
@pytest.mark.parametrize("mode", ["practice", "assessment"])
@pytest.mark.parametrize("lang", ["en", "fi"])
@pytest.mark.parametrize("ending", sorted(ENDINGS))
def test_playthrough_to_each_ending(harness, home, mode, lang, ending):
    h = harness(lang=lang)
    fast(h)
    h.start(MINI, mode=mode)
    assert h.screen == "play"
    play = h.scene
    for number in ENDINGS[ending]:
        h.answer(number)
        if mode == "practice" and not play.conversation.ended:
            assert play._blocks["you"] is not None
    assert play.conversation.ended
    assert play.conversation.result.outcome == ending
    h.finish_typing()
    assert play.debrief_button.visible
    h.key(pygame.K_RETURN)  # focus is on "See how it went"
    assert h.screen == "debrief"
    debrief = h.scene
    assert debrief.debrief.result.outcome == ending
    h.screenshot(SCREENS / "flows" / f"debrief-{ending}-{mode}-{lang}.png")
    # the log was written and finished
    logs = session_logs(home)
    assert len(logs) == 1
    assert last_record(logs[0])["kind"] == "end"
    # through the customer's eyes, to the last moment and back
    h.key(pygame.K_RETURN)  # focus starts on "Through the customer's eyes"
    assert h.screen == "replay"
    replay = h.scene
    for _ in range(replay.total + 2):
        h.key(pygame.K_RIGHT)
        h.frames(3, dt=0.5)  # the face reacts after a moment
    assert replay.index == replay.total - 1
    h.key(pygame.K_ESCAPE)
    assert h.screen == "debrief"
    h.click_widget(debrief.menu)
    assert h.screen == "menu"


def test_playthrough_with_the_mouse_only(harness):
    h = harness()
    fast(h)
    h.start(MINI, mode="assessment")
    play = h.scene
    h.click((700, 300))  # a click completes the line being typed
    assert not play.typing
    h.frames(1, dt=0.3)  # a moment to read: a click at once after it would be a double click, and not answer
    h.click_widget(play.choice_buttons[0])  # ask: chosen, and it counts once the moment to change it is over
    assert play.conversation.turn == 0 and play.pending is not None
    h.frames(14, dt=0.25)
    assert play.conversation.turn == 1
    h.click((700, 300))
    h.frames(1, dt=0.3)
    h.click_widget(play.choice_buttons[0])  # help
    h.click_widget(play.choice_buttons[0])  # clicked again: it counts at once
    assert play.conversation.ended
    h.click((700, 300))
    h.frames(1, dt=0.3)
    h.click_widget(play.debrief_button)
    assert h.screen == "debrief"
    assert h.scene.debrief.result.outcome == "good"
    h.click_widget(h.scene.again)  # try again: a fresh session of the same scenario
    assert h.screen == "play" and h.scene.conversation.turn == 0


def test_arrows_and_enter_answer_and_greyed_choices_are_skipped(harness):
    h = harness()
    fast(h)
    h.start(MINI)
    h.finish_typing()
    play = h.scene
    assert play.focus.current is None  # nothing highlighted until the player moves
    h.key(pygame.K_DOWN)
    assert play.focus.current is play.choice_buttons[0]
    h.key(pygame.K_DOWN)
    assert play.focus.current is play.choice_buttons[1]
    h.key(pygame.K_UP)
    h.key(pygame.K_RETURN)  # ask
    assert play.conversation.node.id == "middle"
    h.finish_typing()
    h.key(pygame.K_2)  # again (once only)
    h.finish_typing()
    assert [b.data.id for b in play.choice_buttons] == ["help", "shrug"]


def test_unavailable_choice_is_greyed_and_refused(harness, tmp_path):
    scenario = tmp_path / "greyed.yaml"
    text = MINI.read_text(encoding="utf-8").replace("# yaml-language-server: $schema=../../scenarios/scenario.schema.json\n", "")
    text = text.replace("distress >= 90", "distress >= 99")  # lecturing no longer makes her walk out
    scenario.write_text(text, encoding="utf-8")
    h = harness()
    fast(h)
    h.start(scenario)
    h.answer(2)  # lecture: 'help' needs 'asked'
    play = h.scene
    h.finish_typing()
    help_button = play.choice_buttons[0]
    assert help_button.data.id == "help" and not help_button.enabled and help_button.note
    assert play.focus.current is not help_button
    h.key(pygame.K_1)
    assert play.conversation.node.id == "middle"
    assert any("not possible" in text for text in h.app.notice_log)
    h.click_widget(help_button)
    assert play.conversation.node.id == "middle"


def test_typing_waits_for_the_line_and_a_key_completes_it(harness):
    h = harness()
    h.start(MINI)
    play = h.scene
    assert play.typing
    h.key(pygame.K_1)  # completes the line; does not answer
    assert not play.typing and play.conversation.turn == 0
    h.key(pygame.K_1)
    assert play.conversation.turn == 1
    assert play.typing  # the next line types out
    h.frames(20, dt=0.25)
    assert not play.typing


def test_a_double_tap_to_skip_the_text_does_not_answer(harness):
    h = harness()
    h.start(MINI)
    play = h.scene
    h.key(pygame.K_SPACE)  # shows the whole line
    h.key(pygame.K_SPACE)  # at once again: ignored
    h.key(pygame.K_RETURN)
    assert play.conversation.turn == 0
    for key in (pygame.K_RETURN, pygame.K_SPACE, pygame.K_KP_ENTER, pygame.K_RETURN):  # hurrying, a moment later
        h.frames(1, dt=0.3)
        h.key(key)
    assert play.conversation.turn == 0  # keys that hurry the text never answer
    h.key(pygame.K_DOWN)  # the player moves to an answer: now Enter says it
    h.key(pygame.K_RETURN)
    assert play.conversation.turn == 1


def test_instant_text_speed(harness):
    from dataclasses import replace
    h = harness()
    h.app.apply_settings(replace(h.app.settings, text_speed="instant"))
    h.start(MINI)
    assert not h.scene.typing


# -- practice and assessment ----------------------------------------------------------------------------
def test_practice_coach_note_and_take_back(harness, home):
    h = harness()
    fast(h)
    h.start(MINI, mode="practice")
    play = h.scene
    h.answer(1)  # ask: feedback "Good."
    assert play._blocks["coach"] is not None and play._blocks["coach"][0] == "Good."
    take_back = next(b for b in play.toolbar if b.label == "Take back")
    assert take_back.enabled
    h.key(pygame.K_BACKSPACE)
    assert play.conversation.turn == 0 and play.conversation.node.id == "start"
    assert any("taken back" in text for text in h.app.notice_log)
    h.answer(2)  # another answer after taking back: lecture, she walks out
    assert play.conversation.ended and play.conversation.result.outcome == "left"
    records = [json.loads(line)["kind"] for line in session_logs(home)[0].read_text(encoding="utf-8").splitlines()]
    assert "rollback" in records


def test_take_back_button_by_mouse(harness):
    h = harness()
    fast(h)
    h.start(MINI)
    h.answer(1)
    play = h.scene
    h.finish_typing()
    take_back = next(b for b in play.toolbar if b.label == "Take back")
    h.click_widget(take_back)
    assert play.conversation.turn == 0


def test_assessment_has_no_notes_and_no_take_back(harness):
    h = harness()
    fast(h)
    h.start(MINI, mode="assessment")
    play = h.scene
    h.answer(1)
    assert play._blocks["coach"] is None
    assert all(b.label != "Take back" for b in play.toolbar)
    h.key(pygame.K_BACKSPACE)
    assert play.conversation.turn == 1
    assert any("cannot be taken back" in text for text in h.app.notice_log)


def test_no_mood_numbers_in_assessment(harness, monkeypatch):
    """Nothing drawn in an assessment may contain the customer's mood values."""
    h = harness()
    fast(h)
    h.start(MINI, mode="assessment")
    h.finish_typing()
    drawn = []
    original = h.app.ui.text.draw

    def spy(target, text, *args, **kwargs):
        drawn.append(text)
        return original(target, text, *args, **kwargs)

    monkeypatch.setattr(h.app.ui.text, "draw", spy)
    h.frames(2)
    mood = h.scene.conversation.mood
    text = " ".join(drawn)
    assert "trust" not in text.lower() and "distress" not in text.lower()
    for value in {mood.trust, mood.distress}:
        assert f" {value}" not in f" {text} ".replace(".", " ")


# -- history, pause, settings ---------------------------------------------------------------------------
def test_history_on_a_key_and_the_wheel(harness):
    h = harness()
    fast(h)
    h.start(MINI)
    h.answer(1)
    play = h.scene
    h.key(pygame.K_h)
    assert play.backlog is not None
    texts = [b.get("text", "") for b in play.backlog.flow.blocks]
    assert any("This kettle is broken." in t for t in texts)
    assert any("Tell me what happened?" in t for t in texts)
    h.key(pygame.K_ESCAPE)
    assert play.backlog is None and h.screen == "play"
    h.wheel(1)
    assert play.backlog is not None
    h.key(pygame.K_h)
    assert play.backlog is None


def test_pause_resume_settings_and_quit_to_menu_then_resume(harness, home):
    h = harness()
    fast(h)
    h.start(MINI)
    h.answer(1)
    h.key(pygame.K_ESCAPE)
    assert h.screen == "pause"
    h.key(pygame.K_ESCAPE)
    assert h.screen == "play"
    h.key(pygame.K_ESCAPE)
    pause = h.scene
    assert [b.label for b in pause.buttons] == ["Resume", "The conversation so far", "Take back your last answer",
                                                "Settings", "Quit to the menu"]
    h.click_widget(pause.settings)
    assert h.screen == "settings"
    h.key(pygame.K_ESCAPE)
    assert h.screen == "pause"
    h.click_widget(h.scene.quit)
    assert h.screen == "menu"
    assert last_record(session_logs(home)[0])["kind"] != "end"
    menu = h.scene
    h.frames(3)  # the menu looks for unfinished sessions after its first frame, in the background
    h.wait()
    assert menu.resume_buttons, "the unfinished session is offered"
    h.click_widget(menu.resume_buttons[0])
    assert h.screen == "play"
    play = h.scene
    assert play.conversation.node.id == "middle" and play.conversation.choice_log == ["ask"]
    h.answer(1)
    assert play.conversation.ended


def test_pause_menu_offers_history_and_take_back(harness):
    h = harness()
    fast(h)
    h.start(MINI)
    h.answer(1)
    h.key(pygame.K_ESCAPE)
    h.click_widget(h.scene.history)
    assert h.screen == "play" and h.scene.backlog is not None
    h.key(pygame.K_ESCAPE)
    h.key(pygame.K_ESCAPE)
    h.click_widget(h.scene.take_back)
    assert h.screen == "play" and h.scene.conversation.turn == 0


def test_discarding_an_unfinished_session(harness):
    h = harness()
    fast(h)
    h.start(MINI)
    h.answer(1)
    h.key(pygame.K_ESCAPE)
    h.click_widget(h.scene.quit)
    h.frames(3)
    h.wait()
    h.wait()
    menu = h.scene
    assert menu.discard_buttons
    h.click_widget(menu.discard_buttons[0])
    assert not menu.resume_buttons


def test_menu_name_entry_with_finnish_letters_and_language(harness, home):
    h = harness()
    menu = h.scene
    assert menu.focus.current is menu.name_field
    h.type_text("Äijälä Åsa Öhman")
    h.key(pygame.K_BACKSPACE)
    assert h.app.trainee == "Äijälä Åsa Öhma"
    h.key(pygame.K_h)  # a letter typed into the field must not trigger anything else
    h.key(pygame.K_TAB)
    assert menu.focus.current is menu.language
    h.key(pygame.K_RIGHT)
    assert h.app.lang == "fi"
    assert menu.choose.label == "Valitse skenaario"
    saved = json.loads((home / "config" / "settings.json").read_text(encoding="utf-8"))
    assert saved["language"] == "fi"
    h.key(pygame.K_TAB)  # the own-words switch
    assert menu.focus.current is menu.own_words
    h.key(pygame.K_TAB)
    h.key(pygame.K_RETURN)
    assert h.screen == "picker"
    assert json.loads((home / "config" / "settings.json").read_text(encoding="utf-8"))["trainee"] == "Äijälä Åsa Öhma"


def test_menu_asks_for_a_name_first(harness):
    h = harness()
    menu = h.scene
    h.click_widget(menu.choose)
    assert h.screen == "menu" and menu.focus.current is menu.name_field


def test_picker_lists_scenarios_with_stats_and_starts_in_the_chosen_mode(harness, tmp_path, home):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    shutil.copy(MINI, folder / "mini.yaml")
    (folder / "broken.yaml").write_text("format: 1\nid: broken\nnodes: [\n", encoding="utf-8")
    h = harness(scenario_sources=[folder])
    h.app.trainee = "Aino"
    h.app.go("pick_scenario")
    h.wait()  # the files are loaded and checked in the background
    picker = h.scene
    assert [c.entry.ok for c in picker.cards] == [True, False]
    broken = picker.cards[1]
    assert "Cannot be played" in broken._texts()[2]
    h.click_widget(broken)
    assert picker.overlay is not None and h.screen == "picker"
    h.key(pygame.K_ESCAPE)
    assert picker.overlay is None
    h.key(pygame.K_m)
    assert h.app.mode == "assessment"
    picker.focus.focus(picker.cards[0])
    h.key(pygame.K_RETURN)
    assert h.screen == "play" and h.scene.mode == "assessment" and h.scene.briefing
    h.key(pygame.K_RETURN)  # past the briefing
    fast(h)
    h.answer(1)
    h.answer(1)
    h.finish_typing()
    h.key(pygame.K_RETURN)
    h.click_widget(h.scene.menu)
    h.app.go("pick_scenario")
    h.wait()
    card = h.scene.cards[0]
    assert card.stats["assessment"].attempts == 1 and "practice" not in card.stats
    assert "100%" in card._texts()[3] and "assessment" in card._texts()[3]


def test_practice_and_unfinished_sessions_are_not_an_assessment_best(harness, tmp_path, home):
    """'Your best' comes from finished assessments only: practice (with its take-backs) is counted apart,
    and a session left unfinished is not an attempt."""
    folder = tmp_path / "scenarios"
    folder.mkdir()
    shutil.copy(MINI, folder / "mini.yaml")
    h = harness(scenario_sources=[folder])
    fast(h)
    h.start(folder / "mini.yaml", mode="practice", trainee="Aino")
    for number in ENDINGS["good"]:
        h.answer(number)
    h.finish_typing()
    h.key(pygame.K_RETURN)  # the debrief: a finished practice session
    h.app.go("to_menu")
    h.start(folder / "mini.yaml", mode="assessment", trainee="Aino")
    h.answer(1)  # an assessment left unfinished
    h.app.end_session()
    h.app.go("to_menu")
    h.app.trainee = "Aino"
    h.app.mode = "assessment"
    h.app.go("pick_scenario")
    h.wait()
    card = h.scene.cards[0]
    assert "assessment" not in card.stats and card.stats["practice"].attempts == 1
    assert card._texts()[3] == "No assessment finished yet"
    h.key(pygame.K_m)  # practice: its own record
    assert "Practised once" in h.scene.cards[0]._texts()[3]


def test_settings_screen_by_keyboard_saves_and_reflows(harness, home):
    h = harness()
    h.app.go("open_settings")
    settings = h.scene
    assert settings.focus.current is settings.speed
    h.key(pygame.K_RIGHT)  # normal -> fast
    assert h.app.settings.text_speed == "fast"
    h.key(pygame.K_DOWN)
    before = h.app.ui.fonts.px("body")
    h.key(pygame.K_RIGHT)  # 100 % -> 125 %
    assert h.app.settings.font_scale == 125 and h.app.ui.fonts.px("body") > before
    h.key(pygame.K_DOWN)
    h.key(pygame.K_RETURN)  # high contrast on
    assert h.app.ui.theme.name == "high_contrast"
    h.key(pygame.K_DOWN)
    h.key(pygame.K_RIGHT)  # full screen
    assert h.app.fullscreen and h.app.settings.fullscreen
    h.key(pygame.K_F11)
    assert not h.app.fullscreen
    h.key(pygame.K_DOWN)
    h.key(pygame.K_RIGHT)  # language
    assert h.app.lang == "fi"
    saved = json.loads((home / "config" / "settings.json").read_text(encoding="utf-8"))
    assert saved["text_speed"] == "fast" and saved["font_scale"] == 125 and saved["high_contrast"] is True
    assert saved["language"] == "fi"
    h.key(pygame.K_ESCAPE)
    assert h.screen == "menu"


def test_ctrl_plus_and_minus_change_the_text_size(harness):
    h = harness()
    h.key(pygame.K_EQUALS, mod=pygame.KMOD_LCTRL)
    assert h.app.settings.font_scale == 125
    h.key(pygame.K_MINUS, mod=pygame.KMOD_LCTRL)
    assert h.app.settings.font_scale == 100


def test_window_close_keeps_the_session_resumable(harness, home):
    h = harness()
    fast(h)
    h.start(MINI)
    h.answer(1)
    h.post(pygame.QUIT)
    h.frames(1)
    assert not h.app.running
    h.app.shutdown()
    from game.session.resume import unfinished_sessions

    assert [u.choices for u in unfinished_sessions()] == [["ask"]]


def test_command_line_scenario_starts_play_directly(harness):
    h = harness(scenario=str(MINI), trainee="Aino", mode="assessment", seed=3)
    assert h.screen == "play"
    play = h.scene
    assert play.mode == "assessment" and play.session.seed == 3 and play.session.trainee == "Aino"


def test_small_print_plays_in_both_languages(harness):
    if not SMALL_PRINT.is_file():
        pytest.skip("scenarios/small_print.yaml is not there yet")
    for lang in ("en", "fi"):
        h = harness(lang=lang)
        fast(h)
        h.start(SMALL_PRINT, mode="practice", seed=5)
        play = h.scene
        for _ in range(60):
            if play.conversation.ended:
                break
            h.finish_typing()
            h.key(pygame.K_1)
            if not play.conversation.ended and play.conversation.turn == 0:
                break
        assert play.conversation.ended
        h.finish_typing()
        h.key(pygame.K_RETURN)
        assert h.screen == "debrief"
        h.close()


# -- hot reload -------------------------------------------------------------------------------------------
def copy_mini(tmp_path) -> Path:
    target = tmp_path / "edit" / "mini.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    text = MINI.read_text(encoding="utf-8").replace("$schema=../../scenarios/", "$schema=../../../scenarios/")
    target.write_text(text, encoding="utf-8")
    return target


def test_hot_reload_with_a_valid_edit_returns_to_the_same_point(harness, tmp_path, home):
    path = copy_mini(tmp_path)
    h = harness()
    fast(h)
    trainer(h)
    h.start(path)
    h.answer(1)
    play = h.scene
    old = play.conversation
    path.write_text(path.read_text(encoding="utf-8").replace('"So can you help?"', '"So, can you help me?"'),
                    encoding="utf-8")
    h.key(pygame.K_F5)
    h.wait()  # loading and checking happen in the background
    assert play.overlay is None
    assert play.conversation is not old
    assert play.conversation.choice_log == ["ask"] and play.conversation.node.id == "middle"
    assert play.conversation.line.text["en"] == "So, can you help me?"
    assert any("reloaded" in text for text in h.app.notice_log)
    h.answer(1)  # the session log keeps listening to the new conversation
    assert play.conversation.ended
    h.finish_typing()
    h.key(pygame.K_RETURN)
    assert last_record(session_logs(home)[0])["kind"] == "end"


@pytest.mark.parametrize("lang,said", [("en", "Scenario reloaded from disk; 1 answer replayed to return to this point."),
                                       ("fi", "Skenaario ladattiin uudelleen levyltä; 1 vastaus toistettiin, jotta "
                                              "palattiin tähän kohtaan.")])
def test_a_hot_reload_after_one_answer_says_so_in_the_singular(harness, tmp_path, lang, said):
    path = copy_mini(tmp_path)
    h = harness(lang=lang)
    fast(h)
    trainer(h)
    h.start(path)
    h.answer(1)
    h.app.notice_log.clear()
    h.key(pygame.K_F5)
    h.wait()
    assert h.scene.conversation.choice_log == ["ask"]
    assert said in h.app.notice_log
    assert not any("1 answers" in text or "1 vastausta" in text for text in h.app.notice_log)


def test_a_hot_reloaded_session_is_resumed_replayed_and_reported_as_the_edited_version(harness, tmp_path, home):
    """After F5 the answers belong to the edited scenario: the log says so, and a crash, a coach's replay
    the report and xAPI all use that version, even once the file has been edited again."""
    from game.commands.replay import Recording, find_scenario
    from game.report.collect import Filters, collect
    from game.scenario.loader import load_scenario
    from game.session.resume import read_unfinished, restore
    from game.session.verify import verify_log
    from game.xapi.statements import EXT, statements_for_log

    path = copy_mini(tmp_path)
    h = harness()
    fast(h)
    trainer(h)
    h.start(path)
    h.answer(1)
    path.write_text(path.read_text(encoding="utf-8").replace('"So can you help?"', '"So, can you help me?"'),
                    encoding="utf-8")
    h.key(pygame.K_F5)
    h.wait()
    edited = load_scenario(path).playable
    [log] = session_logs(home)
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert [r["content_hash"] for r in records if r["kind"] == "reloaded"] == [edited.content_hash]
    assert records[0]["content_hash"] != edited.content_hash
    unfinished = read_unfinished(log)  # as if the game had crashed here
    assert unfinished.content_hash == edited.content_hash
    assert restore(unfinished, edited).node.id == "middle"

    h.answer(1)
    h.finish_typing()
    h.key(pygame.K_RETURN)
    path.write_text(path.read_text(encoding="utf-8").replace('"So, can you help me?"', '"Well?"'), encoding="utf-8")
    assert verify_log(log).ok
    scenario, _where = find_scenario(log, Recording(log).header, "en")  # from the snapshot kept at the reload
    assert scenario.content_hash == edited.content_hash
    cohort = collect([log.parent], Filters(all_modes=True))
    assert [s.content_hash for s in cohort.sessions] == [edited.content_hash]
    statements = statements_for_log(log)
    assert {s["context"]["extensions"][EXT["content-hash"]] for s in statements} == {edited.content_hash}


def test_hot_reload_with_an_invalid_edit_keeps_the_old_version(harness, tmp_path):
    path = copy_mini(tmp_path)
    h = harness()
    fast(h)
    trainer(h)
    h.start(path)
    h.answer(1)
    play = h.scene
    old = play.conversation
    path.write_text(path.read_text(encoding="utf-8").replace("goto: good", "goto: goood"), encoding="utf-8")
    h.key(pygame.K_F5)
    h.wait()  # loading and checking happen in the background
    assert play.overlay is not None and play.overlay.tone == "error"
    assert any("goood" in line for line in play.overlay.body)
    h.screenshot(SCREENS / "flows" / "reload-invalid.png")
    assert play.conversation is old
    h.key(pygame.K_ESCAPE)
    assert play.overlay is None and h.screen == "play"
    h.answer(1)
    assert play.conversation.ended and play.conversation.result.outcome == "good"


def test_hot_reload_when_the_answers_no_longer_fit(harness, tmp_path):
    path = copy_mini(tmp_path)
    h = harness()
    fast(h)
    trainer(h)
    h.start(path)
    h.answer(1)
    play = h.scene
    old = play.conversation
    text = path.read_text(encoding="utf-8").replace("- id: ask", "- id: ask_open")
    path.write_text(text, encoding="utf-8")
    h.key(pygame.K_F5)
    h.wait()  # loading and checking happen in the background
    assert play.overlay is not None and play.conversation is old
    h.key(pygame.K_RETURN)
    assert play.overlay is None


def test_hot_reload_of_a_deleted_file(harness, tmp_path):
    path = copy_mini(tmp_path)
    h = harness()
    fast(h)
    trainer(h)
    h.start(path)
    path.unlink()
    h.key(pygame.K_F5)
    h.wait()  # loading and checking happen in the background
    assert h.scene.overlay is not None and h.screen == "play"


def test_the_history_closes_with_the_wheel_past_its_end_and_an_answer_key_answers(harness):
    h = harness()
    fast(h)
    h.start(MINI, mode="assessment")
    h.finish_typing()
    play = h.scene
    h.wheel(1)  # up at the top: the history
    assert play.backlog is not None
    h.wheel(-1)  # down past its end: back
    assert play.backlog is None
    h.key(pygame.K_h)
    h.key(pygame.K_2)  # a number key: the history closes and the answer is chosen
    assert play.backlog is None and play.pending is not None and play.pending[0] == "lecture"


def test_an_answer_counted_when_its_moment_is_over_redraws_the_whole_screen(harness):
    """No event comes when an assessment answer counts by itself: the next frame must still be drawn whole,
    not the new line typed over the old one."""
    h = harness()
    h.start(MINI, mode="assessment")
    h.finish_typing()
    play = h.scene
    h.key(pygame.K_1)
    h.app.notices.clear()  # (a notice showing makes every frame whole)
    h.frames(1)
    for _ in range(40):
        h.frames(1, dt=0.1)
        if play.conversation.turn == 1:
            break
    assert play.conversation.turn == 1 and play.typing  # the frame the answer counted in
    after = pygame.Surface(h.app.canvas.get_size())
    after.blit(h.app.canvas, (0, 0))
    fresh = pygame.Surface(h.app.canvas.get_size())
    play.draw(fresh)
    column = play._blocks["column"]
    differ = sum(1 for x in range(column.x, column.right, 7) for y in range(column.y, column.bottom, 7)
                 if after.get_at((x, y)) != fresh.get_at((x, y)))
    assert differ < 40  # what shows is what a whole redraw shows (the typing moved on by a frame at most)


# -- what the trainee is shown, by mode and role -----------------------------------------------------------
def greyed_mini(tmp_path):
    scenario = tmp_path / "greyed.yaml"
    text = MINI.read_text(encoding="utf-8").replace("# yaml-language-server: $schema=../../scenarios/scenario.schema.json\n", "")
    scenario.write_text(text.replace("distress >= 90", "distress >= 99"), encoding="utf-8")
    return scenario


def test_an_assessment_lists_only_the_answers_possible_now_numbered_from_one(harness, tmp_path):
    h = harness()
    fast(h)
    h.start(greyed_mini(tmp_path), mode="assessment")
    h.answer(2)  # lecture: 'help' needs 'asked', so it is not offered
    play = h.scene
    h.finish_typing()
    assert [b.data.id for b in play.choice_buttons] == ["again", "shrug"]
    assert [b.badge for b in play.choice_buttons] == ["1", "2"] and all(b.enabled and not b.note for b in play.choice_buttons)
    h.answer(1)
    assert play.conversation.choice_log == ["lecture", "again"]


def hints(h):
    return h.scene._hints()[0]


def test_the_hint_bar_names_the_keys_of_this_screen_for_this_player(harness):
    h = harness()
    fast(h)
    h.start(MINI, mode="practice", brief=True)
    assert "begins" in hints(h) and "1–9" not in hints(h)
    h.key(pygame.K_RETURN)
    assert "any key" in hints(h)
    h.finish_typing()
    shown = hints(h)
    assert "1–9" in shown and "M mood hint" in shown and "F5" not in shown and "Backspace" not in shown  # nothing to take back
    h.answer(1)
    h.finish_typing()
    assert "Backspace takes back" in hints(h) and "C coach's note" in hints(h)
    trainer(h)
    h.frames(1)
    assert "F5 reload" in hints(h)
    h.answer(1)
    h.finish_typing()
    assert h.scene.conversation.ended
    final = hints(h)
    assert "see how it went" in final and "1–9" not in final and "Backspace" not in final and "M mood" not in final


def test_assessment_hints_have_no_take_back_and_no_mood_hint(harness):
    h = harness()
    fast(h)
    h.start(MINI, mode="assessment")
    h.finish_typing()
    shown = hints(h)
    assert "Backspace" not in shown and "mood" not in shown and "coach" not in shown and "F5" not in shown
    h.key(pygame.K_m)  # no hint to switch on in an assessment
    assert h.scene._mood_words() == "" and not h.app.settings.mood_hint


def test_the_mood_hint_is_off_until_the_player_asks_for_it(harness):
    h = harness()
    fast(h)
    h.start(MINI, mode="practice")
    h.finish_typing()
    play = h.scene
    assert play._mood_words() == ""
    portrait = pygame.Rect(play._blocks["portrait"])
    h.key(pygame.K_m)
    assert h.app.settings.mood_hint and "looks" in play._mood_words()
    h.frames(1)
    room = pygame.Rect(play._blocks["portrait"])
    h.answer(1)
    h.finish_typing()
    h.frames(1)
    assert play._blocks["portrait"] == room  # the face does not jump when the words change
    assert room.height < portrait.height
    h.key(pygame.K_m)
    assert not h.app.settings.mood_hint and play._mood_words() == ""


def test_a_notice_is_one_at_a_time_and_covers_no_answer_and_no_face(harness):
    h = harness()
    fast(h)
    h.start(MINI, mode="practice")
    h.app.notices.clear()
    h.answer(1)
    h.key(pygame.K_BACKSPACE)  # taken back: a notice
    h.key(pygame.K_BACKSPACE)  # nothing to take back: another, replacing it
    h.key(pygame.K_EQUALS, mod=pygame.KMOD_CTRL)  # and the text size: another
    h.finish_typing()
    h.frames(2)
    assert len([n for n in h.app.notices if n["until"] > h.app.clock_time]) == 1
    play = h.scene
    notice_top = h.app.canvas.get_height() - play._notice_height(h.app.notice())
    for button in play.choice_buttons:
        visible = button.rect.clip(play._blocks["column"])
        assert visible.bottom <= notice_top
    layers = play.face.layers(play._blocks["portrait"].size, h.app.ui.theme)
    chin = play._blocks["portrait"].y + layers.cy + 1.1 * layers.r
    assert chin <= notice_top


def test_the_coach_note_says_whether_the_answer_helped_or_hurt_and_folds(harness, tmp_path):
    h = harness()
    fast(h)
    h.start(MINI, mode="practice")
    play = h.scene
    h.answer(1)  # ask: an open question
    h.finish_typing()
    assert play._blocks["coach"][2] == "good"
    h.key(pygame.K_BACKSPACE)
    h.answer(2)  # lecture
    assert play.conversation.ended  # she walks out
    h.app.go("to_menu")
    h.start(greyed_mini(tmp_path), mode="practice")
    play = h.scene
    h.answer(2)
    h.finish_typing()
    note = play._blocks["coach"]
    assert note[2] == "harm" and note[4] is True
    h.key(pygame.K_c)
    assert play._blocks["coach"][4] is False  # folded to one line: the line and answers move up
    h.key(pygame.K_c)
    assert play._blocks["coach"][4] is True


def test_the_briefing_tells_the_situation_and_the_channel_before_the_first_line(harness):
    from game.ui.channel import Framing, channel_of
    h = harness()
    h.start(MINI, mode="assessment", brief=True)
    play = h.scene
    assert play.briefing and not play.typing and play.conversation.turn == 0
    texts = [block["text"] for block in play.brief_flow.blocks if block["kind"] == "text"]
    assert "Returns a kettle." in texts and "At the counter, face to face" in texts
    assert any("this attempt counts" in text for text in texts)
    h.key(pygame.K_1)  # a number key does not start nor answer
    assert play.briefing
    h.key(pygame.K_SPACE)
    assert not play.briefing and play.typing and play.conversation.turn == 0
    assert channel_of(play.session.scenario) == "counter"
    object.__setattr__(play.session.scenario, "channel", "phone")
    assert channel_of(play.session.scenario) == "phone"
    object.__setattr__(play.session.scenario, "channel", "carrier pigeon")
    assert channel_of(play.session.scenario) == "counter"
    phone = Framing("phone")
    phone.layout(h.app.ui, pygame.Rect(0, 0, 400, 560))
    assert phone.face_rect.width == phone.face_rect.height and phone.voice_rect.top > phone.face_rect.bottom
    assert phone.timer_rect.bottom <= phone.face_rect.top


def test_the_face_shows_the_lines_authored_expression(harness, monkeypatch):
    """When the engine gives a line an expression (and intensity), the face shows it, whatever the mood says."""
    from dataclasses import dataclass

    from game.engine import Conversation

    original = Conversation.line

    @dataclass(frozen=True)
    class Authored:
        line: object
        expression: str = "hopeful"
        intensity: float = 0.9

        def __getattr__(self, name):
            return getattr(self.line, name)

    monkeypatch.setattr(Conversation, "line", property(lambda self: Authored(original.fget(self))))
    h = harness()
    fast(h)
    h.start(MINI, mode="assessment")
    play = h.scene
    assert play.face.expression == "hopeful"
    h.answer(2)  # lecture: she is upset, but the line says hopeful, so the face does
    h.frames(30)
    assert play.face.expression == "hopeful" and play.face.params["mouth_curve"] > 0.2


@pytest.mark.parametrize("size", [(800, 600), (1024, 640), (1280, 720)])
def test_the_portrait_keeps_its_place_when_a_notice_comes_and_goes(harness, size):
    h = harness(size=size)
    fast(h)
    h.start(SMALL_PRINT, mode="practice", seed=4)
    h.app.notices.clear()
    play = h.scene
    for _turn in range(8):  # every line of a path: some fit beside the portrait only just
        if play.conversation.ended:
            break
        h.finish_typing()
        h.frames(2)
        still = pygame.Rect(play._blocks["portrait"])
        h.app.notify("Answer taken back. Try another one. " * 3, "info", 1)
        h.frames(2)
        assert play._blocks["portrait"] == still
        h.frames(80)  # the notice goes
        assert not h.app.notices and play._blocks["portrait"] == still
        h.answer(2)


def test_a_chosen_assessment_answer_waits_while_the_player_looks_back_and_is_not_given_on_pausing(harness):
    h = harness()
    fast(h)
    h.start(MINI, mode="assessment")
    h.finish_typing()
    play = h.scene
    h.key(pygame.K_1)
    h.key(pygame.K_h)  # the history: the moment to change the answer waits
    h.frames(20, dt=0.25)
    assert play.pending is not None and play.conversation.turn == 0
    h.key(pygame.K_ESCAPE)
    h.frames(14, dt=0.25)
    assert play.conversation.turn == 1  # then it counts
    h.finish_typing()
    h.key(pygame.K_1)
    h.click_widget(next(b for b in play.toolbar if b.label == "Pause"))
    assert h.screen == "pause"
    h.key(pygame.K_ESCAPE)  # back: the answer was not given
    assert h.screen == "play" and play.pending is None and play.conversation.turn == 1


@pytest.mark.parametrize("size,scale", [((800, 600), 200), ((800, 600), 100), ((1280, 720), 200)])
def test_at_the_last_line_the_way_to_the_debrief_is_in_view(harness, size, scale):
    from dataclasses import replace
    h = harness(size=size, scenario_sources=[SMALL_PRINT.parent])
    h.app.apply_settings(replace(h.app.settings, font_scale=scale, text_speed="fast"), save=False)
    h.start(SMALL_PRINT, seed=11)
    play = h.scene
    while not play.conversation.ended:
        h.answer(1 if play.conversation.turn % 2 else 2)
    h.finish_typing()
    h.frames(2)
    column, button = play._blocks["column"], play.debrief_button
    assert button.visible and column.top <= button.rect.top and button.rect.bottom <= column.bottom


def test_the_briefing_fills_in_the_scenarios_text_variables(harness):
    h = harness()
    h.start(Path(__file__).parent.parent / "scenarios" / "chat_plain.yaml", mode="practice", brief=True)
    texts = " ".join(block["text"] for block in h.scene.brief_flow.blocks if block["kind"] == "text")
    assert "Virtavalo" in texts and "{company}" not in texts
