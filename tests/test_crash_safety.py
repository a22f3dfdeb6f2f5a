"""A crash never costs a trainee an answer the game had taken: the game is killed (SIGKILL) at random moments,
in the terminal and in the window, even while an answer is being written; every log still verifies, and
resuming returns to exactly where the trainee was. Counts grow with `--stress N`."""

import json
import os
import random
import select
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # noqa: E402
import pytest  # noqa: E402

from game.commands.files import shipped_scenarios  # noqa: E402
from game.engine import Conversation  # noqa: E402
from game.engine.paths import solve  # noqa: E402
from game.scenario.loader import load_scenario  # noqa: E402
from game.session.log import SessionLog  # noqa: E402
from game.session.reader import expand_logs, iter_records  # noqa: E402
from game.session.resume import read_unfinished, restore, resume, unfinished_sessions  # noqa: E402
from game.session.verify import verify_log  # noqa: E402
from game.ui.harness import Harness  # noqa: E402
from tests.reliability import scaled, tally  # noqa: E402
from tests.sessions import crashed_at, logged_actions, same_point  # noqa: E402

ROOT = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
LANGS = ("en", "fi")
PROMPT = {"en": "Your answer >", "fi": "Vastauksesi >"}
YES = {"en": "y", "fi": "k"}
TRAINEE = "Äijö Åström"


@pytest.fixture(scope="module")
def scenarios():
    loaded = []
    for path in shipped_scenarios():
        scenario = load_scenario(path).playable
        assert scenario is not None, path
        solve(scenario)  # the best scores every debrief needs; cached on disk for the game processes
        loaded.append(scenario)
    return loaded


def process_env() -> dict:
    """The test run's home (its caches; logs go to --log-dir), unbuffered output, no locale."""
    return dict(os.environ, LANG="C", PYTHONUNBUFFERED="1")


class Game:
    """A game process, followed by reading its output as it comes (never by waiting a fixed time)."""

    def __init__(self, args, env=None):
        self.process = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, cwd=ROOT, env=env or process_env())
        self.output = b""

    def expect(self, text: str, count: int = 1, timeout: float = 60.0) -> None:
        """Read until `text` has appeared `count` times in all the output so far."""
        wanted = text.encode()
        deadline = time.monotonic() + timeout
        while self.output.count(wanted) < count:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"waited in vain for {text!r} ×{count}: {self.text[-1500:]}"
            ready, _, _ = select.select([self.process.stdout], [], [], remaining)
            if ready:
                chunk = os.read(self.process.stdout.fileno(), 65536)
                assert chunk, f"the game stopped before {text!r} ×{count}: {self.text[-1500:]}"
                self.output += chunk

    @property
    def text(self) -> str:
        return self.output.decode("utf-8", "replace")

    def send(self, line: str) -> None:
        self.process.stdin.write(line.encode("utf-8") + b"\n")
        self.process.stdin.flush()

    def kill(self) -> int:
        try:
            self.process.send_signal(signal.SIGKILL)
        except ProcessLookupError:
            pass
        code = self.process.wait(timeout=30)
        self.close()
        return code

    def finish(self, timeout: float = 60.0) -> int:
        rest, _ = self.process.communicate(timeout=timeout)
        self.output += rest or b""
        return self.process.returncode

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass


# -- planning a session and checking what a kill left ----------------------------------------------------
def plan(scenario, seed: int, mode: str, rng: random.Random) -> list[tuple[str, str | None, str]]:
    """A whole session's actions, (kind, choice ID, what is typed), worked out on the engine."""
    mirror = Conversation(scenario, seed=seed)
    actions = []
    while not mirror.ended:
        assert len(actions) < 300
        if mode == "practice" and mirror.can_rollback and rng.random() < 0.12:
            mirror.rollback()
            actions.append(("rollback", None, "b"))
            continue
        possible = [view for view in mirror.choices if view.available]
        view = rng.choice(possible)
        mirror.choose(view.id)
        # as shown: in assessment only the possible answers are listed, numbered from 1
        actions.append(("choose", view.id, str(view.number if mode == "practice" else possible.index(view) + 1)))
    return actions


