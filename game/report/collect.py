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
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from itertools import islice
from operator import attrgetter, itemgetter
from datetime import date, datetime
from pathlib import Path

from game.session.chain import HASH_DIGITS
from game.session.reader import LogError, check_header, expand_logs, read_bytes, record_of, with_version

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
    include_unverified: bool = False  # default: a log whose chain does not verify is left out and listed

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
    resumed: int = 0  # times the session was resumed after a stop
    tags: tuple = ()  # (tag, times used in the session) of each tag, in first-used order (finished sessions)
    harmful_turns: tuple = ()  # (turn, node, choice) of each harmful answer in effect, in order
    verified: bool = True  # False only with include_unverified, for a log whose chain does not verify
    picks: tuple = ()  # (node, choice) of each answer in effect, in order (pairs shared across sessions)
    own_codes: tuple = ()  # the main code of the trainee's own words at each turn in effect that has them
    miti_own: bool = False  # the MITI counts above were worked out from the own words (see build_context)
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
    # while reading: scenario id -> (node, choice) -> times taken, and -> its ChoiceStat (see `count_choices`)
    pair_counts: dict = field(default_factory=lambda: defaultdict(Counter), repr=False)
    choice_stats: dict = field(default_factory=lambda: defaultdict(dict), repr=False)
    # one copy of the values many sessions share (scenario IDs, hashes, titles, modes)
    shared: dict = field(default_factory=dict, repr=False)
    # the (node, choice) of a choice line's raw bytes (see read_session), shared as `shared` is
    pair_of: dict = field(default_factory=dict, repr=False)

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


# A choice line as SessionLog writes it: compact JSON, these keys first, response_ms last before n, prev
# and the chain's hash (see game.session.log and game.session.chain).
_CHOICE_HEAD = re.compile(rb'\{"kind":"choice","at":(\d+),"turn":(-?\d+),"node":"([^"\\]*)","choice":"([^"\\]*)",')
_RESPONSE = b',"response_ms":'
_HASH_FIELD = -(len(b',"hash":"') + HASH_DIGITS + 2)  # where the hash field starts: ,"hash":"<digits>"}
_HASH_HEAD = b',"hash":"'


# records of which only the kind matters here: their lines are not parsed when intact
_BARE_KINDS = {b'{"kind":"rollback",': "rollback", b'{"kind":"redirect",': "redirect"}
_BARE_PREFIX = len(b'{"kind":"rollback",')
assert all(len(prefix) == _BARE_PREFIX for prefix in _BARE_KINDS)


# The chain fields that end every line Kuule writes: ,"n":<n>,"prev":"<hash or nothing>" before the hash field
_LINK = re.compile(rb',"n":(\d{1,18}),"prev":"([0-9a-f]{%d}|)"\Z' % HASH_DIGITS)
_LINK_SPAN = 6 + 18 + 9 + HASH_DIGITS + 1


def _chain_holds(lines: list[bytes], count: int) -> bool:
    """Whether the first `count` lines are each exactly as Kuule wrote them and linked one to the next: the
    usual case, checked for all lines at once (each line's ending is known from its number and the hashes)."""
    sha256, body = hashlib.sha256, _HASH_FIELD
    hashes = [sha256(raw[:body] + b"}").hexdigest()[:HASH_DIGITS].encode() for raw in islice(lines, count)]
    endings = [b',"n":%d,"prev":"%s","hash":"%s"}' % link for link in zip(range(1, count + 1), [b"", *hashes], hashes)]
    return all(map(bytes.endswith, islice(lines, count), endings))


