"""The coach report: what it shows, filters, CSV, bad files skipped, and text never run as markup."""

import csv
from collections import Counter
import json
import os
import re
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

from game.engine import Conversation
from game.report.build import write_report
from game.report.collect import Filters, collect
from game.scenario.loader import load_scenario
from game.session.log import SessionLog

ROOT = Path(__file__).parent.parent
EVIL = "<script>alert(1)</script>"


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("KUULE_HOME", str(tmp_path / "home"))


def play(folder, trainee, actions, scenario="tests/fixtures/mini.yaml", mode="assessment", seed=1):
    loaded = load_scenario(ROOT / scenario).scenario
    log = SessionLog.start(loaded, trainee=trainee, mode=mode, seed=seed, log_dir=folder)
    conversation = Conversation(loaded, seed=log.seed, listeners=[log])
    for action in actions:
        conversation.rollback() if action == "<back>" else conversation.choose(action)
    log.close()
    return log.path


def cohort(folder):
    """Aino improves on mini; Bea practises; the evil name plays engine; one unfinished; bad files beside them."""
    play(folder, "Aino", ["lecture"])                          # 1: walks out
    play(folder, "Aino", ["ask", "shrug"])                     # 2: bad
    play(folder, "Aino", ["ask", "help"])                      # 3: good, 100 %
    play(folder, "Bea", ["ask", "again", "<back>", "help"], mode="practice")
    play(folder, EVIL, ["reflect", "deep"], scenario="tests/fixtures/engine.yaml")
    play(folder, "Aino", ["ask"])                              # unfinished
    (folder / "foreign.jsonl").write_text('{"hello": "world"}\n')
    whole = play(folder, "Cut", ["ask", "help"])
    (folder / "cut.jsonl").write_bytes(whole.read_bytes()[:50])
    os.remove(whole)
    return folder


class Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts, self.text, self._in_script = [], [], False

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self._in_script = True
            self.scripts.append(dict(attrs))

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if not self._in_script:
            self.text.append(data)


def test_collect_summarises_sessions_and_skips_bad_files(tmp_path):
    folder = cohort(tmp_path / "logs")
    result = collect([folder], Filters(all_modes=True))
    problems = {path.name: error.reason for path, error in result.problems}
    assert problems == {"foreign.jsonl": "foreign", "cut.jsonl": "damaged"}
    aino = sorted((s for s in result.sessions if s.trainee == "Aino"), key=lambda s: s.started)
    assert [s.attempt for s in aino] == [1, 2, 3, 4]
    assert [s.outcome for s in aino] == ["left", "bad", "good", None]
    assert [s.counts for s in aino] == [False, False, True, False]  # the latest finished
    assert aino[2].overall == pytest.approx(1.0)
    bea = next(s for s in result.sessions if s.trainee == "Bea")
    assert bea.taken_back == 1 and bea.turns == 2
    start = result.choices["mini"]["start"]
    assert start["ask"].count == 4 and start["lecture"].count == 1 and start["lecture"].harmful
    assert "again" not in result.choices["mini"]["middle"]  # taken back: not in effect
    assessment_only = collect([folder], Filters())
    assert {s.trainee for s in assessment_only.sessions} == {"Aino", EVIL}
    assert assessment_only.practice_left_out == 1
    best = collect([folder], Filters(), attempt="first")
    assert [s.attempt for s in best.sessions if s.counts and s.trainee == "Aino"] == [1]