def replayed(scenario, seed: int, actions) -> Conversation:
    """The conversation after `actions`, played uninterrupted on the engine."""
    conversation = Conversation(scenario, seed=seed)
    for kind, choice_id, *_typed in actions:
        conversation.rollback() if kind == "rollback" else conversation.choose(choice_id)
    return conversation


def wait_for_growth(game: Game, path: Path, size: int, timeout: float = 30.0) -> None:
    """Watch the log until the game has written past `size` bytes (or has stopped)."""
    deadline = time.monotonic() + timeout
    while path.stat().st_size <= size and game.process.poll() is None:
        assert time.monotonic() < deadline, "the game wrote nothing for the answer"
        time.sleep(0.0002)


def tear(path: Path, since: int, rng: random.Random) -> str | None:
    """Cut the last line as a write stopped part-way would, if it was written after `since` bytes (after the
    game last answered: nothing it had shown the trainee is touched). "cut" mid-line, "newline" just before
    its newline, None if there was nothing to cut."""
    data = path.read_bytes()
    start = data.rstrip(b"\n").rfind(b"\n") + 1
    if start < since or start == 0 or len(data) - start < 2:
        return None
    whole = rng.random() < 0.25
    with open(path, "r+b") as handle:
        handle.truncate(len(data) - 1 if whole else rng.randrange(start + 1, len(data) - 1))
    return "newline" if whole else "cut"


def check_after_kill(scenario, seed: int, actions, acked: int, in_flight: bool, path: Path) -> tuple[int, object]:
    """What every kill must leave: a log that verifies, holding every acknowledged action (and at most the
    one in flight), restoring to the exact point an uninterrupted run reaches. Returns (actions logged, verdict)."""
    verdict = verify_log(path)
    assert verdict.ok, (path, verdict.error, [p.message("en") for p in verdict.problems])
    logged = logged_actions(path)
    wanted = [action[:2] for action in actions]
    assert logged[:acked] == wanted[:acked], "an answer the game had taken is missing from the log"
    assert len(logged) in ((acked, acked + 1) if in_flight else (acked,)), (logged, wanted[:acked + 1])
    assert logged == wanted[:len(logged)]
    expected = replayed(scenario, seed, actions[:len(logged)])
    unfinished = read_unfinished(path)
    if unfinished is None:  # the last answer and the end of the session were written before the kill
        assert expected.ended and verdict.finished
        end = [record for _n, record in iter_records(path)][-1]
        assert end["result"] == json.loads(json.dumps(expected.result.as_dict()))
    else:
        assert not verdict.finished
        same_point(restore(unfinished, scenario), expected)
    return len(logged), verdict


