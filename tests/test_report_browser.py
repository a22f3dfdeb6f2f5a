"""The report in a real headless Chromium (Debian's `chromium`), driven over the DevTools protocol.

It renders, its charts are visible, a filter works, and the console stays free of errors. The
browser is driven through --remote-debugging-pipe (file descriptors 3 and 4), so no websocket
library is needed. Skips when chromium is absent, unless CI=true, where it must run.
"""

import base64
import json
import os
import select
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.test_report import EVIL, cohort

from game.report.build import write_report
from game.report.collect import Filters

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
if BROWSER is None:
    if os.environ.get("CI") == "true":
        raise RuntimeError("CI=true but chromium is not installed (apt-get install -y chromium)")
    pytest.skip("chromium not installed", allow_module_level=True)

OUTPUT = Path(__file__).parent / "output"  # screenshots for people to look at (ignored by git)


class Chromium:
    def __init__(self, profile: Path):
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        # the browser reads commands on fd 3 and writes answers on fd 4
        self.process = subprocess.Popen(
            [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--disable-extensions", "--remote-debugging-pipe",
             f"--user-data-dir={profile}", "--window-size=1280,900", "about:blank"],
            pass_fds=(3, 4), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=lambda: (os.dup2(to_browser_r, 3), os.dup2(from_browser_w, 4)))
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._next = 0
        self.events = []
        self.session = None

    def _read(self, timeout):
        ready, _, _ = select.select([self._from_browser], [], [], timeout)
        if not ready:
            return None
        chunk = os.read(self._from_browser, 1 << 20)
        if not chunk:
            raise RuntimeError("chromium closed the pipe")
        self._buffer += chunk
        return True

    def _messages(self):
        while b"\0" in self._buffer:
            raw, self._buffer = self._buffer.split(b"\0", 1)
            yield json.loads(raw)

    def send(self, method, params=None, session=True, timeout=30):
        self._next += 1
        message = {"id": self._next, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for reply in self._messages():
                if reply.get("id") == self._next:
                    if "error" in reply:
                        raise RuntimeError(f"{method}: {reply['error']}")
                    return reply.get("result", {})
                self.events.append(reply)
            self._read(0.2)
        raise TimeoutError(method)

    def wait_for(self, method, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for event in self.events:
                if event.get("method") == method:
                    return event
            for reply in self._messages():
                self.events.append(reply)
            self._read(0.2)
        raise TimeoutError(method)

    def open(self, url):
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True},
                                 session=False)["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.send(f"{domain}.enable")
        self.send("Page.navigate", {"url": url})
        self.wait_for("Page.loadEventFired")

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in result:
            raise AssertionError(result["exceptionDetails"])
        return result["result"].get("value")

    def resize(self, width: int, height: int, mobile: bool = False):
        self.send("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1,
                                                         "mobile": mobile})

    def screenshot(self, path: Path, height: int, width: int = 1280, mobile: bool = False):
        self.resize(width, height, mobile)
        data = self.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))

    def problems(self):
        """Console errors and uncaught exceptions seen so far."""
        found = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                found.append(params["exceptionDetails"].get("text"))
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                found.append(params.get("args"))
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                found.append(params["entry"].get("text"))
        return found

    def close(self):
        try:
            self.send("Browser.close", session=False, timeout=5)
        except Exception:  # noqa: BLE001 - closing anyway
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        os.close(self._to_browser)
        os.close(self._from_browser)


@pytest.fixture
def browser(tmp_path):
    chromium = Chromium(tmp_path / "profile")
    yield chromium
    chromium.close()


VISIBLE = "(el => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length))"


