"""Long random use must not break anything: seeded random playthroughs of every shipped scenario in both
languages (through the engine and through the terminal game), a monkey on every screen of the window, and
memory that stays flat however many sessions are played. Counts grow with `--stress N`."""

import gc
import io
import json
import os
import random
import subprocess
import sys
import tracemalloc
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # noqa: E402
import pytest  # noqa: E402

from game.commands.files import shipped_scenarios  # noqa: E402
from game.debrief import debrief_for  # noqa: E402
from game.engine import Conversation, ConversationError  # noqa: E402
from game.engine.paths import solve  # noqa: E402
from game.paths import SCENARIOS_DIR  # noqa: E402
from game.scenario.loader import load_scenario  # noqa: E402
from game.session.log import SessionLog  # noqa: E402
from game.session.reader import iter_records  # noqa: E402
from game.session.resume import read_unfinished, restore, resume  # noqa: E402
from game.session.verify import verify_log  # noqa: E402
from game.terminal import TerminalGame  # noqa: E402
from game.ui.harness import Harness  # noqa: E402
from game.ui.screens import SCREENS  # noqa: E402
from tests.reliability import scaled, tally  # noqa: E402
from tests.sessions import logged_actions, same_point  # noqa: E402

ROOT = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini.yaml"
LANGS = ("en", "fi")
MAX_TURNS = 300  # a playthrough longer than this is stuck in a loop


@pytest.fixture(scope="module")
def scenarios():
    loaded = []
    for path in shipped_scenarios():
        result = load_scenario(path)
        assert result.playable is not None, f"{path}: {[e.format('en') for e in result.errors]}"
        loaded.append(result.playable)
        solve(result.playable)  # the best scores every debrief needs; cached on disk for the processes below
    assert loaded
    return loaded


def process_env() -> dict:
    """The environment of a game process: the test run's home (its caches), unbuffered output, no locale."""
    return dict(os.environ, LANG="C", PYTHONUNBUFFERED="1")