def _walk_chain(lines: list[bytes], count: int) -> tuple[bool, list[tuple[bytes, bool]]]:
    """The chain looked at line by line: (whether it holds, [(line, intact) of each record but the header and
    the customer's lines]). A line that is not a record is left out, as every reader does (a cut-off last line,
    or not Kuule's); records after the session's end leave the chain unproven."""
    sha256, hash_field, hash_head, link = hashlib.sha256, _HASH_FIELD, _HASH_HEAD, _LINK.search
    expected, prev, proven, ended, checked = 1, b"", True, False, []
    for index in range(count):
        raw = lines[index]
        intact = (raw[hash_field:hash_field + 9] == hash_head and raw[-2:] == b'"}'
                  and sha256(raw[:hash_field] + b"}").hexdigest()[:HASH_DIGITS].encode() == raw[-HASH_DIGITS - 2:-2])
        linked = intact and (chained := link(raw, max(0, len(raw) + hash_field - _LINK_SPAN), len(raw) + hash_field))
        record = record_of(raw)
        if linked and int(chained[1]) == expected and chained[2] == prev and not ended:
            expected += 1
            prev = raw[-HASH_DIGITS - 2:-2]
        elif record is None:
            continue
        else:
            proven = False
        if record is not None and record["kind"] in ("end", "abandoned"):
            ended = True
        if index and not raw.startswith(b'{"kind":"line"'):
            checked.append((raw, intact))
    return proven, checked


def _failure(path: Path) -> LogError | None:
    """Why a log whose chain the quick check could not prove fails verification (None: it verifies after all)."""
    from game.session.verify import verify_log

    return verify_log(path).failure()


def _own_code(entry) -> str | None:
    """The main code of the trainee's own words on a choice in effect (None: none typed; `other`: not coded)."""
    record = entry[3]
    if isinstance(record, bytes):
        # in an intact line a key cannot be mistaken for text: a quote inside a string is escaped
        if b'"own_words":' not in record:
            return None
        record = record_of(record)
    own = record.get("own_words") if isinstance(record, dict) else None
    if not isinstance(own, dict):
        return None
    codes = own.get("codes")
    return codes[0] if isinstance(codes, list) and codes and isinstance(codes[0], str) else "other"


_RESPONSE_MS = itemgetter(2)