@pytest.mark.parametrize("lang", ["en", "fi"])
def test_report_renders_charts_filters_and_has_no_console_errors(tmp_path, browser, monkeypatch, lang):
    monkeypatch.setenv("KUULE_HOME", str(tmp_path / "home"))
    folder = cohort(tmp_path / "logs")
    out = tmp_path / "report.html"
    write_report([folder], out, lang=lang, filters=Filters(all_modes=True))
    browser.open(out.as_uri())
    assert browser.evaluate("document.title") == ("Kuule coach report" if lang == "en" else "Kuule – valmentajan raportti")
    # charts: inline SVGs with drawn content and a real size on screen
    charts = browser.evaluate(f"""[...document.querySelectorAll('svg.chart')].map(s => {{
        const r = s.getBoundingClientRect(); return [r.width, r.height, s.querySelectorAll('path,use').length]; }})""")
    assert len(charts) >= 5
    assert all(width > 200 and height > 80 and drawn > 5 for width, height, drawn in charts), charts
    # the evil trainee name is on the page as text, and no alert ran
    assert browser.evaluate("document.body.innerText.includes('<script>alert(1)</script>')")
    assert browser.evaluate("document.querySelectorAll('script').length") == 2
    sessions_all = browser.evaluate(f"[...document.querySelectorAll('#sessions tbody tr')].filter({VISIBLE}).length")
    assert sessions_all == 6
    # the session list is drawn by the page's script from its data: names are text there too
    cells = browser.evaluate("[...document.querySelectorAll('#sessions tbody td')].map(td => td.textContent)")
    assert EVIL in cells and "Aino" in cells
    assert browser.evaluate("document.querySelectorAll('#sessions script, #sessions img').length") == 0
    # filter by trainee: only Aino's sessions, transcripts and charts stay visible; the summary follows
    browser.evaluate("""(() => { const s = document.getElementById('f-trainee'); s.value = 'aino';
                                 s.dispatchEvent(new Event('change')); })()""")
    rows = browser.evaluate(f"""[...document.querySelectorAll('#sessions tbody tr')].filter({VISIBLE})
                                .map(r => r.dataset.trainee)""")
    assert rows == ["aino"] * 4
    assert browser.evaluate("document.getElementById('c-sessions').textContent") == "4"
    figures = browser.evaluate(f"[...document.querySelectorAll('#progress figure[data-trainee]')].filter({VISIBLE}).length")
    assert figures == 1
    assert not browser.evaluate(f"[...document.querySelectorAll('#transcripts details')].filter({VISIBLE})"
                                f".some(d => d.dataset.trainee !== 'aino')")
    # a date range with nothing in it empties the selection; "show all" brings everything back
    browser.evaluate("""(() => { const f = document.getElementById('f-from'); f.value = '2999-01-01';
                                 f.dispatchEvent(new Event('change')); })()""")
    assert browser.evaluate("document.getElementById('c-sessions').textContent") == "0"
    browser.evaluate("document.getElementById('f-reset').click()")
    assert browser.evaluate(f"[...document.querySelectorAll('#sessions tbody tr')].filter({VISIBLE}).length") == 6
    # a transcript opens from the overview's attempt dots, and from the session list
    browser.evaluate("document.querySelector('.dots a').click()")
    time.sleep(0.3)
    assert browser.evaluate("document.querySelectorAll('#transcripts details[open]').length") == 1
    target = browser.evaluate("document.querySelector('#sessions tbody a').getAttribute('href')")
    browser.evaluate("document.querySelector('#sessions tbody a').click()")
    time.sleep(0.3)
    assert browser.evaluate(f"document.querySelector('{target}').open")
    browser.evaluate("window.scrollTo(0, 0)")  # the sticky filter bar back in its place for the whole-page picture
    browser.screenshot(OUTPUT / f"report-{lang}.png", 5200)
    assert browser.problems() == []


LONG = "Anna-Maria " + "Wolkenkratzerbewohnerin" * 13  # 300 characters, one long word in it


