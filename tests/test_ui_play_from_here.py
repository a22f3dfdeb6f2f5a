"""A trainer's "play from here" in the game window: hidden without the trainer tools; with them, the scenario
list offers "From a node", a node list with search, the flags and the mood; the session is practice, marked
"from node X" and never logged. `play --from` without --text opens the window at the node.

Headless: SDL's dummy video and audio drivers; each test has its own KUULE_HOME.
"""

import os
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # noqa: E402
import pytest  # noqa: E402

import game.ui  # noqa: E402
from game.cli import main  # noqa: E402
from game.ui.records import StartPoint  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"
ENGINE = FIXTURES / "engine.yaml"  # start → hub ("So?"; `deep` needs the flag `asked`; trust < 10 branches to `bad`)


@pytest.fixture
def harness(windows):
    def make(size=(1280, 720), trainer_tools=True, **options):
        options.setdefault("scenario_sources", [ENGINE])
        options.setdefault("trainee", "Tiina")
        h = windows(size=size, **options)
        h.app.apply_settings(replace(h.app.settings, trainer_tools=trainer_tools, text_speed="instant"), save=False)
        return h

    return make


def written(home) -> list:
    """Every file the game wrote under its data folder (session logs and anything else)."""
    data = home / "data"
    return sorted(p for p in data.rglob("*") if p.is_file()) if data.is_dir() else []


def to_picker(h) -> None:
    """From the menu, by keyboard: the name is known, so Enter on "Choose a scenario" opens the list."""
    assert h.screen == "menu" and h.scene.focus.current is h.scene.choose
    h.key(pygame.K_RETURN)
    h.wait()
    assert h.screen == "picker"


def to_node_list(h) -> None:
    to_picker(h)
    h.key(pygame.K_m)
    h.key(pygame.K_m)
    assert h.scene.mode.value == "from_node"
    h.key(pygame.K_RETURN)  # the focused card: the only scenario listed
    assert h.screen == "start_point"


def choose_hub_with_values(h, trust_steps: int = -2) -> None:
    """Search "hub", take the first match, switch `asked` on and move trust, all by keyboard; then play."""
    h.type_text("hub")
    assert [row.data for row in h.scene.rows] == ["hub", "hub2"]
    h.key(pygame.K_RETURN)
    scene = h.scene
    assert scene.node_id == "hub" and scene.focus.current is scene.play
    for _ in range(3):  # Play, another node, start values, then the first flag
        h.key(pygame.K_DOWN)
    assert scene.focus.current.data == ("flag", "asked")
    h.key(pygame.K_RIGHT)
    h.key(pygame.K_DOWN)
    assert scene.focus.current.data == ("mood", "trust")
    for _ in range(abs(trust_steps)):
        h.key(pygame.K_LEFT if trust_steps < 0 else pygame.K_RIGHT)
    h.key(pygame.K_RETURN)


def test_without_the_trainer_tools_a_trainee_sees_nothing_new(harness, home):
    h = harness(trainer_tools=False)
    to_picker(h)
    picker = h.scene
    h.frames(1)
    assert [value for value, _label in picker.mode.options] == ["practice", "assessment"]
    h.key(pygame.K_m)
    h.key(pygame.K_m)
    assert picker.mode.value == "practice"  # M only switches between the two modes
    h.key(pygame.K_RETURN)
    assert h.screen == "play" and h.scene.session.start_point is None and h.scene.briefing


def test_the_trainer_tools_are_off_by_default():
    from game.ui.settings import Settings

    assert Settings().trainer_tools is False


@pytest.mark.parametrize("lang", ["en", "fi"])
def test_a_trainer_picks_a_node_flags_and_mood_by_keyboard_and_plays_from_there(harness, home, lang):
    h = harness(lang=lang)
    to_node_list(h)
    choose_hub_with_values(h)
    assert h.screen == "play"
    play = h.scene
    session = play.session
    assert session.start_point == StartPoint("hub", {"asked": True}, {"trust": 20})  # only what was changed
    assert session.mode == "practice" and not play.briefing
    conversation = play.conversation
    assert conversation.line.node_id == "hub" and conversation.mood.trust == 20 and not conversation.history
    assert next(view for view in conversation.choices if view.id == "deep").available  # `if: asked` holds
    caption = {"en": "PRACTICE · from node 'hub', not logged", "fi": "HARJOITTELU · solmusta 'hub', ei kirjata"}[lang]
    h.frames(1)
    assert play.t(play.mode).upper() == caption.split(" · ")[0]
    from game.ui.start_point import mode_caption
    assert mode_caption(session, play.t(play.mode).upper(), lang) == caption
    h.answer(next(view.number for view in conversation.choices if view.id == "deep"))
    assert conversation.ended and conversation.line.node_id == "good"
    play.finish()  # "See how it went"
    assert h.screen == "debrief"
    assert ("from node 'hub'" if lang == "en" else "solmusta 'hub'") in h.scene._subtitle()
    assert written(home) == [] and h.app.records.unfinished() == []  # no log, nothing to resume, no assessment


