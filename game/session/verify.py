"""Checking a session log's hash chain: which lines were edited, removed, moved or damaged.

A problem names the line in the file (1 = the header). A half-written last
line is what a crash leaves, not tampering: it is noted, not counted as a problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from game.i18n import Catalog
from game.session import chain
from game.session.reader import LogError, check_header, iter_raw, parse, record_of

_ = Catalog({
    "edited": ("line {line} was edited (its contents no longer match its hash)",
               "riviä {line} on muokattu (sisältö ei enää vastaa tiivistettä)"),
    "rehashed": ("line {line} was edited or replaced (line {next} no longer links to it)",
                 "riviä {line} on muokattu tai se on vaihdettu (rivi {next} ei enää linkity siihen)"),
    "removed": ("{count} line(s) removed before line {line} (expected record {first}, found {found})",
                "riviltä {line} edeltä poistettu rivejä: {count} (odotettiin tietuetta {first}, löytyi {found})"),
    "removed_end": ("line(s) removed at the end after the end of the session",
                    "istunnon päättymisrivin jälkeen on poistettu rivejä"),
    "reordered": ("line {line} is out of order (it was written as line {n})",
                  "rivi {line} on väärässä kohdassa (se kirjoitettiin rivinä {n})"),
    "duplicate": ("line {line} repeats record {n}", "rivi {line} toistaa tietueen {n}"),
    "damaged": ("line {line} is damaged (not a complete record)", "rivi {line} on vioittunut (ei kokonainen tietue)"),
    "unhashed": ("line {line} has no hash (added by hand?)", "rivillä {line} ei ole tiivistettä (lisätty käsin?)"),
    "after_end": ("line {line} was added after the session ended", "rivi {line} on lisätty istunnon päätyttyä"),
    "header": ("line 1 is not the header of this session", "rivi 1 ei ole tämän istunnon otsikkorivi"),
    "cut_back": ("line {line}: the session was resumed after its log had been cut back from {had} lines to {found}",
                 "rivi {line}: istuntoa jatkettiin, vaikka sen loki oli leikattu {had} rivistä {found} riviin"),
    "ignored": ("line {line} is not a record (garbage, too long or nested too deep); left out — the lines around it still link up",
                "rivi {line} ei ole tietue (roskaa, liian pitkä tai liian syvä); jätetty pois — sen ympäröivät rivit linkittyvät yhä toisiinsa"),
})


def problem_message(code: str, lang: str, params: dict) -> str:
    return _(code, lang, **params)


@dataclass
class Problem:
    line: int
    code: str
    params: dict = field(default_factory=dict)

    def message(self, lang: str) -> str:
        return _(self.code, lang, line=self.line, **self.params)


@dataclass
class Verdict:
    path: Path
    lines: int = 0
    finished: bool = False
    truncated: bool = False  # a half-written last line, as a crash leaves
    problems: list[Problem] = field(default_factory=list)
    error: LogError | None = None  # not a log at all
    ignored: list[int] = field(default_factory=list)  # lines that are not records, left out without breaking the chain
    resumed: int = 0  # how many times the session was resumed
    cut_back: bool = False  # resumed after the log had been cut back (see game.session.ledger)

    @property
    def ok(self) -> bool:
        return self.error is None and not self.problems

    def failure(self) -> LogError | None:
        """Why the log cannot be trusted, as a LogError (the first problem), or None if it can."""
        if self.error is not None:
            return self.error
        if self.problems:
            first = self.problems[0]
            return LogError(self.path, first.code, line=first.line, **first.params)
        return None


def verify_log(path) -> Verdict:
    path = Path(path)
    verdict = Verdict(path)
    entries = []  # (file line, n, stated hash, prev)
    flagged: set[int] = set()

    def flag(line, code, **params):
        if line not in flagged or code in ("removed",):
            verdict.problems.append(Problem(line, code, params))
            flagged.add(line)

    try:
        raws = list(iter_raw(path))
    except LogError as error:
        verdict.error = error
        return verdict
    if not raws or (len(raws) == 1 and not raws[0][1]):
        verdict.error = LogError(path, "empty")
        return verdict
    end_line = None
    ignored_since: list[int] = []  # lines left out since the last record: one stands where a record is missing
    gap_at: dict[int, int] = {}  # entry index -> the first line left out just before it
    for number, raw, complete in raws:
        record = parse(raw) if number == 1 else record_of(raw)
        if number == 1:
            try:
                check_header(path, record)
            except LogError as error:
                if not complete and record is None:
                    error = LogError(path, "damaged", line=1)
                verdict.error = error
                return verdict
        if not complete and number == len(raws):
            if record is None or chain.actual_hash(raw) != chain.stated_hash(raw):
                verdict.truncated = True
                break
        verdict.lines = number
        if record is None or (number == 1 and not isinstance(record.get("n"), int)):
            verdict.ignored.append(number)  # left out; if a record is missing here, the gap in `n` says so
            ignored_since.append(number)
            continue
        if ignored_since:
            gap_at[len(entries)] = ignored_since[0]
            ignored_since = []
        stated, actual = chain.stated_hash(raw), chain.actual_hash(raw)
        if stated is None or record.get("hash") != stated:
            flag(number, "unhashed")
        elif actual != stated:
            flag(number, "edited")
        if end_line is not None:
            flag(number, "after_end")
        if record.get("kind") in ("end", "abandoned") and end_line is None:
            end_line = number
        if record.get("kind") == "resumed":
            verdict.resumed += 1
            behind = record.get("cut_back")
            if isinstance(behind, dict):
                verdict.cut_back = True
                flag(number, "cut_back", found=behind.get("found", number - 1), had=behind.get("had", "?"))
        entries.append((number, record["n"], stated, record.get("prev")))
    verdict.finished = end_line is not None
    if entries and entries[0][1] not in (1, None):
        flag(entries[0][0], "header")
    # Order: each record's number must be one more than the previous record's.
    by_n: dict[int, tuple[int, str]] = {}
    highest = 0
    for index, (number, n, stated, _prev) in enumerate(entries):
        if n in by_n:
            flag(number, "duplicate", n=n)
            continue
        by_n[n] = (number, stated)
        if n < highest:
            flag(number, "reordered", n=n)
        elif n > highest + 1 and not any(m in by_n for m in range(highest + 1, n)):
            present = {e[1] for e in entries}
            missing = [m for m in range(highest + 1, n) if m not in present]
            if missing and index in gap_at:  # a line that is not a record stands where one is missing
                flag(gap_at[index], "damaged")
            elif missing:
                flag(number, "removed", count=len(missing), first=missing[0], found=n)
        highest = max(highest, n)
    # Links: record n must carry the hash of record n-1 as its prev.
    for number, n, stated, prev in entries:
        if n == 1:
            continue
        before = by_n.get(n - 1)
        if before is not None and prev != before[1] and before[0] not in flagged:
            flag(before[0], "rehashed", next=number)
    verdict.problems.sort(key=lambda p: p.line)
    return verdict