def read_session(path: Path, filters: Filters, cohort: Cohort, place: int | None = None) -> SessionSummary | None:
    """One pass over one log; adds its choices to the cohort's counts. Raises LogError for a bad file.

    `place`: the log's place among all the logs read (default: the number of sessions so far).
    """
    # choices in effect (after take-backs): ((node, choice), at, response_ms, record or raw line, turn)
    stack: list[tuple[tuple, object, object, object, object]] = []
    data = read_bytes(path)  # one log: a few kilobytes, gone when the next is read (regular files only)
    lines = data.split(b"\n")  # the last item is what follows the last newline: b"" or a half-written line
    last = len(lines) - 1
    first = lines[0]
    record = record_of(first)
    if record is None and (not last or first.startswith(b'{"kind":"header"')):
        raise LogError(path, "damaged", line=1)
    header = check_header(path, record)
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
    match_head = _CHOICE_HEAD.match
    pair_of = cohort.pair_of  # (node, choice) of a line's raw bytes, decoded once for all sessions
    # The chain: each line's hash matches its bytes, its n follows, its prev is the hash before. A line that is not
    # a record is left out (the chain goes on past it); anything else unproven is handed to verify, which says
    # what failed.
    count = last + 1 if lines[last] else last
    whole = _chain_holds(lines, count)
    if whole:
        proven, checked = True, [(raw, True) for raw in lines[1:count] if not raw.startswith(b'{"kind":"line"')]
    else:
        proven, checked = _walk_chain(lines, count)
    ended = None  # the line that ended the session
    for raw, intact in checked:
        if raw.startswith(b'{"kind":"choice"'):
            head = match_head(raw)
            # intact (its hash-chain hash matches its bytes), so exactly what Kuule wrote: read the fields in place
            if head is not None and intact:
                start = raw.rfind(_RESPONSE) + len(_RESPONSE)  # the last field before n, prev and hash
                response = raw[start:raw.find(b",", start)] if start >= len(_RESPONSE) else b""
                if response.isdigit():
                    raw_pair = head.group(3, 4)
                    pair = pair_of.get(raw_pair)
                    if pair is None:
                        pair = pair_of[raw_pair] = one((raw_pair[0].decode(), raw_pair[1].decode()))
                    stack.append((pair, int(head[1]), int(response), raw, int(head[2])))
                    continue
        kind = _BARE_KINDS.get(raw[:_BARE_PREFIX])
        if kind is None or not intact:  # a record read for more than its kind, or not as Kuule wrote it
            record = record_of(raw)  # a record: not None (lines that are not were left out above)
            kind = record["kind"]
        if kind in ("end", "abandoned") and ended is None:
            ended = raw
        if kind == "choice":
            stack.append((one((record["node"], record["choice"])), record.get("at"),
                          int(record.get("response_ms") or 0), record, record.get("turn")))
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
        elif kind == "resumed":
            summary.resumed += 1
            if record.get("cut_back"):
                proven = False  # resumed after a cut: verify names it
        elif kind == "reloaded":  # the trainer edited the scenario mid-session: the later version counts
            version = with_version(header, record)
            summary.content_hash = one(str(version.get("content_hash") or ""))
            summary.snapshot = one(version.get("snapshot"))
            summary.title = cohort.shared.setdefault(("title", summary.content_hash, repr(version.get("scenario_title"))),
                                                     version.get("scenario_title"))
    if whole and ended is not None and ended is not lines[count - 1]:
        proven = _walk_chain(lines, count)[0]  # lines after the end: as the close look says
    if not proven:
        failure = _failure(path)
        if failure is not None:
            if not filters.include_unverified:
                raise failure
            summary.verified = False
    if summary.session in cohort.seen:  # the same log twice (copied, or named twice): counted once
        return None
    summary.turns = len(stack)
    summary.response_ms_total = sum(map(_RESPONSE_MS, stack))
    if not summary.finished and stack:
        summary.duration_ms = int(stack[-1][1] or 0)
    # Neither is in most logs: one search of the whole file rules each out (a line parsed above may say it
    # with other spacing, so only a log read all in place is ruled out this way).
    parsed = not whole or any(not isinstance(entry[3], bytes) for entry in stack)
    harmful_turns = []
    if parsed or b'"harmful":true' in data:
        for entry in stack:  # harmful answers, with their turn numbers
            record = entry[3]
            if b'"harmful":true' in record if isinstance(record, bytes) else record.get("harmful"):
                turn = entry[4]
                harmful_turns.append(one((turn if isinstance(turn, int) else len(harmful_turns) + 1, *entry[0])))
    summary.harmful_turns = tuple(harmful_turns)
    if parsed or b'"own_words":' in data:
        summary.own_codes = tuple(one(code) for code in map(_own_code, stack) if code is not None)
    pairs = [entry[0] for entry in stack]  # each already the one copy kept
    summary.picks = tuple(pairs)
    known = cohort.choice_stats[summary.scenario_id]
    first_seen = {}  # choices no session so far has taken: what they are, from the first record of each
    for pair in set(pairs).difference(known):
        record = stack[pairs.index(pair)][3]
        if isinstance(record, bytes):
            record = record_of(record)  # an intact line: parses
        points = record.get("points") or {}
        first_seen[pair] = ChoiceStat(harmful=bool(record.get("harmful")), tags=tuple(record.get("tags") or ()),
                                      points=sum(v for v in points.values() if isinstance(v, (int, float))))
    if tag_counts:
        tag_counts = {one(k): v for k, v in tag_counts.items() if isinstance(v, int)}
        summary.tags = tuple(map(one, tag_counts.items()))  # pairs many sessions share: a tuple is half a dict
    # nothing below raises: the session is counted whole or not at all
    known.update(first_seen)
    cohort.pair_counts[summary.scenario_id].update(pairs)
    if tag_counts:
        cohort.tag_counts.update(tag_counts)
        first = cohort.tag_first
        place = len(cohort.seen) if place is None else place
        for position, tag in enumerate(tag_counts):
            if tag not in first or (summary.started, place, position) < first[tag]:
                first[tag] = (summary.started, place, position)
    cohort.seen.add(summary.session)
    if summary.content_hash not in cohort.versions:
        cohort.versions[summary.content_hash] = (path, summary.snapshot, summary.scenario_path, summary.scenario_id)
    return summary


def collect(paths: Iterable[str | Path], filters: Filters | None = None, attempt: str = "latest") -> Cohort:
    files, problems = expand_logs(paths)
    return collect_files(files, problems, filters, attempt)


CHUNK = 200  # logs handed out at a time when the helper process reads some of them