# -- random playthroughs through the engine ---------------------------------------------------------------
def text_in(text, lang: str) -> str:
    """The text as a player in `lang` reads it; every shipped text exists in both languages."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    assert lang in text and text[lang].strip(), f"no {lang} text in {dict(text)}"
    return text[lang]


def words(text: str) -> str:
    """Text with its line breaks and runs of spaces made single spaces (the terminal wraps lines)."""
    return " ".join(text.split())


def check_point(conversation: Conversation, lang: str) -> None:
    line = conversation.line
    assert text_in(line.text, lang)
    text_in(line.cue, lang)
    if conversation.ended:
        return
    views = conversation.choices
    assert [view.number for view in views] == list(range(1, len(views) + 1))
    assert any(view.available for view in views), f"stuck at {line.node_id}: no answer is possible"
    for view in views:
        assert text_in(view.text, lang)


def random_step(conversation: Conversation, rng: random.Random, mode: str, lang: str) -> tuple[str, str | None]:
    """One random action a trainee could take now; an impossible one must change nothing."""
    check_point(conversation, lang)
    if mode == "practice" and conversation.can_rollback and rng.random() < 0.12:
        conversation.rollback()
        return ("rollback", None)
    views = conversation.choices
    greyed = [view for view in views if not view.available]
    if greyed and rng.random() < 0.2:
        before = (conversation.state, conversation.choices, list(conversation.history))
        with pytest.raises(ConversationError):
            conversation.choose(rng.choice(greyed).id)
        assert (conversation.state, conversation.choices, list(conversation.history)) == before
    view = rng.choice([view for view in views if view.available])
    conversation.choose(view.id)
    return ("choose", view.id)


def test_random_playthroughs_of_every_shipped_scenario_in_both_languages(scenarios, tmp_path):
    """Whatever a trainee answers, in either language and mode, every session reaches an ending, its debrief
    can be shown, and its score log verifies and holds every answer; a session left half-way resumes at the
    exact point."""
    rng = random.Random("kuule-soak-engine")
    log_dir = tmp_path / "logs"
    per_language = scaled(4)
    played = turns = resumed = 0
    for scenario in scenarios:
        for lang in LANGS:
            for _ in range(per_language):
                mode = rng.choice(["practice", "assessment"])
                log = SessionLog.start(scenario, trainee="Soak", mode=mode, lang=lang, seed=rng.randrange(2**31),
                                       log_dir=log_dir)
                conversation = Conversation(scenario, seed=log.seed, listeners=[log])
                actions = []
                stop_at = rng.randrange(1, 6) if rng.random() < 0.25 else None  # left half-way, then resumed
                while not conversation.ended:
                    assert len(actions) < MAX_TURNS, f"{scenario.id}: no ending after {MAX_TURNS} answers"
                    if stop_at is not None and len(actions) == stop_at:
                        log.close()
                        unfinished = read_unfinished(log.path)
                        assert list(unfinished.actions) == actions
                        same_point(restore(unfinished, scenario), conversation)
                        conversation, log = resume(unfinished, scenario)
                        stop_at = None
                        resumed += 1
                    actions.append(random_step(conversation, rng, mode, lang))
                check_point(conversation, lang)
                log.close()
                verdict = verify_log(log.path)
                assert verdict.ok and verdict.finished and not verdict.truncated, verdict.problems
                assert logged_actions(log.path) == actions
                end = [record for _n, record in iter_records(log.path)][-1]
                assert end["kind"] == "end" and end["outcome"] == conversation.line.outcome
                assert end["result"] == json.loads(json.dumps(conversation.result.as_dict()))
                out = io.StringIO()
                debrief = debrief_for(conversation)
                TerminalGame(scenario, lang=lang, mode=mode, conversation=conversation, stdout=out).show_debrief(debrief)
                stake = scenario.stakes.get(conversation.drawn.get("stake") or "")
                hidden = stake.hidden if stake is not None else scenario.customer.hidden  # what this customer hid
                assert debrief.hidden == hidden and words(text_in(hidden, lang)) in words(out.getvalue())
                played += 1
                turns += len(actions)
    tally("soak.playthroughs", played)
    tally("soak.engine_actions", turns)
    tally("soak.resumed", resumed)
    assert resumed > 0


# -- random sessions through the terminal game, a real process with piped input ----------------------------
def terminal_script(scenario, seed: int, mode: str, lang: str, rng: random.Random):
    """Input lines a (clumsy) trainee types, and the conversation they lead to, worked out on the engine."""
    mirror = Conversation(scenario, seed=seed)
    lines, taken = [], 0
    while not mirror.ended:
        assert taken < MAX_TURNS
        views = mirror.choices
        roll = rng.random()
        if roll < 0.05:
            lines.append(rng.choice(["?", "", "0", str(len(views) + 1), "xyz", "  ", "äö", "-1", "1.5"]))
            continue
        if roll < 0.15:
            lines.append(rng.choice(["b", "back", "takaisin"]))
            if mode == "practice" and mirror.can_rollback:
                mirror.rollback()
            continue
        greyed = [view for view in views if not view.available]
        if greyed and roll < 0.2 and mode == "practice":  # assessment does not list answers not possible now
            lines.append(str(rng.choice(greyed).number))
            continue
        possible = [view for view in views if view.available]
        view = rng.choice(possible)
        shown = view.number if mode == "practice" else possible.index(view) + 1
        lines.append(view.id if rng.random() < 0.2 else str(shown))
        mirror.choose(view.id)
        taken += 1
    return lines, mirror


def test_random_sessions_through_the_terminal_game(scenarios, tmp_path):
    """`play --text` with a script of answers (and typos, help and take-backs) plays every shipped scenario in
    both languages to its debrief; the score log verifies and `verify` says so."""
    rng = random.Random("kuule-soak-terminal")
    env = process_env()
    runs, folders = [], []
    for index in range(scaled(6)):  # every scenario, both languages
        scenario, lang = scenarios[index % len(scenarios)], LANGS[index % len(LANGS)]
        seed, mode = rng.randrange(2**31), rng.choice(["practice", "assessment"])
        lines, mirror = terminal_script(scenario, seed, mode, lang, rng)
        folder = tmp_path / f"logs-{index}"
        folders.append(folder)
        process = subprocess.Popen(
            [sys.executable, "main.py", "play", scenario.path, "--text", "--seed", str(seed), "--lang", lang,
             "--mode", mode, "--trainee", "Soak", "--log-dir", str(folder)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=env)
        runs.append((scenario, lang, mode, lines, mirror, folder, process))
        if len(runs) % 2 == 0:  # two at a time: one per core
            for run in runs[-2:]:
                finish_terminal_run(*run)
    for run in runs[len(runs) - len(runs) % 2:]:
        finish_terminal_run(*run)
    check = subprocess.run([sys.executable, "main.py", "verify", *map(str, folders)], capture_output=True,
                           text=True, cwd=ROOT, env=env, timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.count("finished)") == len(runs), check.stdout
    tally("soak.playthroughs", len(runs))
    tally("soak.terminal_inputs", sum(len(run[3]) for run in runs))


def finish_terminal_run(scenario, lang, mode, lines, mirror, folder, process):
    out, err = process.communicate("".join(line + "\n" for line in lines).encode("utf-8"), timeout=120)
    out, err = out.decode("utf-8"), err.decode("utf-8")
    assert process.returncode == 0, err[-2000:]
    assert "Traceback" not in err
    assert ("LOPPUPURKU" if lang == "fi" else "DEBRIEF") in out
    assert words(text_in(mirror.line.text, lang)) in words(out)  # the ending's line, in the chosen language
    [path] = sorted(folder.glob("*.jsonl"))
    verdict = verify_log(path)
    assert verdict.ok and verdict.finished, verdict.problems
    records = [record for _n, record in iter_records(path)]
    assert records[0]["lang"] == lang and records[0]["mode"] == mode
    assert effective_choices(path) == mirror.choice_log
    assert records[-1]["result"] == json.loads(json.dumps(mirror.result.as_dict()))


def effective_choices(path) -> list[str]:
    choices = []
    for action, choice_id in logged_actions(path):
        if action == "rollback":
            choices.pop()
        else:
            choices.append(choice_id)
    return choices


# -- a monkey on every screen of the window ---------------------------------------------------------------
KEYS = [pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE, pygame.K_ESCAPE, pygame.K_TAB, pygame.K_UP, pygame.K_DOWN,
        pygame.K_LEFT, pygame.K_RIGHT, pygame.K_BACKSPACE, pygame.K_DELETE, pygame.K_HOME, pygame.K_END,
        pygame.K_PAGEUP, pygame.K_PAGEDOWN, pygame.K_INSERT, pygame.K_F1, pygame.K_F5, pygame.K_F11, pygame.K_h,
        pygame.K_m, pygame.K_a, pygame.K_q, pygame.K_b, pygame.K_EQUALS, pygame.K_PLUS, pygame.K_MINUS,
        pygame.K_KP_PLUS, pygame.K_KP_MINUS, pygame.K_0, pygame.K_KP0, pygame.K_LSHIFT, pygame.K_RCTRL,
        pygame.K_LALT, *(getattr(pygame, f"K_{n}") for n in range(1, 10)), pygame.K_KP1, pygame.K_KP5, 0x4000_0000]
MODS = [0, 0, 0, 0, pygame.KMOD_LSHIFT, pygame.KMOD_LCTRL, pygame.KMOD_RALT, pygame.KMOD_LCTRL | pygame.KMOD_LSHIFT]
TEXT = ["a", "ä", "ö", "å", "Å", " ", "1", "€", "—", "\u200b", "😀", "e\u0301", "שלום", "\t", "\x00", "\n",
        "Äijälä-Öhrnberg " * 8, "<script>", "%s{0}", "\ud7ff"]
SIZES = [(1, 1), (160, 120), (639, 479), (640, 480), (800, 600), (1280, 720), (1000, 400), (400, 900), (2560, 1440)]
WINDOW_EVENTS = [pygame.WINDOWFOCUSLOST, pygame.WINDOWFOCUSGAINED, pygame.WINDOWENTER, pygame.WINDOWLEAVE,
                 pygame.WINDOWEXPOSED, pygame.WINDOWMINIMIZED, pygame.WINDOWRESTORED, pygame.WINDOWSHOWN]


def widgets_of(scene) -> list:
    """The widgets a player could click now: an open dialogue's buttons, else every widget the scene holds."""
    from game.ui.widgets import Widget

    overlay = getattr(scene, "overlay", None)
    if overlay is not None:
        return list(overlay.buttons)
    found = []
    for value in vars(scene).values():
        for item in value if isinstance(value, (list, tuple)) else [value]:
            if isinstance(item, Widget) and item.visible and item.rect.width > 0 and item.rect.height > 0:
                found.append(item)
    return found


