"""Building the coach report: aggregate the cohort, draw the charts, stream the page to disk.

    outcome = write_report(paths, out="report.html", lang="fi", filters=Filters(...), csv_path=None)

Aggregates are computed from the small per-session summaries (see `collect`);
transcripts are read back from their logs one at a time while the page is
written, so memory does not grow with the number of events. The session list
goes into the page as data that its script draws (ten thousand rows of markup
were most of the page and of the time to write it). With a second CPU, a helper
process imports matplotlib, reads a share of the logs and draws the charts while
this one works on the rest (see game.report.helper); the page is the same without it.
"""

from __future__ import annotations

import csv
import json
import os
import secrets
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain, islice
from operator import attrgetter
from pathlib import Path

from game.debrief import miti_from_codes
from game.i18n import number, percent, pick
from game.report import charts
from game.report.collect import Cohort, Filters, SessionSummary, collect_files
from game.report.helper import Helper
from game.report.scenarios import ScenarioLibrary
from game.report.texts import _
from game.session.reader import expand_logs

PAGE_TEXTS = ("attention_none", "weakest", "harmful_most", "no_harmful", "turn_n", "no_transcript", "same_trainees",
              "first", "latest", "change", "people", "too_few", "resumed_mark", "unverified_mark", "no_data",
              "listening", "empathy", "overall", "ratio", "complex", "answered", "attempt_n", "no_finished",
              "outcome_good", "outcome_mixed", "outcome_bad", "outcome_left", "outcome_none", "per_session", "unnamed", "finished",
              "times", "wrong_share", "sessions_more", "show_more", "earlier_attempts", "mode_practice",
              "mode_assessment", "abandoned", "unfinished")

METRICS = (  # key in the page, rubric threshold name, shown as percent
    ("ratio", "reflection_to_question", False),
    ("complex", "complex_reflections", True),
    ("answered", "opportunities_answered", True),
)


@dataclass
class Outcome:
    out: Path
    sessions: int
    trainees: int
    scenarios: int
    problems: list = field(default_factory=list)
    practice_left_out: int = 0
    csv: Path | None = None


def rating(value, fair, good) -> str:
    if value is None:
        return "none"
    if good is not None and value >= good:
        return "good"
    if fair is not None and value >= fair:
        return "fair"
    return "below"


def _mean(values):
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


def pooled(sessions: list[SessionSummary]) -> dict:
    """MITI metrics pooled over the sessions' answers (not averages of ratios)."""
    finished = [s for s in sessions if s.finished]
    reflections = sum(s.reflections for s in finished)
    complex_ = sum(s.complex_reflections for s in finished)
    questions = sum(s.questions for s in finished)
    opportunities = sum(s.opportunities for s in finished)
    answered = sum(s.opportunities_answered for s in finished)
    return {
        "ratio": reflections / questions if questions else None,
        "complex": complex_ / reflections if reflections else None,
        "answered": answered / opportunities if opportunities else None,
        "listening": _mean(s.listening for s in finished),
        "empathy": _mean(s.empathy for s in finished),
        "overall": _mean(s.overall for s in finished),
        "harmful": (sum(s.harmful_moves for s in finished) / len(finished)) if finished else None,
        "response_ms": _mean(s.mean_response_ms for s in finished),
        "finished": len(finished),
        "sessions": len(sessions),
    }


def own_miti(summary: SessionSummary, rubric) -> None:
    """Count the session's MITI reflections and questions from the trainee's own words (the honest measure:
    what they said, not which offered answer they recognised), in place of the chosen answers' counts."""
    counts = miti_from_codes(summary.own_codes, rubric)
    summary.reflections, summary.complex_reflections = counts.reflections, counts.complex_reflections
    summary.questions = counts.questions
    summary.reflection_to_question, summary.complex_share = counts.reflection_to_question, counts.complex_share
    summary.miti_own = True


