"""Turning a session log into xAPI 1.0.3 statements.

For each session (its `session` ID is the statements' `context.registration`):
- `initialized` on the scenario (a simulation activity) when it started;
- one `selected` per choice in effect (after take-backs) on the node, a
  dialog-tree activity of the serious-games profile, with the choice ID in
  `result.response`, and its tags, points and the customer's mood after it
  as extensions; when the trainee first said it in their own words, what
  they typed is the `result.response` instead, the choice ID goes in the
  `choice` extension and the words' coding in `own-words`;
- `completed` with `result.score.scaled` (the overall share 0..1), the
  duration and the outcome; and `passed` or `failed` by the pass mark.

Statement IDs are UUIDv5 of the session ID, the log line and the verb, so the
same log always gives the same IDs and an LRS keeps one copy however often
it is sent. Unfinished sessions are left out unless asked for: they may still
be resumed and change.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

from game import __version__
from game.session.reader import iter_records, with_version

NAMESPACE = uuid.UUID("6f1c7a52-3c1e-5b8e-9d0a-4b7565756c65")  # Kuule's namespace for statement IDs
DEFAULT_HOMEPAGE = "https://kuule.invalid/trainees"
IRI = "https://kuule.invalid/xapi"
VERBS = {
    "initialized": "http://adlnet.gov/expapi/verbs/initialized",
    "selected": "https://w3id.org/xapi/adb/verbs/selected",
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "passed": "http://adlnet.gov/expapi/verbs/passed",
    "failed": "http://adlnet.gov/expapi/verbs/failed",
}
DIALOG_TREE = "https://w3id.org/xapi/seriousgames/activity-types/dialog-tree"
SIMULATION = "http://adlnet.gov/expapi/activities/simulation"
EXT = {name: f"{IRI}/extensions/{name}" for name in (
    "tags", "points", "mood", "mood-before", "harmful", "eccs", "turn", "mode", "seed", "content-hash", "outcome",
    "listening", "empathy", "reflection-to-question", "complex-reflections", "opportunities-answered",
    "harmful-moves", "taken-back", "response-ms", "landed", "pass-mark", "resumed", "unverified", "result", "ending",
    "opportunity", "response-ms", "choice", "own-words")}


class NotFinished(Exception):
    """The session has not ended (it may still be resumed)."""


def statement_id(session: str, line: int, verb: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{session}/{line}/{verb}"))


def iso_duration(ms: int) -> str:
    return f"PT{max(0, int(ms)) / 1000:.2f}S"


def _timestamp(started: datetime, at_ms) -> str:
    moment = started + timedelta(milliseconds=int(at_ms or 0))
    return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _language_map(text, fallback: str) -> dict:
    if isinstance(text, dict) and text:
        return {str(k): str(v) for k, v in text.items()}
    return {"en": str(text) if text else fallback}


def _verb(name: str) -> dict:
    return {"id": VERBS[name], "display": {"en-US": name}}


def actor_for(trainee: str, homepage: str) -> dict:
    name = " ".join(str(trainee).split())
    return {"objectType": "Agent", "name": name or "anonymous",
            "account": {"homePage": homepage, "name": name.casefold() or "anonymous"}}


def scenario_activity(scenario_id: str, title) -> dict:
    return {"objectType": "Activity", "id": f"{IRI}/scenarios/{scenario_id}",
            "definition": {"type": SIMULATION, "name": _language_map(title, scenario_id)}}


def node_activity(scenario_id: str, node_id: str, scenario=None) -> dict:
    definition = {"type": DIALOG_TREE, "name": {"en": node_id}, "interactionType": "choice"}
    node = scenario.nodes.get(node_id) if scenario is not None else None
    if node is not None:
        definition["name"] = _language_map(node.line if isinstance(node.line, dict) else {"en": node.line}, node_id)
        definition["choices"] = [{"id": c.id, "description": _language_map(c.text if isinstance(c.text, dict)
                                                                              else {"en": c.text}, c.id)}
                                 for c in node.choices]
    return {"objectType": "Activity", "id": f"{IRI}/scenarios/{scenario_id}/nodes/{node_id}", "definition": definition}


def statements_for_log(path: Path, homepage: str = DEFAULT_HOMEPAGE, pass_mark: float = 0.6,
                       include_unfinished: bool = False, library=None, verified: bool = True) -> list[dict]:
    """All statements of one session, in order. Raises LogError for a bad file, NotFinished for an unfinished one."""
    header = None
    choices: list[tuple[int, dict]] = []  # (line, record) in effect
    taken_back = resumed = 0
    end = None
    end_line = 0
    for number, record in iter_records(path, skip_lines=True):
        kind = record.get("kind")
        if header is None:
            header = record
        elif kind == "choice":
            choices.append((number, record))
        elif kind == "rollback":
            taken_back += 1
            if choices:
                choices.pop()
        elif kind == "end":
            end, end_line = record, number
        elif kind == "reloaded":  # the trainer edited the scenario mid-session: the later version counts
            header = with_version(header, record)
        elif kind == "resumed":
            resumed += 1
    if end is None and not include_unfinished:
        raise NotFinished(str(path))
    session = header["session"]
    registration = str(uuid.UUID(hex=session)) if len(session) == 32 else str(uuid.uuid5(NAMESPACE, session))
    started = datetime.fromisoformat(header["started"])
    actor = actor_for(header.get("trainee", ""), homepage)
    scenario_id = header["scenario_id"]
    parent = scenario_activity(scenario_id, header.get("scenario_title"))
    scenario = None
    if library is not None:
        scenario, exact = library.find(header.get("content_hash", ""), scenario_id, Path(path), header.get("snapshot"),
                                       header.get("scenario_path", ""))
        if not exact:
            scenario = None
    context_ext = {EXT["mode"]: header.get("mode"), EXT["seed"]: header.get("seed"),
                   EXT["content-hash"]: header.get("content_hash")}
    if resumed:
        context_ext[EXT["resumed"]] = resumed
    if not verified:
        context_ext[EXT["unverified"]] = True
    lang = header.get("lang") or "en"

    def context(extra=None, with_parent=False):
        value = {"registration": registration, "platform": f"Kuule {header.get('app_version', __version__)}",
                 "language": lang, "extensions": {**context_ext, **(extra or {})}}
        if with_parent:
            value["contextActivities"] = {"parent": [{"objectType": "Activity", "id": parent["id"]}]}
        return value

    out = [{"id": statement_id(session, 1, "initialized"), "actor": actor, "verb": _verb("initialized"),
            "object": parent, "timestamp": _timestamp(started, 0), "context": context()}]
    for number, record in choices:
        result = {"response": str(record.get("choice")),
                  "extensions": {EXT["tags"]: list(record.get("tags") or []), EXT["points"]: record.get("points") or {},
                                 EXT["mood"]: record.get("mood_after") or {},
                                 EXT["mood-before"]: record.get("mood_before") or {},
                                 EXT["harmful"]: bool(record.get("harmful")), EXT["eccs"]: record.get("eccs"),
                                 EXT["landed"]: record.get("landed"), EXT["opportunity"]: record.get("opportunity"),
                                 EXT["response-ms"]: record.get("response_ms")}}
        result["extensions"][EXT["choice"]] = str(record.get("choice"))
        own = record.get("own_words")
        if isinstance(own, dict):  # the trainee's own words: the response they gave, coded
            result["response"] = own.get("text") if isinstance(own.get("text"), str) else ""
            result["extensions"][EXT["own-words"]] = {key: own.get(key) for key in ("lang", "codes", "group", "closest")}
        if isinstance(record.get("response_ms"), int):
            result["duration"] = iso_duration(record["response_ms"])
        out.append({"id": statement_id(session, number, "selected"), "actor": actor, "verb": _verb("selected"),
                    "object": node_activity(scenario_id, str(record.get("node")), scenario), "result": result,
                    "timestamp": _timestamp(started, record.get("at")),
                    "context": context({EXT["turn"]: record.get("turn")}, with_parent=True)})
    if end is not None:
        data = end.get("result") or {}
        overall = data.get("overall")
        scaled = max(-1.0, min(1.0, float(overall))) if isinstance(overall, (int, float)) else 0.0
        score = {"scaled": round(scaled, 4), "raw": round(scaled * 100, 2), "min": 0, "max": 100}
        extensions = {EXT["outcome"]: end.get("outcome"),
                      EXT["listening"]: (data.get("listening") or {}).get("share"),
                      EXT["empathy"]: (data.get("empathy") or {}).get("share"),
                      EXT["reflection-to-question"]: data.get("reflection_to_question"),
                      EXT["complex-reflections"]: data.get("complex_reflection_share"),
                      EXT["opportunities-answered"]: data.get("opportunity_share"),
                      EXT["harmful-moves"]: data.get("harmful_moves"), EXT["taken-back"]: taken_back,
                      # the whole result and the ending, so a report built from the LRS equals one built from the logs
                      EXT["result"]: data, EXT["ending"]: end.get("node")}
        duration = iso_duration(end.get("duration_ms") or end.get("at") or 0)
        timestamp = _timestamp(started, end.get("at"))
        out.append({"id": statement_id(session, end_line, "completed"), "actor": actor, "verb": _verb("completed"),
                    "object": parent, "timestamp": timestamp, "context": context(),
                    "result": {"completion": True, "score": score, "duration": duration, "extensions": extensions}})
        verdict = "passed" if scaled >= pass_mark else "failed"
        # the pass mark is part of the verdict: another pass mark gives another statement, which supersedes
        # this one in an LRS (see game.xapi.send.supersede)
        mark = round(float(pass_mark), 4)
        out.append({"id": statement_id(session, end_line, f"{verdict}@{mark:g}"), "actor": actor, "verb": _verb(verdict),
                    "object": parent, "timestamp": timestamp, "context": context(),
                    "result": {"success": verdict == "passed", "completion": True, "score": score, "duration": duration,
                               "extensions": {EXT["pass-mark"]: mark}}})
    return out
