"""Where the game meets the session logs (game.session): start, resume, statistics.

INTEGRATION POINT with game/session/ (issue 5), written against its contract:

    SessionLog.start(scenario, trainee=, mode=, lang=, seed=, log_dir=None) -> log
        (a listener; .seed, .path, .close(), .error: an OSError once writing failed)
    unfinished_sessions(log_dir=None) -> [Unfinished(path, scenario_id, scenario_path, content_hash, trainee,
                                                     mode, lang, seed, choices, started, title, ...)]
    resume(unfinished, scenario) -> (Conversation, SessionLog); raises ScenarioChanged if the hash differs
    abandon(unfinished)  # the trainee declined: not offered again
    trainee_stats(trainee, log_dir=None) -> {scenario_id: Stats(attempts, best, finished)}

The package is imported lazily, and only once `game/session/log.py` exists;
until then (or if it fails to import) sessions run without a log and the menu
offers nothing to resume. A log that fails while writing never stops the game:
the error is kept and shown once.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the engine is imported when a session starts, not when the menu opens
    from game.engine import Conversation
    from game.scenario.model import Scenario

SESSION_PACKAGE = Path(__file__).resolve().parent.parent / "session"


class ScenarioChangedError(Exception):
    """The scenario of an unfinished session was edited since; it cannot be resumed."""


class ResumeError(Exception):
    """An unfinished session could not be restored (its choices no longer fit, the file is gone, it is open in
    another window, it was cut back...). `message(lang)` says why in that language; `str()` says it in `lang`,
    the language of the session (the menu's caller may ask for its own with `message`)."""

    def __init__(self, text: str, cause: Exception | None = None, lang: str = "en"):
        self.cause, self.lang = cause, lang
        super().__init__(text)

    def message(self, lang: str) -> str:
        cause = self.cause
        if cause is not None and callable(getattr(cause, "message", None)):
            try:
                return str(cause.message(lang))
            except Exception:  # a message that cannot be worded: the text it came with
                pass
        return Exception.__str__(self)

    def __str__(self) -> str:
        return self.message(self.lang)


class NullLog:
    """Stands in for a SessionLog when there is none: listens, writes nothing."""

    path = None

    def __init__(self, seed: int):
        self.seed = seed

    def __call__(self, event) -> None:
        pass

    def reloaded(self, scenario) -> None:
        pass

    def close(self) -> None:
        pass


class SafeLog:
    """A log as a conversation listener that cannot break the conversation."""

    def __init__(self, log):
        self.log = log
        self._error: Exception | None = None
        self.reported = False

    @property
    def error(self) -> Exception | None:
        """Our own catch, or the log's (SessionLog keeps an OSError and stops writing)."""
        return self._error or getattr(self.log, "error", None)

    @error.setter
    def error(self, value: Exception | None) -> None:
        self._error = value

    @property
    def path(self):
        return getattr(self.log, "path", None)

    def __call__(self, event) -> None:
        if self._error is not None:
            return
        try:
            self.log(event)
        except Exception as error:  # a full disk or a bug in the log must not end the session
            self._error = error

    def reloaded(self, scenario) -> None:
        """Note in the log that the session goes on with another version of its scenario (hot reload)."""
        if self._error is not None:
            return
        try:
            self.log.reloaded(scenario)
        except Exception as error:
            self._error = error

    def own_words(self, record: dict | None) -> None:
        """The trainee's own words, to be written beside the next answer (own-words mode)."""
        if self._error is not None or not hasattr(self.log, "own_words"):
            return
        try:
            self.log.own_words(record)
        except Exception as error:
            self._error = error

    def close(self) -> None:
        try:
            self.log.close()
        except Exception as error:
            if self._error is None:
                self._error = error


@dataclass(frozen=True)
class StartPoint:
    """A trainer's "play from here": the node a practice conversation starts at, with the flags and mood it
    starts with (what is not given keeps its start value). Such a session is never logged."""

    node: str
    flags: dict = field(default_factory=dict)
    mood: dict = field(default_factory=dict)


@dataclass
class Session:
    """One conversation being played, with what the game needs to restart or reload it."""

    scenario: Scenario
    conversation: Conversation
    log: SafeLog
    trainee: str
    mode: str
    lang: str
    seed: int
    resumed: bool = False
    closed: bool = False
    notes: dict = field(default_factory=dict)
    own_said: dict = field(default_factory=dict)  # own-words mode: turn number -> the Coding of the trainee's words
    start_point: StartPoint | None = None  # a trainer's "play from here" (practice, unlogged); None: from the start

    @property
    def scenario_path(self) -> str:
        return self.scenario.path

    def replay(self, scenario: Scenario, choices) -> Conversation:
        """This session's conversation on (an edited version of) its scenario with these answers: from its start
        point if it has one. Raises ConversationError if they no longer fit."""
        from game.engine import Conversation, ConversationError

        point = self.start_point
        if point is None:
            return Conversation.replay(scenario, self.seed, choices)
        node = scenario.nodes.get(point.node)
        if node is None or node.is_ending:
            raise ConversationError(f"node '{point.node}' is no longer a node with answers")
        flags = {name: value for name, value in point.flags.items() if name in scenario.flags}
        conversation = Conversation.from_here(scenario, point.node, flags, point.mood, seed=self.seed,
                                              drawn=self.conversation.drawn)
        for choice_id in choices:
            conversation.choose(choice_id)
        return conversation

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.log.close()


@dataclass(frozen=True)
class ModeStats:
    attempts: int  # finished sessions in this mode
    best: float | None  # their best overall share, 0..1


def mode_stats(trainee: str, log_dir=None) -> dict:
    """The trainee's finished sessions per scenario and mode, from each log's first and last lines."""
    import json

    from game.session.log import SUFFIX, resolve_log_dir
    from game.session.reader import LogError, check_header, read_last_record

    folder = resolve_log_dir(log_dir)
    if not folder.is_dir():
        return {}
    wanted = str(trainee).strip().casefold()
    found: dict = {}
    for path in folder.glob(f"*{SUFFIX}"):
        try:
            with open(path, "rb") as handle:
                header = check_header(path, json.loads(handle.readline(1 << 20)))
            if str(header.get("trainee", "")).strip().casefold() != wanted:
                continue
            last = read_last_record(path)
        except (OSError, ValueError, LogError):
            continue
        if not last or last.get("kind") != "end":
            continue  # unfinished: not an attempt
        mode = header.get("mode") if header.get("mode") in ("practice", "assessment") else "practice"
        overall = (last.get("result") or {}).get("overall")
        count, best = found.setdefault(header.get("scenario_id"), {}).get(mode, (0, None))
        if isinstance(overall, (int, float)) and not isinstance(overall, bool):
            best = max(best if best is not None else 0.0, float(overall))
        found[header.get("scenario_id")][mode] = (count + 1, best)
    return {scenario: {mode: ModeStats(*values) for mode, values in modes.items()} for scenario, modes in found.items()}


class Records:
    def __init__(self, log_dir: str | Path | None = None):
        self.log_dir = log_dir
        self._modules = None
        self.import_error: Exception | None = None

    @property
    def available(self) -> bool:
        return (SESSION_PACKAGE / "log.py").is_file()

    def modules(self):
        """(log, resume, stats) modules of game.session, or None while they do not exist or fail to import."""
        if self._modules is not None:
            return self._modules
        if not self.available or self.import_error is not None:
            return None
        try:
            import importlib

            log = importlib.import_module("game.session.log")
            resume = importlib.import_module("game.session.resume")
            stats = importlib.import_module("game.session.stats")
        except Exception as error:  # half-written package: play on without logs
            self.import_error = error
            return None
        self._modules = (log, resume, stats)
        return self._modules

    # -- sessions ---------------------------------------------------------------------------------
    def start(self, scenario: Scenario, trainee: str, mode: str, lang: str, seed: int | None = None,
              listeners=()) -> Session:
        from game.engine import Conversation

        seed = seed if seed is not None else random.SystemRandom().randrange(2**31)
        log = None
        modules = self.modules()
        if modules is not None:
            try:
                log = modules[0].SessionLog.start(scenario, trainee=trainee, mode=mode, lang=lang, seed=seed,
                                                  log_dir=self.log_dir)
            except Exception as error:  # no log folder, disk full...: play on, and say so
                safe = SafeLog(NullLog(seed))
                safe.error = error
                conversation = Conversation(scenario, seed=seed, listeners=[safe, *listeners])
                return Session(scenario, conversation, safe, trainee, mode, lang, seed)
        if log is None:
            log = NullLog(seed)
        seed = getattr(log, "seed", seed)
        safe = SafeLog(log)
        conversation = Conversation(scenario, seed=seed, listeners=[safe, *listeners])
        return Session(scenario, conversation, safe, trainee, mode, lang, seed)

    def start_here(self, scenario: Scenario, point: StartPoint, trainee: str, lang: str,
                   seed: int | None = None) -> Session:
        """A trainer's "play from here": practice from a node, with no log at all (as `play --from` in the terminal),
        so it never counts as an assessment nor shows among the sessions to resume."""
        from game.engine import Conversation

        seed = seed if seed is not None else random.SystemRandom().randrange(2**31)
        conversation = Conversation.from_here(scenario, point.node, dict(point.flags), dict(point.mood), seed=seed)
        return Session(scenario, conversation, SafeLog(NullLog(seed)), trainee, "practice", lang, seed,
                       start_point=point)

    def unfinished(self) -> list:
        modules = self.modules()
        if modules is None:
            return []
        try:
            found = modules[1].unfinished_sessions(self.log_dir)
        except TypeError:
            found = modules[1].unfinished_sessions()
        except Exception:
            return []
        return sorted(found, key=lambda item: str(getattr(item, "started", "")), reverse=True)

    def resume(self, unfinished, scenario: Scenario) -> Session:
        modules = self.modules()
        if modules is None:
            raise ResumeError("session logs are not available")
        changed = getattr(modules[1], "ScenarioChanged", None)
        try:
            conversation, log = modules[1].resume(unfinished, scenario)
        except Exception as error:
            if (changed is not None and isinstance(error, changed)) or type(error).__name__ == "ScenarioChanged":
                raise ScenarioChangedError(str(error)) from error
            raise ResumeError(str(error), error, getattr(unfinished, "lang", "en")) from error
        safe = SafeLog(log)
        conversation.unsubscribe(log)
        conversation.subscribe(safe)
        return Session(scenario, conversation, safe, getattr(unfinished, "trainee", ""),
                       getattr(unfinished, "mode", "practice"), getattr(unfinished, "lang", "en"),
                       getattr(unfinished, "seed", conversation.seed), resumed=True)

    def abandon(self, unfinished) -> None:
        """The trainee chose not to resume: the session is not offered again (its log stays for the coach)."""
        modules = self.modules()
        if modules is None or not hasattr(modules[1], "abandon"):
            return
        try:
            modules[1].abandon(unfinished)
        except Exception:
            pass

    def stats(self, trainee: str) -> dict:
        """{scenario_id: {mode: ModeStats}}: practice and assessment kept apart, and only finished
        sessions counted (an unfinished or abandoned one is not an attempt). Never raises."""
        if self.modules() is None:
            return {}
        try:
            return mode_stats(trainee, self.log_dir)
        except Exception:
            return {}


class UnloggedRecords(Records):
    """Records that write and offer nothing: a coach's replay window, where "Try again" plays the scenario version
    as practice for the coach, with no log in the coach's data folder and nothing under the trainee's name."""

    def modules(self):
        return None
