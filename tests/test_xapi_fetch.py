"""Reading statements back from an LRS, page by page, each page parsed as it downloads (game.xapi.fetch).

The answers here are an LRS's pages as bytes, read a few bytes at a time so that every value, key, number and
multi-byte character is cut between reads somewhere; against the real Ralph, see tests/test_xapi_lrs.py."""

import io
import json
import urllib.parse

import pytest

from game.xapi import fetch
from game.xapi.fetch import iter_statements


class Pages:
    """Answers GETs from `answer(params)` (bytes); records what was asked."""

    def __init__(self, answer):
        self.answer, self.asked = answer, []

    def open(self, **params):
        self.asked.append(params)
        return io.BytesIO(self.answer(params))


@pytest.fixture(autouse=True)
def tiny_reads(monkeypatch):
    monkeypatch.setattr(fetch, "CHUNK", 3)
    monkeypatch.setattr(fetch, "AHEAD", 0)


def statement(n: int) -> dict:
    return {"id": f"id-{n}", "verb": {"id": "v"}, "result": {"score": {"scaled": n / 7}, "response": "Hyvä, että kysyit 🙂"},
            "context": {"extensions": {"n": [n, -n, 1e-3, True, None]}}}


def paged(statements: list[dict], limit_of=lambda asked: asked, more_first=True, spaced=False):
    """Pages as an LRS following xAPI makes them: `limit` at a time (0: all), a `more` link while any are left."""

    def answer(params):
        start = int(params.get("from", 0))
        limit = limit_of(int(params["limit"]))
        page = statements[start:start + limit] if limit else statements[start:]
        body = {"statements": page}
        if limit and len(page) == limit:
            body = {"more": "/xAPI/statements?" + urllib.parse.urlencode({"limit": limit, "from": start + limit}),
                    **body} if more_first else {**body, "more": f"/xAPI/statements?limit={limit}&from={start + limit}"}
        return json.dumps(body, ensure_ascii=False, indent=2 if spaced else None).encode("utf-8")
    return answer


@pytest.mark.parametrize("limit", [0, 1, 2, 5, 10, 100])
@pytest.mark.parametrize("more_first", [True, False])
def test_every_statement_once_whatever_the_page_size(limit, more_first):
    wanted = [statement(n) for n in range(10)]
    lrs = Pages(paged(wanted, more_first=more_first, spaced=limit == 2))
    assert list(iter_statements(lrs, limit=limit)) == wanted
    # 10 in pages of 5 or 10: Ralph offers one more, empty, page; it ends the reading
    pages = {0: 1, 1: 11, 2: 6, 5: 3, 10: 2, 100: 1}[limit]
    assert len(lrs.asked) == pages


def test_limit_zero_answered_with_nothing_and_a_more_link_is_asked_again_with_a_limit():
    """Ralph over Elasticsearch takes limit=0 literally: no statements, and a `more` link."""
    wanted = [statement(n) for n in range(25)]
    lrs = Pages(paged(wanted, limit_of=lambda asked: min(asked, 10) if asked else 0))
    lrs.answer = (lambda inner: lambda params: b'{"more":"/xAPI/statements?limit=0&pit_id=None","statements":[]}'
                  if params["limit"] == 0 else inner(params))(lrs.answer)
    assert list(iter_statements(lrs, since="2025-01-01T00:00:00Z")) == wanted
    assert lrs.asked[0] == {"since": "2025-01-01T00:00:00Z", "limit": 0}
    assert lrs.asked[1] == {"since": "2025-01-01T00:00:00Z", "limit": fetch.FALLBACK_LIMIT}


def test_an_empty_store_is_read_once():
    lrs = Pages(lambda params: b'{"statements":[]}')
    assert list(iter_statements(lrs)) == [] and len(lrs.asked) == 1


@pytest.mark.parametrize("body", [b"", b"<html><title>Bad gateway</title></html>", b'{"statements":[{"id":1}',
                                  b'{"statements":[{"id":"a"}]', b'{"statements":[{"id":"a"} {"id":"b"}]}',
                                  b'{"statements":[' + b"[" * 100_000 + b"]" * 100_000 + b"]}",
                                  b'{"statements":["\xff\xfe"]}', b"[1, 2]"])
def test_what_is_not_a_statement_result_is_said_plainly(body):
    with pytest.raises(OSError, match="not a statement result"):
        list(iter_statements(Pages(lambda params: body)))


def test_what_came_before_a_broken_page_is_given_and_nothing_is_made_up():
    body = b'{"statements":[{"id":"a"},{"id":"b"},{"id":'
    got = []
    with pytest.raises(OSError):
        for found in iter_statements(Pages(lambda params: body)):
            got.append(found)
    assert got == [{"id": "a"}, {"id": "b"}]


def test_members_that_are_not_statements_are_passed_over():
    body = b'{"statements":[1,"x",null,{"id":"a"},[],{"id":"b"}],"more":null}'
    assert list(iter_statements(Pages(lambda params: body))) == [{"id": "a"}, {"id": "b"}]
