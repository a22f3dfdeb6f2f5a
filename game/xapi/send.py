"""Sending statements to a Learning Record Store: batches, HTTP Basic auth, retries with backoff.

Nothing is lost silently: every statement ends up stored, already stored (the
LRS had it: same deterministic ID, same content), in conflict (the LRS holds
another statement with that ID), rejected (the LRS refused it, with its
reason) or unsent (the network or the LRS failed after all retries). The
caller writes the unsent ones to a file; sending again is always safe.
"""

from __future__ import annotations

import base64
import html
import http.client
import json
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

XAPI_VERSION = "1.0.3"
RETRYABLE = {408, 425, 429, 500, 502, 503, 504}


@dataclass
class SendReport:
    stored: int = 0
    already: int = 0
    conflicts: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (id, the LRS's reason)
    unsent: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # what went wrong, for people
    retries: int = 0

    @property
    def ok(self) -> bool:
        return not (self.conflicts or self.rejected or self.unsent)


class AuthFailed(Exception):
    pass


def url_problem(url: str) -> str | None:
    """Why `url` cannot be an LRS's address ("scheme", "host", "credentials", "port", "query"), or None."""
    try:
        parts = urllib.parse.urlsplit(url.strip())
        port = parts.port  # ValueError for a port that is not a number in range
    except ValueError:
        return "port" if "port" in str(sys.exc_info()[1]).lower() else "host"
    if parts.scheme.lower() not in ("http", "https"):
        return "scheme"
    if parts.username is not None or parts.password is not None:
        return "credentials"  # a password in an address ends up in shell histories and logs
    if not parts.hostname or any(c.isspace() for c in url.strip()):
        return "host"
    if port == 0:
        return "port"
    if parts.query or parts.fragment:
        return "query"
    return None


def statements_url(url: str) -> str:
    """The statements resource of an LRS given by its base URL (Ralph: http://host:port)."""
    parts = urllib.parse.urlsplit(url)
    path = parts.path.rstrip("/")
    if path.lower().endswith("/statements"):
        pass
    elif "xapi" in path.lower():
        path += "/statements"
    else:
        path += "/xAPI/statements"
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


class Client:
    def __init__(self, url: str, user: str, password: str, timeout: float = 15.0, retries: int = 5,
                 backoff: float = 0.5, sleep: Callable[[float], None] = time.sleep, read_timeout: float = 300.0):
        self.url = statements_url(url)
        token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        self.headers = {"Authorization": f"Basic {token}", "Content-Type": "application/json",
                        "X-Experience-API-Version": XAPI_VERSION}
        self.timeout, self.retries, self.backoff, self.sleep = timeout, retries, backoff, sleep
        self.read_timeout = read_timeout
        self.requests = 0  # GETs made (with retries): what reading the LRS took

    def _request(self, method: str, body=None, query: str = "") -> tuple[int, str, dict]:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8") if body is not None else None
        request = urllib.request.Request(self.url + query, data=data, method=method, headers=self.headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.status, response.read().decode("utf-8", "replace"), dict(response.headers)
        except urllib.error.HTTPError as error:  # an error page may be big: its start says enough
            return error.code, error.read(65536).decode("utf-8", "replace"), dict(error.headers or {})

    def post(self, statements: list[dict], report: SendReport) -> tuple[int, str] | None:
        """POST with retries; None when it could not get an answer (the reason is in report.errors)."""
        for attempt in range(self.retries + 1):
            try:
                status, text, headers = self._request("POST", statements)
            except (urllib.error.URLError, socket.timeout, ConnectionError, OSError) as error:
                reason = getattr(error, "reason", error)
                status, text, headers = None, str(reason), {}
            if status is not None and status not in RETRYABLE:
                return status, text
            if attempt == self.retries:
                report.errors.append(f"HTTP {status}: {_detail(text)}" if status else f"network: {text[:200]}")
                return None
            report.retries += 1
            wait = self.backoff * (2 ** attempt)
            retry_after = headers.get("Retry-After") if headers else None
            if retry_after and retry_after.isdigit():
                wait = max(wait, min(60.0, float(retry_after)))
            self.sleep(min(wait, 30.0))
        return None

    def open(self, **params):
        """A GET of the statements resource, retried as POSTs are, answered 200: a context manager giving the
        response, its body not yet read. OSError (worded for people) if it fails.

        Connecting may take `timeout`; the answer may take `read_timeout`: an LRS asked for a large page first
        gathers all of it (Ralph: some 30 s for 10,000 sessions) before it sends a byte."""
        parts = urllib.parse.urlsplit(self.url)
        target = (parts.path or "/") + "?" + urllib.parse.urlencode(params)
        kind = http.client.HTTPSConnection if parts.scheme.lower() == "https" else http.client.HTTPConnection
        for attempt in range(self.retries + 1):
            self.requests += 1
            connection = kind(parts.hostname, parts.port, timeout=self.timeout)
            try:
                connection.connect()
                connection.sock.settimeout(self.read_timeout)
                connection.request("GET", target, headers=self.headers)
                response = connection.getresponse()
                if response.status == 200:
                    return _Answer(response, connection)
                status, text = response.status, response.read(65536).decode("utf-8", "replace")
            except (OSError, http.client.HTTPException) as error:
                status, text = None, (str(getattr(error, "reason", "") or error) or type(error).__name__)[:200]
            connection.close()
            if status is not None and status not in RETRYABLE:
                break
            if attempt == self.retries:
                raise OSError(f"HTTP {status}: {_detail(text)}" if status else f"network: {text}")
            self.sleep(min(self.backoff * (2 ** attempt), 30.0))
        raise OSError(f"HTTP {status}: {_detail(text)}")


class _Answer:
    """An answer being read; closing it closes its connection."""

    def __init__(self, response, connection):
        self.response, self.connection = response, connection

    def __enter__(self):
        return self.response

    def __exit__(self, *exc):
        self.response.close()
        self.connection.close()


_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")


def _detail(text: str) -> str:
    """The gist of an error answer in one short line: a JSON detail, an HTML page's title, never a whole page."""
    if "<" in text[:200] and ">" in text:
        found = _TITLE.search(text)
        gist = found.group(1) if found else _TAG.sub(" ", text)
        return " ".join(html.unescape(gist).split())[:200] or "(an HTML page)"
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return " ".join(text.split())[:300]
    if isinstance(value, dict) and "detail" in value:
        return json.dumps(value["detail"], ensure_ascii=False)[:300] if not isinstance(value["detail"], str) \
            else value["detail"][:300]
    return text[:300]


def send(statements: Iterable[dict], client: Client, batch_size: int = 50) -> SendReport:
    report = SendReport()
    batch: list[dict] = []
    stopped = False

    def flush():
        nonlocal stopped
        if not batch:
            return
        if stopped:
            report.unsent.extend(batch)
            return
        answer = client.post(batch, report)
        if answer is None:
            report.unsent.extend(batch)
            stopped = True  # the LRS is unreachable: do not wait through every remaining batch
            return
        status, text = answer
        if status in (401, 403):
            report.errors.append(f"HTTP {status}: {_detail(text)}")
            report.unsent.extend(batch)
            stopped = True
            return
        if status == 200:
            try:
                stored = len(json.loads(text))
            except (ValueError, TypeError):
                stored = len(batch)
            report.stored += stored
            report.already += len(batch) - stored
            return
        if status == 204:
            report.already += len(batch)
            return
        if len(batch) > 1:  # 409 or 400 for the batch: find which statements, one at a time
            for statement in list(batch):
                one(statement)
            return
        one(batch[0], answer)

    def one(statement, answer=None):
        nonlocal stopped
        if stopped:
            report.unsent.append(statement)
            return
        answer = answer or client.post([statement], report)
        if answer is None:
            report.unsent.append(statement)
            stopped = True
            return
        status, text = answer
        if status == 200:
            report.stored += 1
        elif status == 204:
            report.already += 1
        elif status == 409:
            report.conflicts.append(statement.get("id", "?"))
        elif status in (401, 403):
            report.errors.append(f"HTTP {status}: {_detail(text)}")
            report.unsent.append(statement)
            stopped = True
        else:
            report.rejected.append((statement.get("id", "?"), f"HTTP {status}: {_detail(text)}"))

    for statement in statements:
        batch.append(statement)
        if len(batch) >= batch_size:
            flush()
            batch = []
    flush()
    return report


VOIDED = "http://adlnet.gov/expapi/verbs/voided"
VERDICTS = ("http://adlnet.gov/expapi/verbs/passed", "http://adlnet.gov/expapi/verbs/failed")


def stored_for(client: Client, registration: str) -> list[dict]:
    """Every statement the LRS holds for one registration (a session)."""
    from game.xapi.fetch import fetch_statements

    return fetch_statements(client, registration=registration)


def supersede(statements: list[dict], client: Client, pass_mark_key: str) -> list[dict]:
    """With a new pass mark, a session's earlier passed/failed statement no longer holds: void it.

    For each session with a verdict here, the verdicts the LRS holds (not yet voided) are looked up. One of the
    same verb and pass mark is kept (ours takes its ID); the others get a voiding statement, sent after ours.
    If ours is new while earlier ones stand, its ID is derived from theirs, so going back to a pass mark used
    before never reuses the ID of a statement already voided. Returns the voiding statements to send."""
    from game.xapi.statements import NAMESPACE

    voids: list[dict] = []
    for ours in statements:
        if ours.get("verb", {}).get("id") not in VERDICTS:
            continue
        registration = ours.get("context", {}).get("registration")
        held = stored_for(client, registration) if registration else []
        voided = {s["object"].get("id") for s in held
                  if s.get("verb", {}).get("id") == VOIDED and isinstance(s.get("object"), dict)}
        standing = [s for s in held if s.get("verb", {}).get("id") in VERDICTS and s.get("id") not in voided]
        mark = (ours.get("result") or {}).get("extensions", {}).get(pass_mark_key)
        same = [s for s in standing if s["verb"]["id"] == ours["verb"]["id"]
                and (s.get("result") or {}).get("extensions", {}).get(pass_mark_key) == mark]
        if same:
            ours["id"] = same[0]["id"]
        elif standing:
            ours["id"] = str(uuid.uuid5(NAMESPACE, ours["id"] + "/" + ",".join(sorted(s["id"] for s in standing))))
        for old in standing:
            if old["id"] != ours["id"]:
                voids.append({"id": str(uuid.uuid5(NAMESPACE, "void/" + old["id"])), "actor": ours["actor"],
                              "verb": {"id": VOIDED, "display": {"en-US": "voided"}},
                              "object": {"objectType": "StatementRef", "id": old["id"]},
                              "context": {"registration": registration},  # found with the session's statements
                              "timestamp": ours.get("timestamp")})
    return voids