def monkey_events(h: Harness, rng: random.Random):
    """One burst of what a player (or a cat on the keyboard) could do; clicks often land on real widgets."""
    roll = rng.random()
    if roll < 0.36:
        key, mod = rng.choice(KEYS), rng.choice(MODS)
        char = chr(key) if 32 <= key < 127 else ""
        down = pygame.event.Event(pygame.KEYDOWN, key=key, mod=mod, unicode=char, scancode=0)
        if rng.random() < 0.15:
            return [down] * rng.randint(2, 6)  # held down: key repeat
        return [down, pygame.event.Event(pygame.KEYUP, key=key, mod=mod, unicode=char, scancode=0)]
    if roll < 0.46:
        text = rng.choice(TEXT)
        if rng.random() < 0.1:
            return [pygame.event.Event(pygame.TEXTEDITING, text=text, start=0, length=len(text))]
        return [pygame.event.Event(pygame.TEXTINPUT, text=text)]
    if roll < 0.78:
        scene = h.app.current
        scene.ensure_layout()
        targets = widgets_of(scene)
        if targets and rng.random() < 0.6:
            x, y = rng.choice(targets).rect.center
            pos = h.to_window((x + rng.randint(-3, 3), y + rng.randint(-3, 3)))
        else:
            width, height = h.app.window.get_size()
            pos = (rng.randint(-30, width + 30), rng.randint(-30, height + 30))
        button = rng.choice([1, 1, 1, 1, 2, 3, 4, 5, 6, 7])
        held = (1, 0, 0) if rng.random() < 0.2 else (0, 0, 0)
        motion = pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(rng.randint(-9, 9), rng.randint(-9, 9)),
                                    buttons=held)
        kind = rng.random()
        if kind < 0.3:
            return [motion]
        if kind < 0.85:
            return [motion, pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=button),
                    pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=button)]
        return [pygame.event.Event(rng.choice([pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP]), pos=pos, button=button)]
    if roll < 0.9:
        dx, dy = rng.choice([0, 0, 0, -1, 1]), rng.choice([-12, -3, -1, 1, 2, 3, 40])
        return [pygame.event.Event(pygame.MOUSEWHEEL, x=dx, y=dy, flipped=rng.random() < 0.2, precise_x=float(dx),
                                   precise_y=float(dy))]
    if roll < 0.97:  # the window is resized: each of the ways SDL reports it, as App.handle_event follows them
        width, height = rng.choice(SIZES)
        kind = rng.choice([pygame.VIDEORESIZE, pygame.WINDOWRESIZED, pygame.WINDOWSIZECHANGED])
        if kind == pygame.VIDEORESIZE:
            return [pygame.event.Event(kind, size=(width, height), w=width, h=height)]
        return [pygame.event.Event(kind, x=width, y=height)]
    return [pygame.event.Event(rng.choice(WINDOW_EVENTS))]


