"""Resuming a session that did not end (a crash, a closed window, a stopped terminal).

    for unfinished in unfinished_sessions():
        ...offer it...
    conversation, log = resume(unfinished, scenario)   # replays its choices and take-backs, then appends

The log holds the seed and every choice and take-back in order, so replaying
them through the engine restores the exact point: the same node, mood, flags,
once-only choices, shuffled order and the same take-backs still possible. If
the scenario file changed since (another content hash), `ScenarioChanged` is
raised: the old choices may no longer mean the same thing, so offer a fresh
start. A session the trainee chooses not to resume is marked `abandoned`
and is not offered again.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from game.engine import Conversation, ConversationError
from game.engine.events import Ended
from game.session.log import SUFFIX, SessionLog, resolve_log_dir
from game.session.reader import LogError, iter_records, read_last_record, with_version

FINISHED_KINDS = ("end", "abandoned")


class ResumeError(Exception):
    """The session cannot be restored."""


class ScenarioChanged(ResumeError):
    def __init__(self, unfinished: "Unfinished", content_hash: str):
        super().__init__(f"{unfinished.scenario_path}: the scenario changed since this session was played")
        self.unfinished, self.content_hash = unfinished, content_hash


class ReplayFailed(ResumeError):
    def __init__(self, unfinished: "Unfinished", error: Exception):
        super().__init__(f"{unfinished.path}: the recorded choices could not be replayed ({error})")
        self.unfinished, self.error = unfinished, error


@dataclass(frozen=True)
class Unfinished:
    path: Path
    scenario_id: str
    scenario_path: str
    content_hash: str
    trainee: str
    mode: str
    lang: str
    seed: int
    choices: list[str]  # the choices in effect (after take-backs)
    started: datetime
    actions: tuple[tuple[str, str | None], ...] = field(default=())  # ("choose", id) / ("rollback", None), in order
    session: str = ""
    title: object = None  # the scenario's title as logged (Text)
    drawn: dict | None = None  # the customer the session met (trait, stake), as logged

    @property
    def turns(self) -> int:
        return len(self.choices)


def _started(header: dict) -> datetime:
    try:
        return datetime.fromisoformat(header.get("started", ""))
    except (TypeError, ValueError):
        return datetime.fromtimestamp(0).astimezone()


def read_unfinished(path: str | os.PathLike) -> Unfinished | None:
    """The log as an Unfinished session, or None if it ended or was abandoned. Raises LogError if unreadable."""
    header, actions, choices = None, [], []
    for _number, record in iter_records(path, skip_lines=True):
        kind = record.get("kind")
        if header is None:
            header = record
        elif kind == "choice":
            actions.append(("choose", record["choice"]))
            choices.append(record["choice"])
        elif kind == "rollback":
            actions.append(("rollback", None))
            if choices:
                choices.pop()
        elif kind == "reloaded":
            header = with_version(header, record)
        elif kind in FINISHED_KINDS:
            return None
    return Unfinished(path=Path(path), scenario_id=header["scenario_id"], scenario_path=header.get("scenario_path", ""),
                      content_hash=header.get("content_hash", ""), trainee=header.get("trainee", ""),
                      mode=header.get("mode", "practice"), lang=header.get("lang", "en"), seed=header["seed"],
                      choices=choices, started=_started(header), actions=tuple(actions),
                      session=header.get("session", ""), title=header.get("scenario_title"),
                      drawn=header.get("drawn") if isinstance(header.get("drawn"), dict) else None)


def unfinished_sessions(log_dir: str | os.PathLike | None = None, trainee: str | None = None,
                        include_empty: bool = False) -> list[Unfinished]:
    """Unfinished sessions in the log folder, newest first.

    Sessions in which no choice was made yet are left out (resuming them is a fresh start)
    unless `include_empty`. Unreadable or foreign files are skipped; `verify` reports them.
    With `trainee`, only that trainee's sessions (compared ignoring case and surrounding spaces).
    """
    folder = resolve_log_dir(log_dir)
    if not folder.is_dir():
        return []
    wanted = trainee.strip().casefold() if trainee is not None else None
    found = []
    for path in folder.glob(f"*{SUFFIX}"):
        try:
            last = read_last_record(path)
            if last is None or last.get("kind") in FINISHED_KINDS:
                continue
            unfinished = read_unfinished(path)
        except (LogError, KeyError, TypeError):
            continue
        if unfinished is None or (not include_empty and not unfinished.actions):
            continue
        if wanted is not None and unfinished.trainee.strip().casefold() != wanted:
            continue
        found.append(unfinished)
    found.sort(key=lambda u: (u.started.timestamp(), u.path.name), reverse=True)
    return found


def current_scenario(unfinished: Unfinished):
    """Load the scenario the session was played from, as it is now (LoadResult)."""
    from game.scenario.loader import load_scenario

    return load_scenario(unfinished.scenario_path)


def restore(unfinished: Unfinished, scenario, listeners=()) -> Conversation:
    """A Conversation at the session's exact point, without touching its log."""
    if scenario.content_hash != unfinished.content_hash:
        raise ScenarioChanged(unfinished, scenario.content_hash)
    conversation = Conversation(scenario, seed=unfinished.seed, listeners=listeners, drawn=unfinished.drawn)
    try:
        for action, choice_id in unfinished.actions:
            if action == "rollback":
                conversation.rollback()
            else:
                conversation.choose(choice_id)
    except ConversationError as error:
        raise ReplayFailed(unfinished, error) from error
    return conversation


def resume(unfinished: Unfinished, scenario) -> tuple[Conversation, SessionLog]:
    """Restore the session and go on writing to its log. Raises ScenarioChanged, ReplayFailed or LogError."""
    log = SessionLog.reopen(unfinished.path)  # first: locked (LogError "in_use" if open elsewhere)
    try:
        current = read_unfinished(unfinished.path)  # as it is now it is ours: another process may have gone on
        if current is None:
            raise LogError(unfinished.path, "finished")
        conversation = restore(current, scenario)
    except BaseException:
        log.close()
        raise
    extra = {"cut_back": log.cut_back} if log.cut_back else {}
    log.note("resumed", node=conversation.node.id, turn=conversation.turn, **extra)
    conversation.subscribe(log)
    if conversation.ended:  # stopped between the last choice and its end line
        log(Ended(conversation.node.id, conversation.line.outcome, conversation.result))
    return conversation, log


def abandon(unfinished: Unfinished, reason: str = "declined") -> None:
    """Mark the session as not to be resumed (the trainee chose a fresh start)."""
    try:
        log = SessionLog.reopen(unfinished.path, check_ledger=False)
    except (LogError, OSError):
        return
    try:
        log.note("abandoned", reason=reason)
    finally:
        log.close()