def test_who_needs_help_on_a_phone_with_a_very_long_name(tmp_path, browser, monkeypatch):
    """The needs-attention view comes first and links into the exact turn; tables sort; every table follows a
    date range; at 375 px nothing widens the page, however long a name, and the charts keep a readable size."""
    from tests.test_report import play

    monkeypatch.setenv("KUULE_HOME", str(tmp_path / "home"))
    folder = tmp_path / "logs"
    play(folder, LONG, ["lecture"])
    play(folder, LONG, ["ask", "shrug"])
    play(folder, "Bea", ["ask", "help"])
    play(folder, "Bea", ["ask", "help"], seed=3)
    out = tmp_path / "report.html"
    write_report([folder], out, lang="en")
    browser.open(out.as_uri())
    browser.resize(1280, 900)
    sections = browser.evaluate("[...document.querySelectorAll('main > section')].map(s => s.id)")
    assert sections[:3] == ["selection", "attention", "panel"]
    people = browser.evaluate("[...document.querySelectorAll('#attention-list .person h3 a')].map(a => a.textContent)")
    assert people[0] == LONG
    card = browser.evaluate("document.querySelector('#attention-list .person').innerText")
    assert "Lectures the customer × 1" in card and "Hides behind process × 1" in card
    # a link into the exact turn opens that transcript at that step
    href = browser.evaluate("document.querySelector('#attention-list .turns a').getAttribute('href')")
    assert href.startswith("#s-") and "-t" in href
    browser.evaluate("document.querySelector('#attention-list .turns a').click()")
    time.sleep(0.3)
    assert browser.evaluate(f"document.getElementById('{href[1:]}').closest('details').open")
    assert "Lectures the customer" in browser.evaluate(f"document.getElementById('{href[1:]}').innerText")
    # sorting: the overview by its latest score, then the other way round
    browser.evaluate("document.querySelectorAll('#overview-table th')[3].click()")
    first = browser.evaluate("document.querySelector('#overview-table tbody td').textContent")
    browser.evaluate("document.querySelectorAll('#overview-table th')[3].click()")
    assert {first, browser.evaluate("document.querySelector('#overview-table tbody td').textContent")} == {LONG, "Bea"}
    # choosing the trainee opens their profile; a date range with no sessions leaves every table without data
    browser.evaluate("document.querySelector('#attention-list .person h3 a').click()")
    assert not browser.evaluate("document.getElementById('panel').hidden")
    assert browser.evaluate("document.querySelectorAll('#panel-table tbody tr').length") == 2
    assert browser.evaluate("document.querySelectorAll('#skills-table tbody tr').length") == 1
    browser.evaluate("""(() => { document.getElementById('f-trainee').value = '';
        const f = document.getElementById('f-from'); f.value = '2999-01-01'; f.dispatchEvent(new Event('change')); })()""")
    for table in ("overview-table", "skills-table", "miti-table", "outcome-table"):
        assert browser.evaluate(f"document.querySelectorAll('#{table} tbody tr').length") == 0, table
    assert browser.evaluate(f"[...document.querySelectorAll('svg.chart')].filter({VISIBLE}).length") == 0
    assert browser.evaluate("document.getElementById('attention-list').innerText") == "No data in the selection."
    browser.evaluate("document.getElementById('f-reset').click()")
    # a phone: the page is no wider than the screen, and the main chart keeps a readable width (it scrolls)
    browser.resize(375, 800, mobile=True)
    time.sleep(0.3)
    assert browser.evaluate("document.documentElement.scrollWidth") <= 375
    widths = browser.evaluate("[...document.querySelectorAll('#skills svg.chart')].map(s => s.getBoundingClientRect().width)")
    assert widths and min(widths) >= 300
    browser.evaluate("window.scrollTo(0, 0)")
    browser.screenshot(OUTPUT / "report-phone.png", 3000, width=375, mobile=True)
    browser.screenshot(OUTPUT / "report-long-name.png", 2400)
    assert browser.problems() == []


def test_choices_at_each_point_follow_the_trainee_and_dates(tmp_path, browser, monkeypatch):
    monkeypatch.setenv("KUULE_HOME", str(tmp_path / "home"))
    folder = cohort(tmp_path / "logs")
    out = tmp_path / "report.html"
    write_report([folder], out, lang="en", filters=Filters(all_modes=True))
    browser.open(out.as_uri())
    counts = f"""(() => Object.fromEntries([...document.querySelectorAll('.node-block[data-scenario="mini"] tr[data-pick]')]
                  .filter({VISIBLE}).map(tr => [tr.cells[0].firstChild.textContent.trim(), tr.querySelector('.pick-n').textContent])))()"""
    times = """[...document.querySelectorAll('.node-block[data-scenario="mini"] .node')].map(n => n.querySelector('.node-times').textContent)"""
    everyone = browser.evaluate(counts)
    # all sessions: Aino's four (one walked out after the lecture) and Bea's practice (her take-back not counted)
    assert everyone["Tell me what happened?"] == "4" and everyone["You should read the manual."] == "1"
    assert everyone["Let's sort it out together."] == "2" and everyone["Rules are rules."] == "1"
    browser.evaluate("""(() => { const s = document.getElementById('f-trainee'); s.value = 'bea';
                                 s.dispatchEvent(new Event('change')); })()""")
    assert browser.evaluate(counts) == {"Tell me what happened?": "1", "Let's sort it out together.": "1"}
    assert browser.evaluate(times) == ["1 time(s)", "1 time(s)"]
    assert browser.evaluate("document.querySelector('.node-block[data-scenario=\"mini\"] .node-harm').textContent") == "0% harmful"
    browser.evaluate("""(() => { const f = document.getElementById('f-from'); f.value = '2999-01-01';
                                 f.dispatchEvent(new Event('change')); })()""")
    assert browser.evaluate(f"[...document.querySelectorAll('.node-block .node')].filter({VISIBLE}).length") == 0
    browser.evaluate("document.getElementById('f-reset').click()")
    assert browser.evaluate(counts) == everyone
    assert browser.problems() == []