# -- the terminal game, killed ---------------------------------------------------------------------------
def test_killing_the_terminal_game_at_random_moments_loses_nothing_it_had_shown(scenarios, tmp_path):
    """`play --text`, killed while waiting for an answer, just after an answer was typed, a moment later, or
    while starting: the log verifies (a cut-off last line is noted, not called damage), every answer the game
    had answered is in it, and saying yes to resuming continues from exactly there to the same result."""
    rng = random.Random("kuule-crash-terminal")
    kills = checked = torn = resumed = caught = 0
    for index in range(scaled(20)):
        scenario = scenarios[index % len(scenarios)]
        lang, mode, seed = LANGS[index % 2], rng.choice(["practice", "assessment"]), rng.randrange(2**31)
        actions = plan(scenario, seed, mode, rng)
        folder = tmp_path / f"kill-{index}"
        game = Game([sys.executable, "main.py", "play", scenario.path, "--text", "--seed", str(seed), "--lang", lang,
                     "--mode", mode, "--trainee", TRAINEE, "--log-dir", str(folder)])
        moment = rng.choices(["starting", "waiting", "typed", "later", "written"], weights=[1, 2, 3, 3, 3])[0]
        try:
            if moment == "starting":  # somewhere in start-up, header write included
                time.sleep(rng.uniform(0.0, 0.6))
                code = game.kill()
                assert code in (-signal.SIGKILL, 0)
                logs, _missing = expand_logs([folder]) if folder.exists() else ([], [])
                for path in logs:  # none yet, or a whole header: never an empty or broken log
                    check_after_kill(scenario, seed, actions, 0, False, path)
                kills += 1
                continue
            game.expect(PROMPT[lang])
            [path] = folder.glob("*.jsonl")
            stop = rng.randrange(len(actions))
            for number, (_kind, _choice, typed) in enumerate(actions[:stop], 2):
                game.send(typed)
                game.expect(PROMPT[lang], number)  # the next line and question are shown: the answer was taken
            acked_size = path.stat().st_size
            in_flight = moment != "waiting"
            if in_flight:
                game.send(actions[stop][2])
                if moment == "later":
                    time.sleep(rng.uniform(0.0, 0.02))  # a random moment while the answer is handled
                elif moment == "written":
                    wait_for_growth(game, path, acked_size)  # the answer's first line is on disk: kill now
            code = game.kill()
        finally:
            game.close()
        assert code in (-signal.SIGKILL, 0), game.text[-1500:]
        cut = tear(path, acked_size, rng) if in_flight and rng.random() < 0.6 else None
        count, verdict = check_after_kill(scenario, seed, actions, stop, in_flight, path)
        assert verdict.truncated == (cut == "cut")  # noted as cut off; a line missing only its newline is whole
        torn += cut is not None
        kills += 1
        checked += stop
        caught += count > stop  # killed after the answer was written, before the game had shown the next line
        if read_unfinished(path) is not None and count:
            finish_by_resuming(scenario, lang, actions, count, path)
            resumed += 1
    tally("crash.kills", kills)
    tally("crash.choices_checked", checked)
    tally("crash.torn_lines", torn)
    tally("crash.killed_between_write_and_show", caught)
    tally("crash.resumed", resumed)
    assert torn and resumed


def finish_by_resuming(scenario, lang: str, actions, done: int, path: Path) -> None:
    """Start the game again: it offers the session, `y` resumes it, the rest is played; the log then holds the
    whole session, once, and ends with the result an uninterrupted session gets."""
    rest = [typed for _kind, _choice, typed in actions[done:]]
    run = subprocess.run([sys.executable, "main.py", "play", scenario.path, "--text", "--lang", lang, "--trainee",
                          TRAINEE, "--log-dir", str(path.parent)], input="\n".join([YES[lang], *rest]) + "\n",
                         capture_output=True, text=True, cwd=ROOT, env=process_env(), timeout=120)
    assert run.returncode == 0, run.stdout[-1500:] + run.stderr[-1500:]
    assert ("Jatketaan siitä, mihin jäit" if lang == "fi" else "Resuming where you left off") in run.stdout
    after = verify_log(path)
    assert after.ok and after.finished and not after.truncated, [p.message("en") for p in after.problems]
    assert logged_actions(path) == [action[:2] for action in actions]
    full = replayed(scenario, int(read_header(path)["seed"]), actions)
    records = [record for _n, record in iter_records(path)]
    assert records[-1]["kind"] == "end" and [r["kind"] for r in records].count("end") == 1
    assert records[-1]["result"] == json.loads(json.dumps(full.result.as_dict()))
    assert list(path.parent.glob("*.jsonl")) == [path]  # the same log went on


def read_header(path):
    return next(record for _n, record in iter_records(path))