def monkey_harness(tmp_path, rng: random.Random, screen: str) -> Harness:
    """A fresh window on `screen` (play, pause, debrief... reached as a player reaches them)."""
    h = Harness(size=rng.choice([(1280, 720), (800, 600), (1024, 700)]), lang=rng.choice(LANGS),
                scenario_sources=[SCENARIOS_DIR, FIXTURES], settings_file=tmp_path / "settings.json",
                log_dir=tmp_path / "logs")
    app = h.app
    app.trainee = "Monkey"
    if screen in ("picker", "settings"):
        app.go("pick_scenario" if screen == "picker" else "open_settings")
        h.wait()
    elif screen == "start_point":  # a trainer's "play from here": the trainer tools on, a scenario chosen
        from dataclasses import replace

        from game.ui.catalogue import load_entry

        app.apply_settings(replace(app.settings, trainer_tools=True), save=False)
        app.go("pick_scenario")
        h.wait()
        app.go("choose_start", scenario=load_entry(rng.choice([MINI, *shipped_scenarios()])).scenario)
    elif screen != "menu":
        scenario = rng.choice([MINI, *shipped_scenarios()])
        h.start(scenario, mode="assessment" if screen == "assessment" else "practice", seed=rng.randrange(1000))
        if screen == "pause":
            h.key(pygame.K_ESCAPE)
        elif screen in ("debrief", "replay"):
            conversation = h.scene.conversation
            while not conversation.ended:
                h.answer(next(view.number for view in conversation.choices if view.available))
            h.finish_typing()
            h.key(pygame.K_RETURN)
            if screen == "replay":
                h.key(pygame.K_RETURN)
    assert h.screen == ("play" if screen == "assessment" else screen), f"could not reach {screen}: at {h.screen}"
    return h


