"""Sending statements to a Learning Record Store: batches, HTTP Basic auth, retries with backoff.

Nothing is lost silently: every statement ends up stored, already stored (the
LRS had it: same deterministic ID, same content), in conflict (the LRS holds
another statement with that ID), rejected (the LRS refused it, with its
reason) or unsent (the network or the LRS failed after all retries). The
caller writes the unsent ones to a file; sending again is always safe.
"""

from __future__ import annotations

import base64
import json
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
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
                 backoff: float = 0.5, sleep: Callable[[float], None] = time.sleep):
        self.url = statements_url(url)
        token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        self.headers = {"Authorization": f"Basic {token}", "Content-Type": "application/json",
                        "X-Experience-API-Version": XAPI_VERSION}
        self.timeout, self.retries, self.backoff, self.sleep = timeout, retries, backoff, sleep

    def _request(self, method: str, body=None, query: str = "") -> tuple[int, str, dict]:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8") if body is not None else None
        request = urllib.request.Request(self.url + query, data=data, method=method, headers=self.headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.status, response.read().decode("utf-8", "replace"), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace"), dict(error.headers or {})

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
                report.errors.append(f"{status or 'network'}: {text[:200]}")
                return None
            report.retries += 1
            wait = self.backoff * (2 ** attempt)
            retry_after = headers.get("Retry-After") if headers else None
            if retry_after and retry_after.isdigit():
                wait = max(wait, min(60.0, float(retry_after)))
            self.sleep(min(wait, 30.0))
        return None

    def get(self, **params) -> dict:
        status, text, _headers = self._request("GET", query="?" + urllib.parse.urlencode(params))
        if status != 200:
            raise OSError(f"GET statements: HTTP {status}: {text[:200]}")
        return json.loads(text)


def _detail(text: str) -> str:
    try:
        value = json.loads(text)
    except ValueError:
        return text[:300]
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
