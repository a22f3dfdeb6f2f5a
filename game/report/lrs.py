"""The coach report from the organisation's LRS: the statements Kuule sent, made back into sessions.

    folder = logs_from_lrs(client, into)   # one score log per session, rebuilt from its statements

Every statement is read (page by page); those of Kuule's scenarios are grouped by
registration (one per session), voided ones left out. Each session becomes a log
in a private temporary folder, with the records the report reads (header, each
answer in effect, the end and its whole result, all carried in the statements),
so the report is built by the same code, with the same filters, as from the
trainees' own logs. Answers taken back are not in the LRS (they are voided), so
a report from the LRS shows only the answers in effect.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime
from pathlib import Path

from game import APP_NAME
from game.session import chain
from game.xapi.send import VOIDED, Client
from game.xapi.statements import EXT, IRI, VERBS

SCENARIOS = f"{IRI}/scenarios/"


def fetch_all(client: Client, page: int = 500) -> list[dict]:
    """Every statement the LRS holds. Raises OSError (worded) if the LRS fails."""
    from game.xapi.send import fetch_statements

    return fetch_statements(client, page)


def _time(value) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None


def sessions_of(statements: list[dict]) -> dict[str, list[dict]]:
    """Kuule's statements by registration, voided ones (and the voiding ones) left out."""
    voided = {s.get("object", {}).get("id") for s in statements if s.get("verb", {}).get("id") == VOIDED}
    groups: dict[str, list[dict]] = defaultdict(list)
    seen: set[str] = set()
    for statement in statements:
        verb = statement.get("verb", {}).get("id")
        target = statement.get("object", {})
        registration = (statement.get("context") or {}).get("registration")
        if (verb == VOIDED or statement.get("id") in voided or statement.get("id") in seen or not registration
                or not isinstance(target, dict) or not str(target.get("id", "")).startswith(SCENARIOS)):
            continue
        seen.add(statement["id"])
        groups[registration].append(statement)
    return groups


def records_of(statements: list[dict]) -> list[dict] | None:
    """The log records of one session (header, answers, end), or None without its `initialized` statement."""
    by_verb: dict[str, list[dict]] = defaultdict(list)
    for statement in statements:
        by_verb[statement["verb"]["id"]].append(statement)
    start = by_verb.get(VERBS["initialized"])
    if not start:
        return None
    first = start[0]
    context = first.get("context") or {}
    extensions = context.get("extensions") or {}
    started = _time(first.get("timestamp"))
    if started is None:
        return None
    scenario_id = first["object"]["id"][len(SCENARIOS):].split("/")[0]
    registration = context["registration"]
    try:
        import uuid

        session = uuid.UUID(registration).hex
    except ValueError:
        session = registration
    header = {"kind": "header", "format": 1, "app": APP_NAME,
              "app_version": str(context.get("platform", "")).replace("Kuule ", ""), "session": session,
              "scenario_id": scenario_id, "scenario_path": "", "content_hash": extensions.get(EXT["content-hash"]) or "",
              "scenario_title": (first["object"].get("definition") or {}).get("name"), "snapshot": None,
              "trainee": (first.get("actor") or {}).get("name", ""), "mode": extensions.get(EXT["mode"]) or "",
              "lang": context.get("language") or "en", "seed": extensions.get(EXT["seed"]) or 0,
              "started": started.isoformat(timespec="microseconds")}
    if header["trainee"] == "anonymous":
        header["trainee"] = ""
    records = [header]

    def at(statement) -> int:
        moment = _time(statement.get("timestamp"))
        return max(0, int((moment - started).total_seconds() * 1000)) if moment else 0

    answers = sorted(by_verb.get(VERBS["selected"], ()),
                     key=lambda s: ((s.get("context") or {}).get("extensions", {}).get(EXT["turn"]) or 0, at(s)))
    for statement in answers:
        result = statement.get("result") or {}
        ext = result.get("extensions") or {}
        node = statement["object"]["id"].rsplit("/nodes/", 1)[-1]
        records.append({"kind": "choice", "at": at(statement),
                        "turn": (statement.get("context") or {}).get("extensions", {}).get(EXT["turn"]),
                        "node": node, "choice": result.get("response"), "tags": ext.get(EXT["tags"]) or [],
                        "points": ext.get(EXT["points"]) or {}, "mood_before": ext.get(EXT["mood-before"]) or {},
                        "mood_after": ext.get(EXT["mood"]) or {}, "harmful": bool(ext.get(EXT["harmful"])),
                        "opportunity": ext.get(EXT["opportunity"]), "eccs": ext.get(EXT["eccs"]),
                        "landed": ext.get(EXT["landed"]), "hops": [],
                        "response_ms": int(ext.get(EXT["response-ms"]) or 0)})
        if EXT["choice"] in ext:  # the response may be the trainee's own words; the choice is kept beside it
            records[-1]["choice"] = ext[EXT["choice"]]
        own = ext.get(EXT["own-words"])
        if isinstance(own, dict):
            records[-1]["own_words"] = {"text": result.get("response") or "", **own}
    completed = by_verb.get(VERBS["completed"])
    if completed:
        statement = completed[0]
        ext = (statement.get("result") or {}).get("extensions") or {}
        result = ext.get(EXT["result"])
        if not isinstance(result, dict):  # sent by an older Kuule: the scores it carried
            score = ((statement.get("result") or {}).get("score") or {}).get("scaled")
            result = {"overall": score, "listening": {"share": ext.get(EXT["listening"])},
                      "empathy": {"share": ext.get(EXT["empathy"])},
                      "reflection_to_question": ext.get(EXT["reflection-to-question"]),
                      "complex_reflection_share": ext.get(EXT["complex-reflections"]),
                      "opportunity_share": ext.get(EXT["opportunities-answered"]),
                      "harmful_moves": ext.get(EXT["harmful-moves"])}
        moment = at(statement)
        records.append({"kind": "end", "at": moment, "time": statement.get("timestamp"), "node": ext.get(EXT["ending"]),
                        "outcome": ext.get(EXT["outcome"]), "duration_ms": moment, "result": result})
    return records


def logs_from_lrs(client: Client, folder: Path) -> int:
    """Write one score log per Kuule session the LRS holds into `folder` (made 0700); returns how many."""
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    count = 0
    for registration, statements in sessions_of(fetch_all(client)).items():
        records = records_of(statements)
        if records is None:
            continue
        prev, lines = "", []
        for n, record in enumerate(records, 1):
            data, prev = chain.encode(record, n, prev)
            lines.append(data)
        name = "".join(c for c in registration if c.isalnum())[:64]
        path = folder / f"{name}.jsonl"
        with open(path, "wb") as handle:
            handle.write(b"".join(lines))
        count += 1
    return count


def dumps(value) -> str:  # pragma: no cover - for people debugging a conversion
    return json.dumps(value, ensure_ascii=False, indent=1)
