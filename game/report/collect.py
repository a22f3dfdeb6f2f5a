"""Reading logs for the coach report: one streaming pass, small summaries, nothing held per event.

Each log is read on its own; customer-line records are skipped without being
parsed. What is kept per session is a small `SessionSummary` (its scores and
metrics), and per scenario the counts of choices taken at each node. Logs that
are foreign, damaged, truncated before their header or hand-edited so that
they no longer parse are reported by name and skipped.

Choice records are most of what is read, and the report needs only a few of
their fields. A choice line whose hash-chain hash matches its own bytes is
exactly what Kuule wrote, so those fields are read straight from their places
in it; any other line (edited, damaged, or written some other way) is parsed
in full, as before. Both ways give the same summary.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from game.session.chain import HASH_DIGITS
from game.session.reader import LogError, check_header, expand_logs

UNNAMED = ""


def trainee_key(name: str) -> str:
    return " ".join(str(name).split()).casefold()


@dataclass
class Filters:
    trainees: tuple[str, ...] = ()  # compared by trainee_key
    scenarios: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None
    all_modes: bool = False  # default: assessment sessions only

    def keeps_header(self, header: dict, started: datetime, day: date | None = None) -> bool:
        """Whether a session with this header is in the selection (`day`: the local date it started)."""
        if not self.all_modes and header.get("mode") != "assessment":
            return False
        if self.trainees and trainee_key(header.get("trainee", "")) not in {trainee_key(t) for t in self.trainees}:
            return False
        if self.scenarios and header.get("scenario_id") not in self.scenarios:
            return False
        day = day or started.astimezone().date()
        if self.since and day < self.since:
            return False
        if self.until and day > self.until:
            return False
        return True


@dataclass(slots=True)  # ten thousand of them in a big report: no per-instance dict
class SessionSummary:
    path: Path
    session: str
    trainee: str
    trainee_key: str
    scenario_id: str
    content_hash: str
    snapshot: str | None
    scenario_path: str
    title: object
    mode: str
    lang: str
    started: datetime
    finished: bool = False
    abandoned: bool = False
    outcome: str | None = None
    ending: str | None = None
    overall: float | None = None
    listening: float | None = None
    empathy: float | None = None
    reflection_to_question: float | None = None
    complex_share: float | None = None
    opportunity_share: float | None = None
    reflections: int = 0
    complex_reflections: int = 0
    questions: int = 0
    opportunities: int = 0
    opportunities_answered: int = 0
    turns: int = 0
    harmful_moves: int = 0
    taken_back: int = 0
    duration_ms: int = 0
    response_ms_total: int = 0
    attempt: int = 0  # 1-based among this trainee's sessions of this scenario (in the selection), by start time
    counts: bool = False  # the attempt that counts in the overview
    day: str = field(default="", repr=False, compare=False)  # the local date it started (YYYY-MM-DD), once worked out

    @property
    def date(self) -> str:
        return self.day or self.started.astimezone().date().isoformat()

    @property
    def mean_response_ms(self) -> int | None:
        return self.response_ms_total // self.turns if self.turns else None


@dataclass
class ChoiceStat:
    count: int = 0
    harmful: bool = False
    points: float = 0.0
    tags: tuple[str, ...] = ()


@dataclass
class Cohort:
    sessions: list[SessionSummary] = field(default_factory=list)
    # scenario id -> node id -> choice id -> ChoiceStat (choices in effect, after take-backs)
    choices: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(dict)))
    # scenario id -> node id -> how many times the node was left by a choice
    node_visits: dict = field(default_factory=lambda: defaultdict(Counter))
    problems: list[tuple[Path, LogError]] = field(default_factory=list)
    files: int = 0
    skipped_by_filter: int = 0
    practice_left_out: int = 0
    # content hash -> (snapshot path relative to which log folder, scenario path, scenario id)
    versions: dict = field(default_factory=dict)
    # tag -> how many times it was used, over the finished sessions; and when it was first used (start, log, place)
    tag_counts: Counter = field(default_factory=Counter)
    tag_first: dict = field(default_factory=dict)
    # session IDs read so far (the same log twice, copied or named twice, counts once)
    seen: set = field(default_factory=set, repr=False)
    # one copy of the values many sessions share (scenario IDs, hashes, titles, modes)
    shared: dict = field(default_factory=dict, repr=False)

    def one(self, value):
        """`value`, or an equal one already kept: ten thousand sessions hold a handful of distinct values."""
        try:
            return self.shared.setdefault(value, value)
        except TypeError:  # not hashable (a hand-edited log)
            return value


def _started(header: dict) -> datetime:
    value = header.get("started")
    try:
        started = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValueError("started") from None
    return started if started.tzinfo else started.astimezone()


def _number(value):
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


# A choice line as SessionLog writes it: compact JSON, keys in this order, the chain's hash last.
_CHOICE = re.compile(rb'\{"kind":"choice","at":(\d+),"turn":-?\d+,"node":"([^"\\]*)","choice":"([^"\\]*)",.*'
                     rb',"response_ms":(\d+),"n":\d+,"prev":"[0-9a-f]*","hash":"([0-9a-f]{%d})"\}\Z' % HASH_DIGITS, re.S)
_HASHED = -(len(b',"hash":"') + HASH_DIGITS + 2)  # the line's bytes up to its hash field (see game.session.chain)


def read_session(path: Path, filters: Filters, cohort: Cohort) -> SessionSummary | None:
    """One pass over one log; adds its choices to the cohort. Raises LogError for a bad file."""
    # choices in effect (after take-backs): (node, choice, at, response_ms, record or raw line)
    stack: list[tuple[str, str, object, object, object]] = []
    try:
        with open(path, "rb", buffering=0) as handle:
            data = handle.readall()  # one log: a few kilobytes, gone when the next is read
    except OSError as error:
        raise LogError(path, "unreadable", reason=error.strerror or type(error).__name__) from None
    lines = data.split(b"\n")  # the last item is what follows the last newline: b"" or a half-written line
    last = len(lines) - 1
    first = lines[0]
    try:
        header = check_header(path, json.loads(first))
    except ValueError:
        raise LogError(path, "foreign" if last else "damaged", line=1) from None
    try:
        started = _started(header)
    except ValueError:
        raise LogError(path, "foreign") from None
    day = started.astimezone().date()
    if not filters.keeps_header(header, started, day):
        cohort.skipped_by_filter += 1
        if not filters.all_modes and header.get("mode") != "assessment":
            cohort.practice_left_out += 1
        return None
    one = cohort.one
    trainee = str(header.get("trainee") or UNNAMED)
    summary = SessionSummary(
        path=path, session=str(header.get("session")), trainee=one(" ".join(trainee.split())),
        trainee_key=one(trainee_key(trainee)), scenario_id=one(header["scenario_id"]),
        content_hash=one(str(header.get("content_hash", ""))), snapshot=one(header.get("snapshot")),
        scenario_path=one(str(header.get("scenario_path", ""))), title=header.get("scenario_title"),
        mode=one(str(header.get("mode", ""))), lang=one(str(header.get("lang", ""))), started=started,
        day=one(day.isoformat()))
    summary.title = cohort.shared.setdefault(("title", summary.content_hash, repr(summary.title)), summary.title)
    tag_counts = None
    match_choice, sha256 = _CHOICE.match, hashlib.sha256
    for index in range(1, last + 1 if lines[last] else last):
        raw = lines[index]
        if raw.startswith(b'{"kind":"line"'):
            continue
        if raw.startswith(b'{"kind":"choice"'):
            fields = match_choice(raw)
            # an intact line (its hash matches its bytes) is exactly what Kuule wrote: read its fields in place
            if fields is not None and sha256(raw[:_HASHED] + b"}").hexdigest()[:HASH_DIGITS].encode() == fields[5]:
                at, node, choice, response = fields.group(1, 2, 3, 4)
                stack.append((node.decode(), choice.decode(), int(at), int(response), raw))
                continue
        try:
            record = json.loads(raw)
            kind = record["kind"]
        except (ValueError, TypeError, KeyError):
            if index == last:
                break  # the line being written when the process stopped
            raise LogError(path, "damaged", line=index + 1) from None
        if kind == "choice":
            stack.append((record["node"], record["choice"], record.get("at"), int(record.get("response_ms") or 0), record))
        elif kind == "rollback":
            if stack:
                stack.pop()
            summary.taken_back += 1
        elif kind == "end":
            result = record.get("result") or {}
            summary.finished = True
            summary.outcome = one(record.get("outcome"))
            summary.ending = one(record.get("node"))
            summary.overall = _number(result.get("overall"))
            summary.listening = _number((result.get("listening") or {}).get("share"))
            summary.empathy = _number((result.get("empathy") or {}).get("share"))
            summary.reflection_to_question = _number(result.get("reflection_to_question"))
            summary.complex_share = _number(result.get("complex_reflection_share"))
            summary.opportunity_share = _number(result.get("opportunity_share"))
            for key in ("reflections", "complex_reflections", "questions", "opportunities",
                        "opportunities_answered", "harmful_moves"):
                value = result.get(key)
                setattr(summary, key, value if isinstance(value, int) else 0)
            tag_counts = result.get("tag_counts") if isinstance(result.get("tag_counts"), dict) else {}
            summary.duration_ms = int(record.get("duration_ms") or 0)
        elif kind == "abandoned":
            summary.abandoned = True
    if summary.session in cohort.seen:  # the same log twice (copied, or named twice): counted once
        return None
    summary.turns = len(stack)
    summary.response_ms_total = sum(entry[3] for entry in stack)
    if not summary.finished and stack:
        summary.duration_ms = int(stack[-1][2] or 0)
    by_node = cohort.choices[summary.scenario_id]
    first_seen = {}  # choices no session so far has taken: what they are, from the first record of each
    for node, choice, _at, _response, record in stack:
        if choice not in by_node.get(node, ()) and (node, choice) not in first_seen:
            if isinstance(record, bytes):
                record = json.loads(record)  # an intact line: parses
            points = record.get("points") or {}
            first_seen[node, choice] = ChoiceStat(
                harmful=bool(record.get("harmful")), tags=tuple(record.get("tags") or ()),
                points=sum(v for v in points.values() if isinstance(v, (int, float))))
    if tag_counts:
        tag_counts = {k: v for k, v in tag_counts.items() if isinstance(v, int)}
    # nothing below raises: the session is counted whole or not at all
    for (node, choice), stat in first_seen.items():
        by_node[node][choice] = stat
    visits = cohort.node_visits[summary.scenario_id]
    for node, choice, _at, _response, _record in stack:
        by_node[node][choice].count += 1
        visits[node] += 1
    if tag_counts:
        cohort.tag_counts.update(tag_counts)
        for position, tag in enumerate(tag_counts):
            if tag not in cohort.tag_first or summary.started < cohort.tag_first[tag][0]:
                cohort.tag_first[tag] = (summary.started, len(cohort.seen), position)
    cohort.seen.add(summary.session)
    if summary.content_hash not in cohort.versions:
        cohort.versions[summary.content_hash] = (path, summary.snapshot, summary.scenario_path, summary.scenario_id)
    return summary


def collect(paths: Iterable[str | Path], filters: Filters | None = None, attempt: str = "latest") -> Cohort:
    files, problems = expand_logs(paths)
    return collect_files(files, problems, filters, attempt)


def collect_files(files: list[Path], problems: list[tuple[Path, LogError]], filters: Filters | None = None,
                  attempt: str = "latest") -> Cohort:
    """`collect` over logs already found by `expand_logs`, with the problems it met on the way."""
    filters = filters or Filters()
    cohort = Cohort()
    cohort.problems.extend(problems)
    cohort.files = len(files)
    for path in files:
        try:
            summary = read_session(path, filters, cohort)
        except LogError as error:
            cohort.problems.append((path, error))
            continue
        except (KeyError, TypeError, ValueError, AttributeError):
            cohort.problems.append((path, LogError(path, "foreign")))
            continue
        if summary is not None:
            cohort.sessions.append(summary)
    mark_attempts(cohort.sessions, attempt)
    return cohort


def mark_attempts(sessions: list[SessionSummary], attempt: str) -> None:
    """Number each trainee's attempts per scenario by start time, and mark the one that counts."""
    groups: dict[tuple[str, str], list[SessionSummary]] = defaultdict(list)
    for summary in sessions:
        groups[(summary.trainee_key, summary.scenario_id)].append(summary)
    for group in groups.values():
        group.sort(key=lambda s: s.started)
        for index, summary in enumerate(group, 1):
            summary.attempt = index
        finished = [s for s in group if s.finished]
        if not finished:
            continue
        if attempt == "first":
            chosen = finished[0]
        elif attempt == "best":
            chosen = max(finished, key=lambda s: (s.overall or 0.0, s.started))
        else:
            chosen = finished[-1]
        chosen.counts = True