def test_report_page_content_and_escaping(tmp_path):
    folder = cohort(tmp_path / "logs")
    out = tmp_path / "report.html"
    outcome = write_report([folder], out, lang="en", filters=Filters(all_modes=True), csv_path=tmp_path / "r.csv")
    assert outcome.sessions == 6 and outcome.trainees == 3 and outcome.scenarios == 2
    page = out.read_text(encoding="utf-8")
    parser = Text()
    parser.feed(page)
    text = " ".join(parser.text)
    # the evil name is text, never markup: exactly two scripts, both ours
    assert EVIL not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert EVIL in text
    assert parser.scripts == [{"type": "application/json", "id": "report-data"}, {}]
    assert page.count("<script") == 2
    # self-contained: no external resources
    assert not re.search(r'(src|href)="(https?:)?//', page)
    assert "<svg" in page and page.count('class="chart"') >= 5
    for heading in ("Cohort overview", "Progress over attempts", "Skills", "MITI-style metrics against their thresholds",
                    "Choices at each point of the conversation", "Annotated transcripts"):
        assert heading in text
    assert "fair ≥ 1.0:1, good ≥ 2.0:1" in text  # thresholds from the rubric
    assert "Thought, unsaid: I can't read this." in text  # the unsaid thought in the transcript
    assert "Tell me what happened?" in text and "You should read the manual." in text
    assert "taken back" in text
    assert "foreign.jsonl" in text and "cut.jsonl" in text  # skipped files named in the page too
    data = json.loads(re.search(r'<script type="application/json" id="report-data">(.*?)</script>', page, re.S).group(1))
    assert len(data["sessions"]) == 6 and data["thresholds"]["ratio"] == {"fair": 1.0, "good": 2.0}
    rows = list(csv.DictReader(open(tmp_path / "r.csv", encoding="utf-8-sig")))
    assert len(rows) == 6 and {r["trainee"] for r in rows} == {"Aino", "Bea", EVIL}
    assert [r["outcome"] for r in rows if r["trainee"] == "Aino"] == ["left", "bad", "good", ""]