@pytest.mark.parametrize("screen", ["menu", "picker", "play", "assessment", "pause", "debrief", "replay", "settings",
                                    "start_point"])
def test_no_screen_breaks_under_random_input(scenarios, tmp_path, screen):
    """Random keys, text, clicks (mostly on real buttons), drags, wheel turns, window resizes of every kind and
    window events never crash the game on any screen, and the score logs the monkey leaves all verify."""
    rng = random.Random(f"kuule-monkey-{screen}")
    target = "play" if screen == "assessment" else screen
    h = monkey_harness(tmp_path, rng, screen)
    on_target, away, events, visited = 0, 0, 0, set()
    wanted = scaled(300)
    try:
        while on_target < wanted:
            assert events < 8 * wanted, f"the monkey could not stay on {target}: {on_target} events there"
            if not h.app.running or away > 40:  # it quit, or wandered off: start again where it was
                h.close()
                h = monkey_harness(tmp_path, rng, screen)
                away = 0
            burst = monkey_events(h, rng)
            if rng.random() < 0.01:
                burst.append(pygame.event.Event(pygame.QUIT))
            for event in burst:
                pygame.event.post(event)
            here = h.screen
            h.frames(1, dt=rng.choice([0.0, 1 / 60, 1 / 60, 0.1, 0.5, 3.0]))
            if h.app.jobs and rng.random() < 0.2:
                h.wait()
            events += len(burst)
            visited.add(here)
            if here == target:
                on_target += len(burst)
            else:
                away += 1
        h.wait()
        h.frames(2)
    finally:
        h.close()
    logs = sorted((tmp_path / "logs").glob("*.jsonl"))
    for path in logs:
        verdict = verify_log(path)
        assert verdict.ok and not verdict.truncated, (path, verdict.problems, verdict.error)
    assert visited <= set(SCREENS)
    tally("soak.ui_events", events)
    tally("soak.ui_scenes", 1)