# -- the window, killed ----------------------------------------------------------------------------------
# The game window (dummy video driver) driven through the test Harness, which posts real key events to the
# App: one answer number (or `b`, Backspace: take back) per input line, "shown TURN" once the next line shows.
WINDOW_DRIVER = r"""
import sys
from dataclasses import replace
import pygame
from game.ui.harness import Harness
scenario, lang, mode, seed, log_dir, settings = sys.argv[1:7]
h = Harness(size=(800, 600), lang=lang, scenario_sources=[], log_dir=log_dir, settings_file=settings)
h.app.apply_settings(replace(h.app.settings, text_speed="instant"), save=False)
h.start(scenario, mode=mode, trainee="Äijö Åström", seed=int(seed))
print("shown", h.scene.conversation.turn, flush=True)
for line in sys.stdin:
    word = line.strip()
    h.key(pygame.K_BACKSPACE) if word == "b" else h.answer(int(word))  # the number as shown (assessment lists only possible answers)
    print("shown", h.scene.conversation.turn, flush=True)
"""


def test_killing_the_game_window_at_random_moments_loses_nothing_it_had_shown(scenarios, tmp_path):
    """The window, killed while the trainee reads, just after an answer key, or a moment later: the log verifies,
    holds every answer the window had answered, and the menu's Resume returns to exactly that point."""
    rng = random.Random("kuule-crash-window")
    kills = checked = 0
    for index in range(scaled(6)):
        scenario = scenarios[(index * 2 + 1) % len(scenarios)]
        lang, mode, seed = LANGS[index % 2], ("practice", "assessment")[index // 2 % 2], rng.randrange(1000)
        actions = plan(scenario, seed, mode, rng)
        folder = tmp_path / f"window-{index}"
        game = Game([sys.executable, "-c", WINDOW_DRIVER, scenario.path, lang, mode, str(seed), str(folder),
                     str(tmp_path / "driver-settings.json")])
        moment = rng.choice(["waiting", "typed", "later", "written"])
        try:
            game.expect("shown")
            [path] = folder.glob("*.jsonl")
            stop = rng.randrange(len(actions))
            for number, (_kind, _choice, typed) in enumerate(actions[:stop], 2):
                game.send(typed)
                game.expect("shown", number)
            acked_size = path.stat().st_size
            in_flight = moment != "waiting"
            if in_flight:
                game.send(actions[stop][2])
                if moment == "later":
                    time.sleep(rng.uniform(0.0, 0.02))
                elif moment == "written":
                    wait_for_growth(game, path, acked_size)
            code = game.kill()
        finally:
            game.close()
        assert code in (-signal.SIGKILL, 0), game.text[-1500:]
        count, _verdict = check_after_kill(scenario, seed, actions, stop, in_flight, path)
        kills += 1
        checked += stop
        if read_unfinished(path) is not None and count:
            resume_in_the_window(scenario, lang, seed, actions, count, path, tmp_path)
    tally("crash.kills", kills)
    tally("crash.choices_checked", checked)


def resume_in_the_window(scenario, lang, seed, actions, done, path, tmp_path) -> None:
    """The menu offers the session; Resume shows exactly that point; playing on ends the same log."""
    h = Harness(lang=lang, scenario_sources=[], log_dir=path.parent, settings_file=tmp_path / "settings.json")
    try:
        h.app.apply_settings(replace(h.app.settings, text_speed="instant"), save=False)
        h.frames(2)  # the menu looks for unfinished sessions once its first frame is up
        h.wait()
        menu = h.scene
        assert len(menu.resume_buttons) == 1
        h.click_widget(menu.resume_buttons[0])
        assert h.screen == "play"
        play = h.scene
        same_point(play.conversation, replayed(scenario, seed, actions[:done]))
        for _kind, _choice, typed in actions[done:]:
            h.key(pygame.K_BACKSPACE) if typed == "b" else h.answer(int(typed))
        assert play.conversation.ended
        h.key(pygame.K_RETURN)
        assert h.screen == "debrief"
    finally:
        h.close()
    verdict = verify_log(path)
    assert verdict.ok and verdict.finished
    assert logged_actions(path) == [action[:2] for action in actions]


# -- the two ways a write can stop part-way, and a crash while a log is created ---------------------------
@pytest.fixture(scope="module")
def engine_fixture():
    return load_scenario(FIXTURES / "engine.yaml").playable


def test_a_line_cut_off_mid_write_is_noted_by_verify_and_dropped_on_resume(engine_fixture, tmp_path):
    """A log whose last line was cut off part-way is intact up to it: `verify` says OK with a note (in the
    user's language) rather than reporting damage, and resuming drops the cut line and goes on from there."""
    log = SessionLog.start(engine_fixture, seed=5, log_dir=tmp_path)
    conversation = Conversation(engine_fixture, seed=5, listeners=[log])
    conversation.choose("ask")
    log.close()
    data = log.path.read_bytes()
    kept = len(data)
    log.path.write_bytes(data + data.splitlines(keepends=True)[2][:40])  # a second choice line, cut off
    for lang, note in (("en", "cut off mid-write"), ("fi", "kirjoitus katkesi")):
        run = subprocess.run([sys.executable, "main.py", "verify", "--lang", lang, str(log.path)], capture_output=True,
                             text=True, cwd=ROOT, env=process_env(), timeout=60)
        assert run.returncode == 0, run.stdout + run.stderr
        assert note in run.stdout and ("OK" in run.stdout)
    [unfinished] = unfinished_sessions(tmp_path)
    restored, reopened = resume(unfinished, engine_fixture)
    same_point(restored, conversation)
    assert log.path.read_bytes()[:kept] == data
    reopened.close()
    verdict = verify_log(log.path)
    assert verdict.ok and not verdict.truncated


def test_a_last_line_missing_only_its_newline_keeps_its_answer_through_resume(engine_fixture, tmp_path):
    """If a write stopped just before the line's newline, the answer is whole: verify counts it, resume restores
    it, and the resumed log keeps it, so a second crash still returns to the same point."""
    log = SessionLog.start(engine_fixture, seed=5, log_dir=tmp_path)
    conversation = Conversation(engine_fixture, seed=5, listeners=[log])
    conversation.choose("ask")
    log.close()
    lines = log.path.read_bytes().splitlines(keepends=True)
    choice_at = next(i for i, line in enumerate(lines) if line.startswith(b'{"kind":"choice"'))
    crashed_at(log.path, choice_at + 1, newline=False)
    assert verify_log(log.path).ok
    [unfinished] = unfinished_sessions(tmp_path)
    assert unfinished.choices == ["ask"]
    restored, reopened = resume(unfinished, engine_fixture)
    reopened.close()  # a second crash, right after resuming
    verdict = verify_log(log.path)
    assert verdict.ok and not verdict.truncated
    [again] = unfinished_sessions(tmp_path, include_empty=True)
    assert again.choices == ["ask"], "the resumed log lost the answer"
    same_point(restore(again, engine_fixture), conversation)


class Killed(BaseException):
    """The process dying at this point: nothing after it runs, no exception handler sees it."""


def test_a_crash_while_a_log_is_being_created_leaves_no_empty_or_broken_log(engine_fixture, tmp_path, monkeypatch):
    """Killed while the log file is created and its first line written: afterwards there is no log, or a whole
    one; never an empty or half-written file that `verify` and the coach's report would call damaged."""
    import game.session.log as log_module

    real_write = os.write
    for cut in range(3):
        calls = []

        def write(fd, data, cut=cut, calls=calls):
            calls.append(len(data))
            if len(calls) > 1 or cut == 0:
                raise Killed()
            if cut == 1:
                real_write(fd, bytes(data)[:len(data) // 2])  # half the line reached the disk
                raise Killed()
            return real_write(fd, data)

        folder = tmp_path / f"cut-{cut}"
        monkeypatch.setattr(log_module.os, "write", write)
        with pytest.raises(Killed):
            log = SessionLog.start(engine_fixture, seed=1, log_dir=folder)
            Conversation(engine_fixture, seed=1, listeners=[log])
        monkeypatch.setattr(log_module.os, "write", real_write)
        found, _missing = expand_logs([folder])
        for path in found:
            verdict = verify_log(path)
            assert verdict.ok and not verdict.truncated, (path.read_bytes(), verdict.error)
        assert unfinished_sessions(folder) == []