def test_a_long_session_list_shows_500_rows_and_more_on_request(tmp_path, browser, monkeypatch):
    """Hundreds of sessions: the first 500 of the selection are drawn, with how many more and a button for them;
    sorting sorts all of them, not just those drawn; a filter narrows the whole list."""
    from bench.report import generate

    monkeypatch.setenv("KUULE_HOME", str(tmp_path / "home"))
    folder = tmp_path / "logs"
    folder.mkdir()
    generate(folder, 620, templates=12, quick=True)
    out = tmp_path / "report.html"
    write_report([folder], out, filters=Filters(all_modes=True))
    browser.open(out.as_uri())
    rows = f"[...document.querySelectorAll('#sessions tbody tr')].filter({VISIBLE}).length"
    assert browser.evaluate(rows) == 500
    assert browser.evaluate("document.getElementById('sessions-more-note').textContent") == "120 more sessions in the selection."
    assert browser.evaluate("document.getElementById('sessions-more-button').textContent") == "Show 120 more"
    # sorted by attempt, highest first: the highest attempt of all 620 comes first, though it was not drawn before
    data = "JSON.parse(document.getElementById('report-data').textContent)"
    attempts = browser.evaluate(f"(d => d.sessions.map(r => r[d.fields.indexOf('attempt')]))({data})")
    browser.evaluate("document.querySelectorAll('#session-table th')[4].click()")
    assert browser.evaluate("+document.querySelector('#sessions tbody tr td:nth-child(5)').getAttribute('data-v')") \
        == max(attempts)
    assert browser.evaluate(rows) == 500
    browser.evaluate("document.getElementById('sessions-more-button').click()")
    assert browser.evaluate(rows) == 620
    assert browser.evaluate(f"{VISIBLE}(document.getElementById('sessions-more'))") is False
    shown = browser.evaluate("[...document.querySelectorAll('#sessions tbody tr td:nth-child(5)')].map(td => +td.getAttribute('data-v'))")
    assert shown == sorted(attempts, reverse=True)
    # one trainee: all of their sessions, under 500, and nothing more to show
    key = browser.evaluate("document.getElementById('f-trainee').options[1].value")
    browser.evaluate(f"const s = document.getElementById('f-trainee'); s.value = {json.dumps(key)}; "
                     "s.dispatchEvent(new Event('change'))")
    theirs = browser.evaluate(f"(d => d.sessions.filter(r => r[d.fields.indexOf('trainee')] === {json.dumps(key)})"
                              f".length)({data})")
    assert 0 < theirs < 500 and browser.evaluate(rows) == theirs
    assert browser.evaluate(f"{VISIBLE}(document.getElementById('sessions-more'))") is False
    assert browser.problems() == []


def test_turns_without_a_transcript_stay_apart_in_who_needs_help(tmp_path, browser, monkeypatch):
    """Past the transcripts the page holds, each harmful turn is named as a plain entry: entries never run together."""
    from tests.test_report import play

    monkeypatch.setenv("KUULE_HOME", str(tmp_path / "home"))
    folder = tmp_path / "logs"
    for seed in (1, 2, 3):
        play(folder, "Cai", ["lecture"], seed=seed)
    out = tmp_path / "report.html"
    write_report([folder], out, lang="en", max_transcripts=0)
    browser.open(out.as_uri())
    browser.resize(1280, 900)
    boxes = browser.evaluate("""[...document.querySelectorAll('#attention-list .turns')].map(t =>
        [...t.children].map(c => { const r = c.getBoundingClientRect(); return [r.left, r.right, r.top, r.bottom]; }))""")
    entries = [box for turns in boxes for box in turns]
    assert len(entries) >= 2, boxes
    for turns in boxes:
        for (_l, right, _t, bottom), (left, _r, top, _b) in zip(turns, turns[1:]):
            assert top >= bottom - 1 or left >= right + 4, turns  # on a line of its own, or with a gap before it
    assert "(no transcript in this page)" in browser.evaluate("document.querySelector('#attention-list .turns').innerText")