def collect_files(files: list[Path], problems: list[tuple[Path, LogError]], filters: Filters | None = None,
                  attempt: str = "latest", helper=None) -> Cohort:
    """`collect` over logs already found by `expand_logs`, with the problems it met on the way.

    With a helper process (game.report.helper), both take chunks of logs to read from one count,
    each chunk is read into a cohort of its own, and the chunks are added up in the logs' order:
    the cohort is the same as when every log is read here, one after another.
    """
    filters = filters or Filters()
    cohort = Cohort()
    cohort.problems.extend(problems)
    cohort.files = len(files)
    future = helper.submit(send_chunks, PathList.of(files), filters) \
        if helper is not None and len(files) > CHUNK else None
    if future is None:
        _read_into(cohort, files, 0, filters)
    else:
        parts, received, following = {}, 0, 0  # following: where the next chunk to add starts

        def add(final: bool = False) -> None:
            """Add the chunks delivered so far, in the logs' order, up to the first one missing (`final`: every
            chunk, those still missing read here: the helper failed)."""
            nonlocal following
            while following < len(files):
                part = parts.pop(following, None)
                if part is None and not final:
                    return
                if part is None or not cohort.seen.isdisjoint(part.seen):
                    # not delivered (the helper failed), or a log the same as one in an earlier chunk: read here
                    _read_into(cohort, files[following:following + CHUNK], following, filters)
                else:
                    part.add_to(cohort, files)
                following += CHUNK

        for start, part in read_chunks(files, filters, helper.take, cohort.shared):
            parts[start] = part
            for where, what in helper.drain():  # taken as they come: the helper need not hold them
                parts[where] = what
                received += 1
            add()  # added as soon as they can be: holding them all to the end takes more memory
        if helper.took():  # it finishes the chunk it is reading and sends it (else: no need to wait)
            sent = helper.result(future) or 0
            while received < sent and (item := helper.receive()) is not None:
                parts[item[0]] = item[1]
                received += 1
        add(final=True)
    count_choices(cohort)
    mark_attempts(cohort.sessions, attempt)
    return cohort


def _read_into(cohort: Cohort, files: list[Path], first: int, filters: Filters) -> None:
    for place, path in enumerate(files, first):
        try:
            summary = read_session(path, filters, cohort, place)
        except LogError as error:
            cohort.problems.append((path, error))
            continue
        except (KeyError, TypeError, ValueError, AttributeError):
            cohort.problems.append((path, LogError(path, "foreign")))
            continue
        if summary is not None:
            cohort.sessions.append(summary)


_FIELDS = attrgetter(*(f.name for f in fields(SessionSummary)))  # a summary's values, in the order it takes them


