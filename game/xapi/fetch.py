"""Reading statements back from a Learning Record Store: pages as big as the LRS allows, each parsed as it arrives.

    for statement in iter_statements(client, since="2025-01-01T00:00:00Z"):
        ...

The first request asks `limit=0`, which xAPI 1.0.3 defines as "the most the
server allows": Ralph's filesystem backend then answers everything in one page.
That matters: it reads its whole store again for every page, so a hundred
statements a page (its default cap) costs time that grows with the square of
the store. An LRS that takes 0 literally (Ralph over Elasticsearch or
ClickHouse answers an empty page with a `more` link) is asked again with a
positive limit, which it may cap; `more` links are then followed to the end.

A page is parsed statement by statement while it downloads (a page of 10,000
sessions is some 400 MB of JSON): the whole page is never held as text, nor
all its statements at once, unless the caller keeps them.
"""

from __future__ import annotations

import codecs
import json
import re
import urllib.parse
from collections.abc import Iterator

from game.xapi.send import Client

FALLBACK_LIMIT = 10_000  # asked of an LRS that answers limit=0 with nothing; it may cap it lower
CHUNK = 1 << 20
AHEAD = 1 << 16  # read on when less than this is left (a statement is a few kilobytes)
_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


class _Stream:
    """The text of a response, read a chunk at a time, with a cursor into what is not yet consumed."""

    def __init__(self, response):
        self.response = response
        self.decode = codecs.getincrementaldecoder("utf-8")().decode
        self.text, self.at, self.ended = "", 0, False

    def more(self, wanted: int = CHUNK) -> bool:
        """Read at least `wanted` more bytes (or to the end); False if the response had ended already."""
        if self.ended:
            return False
        data = self.response.read(max(wanted, CHUNK))
        self.ended = not data
        self.text = self.text[self.at:] + self.decode(data, final=self.ended)
        self.at = 0
        return True

    def char(self) -> str:
        """The next character that is not white space, not consumed ("" at the end)."""
        while True:
            self.at = _SPACE.match(self.text, self.at).end()
            if self.at < len(self.text) or not self.more():
                return self.text[self.at:self.at + 1]

    def expect(self, chars: str) -> str:
        found = self.char()
        if not found or found not in chars:
            raise ValueError(f"expected one of {chars!r}")
        self.at += 1
        return found

    def value(self):
        """The next JSON value. A value that reaches the end of what has been read may be cut short (a
        number, or a statement split between chunks): read on until it ends before the text does."""
        self.char()
        if not self.ended and len(self.text) - self.at < AHEAD:
            self.more()  # so that a value seldom reaches the end of what has been read
        while True:
            try:
                value, end = _DECODER.raw_decode(self.text, self.at)
            except json.JSONDecodeError:
                if not self.more(len(self.text) - self.at):  # a long value: read as much again, not a chunk
                    raise
                continue
            if end < len(self.text) or self.ended:
                self.at = end
                return value
            self.more()


def _page(response, meta: dict) -> Iterator:
    """The members of a statement result's `statements` list, one by one; its other keys (`more`) go into
    `meta` as they are met. Raises ValueError (or RecursionError) for what is not a statement result."""
    stream = _Stream(response)
    stream.expect("{")
    if stream.char() == "}":
        return
    while True:
        key = stream.value()
        if not isinstance(key, str):
            raise ValueError("a key that is not a string")
        stream.expect(":")
        if key == "statements" and stream.char() == "[":
            stream.expect("[")
            if stream.char() == "]":
                stream.at += 1
            else:
                while True:
                    yield stream.value()
                    if stream.expect(",]") == "]":
                        break
        else:
            meta[key] = stream.value()
        if stream.expect(",}") == "}":
            return


def iter_statements(client: Client, limit: int = 0, **filters) -> Iterator[dict]:
    """Every statement the LRS holds that matches `filters` (xAPI GET parameters), following `more` pages.
    Raises OSError (worded for people) if the LRS fails or answers what is not a statement result."""
    params = {**filters, "limit": limit}
    first = True
    while True:
        meta: dict = {}
        found = 0
        with client.open(**params) as response:
            try:
                for statement in _page(response, meta):
                    if isinstance(statement, dict):
                        found += 1
                        yield statement
            except (ValueError, RecursionError, UnicodeDecodeError):
                raise OSError("HTTP 200: not a statement result") from None
        more = meta.get("more")
        if not more or "?" not in str(more):
            return
        if not found:  # an empty page with a `more` link
            if first and limit == 0:  # the LRS took 0 literally: ask for pages it sizes itself
                params = {**filters, "limit": FALLBACK_LIMIT}
                first = False
                continue
            return  # Ralph offers one more, empty, page when the count is a multiple of the limit
        params = dict(urllib.parse.parse_qsl(str(more).split("?", 1)[1]))
        first = False


def fetch_statements(client: Client, limit: int = 0, **filters) -> list[dict]:
    """iter_statements as a list."""
    return list(iter_statements(client, limit, **filters))
