"""The coach report from the organisation's LRS: the statements Kuule sent, made back into sessions.

    folder = logs_from_lrs(client, into)   # one score log per session, rebuilt from its statements

Every statement is read (in pages as big as the LRS allows, each parsed as it
downloads; see game.xapi.fetch) and at once cut down to what a log needs; those
of Kuule's scenarios are grouped by registration (one per session), voided ones
left out. With --since, the LRS is asked only for statements from about then
on. Each session becomes a log in a private temporary folder, with the records
the report reads (header, each answer in effect, the end and its whole result,
all carried in the statements), so the report is built by the same code, with
the same filters, as from the trainees' own logs. Answers taken back are not in
the LRS (they are voided), so a report from the LRS shows only the answers in
effect; how many were taken back comes with the session's end, and is counted.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

from game import APP_NAME
from game.session import chain
from game.xapi.send import VOIDED, Client
from game.xapi.statements import EXT, IRI, VERBS

SCENARIOS = f"{IRI}/scenarios/"


def since_param(since: date | None) -> dict:
    """The `since` GET parameter that asks the LRS for no more than a report from `since` on needs.

    The report keeps a session by the local date it started; a session's statements are stamped from its
    start on. Two days' margin covers time zones and a trainee's clock running ahead of the LRS's (an LRS
    may filter by when it stored a statement); the report then leaves out what is still too early."""
    if since is None:
        return {}
    moment = datetime.combine(since, time()).astimezone() - timedelta(days=2)
    return {"since": moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")}


def _time(value) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None


_SHARED: dict[str, str] = {}  # strings met again and again (verbs, extension keys, registrations): kept once
_EVERY = (EXT["turn"], EXT["resumed"])  # what records_of reads of the context of any statement but the first


def _shared(value):
    return _SHARED.setdefault(value, value) if isinstance(value, str) and len(_SHARED) < 1_000_000 else value


def _slim(statement: dict) -> dict | None:
    """What records_of reads of a statement (the rest, such as each node's texts, is most of its size), or
    None for a statement that is not one of Kuule's sessions'."""
    verb = statement.get("verb")
    target = statement.get("object")
    context = statement.get("context")
    if not isinstance(verb, dict) or not isinstance(target, dict) or not isinstance(context, dict):
        return None
    verb_id = _shared(verb.get("id"))
    first = verb_id == VERBS["initialized"]
    extensions = context.get("extensions")
    extensions = {_shared(key): value for key, value in extensions.items() if first or key in _EVERY} \
        if isinstance(extensions, dict) else extensions
    slim = {"id": statement.get("id"), "verb": {"id": verb_id}, "object": {"id": target.get("id")},
            "timestamp": statement.get("timestamp"),
            "context": {"registration": _shared(context.get("registration")), "extensions": extensions}}
    result = statement.get("result")
    if isinstance(result, dict) and isinstance(result.get("extensions"), dict):
        result["extensions"] = {_shared(key): value for key, value in result["extensions"].items()}
    if "result" in statement:
        slim["result"] = result
    if first:
        definition = target.get("definition")
        actor = statement.get("actor")
        slim["object"]["definition"] = {"name": definition.get("name")} if isinstance(definition, dict) else {}
        slim["actor"] = {"name": actor.get("name", "")} if isinstance(actor, dict) else {}
        slim["context"].update({key: context[key] for key in ("platform", "language") if key in context})
    return slim


def sessions_of(statements: Iterable[dict]) -> dict[str, list[dict]]:
    """Kuule's statements by registration (slimmed as they come), voided ones (and the voiding ones) left out."""
    voided: set = set()
    groups: dict[str, list[dict]] = defaultdict(list)
    seen: set[str] = set()
    for statement in statements:
        slim = _slim(statement)
        if slim is None:
            continue
        if slim["verb"]["id"] == VOIDED:
            voided.add(statement["object"].get("id"))
            continue
        registration = slim["context"].get("registration")
        if (slim["id"] in seen or not registration or not isinstance(registration, str)
                or not str(slim["object"].get("id", "")).startswith(SCENARIOS)):
            continue
        seen.add(slim["id"])
        groups[registration].append(slim)
    for registration, group in list(groups.items()):  # a voiding statement may come after what it voids
        kept = [statement for statement in group if statement["id"] not in voided]
        if kept:
            groups[registration] = kept
        else:
            del groups[registration]
    return groups


def _count(value) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 1000 else 0


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
    # how often the session was resumed, and how many answers were taken back (those answers are not in the LRS):
    # counted as the log counts them, by records before the first answer, where they take nothing back
    completed = by_verb.get(VERBS["completed"])
    taken = _count(((completed[0].get("result") or {}).get("extensions") or {}).get(EXT["taken-back"])) \
        if completed else 0
    resumed = max((_count(((s.get("context") or {}).get("extensions") or {}).get(EXT["resumed"])) for s in statements),
                  default=0)
    records += [{"kind": "resumed", "at": 0}] * resumed + [{"kind": "rollback", "at": 0}] * taken

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


def logs_from_lrs(client: Client, folder: Path, since: date | None = None) -> int:
    """Write one score log per Kuule session the LRS holds into `folder` (made 0700); returns how many.
    With `since`, the LRS is asked only for statements from a little before that date on."""
    from game.xapi.fetch import iter_statements

    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    count = 0
    for registration, statements in sessions_of(iter_statements(client, **since_param(since))).items():
        try:
            records = records_of(statements)
        except (KeyError, TypeError, ValueError, AttributeError, IndexError):  # not as Kuule sends them
            records = None
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