def test_report_command_filters_and_finnish(tmp_path):
    folder = cohort(tmp_path / "logs")
    env = dict(os.environ, LANG="C")
    run = subprocess.run([sys.executable, "main.py", "report", str(folder), "--out", str(tmp_path / "a.html"),
                          "--trainee", "aino", "--lang", "fi", "--csv", str(tmp_path / "a.csv")],
                         capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "foreign.jsonl: ohitettu: ei ole Kuulen istuntoloki" in run.stdout  # with what was written
    assert "Kirjoitettiin" in run.stdout and "Traceback" not in run.stderr
    page = (tmp_path / "a.html").read_text(encoding="utf-8")
    assert '<html lang="fi">' in page and "Ryhmän yleiskatsaus" in page and "Ajatteli, ei sanonut" in page
    assert "En näe tätä." in page  # the scenario's Finnish text
    assert "Bea" not in page and "alert(1)" not in page
    assert len(list(csv.DictReader(open(tmp_path / "a.csv", encoding="utf-8-sig")))) == 4
    none = subprocess.run([sys.executable, "main.py", "report", str(folder), "--out", str(tmp_path / "b.html"),
                           "--trainee", "Bea"], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert none.returncode == 0 and "only assessment sessions count unless --all-modes" in none.stderr
    dated = subprocess.run([sys.executable, "main.py", "report", str(folder), "--since", "2001-13-01"],
                           capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert dated.returncode == 2 and "not a date: 2001-13-01" in dated.stderr
    future = collect([folder], Filters(all_modes=True, since=__import__("datetime").date(2999, 1, 1)))
    assert future.sessions == []


def test_scenario_texts_come_from_the_copy_kept_with_the_logs(tmp_path):
    source = tmp_path / "mine.yaml"
    source.write_text((ROOT / "tests/fixtures/mini.yaml").read_text())
    play_from = load_scenario(source).scenario
    log = SessionLog.start(play_from, trainee="Aino", mode="assessment", seed=1, log_dir=tmp_path / "logs")
    conversation = Conversation(play_from, seed=1, listeners=[log])
    conversation.choose("ask")
    conversation.choose("help")
    log.close()
    source.write_text(source.read_text().replace("This kettle is broken.", "Edited later."))
    write_report([tmp_path / "logs"], tmp_path / "r.html")
    page = (tmp_path / "r.html").read_text()
    assert "This kettle is broken." in page and "Edited later." not in page


def test_markup_in_scenario_texts_is_text(tmp_path):
    source = tmp_path / "evil.yaml"
    source.write_text((ROOT / "tests/fixtures/mini.yaml").read_text()
                      .replace("Tell me what happened?", "<img src=x onerror=alert(2)>")
                      .replace("A small test", "</title><script>alert(3)</script>"))
    loaded = load_scenario(source).scenario
    assert loaded is not None
    log = SessionLog.start(loaded, trainee="Aino", mode="assessment", seed=1, log_dir=tmp_path / "logs")
    conversation = Conversation(loaded, seed=1, listeners=[log])
    conversation.choose("ask")
    conversation.choose("help")
    log.close()
    write_report([tmp_path / "logs"], tmp_path / "r.html")
    page = (tmp_path / "r.html").read_text()
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(2)&gt;" in page
    assert "<script>alert(3)" not in page and page.count("<script") == 2


def _cohort_state(result):
    sessions = sorted(((s.session, s.path.name, s.trainee, s.scenario_id, s.mode, s.started, s.finished, s.outcome,
                        s.overall, s.listening, s.empathy, s.reflections, s.questions, s.turns, s.taken_back,
                        s.duration_ms, s.response_ms_total, s.attempt, s.counts, s.abandoned) for s in result.sessions))
    choices = {sc: {n: {c: (st.count, st.harmful, st.points, st.tags) for c, st in by.items()} for n, by in nodes.items()}
               for sc, nodes in result.choices.items()}
    return (sessions, choices, {k: dict(v) for k, v in result.node_visits.items()}, dict(result.tag_counts),
            sorted((p.name, e.reason, tuple(sorted(e.params.items()))) for p, e in result.problems))


def test_choice_lines_read_in_place_agree_with_parsing_them(tmp_path, monkeypatch):
    """Intact choice lines are read by position; reading every one in full gives the same cohort."""
    import game.report.collect as collect_module

    folder = cohort(tmp_path / "logs")
    fast = collect([folder], Filters(all_modes=True))
    monkeypatch.setattr(collect_module, "_CHOICE_HEAD", re.compile(rb"(?!)"))  # never matches: every line parsed
    slow = collect([folder], Filters(all_modes=True))
    assert _cohort_state(fast) == _cohort_state(slow)
    assert sum(st.count for nodes in fast.choices.values() for by in nodes.values() for st in by.values()) == 10


def test_edited_and_damaged_choice_lines(tmp_path):
    """A log whose chain does not verify is left out and named with what failed; --include-unverified counts it
    as the lines now say, marked unverified. Broken JSON where a record was is named as damaged."""
    folder = tmp_path / "logs"
    path = play(folder, "Aino", ["ask", "help"])
    lines = path.read_bytes().splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if line.startswith(b'{"kind":"choice"'))
    edited = re.sub(rb'"response_ms":\d+', b'"response_ms":4321', lines[number])
    path.write_bytes(b"".join(lines[:number] + [edited] + lines[number + 1:]))
    result = collect([folder], Filters())
    assert result.sessions == []
    assert [(p.name, e.reason, e.params) for p, e in result.problems] == [(path.name, "edited", {"line": number + 1})]
    assert f"line {number + 1} was edited" in result.problems[0][1].message("en")
    summary = collect([folder], Filters(include_unverified=True)).sessions[0]
    assert summary.response_ms_total >= 4321 and summary.turns == 2 and not summary.verified  # as the line now says
    broken = lines[number].replace(b'"mood_after":{', b'"mood_after":{{')  # not JSON any more, fields still in place
    path.write_bytes(b"".join(lines[:number] + [broken] + lines[number + 1:]))
    result = collect([folder], Filters())
    assert result.sessions == []
    assert [(p.name, e.reason, e.params) for p, e in result.problems] == [(path.name, "damaged", {"line": number + 1})]


def test_a_garbage_line_drops_the_line_not_the_session(tmp_path):
    folder = tmp_path / "logs"
    path = play(folder, "Aino", ["ask", "help"])
    whole = collect([folder], Filters())
    with open(path, "ab") as handle:
        handle.write(b"garbage\n" + b"[" * 100_000 + b"\n" + b'{"kind":"end","result":{"overall":0.0}}\n' + b"x" * 3_000_000)
    result = collect([folder], Filters())
    assert result.problems == [] and len(result.sessions) == 1
    assert _cohort_state(result) == _cohort_state(whole)


def test_a_pipe_or_a_folder_named_like_a_log_is_never_waited_on(tmp_path):
    import os

    folder = tmp_path / "logs"
    play(folder, "Aino", ["ask", "help"])
    os.mkfifo(folder / "pipe.jsonl")
    (folder / "dir.jsonl").mkdir()
    result = collect([folder, folder / "pipe.jsonl"], Filters())  # a pipe named on its own is read, and refused
    assert len(result.sessions) == 1
    assert [(p.name, e.reason) for p, e in result.problems] == [("pipe.jsonl", "not_file")]


def test_the_same_log_twice_counts_once(tmp_path):
    folder = tmp_path / "logs"
    path = play(folder, "Aino", ["ask", "help"])
    (folder / "copy").mkdir()
    (folder / "copy" / path.name).write_bytes(path.read_bytes())
    result = collect([folder], Filters())
    assert len(result.sessions) == 1
    assert result.choices["mini"]["start"]["ask"].count == 1 and result.node_visits["mini"]["start"] == 1
    assert all(count == 1 for count in result.tag_counts.values())


def _page_without_clock(path):
    return re.sub(r"(Generated|Luotu) [^<]*? (from|\d)", "", path.read_text(encoding="utf-8"))


def test_a_helper_process_draws_the_same_charts(tmp_path):
    folder = cohort(tmp_path / "logs")
    write_report([folder], tmp_path / "here.html", filters=Filters(all_modes=True), helper=False)
    write_report([folder], tmp_path / "helper.html", filters=Filters(all_modes=True), helper=True)
    here, helped = _page_without_clock(tmp_path / "here.html"), _page_without_clock(tmp_path / "helper.html")
    assert here.count('class="chart"') == 6 and here == helped


def test_charts_are_drawn_here_when_the_helper_dies(tmp_path, monkeypatch):
    from game.report import charts

    parent = os.getpid()
    real = charts.CHARTS["thresholds"]

    def dies_in_the_helper(*args, **kwargs):
        if os.getpid() != parent:
            os._exit(3)
        return real(*args, **kwargs)

    monkeypatch.setitem(charts.CHARTS, "thresholds", dies_in_the_helper)  # the helper is forked with this in place
    folder = cohort(tmp_path / "logs")
    write_report([folder], tmp_path / "here.html", filters=Filters(all_modes=True), helper=False)
    if not sys.platform.startswith("linux"):
        pytest.skip("the helper is forked only on Linux")
    write_report([folder], tmp_path / "helper.html", filters=Filters(all_modes=True), helper=True)
    assert _page_without_clock(tmp_path / "here.html") == _page_without_clock(tmp_path / "helper.html")


def test_a_helper_process_reads_chunks_of_the_logs_to_the_same_cohort(tmp_path, monkeypatch):
    """Logs read in chunks, some by the helper, add up to what reading them one by one gives, copies and all."""
    import game.report.collect as collect_module
    from game.report.collect import collect_files
    from game.report.helper import Helper
    from game.session.reader import expand_logs

    folder = cohort(tmp_path / "logs")
    for index, path in enumerate(sorted(folder.glob("*.jsonl"))[:3]):  # copies, some of them in later chunks
        (folder / f"zz-copy-{index}.jsonl").write_bytes(path.read_bytes())
    play(folder, "Cai", ["ask", "help"], mode="practice")
    files, problems = expand_logs([folder])
    assert len(files) == 12
    one_by_one = collect_files(files, problems, Filters(all_modes=True))
    parent, read_into = os.getpid(), collect_module._read_into

    def slow_here(*args):  # so that the helper gets chunks to read too
        if os.getpid() == parent:
            time.sleep(0.2)
        read_into(*args)

    monkeypatch.setattr(collect_module, "CHUNK", 2)  # in place before the helper is forked
    monkeypatch.setattr(collect_module, "_read_into", slow_here)
    helper = Helper()
    try:
        assert helper.alive
        helper.submit(int).result(timeout=60)  # ready: matplotlib imported
        chunked = collect_files(files, problems, Filters(all_modes=True), helper=helper)
        assert helper.took() > 0
    finally:
        helper.stop()
    assert _cohort_state(chunked) == _cohort_state(one_by_one)
    assert [s.session for s in chunked.sessions] == [s.session for s in one_by_one.sessions]
    assert list(chunked.tag_counts) == list(one_by_one.tag_counts) and chunked.tag_first == one_by_one.tag_first
    assert [(p.name, e.reason) for p, e in chunked.problems] == [(p.name, e.reason) for p, e in one_by_one.problems]
    assert len(chunked.sessions) == 7 and chunked.files == 12


def test_tags_tied_in_count_keep_the_order_they_were_first_used_in(tmp_path):
    """Most used first; a tie goes to the tag first used, by start time, whatever order the files are in."""
    folder = tmp_path / "logs"
    paths = [play(folder, "Aino", actions) for actions in (["ask", "help"], ["lecture"], ["ask", "shrug"])]
    for number, path in enumerate(reversed(paths)):  # the files' order is the reverse of the sessions'
        path.rename(folder / f"{number}-{path.name}")
    result = collect([folder], Filters())
    expected = Counter()
    for path in sorted(folder.glob("*.jsonl"), key=lambda p: json.loads(p.read_text().splitlines()[0])["started"]):
        end = json.loads(path.read_text().splitlines()[-1])
        expected.update({k: v for k, v in end["result"]["tag_counts"].items() if isinstance(v, int)})
    ordered = sorted(result.tag_counts.items(), key=lambda item: (-item[1], result.tag_first[item[0]]))
    assert ordered == expected.most_common() and len(ordered) > 2


def test_the_whole_log_chain_check_gives_what_the_line_by_line_look_gives(tmp_path, monkeypatch):
    """Logs proven at once (every line as written and linked) add up to the same cohort as looking at each line;
    an edited or cut log is still told apart."""
    import game.report.collect as collect_module

    folder = cohort(tmp_path / "logs")
    edited = play(folder, "Dan", ["ask", "help"])
    lines = edited.read_bytes().splitlines(keepends=True)
    lines[2] = lines[2].replace(b'"turn":1', b'"turn":7')
    edited.write_bytes(b"".join(lines))
    after_end = play(folder, "Eve", ["ask", "help"])
    after_end.write_bytes(after_end.read_bytes() + after_end.read_bytes().splitlines(keepends=True)[1])
    assert collect_module._chain_holds(*_lines(play(folder, "Fay", ["ask", "help"])))
    quick = collect([folder], Filters(all_modes=True))
    monkeypatch.setattr(collect_module, "_chain_holds", lambda lines, count: False)
    slow = collect([folder], Filters(all_modes=True))
    assert _cohort_state(quick) == _cohort_state(slow)
    failed = {path.name for path, _error in quick.problems}
    assert edited.name in failed and after_end.name in failed


def _lines(path):
    lines = path.read_bytes().split(b"\n")
    return lines, len(lines) - 1


def test_the_session_data_is_written_in_pieces_as_the_same_json(tmp_path):
    """The page's data, its long lists made row by row as the page is written, is the JSON of the whole."""
    from game.report.build import Rows, json_parts, script_json

    rows = [[index, f"Tr\u00e4inee <{index}>", None, [index % 3, 1.5]] for index in range(2501)]
    data = {"lang": "fi", "sessions": Rows(lambda: iter(rows)), "empty": Rows(lambda: iter(())), "texts": {"a": "&"}}
    whole = script_json({**data, "sessions": rows, "empty": []})
    for batch in (1, 7, 1000, 5000):
        assert "".join(json_parts(data, batch)) == whole
    assert json.loads(whole)["sessions"][2500][1] == "Tr\u00e4inee <2500>" and "<" not in whole


def test_a_streamed_page_has_the_same_numbers_for_many_generated_sessions(tmp_path, monkeypatch):
    """Generated sessions (real played ones, copied as other trainees' attempts) in one process and with the
    helper: the same page, and its data counts every session once."""
    from bench.report import generate

    monkeypatch.setenv("KUULE_HOME", str(tmp_path / "home"))
    folder = tmp_path / "logs"
    folder.mkdir()
    generate(folder, 450, templates=12, quick=True)
    here, helped = tmp_path / "here.html", tmp_path / "helped.html"
    write_report([folder], here, filters=Filters(all_modes=True), helper=False)
    write_report([folder], helped, filters=Filters(all_modes=True), helper=True)
    assert _page_without_clock(here) == _page_without_clock(helped)
    page = here.read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/json" id="report-data">(.*?)</script>', page, re.S).group(1))
    assert len(data["sessions"]) == 450
    assert len({row[data["fields"].index("started")] for row in data["sessions"]}) == 450