def test_without_the_flag_the_answer_that_needs_it_is_not_there(harness):
    h = harness()
    to_node_list(h)
    h.type_text("hub")
    h.key(pygame.K_RETURN)
    h.key(pygame.K_RETURN)  # Play, with the start values
    conversation = h.scene.conversation
    assert conversation.line.node_id == "hub" and conversation.mood.trust == 30
    assert not next(view for view in conversation.choices if view.id == "deep").available


def test_the_mood_set_reaches_the_engine_branches(harness, home):
    h = harness()
    to_node_list(h)
    choose_hub_with_values(h, trust_steps=-5)  # trust 30 → 5: back at the hub, `trust < 10` sends the customer off
    conversation = h.scene.conversation
    assert conversation.mood.trust == 5
    h.answer(next(view.number for view in conversation.choices if view.id == "again"))
    assert conversation.ended and conversation.line.node_id == "bad"
    assert written(home) == []


def test_the_node_list_searches_ids_and_lines_and_is_clicked_with_the_mouse(harness):
    h = harness()
    to_node_list(h)
    scene = h.scene
    assert [row.data for row in scene.rows] == ["start", "hub", "hub2", "router"]  # no endings: nothing to answer
    h.type_text("really")  # hub2's line is "Really?"
    assert [row.data for row in scene.rows] == ["hub2"]
    for _ in range(len("really")):
        h.key(pygame.K_BACKSPACE)
    h.type_text("zzz")
    assert scene.rows == []
    h.key(pygame.K_RETURN)  # nothing to choose: nothing happens
    assert scene.node_id is None and h.screen == "start_point"
    for _ in range(3):
        h.key(pygame.K_BACKSPACE)
    h.click_widget(next(row for row in scene.rows if row.data == "router"))
    assert scene.node_id == "router"
    h.key(pygame.K_ESCAPE)  # back to the list, the node still focused
    assert scene.node_id is None and scene.focus.current.data == "router"
    h.key(pygame.K_ESCAPE)
    assert h.screen == "picker"


def test_try_again_and_reload_keep_the_starting_point(harness, home):
    h = harness()
    to_node_list(h)
    choose_hub_with_values(h)
    play = h.scene
    h.answer(next(view.number for view in play.conversation.choices if view.id == "again"))  # once: back at hub
    assert play.conversation.line.node_id == "hub" and len(play.conversation.history) == 1
    h.key(pygame.K_F5)  # the trainer's reload replays the answers from the same node, not from the start
    h.wait()
    assert play.conversation.line.node_id == "hub" and play.conversation.choice_log == ["again"]
    assert play.conversation.mood.trust == 20 and play.session.start_point.node == "hub"
    h.answer(next(view.number for view in play.conversation.choices if view.id == "deep"))
    play.finish()
    assert h.screen == "debrief"
    h.scene.try_again()
    assert h.screen == "play" and h.scene.conversation.line.node_id == "hub" and not h.scene.conversation.history
    assert h.scene.session.start_point.flags == {"asked": True}
    assert written(home) == []


def test_the_pause_screen_does_not_promise_a_resume(harness):
    h = harness()
    to_node_list(h)
    choose_hub_with_values(h)
    h.key(pygame.K_ESCAPE)
    assert h.screen == "pause"
    h.frames(1)
    texts = [block.get("text") for block in h.scene.flow.blocks]
    assert any("not logged" in (text or "") for text in texts)


# -- the command line ----------------------------------------------------------------------------------------
def test_play_from_without_text_opens_the_window_at_the_node(monkeypatch):
    calls = []
    monkeypatch.setattr(game.ui, "run", lambda **kwargs: calls.append(kwargs) or 0)
    assert main(["play", str(ENGINE), "--from", "hub", "--set", "asked=true", "--mood", "trust=40"]) == 0
    assert len(calls) == 1 and calls[0]["mode"] == "practice"
    assert calls[0]["start_at"] == StartPoint("hub", {"asked": True}, {"trust": 40})
    assert calls[0]["scenario"].id == "engine_rules"


def test_play_from_opens_the_real_window_there_and_writes_nothing(monkeypatch, home):
    from game.ui.app import App

    seen = {}
    original = App.run

    def few_frames(self, max_frames=None):
        self.wait_for_jobs()
        seen.update(screen=self.screen, node=self.session.conversation.line.node_id,
                    trust=self.session.conversation.mood.trust, briefing=self.current.briefing,
                    point=self.session.start_point)
        return original(self, max_frames=5)

    monkeypatch.setattr(App, "run", few_frames)
    assert main(["play", str(ENGINE), "--from", "hub2", "--mood", "trust=70", "--seed", "2"]) == 0
    assert seen == {"screen": "play", "node": "hub2", "trust": 70, "briefing": False,
                    "point": StartPoint("hub2", {}, {"trust": 70})}
    assert written(home) == []