class Formatter:
    def __init__(self, lang: str):
        self.lang = lang

    def pct(self, value) -> str:
        return "–" if value is None else percent(value, self.lang)

    def ratio(self, value) -> str:
        return "–" if value is None else number(value, self.lang, 1) + ":1"

    def metric(self, key, value) -> str:
        return self.ratio(value) if key == "ratio" else self.pct(value)

    def num(self, value, decimals=1) -> str:
        return "–" if value is None else number(value, self.lang, decimals)

    def seconds(self, ms) -> str:
        return "–" if ms is None else number(ms / 1000, self.lang, 1) + " s"

    def minutes(self, ms) -> str:
        if not ms:
            return "–"
        seconds = int(ms // 1000)
        return f"{seconds // 60}:{seconds % 60:02d}"

    def when(self, moment: datetime) -> str:
        return self.when_at(moment.timestamp())

    def when_at(self, seconds: float) -> str:
        """A moment given as seconds since the epoch, in this machine's local time (as `datetime.astimezone()`)."""
        t = time.localtime(seconds)
        if self.lang == "fi":
            return f"{t.tm_mday}.{t.tm_mon}.{t.tm_year} {t.tm_hour:02d}.{t.tm_min:02d}"
        return f"{t.tm_year}-{t.tm_mon:02d}-{t.tm_mday:02d} {t.tm_hour:02d}:{t.tm_min:02d}"


def _trainee_label(summary: SessionSummary, lang: str) -> str:
    return summary.trainee or _("unnamed", lang)


def build_context(cohort: Cohort, library: ScenarioLibrary, lang: str, attempt: str, all_modes: bool,
                  max_transcripts: int, max_charts: int, painter: charts.Painter | None = None) -> dict:
    fmt = Formatter(lang)
    painter = painter or charts.Painter()
    sessions = sorted(cohort.sessions, key=lambda s: s.started)
    thresholds = library.thresholds()
    # -- scenarios and their texts --------------------------------------------------------------------
    scenario_info: dict[str, dict] = {}
    for summary in sessions:
        info = scenario_info.get(summary.scenario_id)
        if info is None:
            scenario, exact = library.find(summary.content_hash, summary.scenario_id, summary.path, summary.snapshot,
                                           summary.scenario_path)
            title = pick(scenario.title, lang) if scenario is not None else pick(summary.title, lang) or summary.scenario_id
            info = scenario_info[summary.scenario_id] = {"id": summary.scenario_id, "title": title or summary.scenario_id,
                                                         "scenario": scenario, "exact": exact, "sessions": []}
        info["sessions"].append(summary)
        if summary.own_codes and not summary.miti_own:
            rubric = info["scenario"].rubric if info["scenario"] is not None else library.rubric()
            if rubric is not None:
                own_miti(summary, rubric)
    scenario_order = sorted(scenario_info, key=lambda k: scenario_info[k]["title"].casefold())
    titles = {k: scenario_info[k]["title"] for k in scenario_info}
    # -- trainees -----------------------------------------------------------------------------------
    trainee_names: dict[str, str] = {}
    by_trainee: dict[str, list[SessionSummary]] = defaultdict(list)
    for summary in sessions:
        trainee_names.setdefault(summary.trainee_key, _trainee_label(summary, lang))
        by_trainee[summary.trainee_key].append(summary)
    trainee_order = sorted(trainee_names, key=lambda k: trainee_names[k].casefold())
    # -- per scenario: skills, MITI, outcomes, tags -------------------------------------------------------
    per_scenario = []
    for scenario_id in scenario_order:
        group = scenario_info[scenario_id]["sessions"]
        metrics = pooled(group)
        outcomes = Counter(s.outcome if s.finished else None for s in group)
        per_scenario.append({"id": scenario_id, "title": titles[scenario_id], "metrics": metrics, "outcomes": outcomes,
                             "ratings": {k: rating(metrics[k], thresholds.get(t, {}).get("fair"),
                                                   thresholds.get(t, {}).get("good")) for k, t, _p in METRICS},
                             "texts": {k: fmt.metric(k, metrics[k]) for k, _t, _p in METRICS},
                             "listening": fmt.pct(metrics["listening"]), "empathy": fmt.pct(metrics["empathy"]),
                             "overall": fmt.pct(metrics["overall"]), "harmful": fmt.num(metrics["harmful"]),
                             "sessions": len(group), "finished": metrics["finished"]})
    threshold_rows = []
    for key, name, as_percent in METRICS:
        bounds = thresholds.get(name, {})
        show = fmt.pct if as_percent else fmt.ratio
        threshold_rows.append({"key": key, "label": _(key, lang), "fair": bounds.get("fair"), "good": bounds.get("good"),
                               "text": _("threshold_text", lang, fair=show(bounds.get("fair")), good=show(bounds.get("good")))
                               if bounds else ""})
    # -- charts: asked for now, in the page's order; a helper process draws them while the rest is built ----
    chart_svgs = {}
    ranked = sorted(trainee_order, key=lambda k: (-len(by_trainee[k]), trainee_names[k].casefold()))
    charted = set(ranked[:max_charts])
    trainee_charts, drawings = [], []
    for key in trainee_order:
        if key not in charted:
            continue
        series = defaultdict(list)
        for summary in by_trainee[key]:
            if summary.finished and summary.overall is not None:
                series[titles[summary.scenario_id]].append((summary.attempt, summary.overall, summary.mode == "assessment"))
        if not series:
            continue
        trainee_charts.append({"key": key, "name": trainee_names[key],
                               "scenarios": sorted({s.scenario_id for s in by_trainee[key]})})
        drawings.append((dict(series), f"{_('progress', lang)}: {trainee_names[key]}"))
    for chart, svg in zip(trainee_charts, painter.draw_small_progress(drawings, _("attempt_axis", lang), lang)):
        chart["svg"] = svg
    if per_scenario:
        groups = [s["title"] for s in per_scenario]
        chart_svgs["skills"] = painter.draw(
            "grouped_bars", groups, {_("listening", lang): [s["metrics"]["listening"] for s in per_scenario],
                                     _("empathy", lang): [s["metrics"]["empathy"] for s in per_scenario]},
            _("skills_chart", lang), lang)
        panels = []
        for key, name, as_percent in METRICS:
            bounds = thresholds.get(name, {})
            panels.append({"title": _(key, lang), "groups": groups, "values": [s["metrics"][key] for s in per_scenario],
                           "fair": bounds.get("fair"), "good": bounds.get("good"), "percent": as_percent,
                           "fair_label": _("fair", lang), "good_label": _("good", lang)})
        chart_svgs["miti"] = painter.draw("thresholds", panels, _("miti", lang), lang)
        names = {o: _("outcome_" + (o or "none"), lang) for o in ("good", "mixed", "bad", "left", None)}
        chart_svgs["outcomes"] = painter.draw("outcomes", groups, [s["outcomes"] for s in per_scenario], names,
                                              _("outcomes", lang))
    rubric = library.rubric()
    # -- choices per node ------------------------------------------------------------------------------
    node_sections = []
    # (scenario, node, choice) -> its number in the page, for the filters: by name, so the same whatever order
    # the logs (or an LRS's statements) were read in
    picked = [(scenario_id, node_id, choice_id) for scenario_id, nodes in cohort.choices.items()
              for node_id, choices in nodes.items() for choice_id in choices]
    picked.sort(key=lambda key: tuple(map(str, key)))  # str: an edited log may hold other kinds of IDs
    pick_index = {key: place for place, key in enumerate(picked)}
    picks_of: dict[str, dict] = defaultdict(dict)  # the same numbers by scenario, then (node, choice)
    for (scenario_id, node_id, choice_id), place in pick_index.items():
        picks_of[scenario_id][node_id, choice_id] = place
    for scenario_id in scenario_order:
        scenario = scenario_info[scenario_id]["scenario"]
        nodes = []
        for node_id, choices in cohort.choices.get(scenario_id, {}).items():
            total = sum(stat.count for stat in choices.values())
            harmful = sum(stat.count for stat in choices.values() if stat.harmful)
            node = scenario.nodes.get(node_id) if scenario is not None else None
            rows = []
            for choice_id, stat in sorted(choices.items(), key=lambda item: -item[1].count):
                choice = node.choice(choice_id) if node is not None else None
                labels = [pick(rubric.tags[t].label, lang) if rubric is not None and t in rubric.tags else t for t in stat.tags]
                rows.append({"id": choice_id, "text": pick(choice.text, lang) if choice else choice_id, "count": stat.count,
                             "share": stat.count / total if total else 0, "share_text": fmt.pct(stat.count / total if total else None),
                             "harmful": stat.harmful, "tags": labels, "points": stat.points,
                             "pick": pick_index[scenario_id, node_id, choice_id]})
            nodes.append({"id": node_id, "line": pick(node.line, lang) if node is not None else "",
                          "opportunity": pick(node.opportunity, lang) if node is not None and node.opportunity else "",
                          "total": total, "harmful_share": harmful / total if total else 0,
                          "harmful_text": fmt.pct(harmful / total if total else None), "choices": rows,
                          "order": node.source_line if node is not None else 0})
        nodes.sort(key=lambda n: (-n["harmful_share"], -n["total"], n["order"]))
        node_sections.append({"id": scenario_id, "title": titles[scenario_id], "nodes": nodes,
                              "exact": scenario_info[scenario_id]["exact"], "found": scenario is not None})
    # -- sessions, transcripts and the data for the page's filters --------------------------------------------
    newest = sorted(sessions, key=lambda s: s.started, reverse=True)
    transcribed = {s.session for s in newest[:max_transcripts]}
    # moves (tags) by index, for the per-session counts the page adds up under any filter
    move_index: dict[str, int] = {}
    moves: list[list] = []

    def move(tag: str) -> int:
        if tag not in move_index:
            entry = rubric.tags.get(tag) if rubric is not None else None
            move_index[tag] = len(moves)
            moves.append([pick(entry.label, lang) if entry else tag, int(bool(entry and entry.harmful)),
                          entry.axis if entry else ""])
        return move_index[tag]

    harm_moves: dict[tuple[str, str, str], int] = {}

    def harm_move(scenario_id: str, node: str, choice: str) -> int:
        key = (scenario_id, node, choice)
        if key not in harm_moves:
            stat = cohort.choice_stats.get(scenario_id, {}).get((node, choice))
            tags = stat.tags if stat is not None else ()
            harmful = [t for t in tags if rubric is not None and t in rubric.tags and rubric.tags[t].harmful]
            harm_moves[key] = move((harmful or list(tags) or [choice])[0])
        return harm_moves[key]

    # a session's tags and harmful turns repeat across sessions: each pair is worked out once
    tag_pairs = Memo(lambda pair: (move(pair[0]), pair[1]))  # (tag, count) -> (move, count)
    harm_pairs = Memo(lambda scenario_id: Memo(lambda turn: (turn[0], harm_move(scenario_id, turn[1], turn[2]))))
    plain = attrgetter("trainee_key", "scenario_id", "date", "reflections", "complex_reflections", "questions",
                       "opportunities", "opportunities_answered", "harmful_moves", "attempt", "resumed", "mode",
                       "turns", "taken_back")
    flat = chain.from_iterable

    def row(s: SessionSummary) -> list:
        started = int(s.started.timestamp())
        return [*plain(s), int(s.finished), _round(s.listening), _round(s.empathy), _round(s.overall),
                s.session if s.session in transcribed else "", int(s.counts), s.outcome if s.finished else None,
                list(flat(map(tag_pairs.__getitem__, s.tags))),
                list(flat(map(harm_pairs[s.scenario_id].__getitem__, s.harmful_turns))), int(s.verified),
                fmt.when_at(started), [number for number in map(picks_of[s.scenario_id].get, s.picks)
                                       if number is not None],
                s.duration_ms // 1000 if s.duration_ms else None, started, int(s.abandoned)]

    data = {
        "thresholds": {k: thresholds.get(t, {}) for k, t, _p in METRICS},
        "lang": lang,
        # the order of `row`'s values; the page finds each by name
        "fields": ["trainee", "scenario", "date", "reflections", "complex", "questions", "opportunities", "answered",
                   "harmful", "attempt", "resumed", "mode", "turns", "taken_back", "finished", "listening", "empathy",
                   "overall", "anchor", "counts", "outcome", "tags", "harm", "verified", "when", "picks", "duration_s",
                   "started", "abandoned"],
        # a list of a hundred thousand: made row by row as the page is written, never held whole (see Rows)
        "sessions": Rows(lambda: map(row, sessions)),
        "moves": moves,
        "names": trainee_names,
        "labels": {k: _(k, lang) for k in ("rating_good", "rating_fair", "rating_below", "rating_none")},
        "texts": {k: _(k, lang) for k in PAGE_TEXTS},
        "titles": titles,
    }
    return {
        "lang": lang, "t": lambda key, **values: _(key, lang, **values), "fmt": fmt,
        "generated": fmt.when(datetime.now().astimezone()), "files": cohort.files,
        "problems": [{"path": str(path), "reason": error.message(lang)} for path, error in cohort.problems],
        "all_modes": all_modes, "attempt_rule": attempt,
        "trainees": [{"key": k, "name": trainee_names[k]} for k in trainee_order],
        "scenarios": [{"id": k, "title": titles[k]} for k in scenario_order],
        "dates": (sessions[0].date, sessions[-1].date) if sessions else ("", ""),
        "per_scenario": per_scenario, "threshold_rows": threshold_rows, "node_sections": node_sections, "charts": chart_svgs, "trainee_charts": trainee_charts,
        "uncharted": max(0, len([k for k in trainee_order if by_trainee[k]]) - len(charted)),
        "untranscribed": max(0, len(newest) - len(transcribed)),
        "transcripts": transcripts(newest[:max_transcripts], scenario_info, library, lang, fmt),
        "data": data, "session_count": len(sessions), "own_sessions": sum(1 for s in sessions if s.miti_own),
    }


def _round(value):
    return None if value is None else round(value, 4)


def transcripts(sessions, scenario_info, library, lang, fmt):
    """Each session's annotated transcript, read back from its log one at a time (a generator)."""
    from game.report.transcript import read_transcript

    for summary in sessions:
        scenario, exact = library.find(summary.content_hash, summary.scenario_id, summary.path, summary.snapshot,
                                       summary.scenario_path)
        yield read_transcript(summary, scenario, exact, scenario_info[summary.scenario_id]["title"], lang, fmt)


def write_csv(sessions: list[SessionSummary], path: Path, lang: str) -> None:
    columns = ["session", "file", "trainee", "scenario", "mode", "started", "attempt", "counts", "finished", "outcome",
               "overall", "listening", "empathy", "reflection_to_question", "complex_reflection_share",
               "opportunity_share", "turns", "taken_back", "harmful_moves", "duration_s", "mean_answer_s",
               "miti_from"]  # own_words: the MITI figures count what the trainee typed; answers: the answers picked

    def cell(value):
        if value is None:
            return ""
        if isinstance(value, float):
            return f"{value:.4f}"
        text = str(value)
        return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text  # no formulas in spreadsheets

    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    with private_file(temporary, newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for s in sorted(sessions, key=lambda s: s.started):
            writer.writerow([cell(v) for v in (
                s.session, s.path.name, s.trainee, s.scenario_id, s.mode, s.started.isoformat(), s.attempt,
                int(s.counts), int(s.finished), s.outcome, s.overall, s.listening, s.empathy, s.reflection_to_question,
                s.complex_share, s.opportunity_share, s.turns, s.taken_back, s.harmful_moves,
                round(s.duration_ms / 1000, 1), None if s.mean_response_ms is None else round(s.mean_response_ms / 1000, 2),
                "own_words" if s.miti_own else "answers")])
    os.replace(temporary, path)


def private_file(path: Path, newline=None, encoding="utf-8"):
    """A new text file only its owner can read (0600), whatever the umask: reports hold personal data."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    return open(fd, "w", newline=newline, encoding=encoding)


class Memo(dict):
    """A dict that works out a missing value once, with `make(key)`."""

    def __init__(self, make):
        super().__init__()
        self.make = make

    def __missing__(self, key):
        value = self[key] = self.make(key)
        return value


class Rows:
    """A long list in the page's data, made when the page is written: `make()` gives its items one by one."""

    def __init__(self, make):
        self.make = make


def script_json(value) -> str:
    """JSON that can stand inside a <script> element. ASCII only (\\u escapes): half the memory of a string with
    "ä" or "–" in it, for the session list's megabytes."""
    return json.dumps(value, ensure_ascii=True, separators=(",", ":")) \
        .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class Written:
    """The page's data already written as JSON, in parts (see json_parts)."""

    def __init__(self, parts: list[str]):
        self.parts = parts


def json_parts(data, batch: int = 1000):
    """`script_json(data)` in pieces, with each `Rows` value written `batch` items at a time: the same text, but a
    hundred thousand sessions never held at once, as rows or as one string. `Written` data: its parts."""
    if isinstance(data, Written):
        yield from data.parts
        return
    yield "{"
    for place, (key, value) in enumerate(data.items()):
        yield ("," if place else "") + script_json(key) + ":"
        if not isinstance(value, Rows):
            yield script_json(value)
            continue
        yield "["
        items, first = value.make(), True
        while chunk := list(islice(items, batch)):
            yield ("" if first else ",") + script_json(chunk)[1:-1]
            first = False
        yield "]"
    yield "}"


def environment():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(loader=FileSystemLoader(str(Path(__file__).parent)), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["tojson_script"] = script_json
    env.globals["json_parts"] = json_parts
    return env


HELPER_FROM = 20  # logs: from this many on, a helper process reads some and draws the charts (game.report.helper)


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def write_report(paths, out, lang: str = "en", filters: Filters | None = None, attempt: str = "latest",
                 csv_path=None, scenario_dirs=(), max_transcripts: int = 200, max_charts: int = 8,
                 helper: bool | None = None) -> Outcome:
    """Read the logs, write the page (and the CSV). `helper`: share the work with a second process
    (default: with enough logs, and a second CPU to run it on)."""
    filters = filters or Filters()
    # First of all: the helper imports matplotlib while the logs are found and read. Without a say, it is
    # started before the logs are counted (a hundred thousand take a while), and let go if they are few.
    second = Helper() if helper or (helper is None and _cpus() > 1) else None
    files, problems = expand_logs(paths)
    if second is not None and helper is None and len(files) < HELPER_FROM:
        second.stop(kill=True)
        second = None
    try:
        cohort = collect_files(files, problems, filters, attempt, second)
        library = ScenarioLibrary(scenario_dirs)
        practice_left_out = cohort.practice_left_out
        context = build_context(cohort, library, lang, attempt, filters.all_modes, max_transcripts, max_charts,
                                charts.Painter(second))
        if second is not None and second.alive:
            # The charts come first in the page: while the helper draws them, read the transcripts and write the
            # data the page's script draws from (a few seconds for a hundred thousand sessions), rather than wait.
            context["transcripts"] = list(context["transcripts"])
            context["data"] = Written(list(json_parts(context["data"])))
        out = Path(out)
        template = environment().get_template("report.html.j2")
        temporary = out.with_name(f".{out.name}.{secrets.token_hex(4)}.tmp")
        try:
            with private_file(temporary) as handle:  # names and scores of people: readable by the coach only
                template.stream(**context).dump(handle)
            os.replace(temporary, out)
        finally:
            if temporary.exists():
                temporary.unlink()
    except BaseException:
        if second is not None:
            second.stop(kill=True)  # an error, or Ctrl+C: not a moment longer
        raise
    if second is not None:
        second.stop()
    if csv_path:
        write_csv(cohort.sessions, Path(csv_path), lang)
    return Outcome(out=out, sessions=len(cohort.sessions), trainees=len(context["trainees"]),
                   scenarios=len(context["scenarios"]), problems=cohort.problems, practice_left_out=practice_left_out,
                   csv=Path(csv_path) if csv_path else None)