@dataclass
class Chunk:
    """What a chunk of logs adds to a cohort, in a form that goes quickly from the helper process to this one:
    logs are given by their place in the list of logs, and problems as (place, reason, params)."""

    sessions: list
    problems: list
    skipped_by_filter: int
    practice_left_out: int
    seen: set
    pair_counts: dict
    choice_stats: dict
    tag_counts: Counter
    tag_first: dict
    versions: dict

    @classmethod
    def of(cls, part: Cohort, files: list[Path], start: int) -> "Chunk":
        place = {path: index for index, path in enumerate(files[start:start + CHUNK], start)}
        for summary in part.sessions:
            summary.path = place[summary.path]
        versions = {key: (place[path], *rest) for key, (path, *rest) in part.versions.items()}
        # as plain tuples of their values: a third of the bytes, and nothing to throw away when they are rebuilt
        sessions = list(map(_FIELDS, part.sessions))
        return cls(sessions, [(place[path], error.reason, error.params) for path, error in part.problems],
                   part.skipped_by_filter, part.practice_left_out, part.seen, dict(part.pair_counts),
                   dict(part.choice_stats), part.tag_counts, part.tag_first, versions)

    def add_to(self, cohort: Cohort, files: list[Path]) -> None:
        """Add this chunk to the cohort of the logs before it: as if its logs were read into it one by one."""
        one = cohort.one
        keep = cohort.shared.setdefault  # for what is always hashable: cheaper than `one`
        sessions = [SessionSummary(*values) for values in self.sessions]
        for summary in sessions:  # one copy of the values sessions share, in this process
            summary.path = files[summary.path]
            summary.trainee, summary.trainee_key = one(summary.trainee), one(summary.trainee_key)
            summary.scenario_id, summary.content_hash = one(summary.scenario_id), one(summary.content_hash)
            summary.snapshot, summary.scenario_path = one(summary.snapshot), one(summary.scenario_path)
            summary.mode, summary.lang, summary.day = one(summary.mode), one(summary.lang), one(summary.day)
            summary.outcome, summary.ending = one(summary.outcome), one(summary.ending)
            # pairs and triples of strings and numbers (a session holding anything else was not read)
            summary.picks = tuple(map(keep, summary.picks, summary.picks))
            summary.tags = tuple(map(keep, summary.tags, summary.tags))
            summary.harmful_turns = tuple(map(keep, summary.harmful_turns, summary.harmful_turns))
            summary.title = cohort.shared.setdefault(("title", summary.content_hash, repr(summary.title)), summary.title)
        cohort.sessions.extend(sessions)
        cohort.problems.extend((files[place], LogError(files[place], reason, **params))
                               for place, reason, params in self.problems)
        cohort.skipped_by_filter += self.skipped_by_filter
        cohort.practice_left_out += self.practice_left_out
        cohort.seen |= self.seen
        for scenario_id, counts in self.pair_counts.items():
            cohort.pair_counts[scenario_id].update(counts)  # new choices keep the order they were first taken in
            stats = cohort.choice_stats[scenario_id]
            for pair, stat in self.choice_stats.get(scenario_id, {}).items():
                stats.setdefault(pair, stat)
        cohort.tag_counts.update(self.tag_counts)
        for tag, first in self.tag_first.items():
            if tag not in cohort.tag_first or first < cohort.tag_first[tag]:
                cohort.tag_first[tag] = first
        for content_hash, (place, *rest) in self.versions.items():
            cohort.versions.setdefault(content_hash, (files[place], *rest))


def read_chunks(files: list[Path], filters: Filters, take=None, shared: dict | None = None):
    """Read chunks of `files` while there are any left to take: (where the chunk starts, what it adds), one by one.

    `take(count, total)` hands out where the next chunk starts; by default from the helper process's count.
    `shared`: the values sessions share (see Cohort.one), kept across chunks: one copy of each in this process.
    """
    if take is None:
        from game.report.helper import take
    shared = {} if shared is None else shared
    pair_of = {}
    while (start := take(CHUNK, len(files))) < len(files):
        part = Cohort(shared=shared, pair_of=pair_of)
        _read_into(part, files[start:start + CHUNK], start, filters)
        yield start, Chunk.of(part, files, start)


class PathList:
    """A list of paths sent to the helper as one string: a hundred thousand Path objects take seconds to pickle.
    Slicing gives Paths (all the reading needs)."""

    def __init__(self, joined: str, count: int):
        self._joined, self._count, self._names = joined, count, None

    @classmethod
    def of(cls, files: list[Path]) -> "PathList":
        return cls("\0".join(map(str, files)), len(files))  # no path holds a NUL

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, where: slice) -> list[Path]:
        if self._names is None:
            self._names = self._joined.split("\0") if self._count else []
        return [Path(name) for name in self._names[where]]


def send_chunks(files: list[Path] | PathList, filters: Filters) -> int:
    """In the helper process: read chunks while there are any left, each sent to the report as soon as it is read
    (nothing held here until the end). Returns how many were sent."""
    from game.report.helper import deliver

    sent = 0
    for item in read_chunks(files, filters):
        deliver(item)
        sent += 1
    return sent


def count_choices(cohort: Cohort) -> None:
    """Fill `choices` and `node_visits` from the counts kept while reading (nodes and choices in first-taken order)."""
    for scenario_id, counts in cohort.pair_counts.items():
        by_node, visits, stats = cohort.choices[scenario_id], cohort.node_visits[scenario_id], cohort.choice_stats[scenario_id]
        for (node, choice), count in counts.items():
            stat = by_node[node][choice] = stats[node, choice]
            stat.count = count
            visits[node] += count


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