@pytest.mark.parametrize("lang, expected", [
    ("en", ["'hbu' is not a node of this scenario; did you mean 'hub'?",
            "'askd' is not a flag of this scenario; did you mean 'asked'?", "trust: write a whole number 0–100, not '150'"]),
    ("fi", ["'hbu' ei ole tämän skenaarion solmu; tarkoititko 'hub'?",
            "'askd' ei ole tämän skenaarion lippu; tarkoititko 'asked'?", "trust: kirjoita kokonaisluku 0–100, ei '150'"]),
])
def test_a_bad_starting_point_is_told_before_any_window_opens(monkeypatch, capsys, lang, expected):
    calls = []
    monkeypatch.setattr(game.ui, "run", lambda **kwargs: calls.append(kwargs) or 0)
    code = main(["play", str(ENGINE), "--from", "hbu", "--set", "askd=true", "--mood", "trust=150", "--lang", lang])
    err = capsys.readouterr().err
    assert code == 2 and calls == [] and "Traceback" not in err
    for message in expected:
        assert message in err


def test_an_ending_or_assessment_is_refused_in_both_languages(monkeypatch, capsys):
    monkeypatch.setattr(game.ui, "run", lambda **kwargs: pytest.fail("no window for a bad starting point"))
    assert main(["play", str(ENGINE), "--from", "good", "--lang", "fi"]) == 2
    assert "'good' on loppu: aloita solmusta, jossa on vastauksia" in capsys.readouterr().err
    assert main(["play", str(ENGINE), "--from", "hub", "--mode", "assessment"]) == 2
    assert "never logged as an assessment" in capsys.readouterr().err


@pytest.mark.parametrize("size", [(1280, 720), (640, 480)])
def test_the_from_node_mark_shows_whole_above_the_portrait(harness, size):
    """The mark that tells this is no real run is never covered, also in a small window with a long node ID."""
    from game.ui.catalogue import load_entry

    h = harness(size=size, lang="fi")
    scenario = load_entry(Path(__file__).parent.parent / "scenarios" / "small_print.yaml").scenario
    h.app.start_from_here(scenario, StartPoint("till_memories"))
    h.frames(2)
    play, ui = h.scene, h.app.ui
    title, role = play._blocks["title"]
    caption = "HARJOITTELU · solmusta 'till_memories', ei kirjata"
    needed = ui.text.height(play.session.scenario.title["fi"], role, title.width) + ui.text.height(caption, "small_bold",
                                                                                                   title.width)
    assert title.y + needed <= play._blocks["portrait"].top


def test_a_counter_set_with_plus_reaches_the_engine(harness, home):
    """counters.yaml: `check` branches to `too_much` once `apologies >= 3`."""
    h = harness(scenario_sources=[FIXTURES / "counters.yaml"])
    to_node_list(h)
    h.key(pygame.K_RETURN)  # the empty search's first node: start
    scene = h.scene
    assert scene.node_id == "start"
    for _ in range(3):
        h.key(pygame.K_DOWN)
    assert scene.focus.current.data == ("flag", "apologies")
    h.key(pygame.K_PLUS)
    h.key(pygame.K_EQUALS)  # + without Shift on most keyboards
    h.key(pygame.K_MINUS)
    h.key(pygame.K_PLUS)
    h.key(pygame.K_RETURN)
    conversation = h.scene.conversation
    assert h.scene.session.start_point == StartPoint("start", {"apologies": 2}, {})
    h.answer(next(view.number for view in conversation.choices if view.id == "sorry_again"))  # 3 apologies
    h.answer(next(view.number for view in conversation.choices if view.id == "sorry2"))
    assert conversation.ended and conversation.line.node_id == "too_much"
    assert written(home) == []


def test_without_a_display_play_from_falls_back_to_the_terminal_there(monkeypatch, capsys, home):
    import io
    import sys

    def no_window(**kwargs):
        raise game.ui.DisplayUnavailable("no display was found", "näyttöä ei löytynyt")

    monkeypatch.setattr(game.ui, "run", no_window)
    monkeypatch.setattr(sys, "stdin", io.StringIO("deep\n"))
    assert main(["play", str(ENGINE), "--from", "hub", "--set", "asked=true", "--lang", "en"]) == 0
    captured = capsys.readouterr()
    assert "Playing in the terminal instead" in captured.err
    assert "Playing from 'hub' (practice, not logged)." in captured.out
    assert written(home) == []