def test_an_ended_conversation_cannot_be_taken_back_so_its_log_stays_finished(tmp_path):
    """At the customer's last line (practice mode) the log already holds the end of the session: taking the last
    answer back by key, toolbar or pause menu is refused with a note, and the log still verifies as finished."""
    for lang in LANGS:
        h = Harness(lang=lang, scenario_sources=[FIXTURES], settings_file=tmp_path / "settings.json",
                    log_dir=tmp_path / lang)
        try:
            h.start(MINI, mode="practice", seed=3)
            while not h.scene.conversation.ended:
                h.answer(1)
            h.finish_typing()
            play = h.scene
            assert not any(button.enabled for button in play.toolbar if button.on_press == play.take_back)
            h.key(pygame.K_BACKSPACE)
            assert play.conversation.ended and h.app.notice_log[-1] == play.t("ended_no_take_back")
            h.key(pygame.K_ESCAPE)
            assert h.screen == "pause" and not h.scene.take_back.enabled
            h.key(pygame.K_ESCAPE)
            play.take_back()
            assert play.conversation.ended
        finally:
            h.close()
        [path] = (tmp_path / lang).glob("*.jsonl")
        verdict = verify_log(path)
        assert verdict.ok and verdict.finished, verdict.problems


# -- memory stays flat ------------------------------------------------------------------------------------
def traced_growth(play_once, warm_up: int, measured: int) -> int:
    """Bytes still held (by Python objects) after `measured` more sessions than a warmed-up start."""
    for index in range(warm_up):
        play_once(index)
    gc.collect()
    tracemalloc.start()
    try:
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        for index in range(warm_up, warm_up + measured):
            play_once(index)
        gc.collect()
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    return after - before


# What a real leak costs: keeping every finished Conversation adds about 240 KiB per session of a shipped
# scenario (7.5 MiB over 30) and about 60 KiB per window session of the small fixture (800 KiB over 12);
# keeping every logged event adds about 10 KiB per engine session. Without a leak the difference stays
# near 50 KiB (engine) and 130 KiB (window: the last session is still held by its screens), however many
# sessions are played.
ENGINE_BOUND = 160 * 1024
UI_BOUND = 256 * 1024


def test_memory_does_not_grow_across_engine_sessions(scenarios, tmp_path):
    """A kiosk that plays session after session (each logged) does not slowly eat memory."""
    rng = random.Random("kuule-soak-memory")
    measured = scaled(30)

    def play_once(index: int) -> None:
        scenario = scenarios[index % len(scenarios)]
        lang = LANGS[index % 2]
        with SessionLog.start(scenario, trainee="Soak", mode="practice", lang=lang, seed=rng.randrange(2**31),
                              log_dir=tmp_path) as log:
            conversation = Conversation(scenario, seed=log.seed, listeners=[log])
            while not conversation.ended:
                random_step(conversation, rng, "practice", lang)
            debrief_for(conversation)

    growth = traced_growth(play_once, warm_up=10, measured=measured)
    tally("soak.memory_sessions", measured)
    assert growth < ENGINE_BOUND, f"{growth / 1024:.0f} KiB more after {measured} sessions"


def test_memory_does_not_grow_across_window_sessions(tmp_path):
    """Playing session after session in the window (to the debrief, the customer's-eyes replay and back to the
    menu) does not slowly eat memory."""
    rng = random.Random("kuule-soak-ui-memory")
    h = Harness(size=(1024, 700), scenario_sources=[FIXTURES], settings_file=tmp_path / "settings.json",
                log_dir=tmp_path / "logs")
    h.app.apply_settings(replace(h.app.settings, text_speed="instant"), save=False)
    paths = [rng.choice([1, 2]) for _ in range(4)]  # a few fixed ways through, so caches fill during warm-up
    measured = scaled(12)

    def play_once(index: int) -> None:
        h.start(MINI, mode="practice", seed=index % 3)
        answer = paths[index % len(paths)]
        while not h.scene.conversation.ended:
            h.answer(answer)
            answer = 1
        h.frames(2)
        h.key(pygame.K_RETURN)
        assert h.screen == "debrief"
        h.key(pygame.K_RETURN)  # the customer's-eyes replay
        assert h.screen == "replay"
        h.frames(2)
        h.app.go("back")
        h.app.go("to_menu")
        h.wait()
        assert h.screen == "menu"

    try:
        growth = traced_growth(play_once, warm_up=6, measured=measured)
    finally:
        h.close()
    tally("soak.memory_sessions", measured)
    assert growth < UI_BOUND, f"{growth / 1024:.0f} KiB more after {measured} sessions"
