"""One session's annotated transcript for the report, read back from its log.

Each step: what the customer said and showed, what they thought but did not
say, the trainee's answer with its moves, the coach's note, the customer's
mood after it, and how long the answer took. Answers taken back stay in the
transcript, marked, because a coach wants to see them too.
"""

from __future__ import annotations

import re

from game.coding.codes import code_name
from game.describe import who_says
from game.i18n import pick
from game.report.texts import _
from game.session.reader import LogError, iter_records


# control characters and bidirectional overrides/isolates in what a trainee typed: shown as a visible mark, so
# nothing typed can hide text or reorder the page around it (the text is also isolated in <bdi> by the page)
_UNSHOWN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def shown_text(text) -> str:
    """What a trainee typed, as the page shows it: a string, at most 2,000 characters, controls made visible."""
    text = text if isinstance(text, str) else ""
    text = _UNSHOWN.sub("\ufffd", text)
    return text if len(text) <= 2000 else text[:2000] + "…"


def own_words(record: dict, node, lang: str) -> dict | None:
    """The trainee's own words on a choice line, for the transcript (None when they typed none)."""
    own = record.get("own_words")
    if not isinstance(own, dict):
        return None
    codes = [code for code in own.get("codes") or () if isinstance(code, str)] if isinstance(own.get("codes"), list) else []
    closest = own.get("closest")
    choice = node.choice(closest) if node is not None and isinstance(closest, str) else None
    return {"text": shown_text(own.get("text")), "codes": [code_name(code, lang) for code in codes] or [code_name("other", lang)],
            "closest": (pick(choice.text, lang) if choice is not None else str(closest)) if closest else "",
            "same": closest == record.get("choice")}


class _Retelling:
    """The session played again from its log beside the transcript, for the lines as the customer said them:
    the variant the conversation chose, its text variables filled in, and who said it.

    Only for the exact scenario version the session was played on; when the log and the scenario part ways
    (or the version differs) it stops, and the transcript falls back to the nodes' own texts."""

    def __init__(self, scenario, header: dict):
        from game.engine import Conversation

        drawn = header.get("drawn") if isinstance(header.get("drawn"), dict) else None
        try:
            self.conversation = Conversation(scenario, seed=int(header.get("seed")), drawn=drawn)
        except Exception:  # a header the engine cannot start from: the nodes' own texts will do
            self.conversation = None

    def line(self, node_id):
        """The customer's line now, if the retold conversation stands at `node_id`."""
        conversation = self.conversation
        if conversation is None or conversation.ended or conversation.node.id != node_id:
            self.conversation = None
            return None
        return conversation.line

    def choose(self, choice_id):
        """The Turn as it happened (None once the retelling has stopped)."""
        from game.engine import ConversationError

        if self.conversation is None:
            return None
        try:
            return self.conversation.choose(choice_id)
        except (ConversationError, KeyError, TypeError):
            self.conversation = None
            return None

    def rollback(self):
        if self.conversation is not None:
            try:
                self.conversation.rollback()
            except Exception:  # nothing to take back: the log and the scenario have parted
                self.conversation = None

    def ending(self, node_id):
        conversation = self.conversation
        if conversation is None or not conversation.ended or conversation.node.id != node_id:
            return None
        return conversation.line


def read_transcript(summary, scenario, exact: bool, title: str, lang: str, fmt) -> dict:
    steps = []
    ending_line = ending_thought = None
    error = None
    rubric = scenario.rubric if scenario is not None else None
    retelling = None

    def text(value):
        return pick(value, lang) if value else ""

    def speaker_name(node):
        return who_says(scenario, node.speaker, lang) if node is not None and node.speaker else ""

    try:
        for _number, record in iter_records(summary.path, skip_lines=True):
            kind = record.get("kind")
            if kind == "header" and exact and scenario is not None:
                retelling = _Retelling(scenario, record)
            elif kind == "choice":
                node = scenario.nodes.get(record.get("node")) if scenario is not None else None
                choice = node.choice(record.get("choice")) if node is not None else None
                said = retelling.line(record.get("node")) if retelling is not None else None
                turn = retelling.choose(record.get("choice")) if said is not None else None
                mood = record.get("mood_after") or {}
                points = record.get("points") or {}
                tags = [(pick(rubric.tags[t].label, lang) if rubric is not None and t in rubric.tags else t,
                         bool(rubric is not None and t in rubric.tags and rubric.tags[t].harmful))
                        for t in record.get("tags") or ()]
                steps.append({
                    "number": record.get("turn"), "node": record.get("node"),
                    "line": text(said.text) if said is not None else text(node.line) if node is not None
                    else f"[{record.get('node')}]",
                    "speaker": speaker_name(node),
                    "cue": text(said.cue) if said is not None else text(node.cue) if node is not None else "",
                    "thought": text(said.thought) if said is not None else text(node.thought) if node is not None else "",
                    "opportunity": text(node.opportunity) if node is not None else "",
                    "answer": text(turn.answer) if turn is not None and turn.answer else text(choice.text)
                    if choice is not None else f"[{record.get('choice')}]",
                    "feedback": text(turn.feedback) if turn is not None and turn.feedback is not None
                    else text(choice.feedback) if choice is not None else "",
                    "tags": tags, "harmful": bool(record.get("harmful")),
                    "points": " / ".join(f"{_(axis, lang)} {value:+g}" for axis, value in points.items()
                                         if isinstance(value, (int, float))),
                    "mood": _("mood", lang, trust=mood.get("trust", "?"), distress=mood.get("distress", "?"),
                              heard=mood.get("heard", "?")),
                    "seconds": fmt.num((record.get("response_ms") or 0) / 1000, 1),
                    "answer_time": _("answer_time", lang, seconds=fmt.num((record.get("response_ms") or 0) / 1000, 1)),
                    "eccs": record.get("eccs"), "taken_back": False, "own": own_words(record, node, lang),
                })
            elif kind == "rollback":
                if retelling is not None:
                    retelling.rollback()
                for step in reversed(steps):
                    if not step["taken_back"]:
                        step["taken_back"] = True
                        break
            elif kind == "end" and scenario is not None:
                node = scenario.nodes.get(record.get("node"))
                said = retelling.ending(record.get("node")) if retelling is not None else None
                if said is not None:
                    ending_line, ending_thought = text(said.text), text(said.thought)
                elif node is not None:
                    ending_line, ending_thought = text(node.line), text(node.thought)
    except LogError as problem:
        error = problem.message(lang)
    customer = pick(scenario.customer.name, lang) if scenario is not None else _("customer", lang)
    return {
        "anchor": summary.session, "trainee": summary.trainee or _("unnamed", lang), "key": summary.trainee_key,
        "scenario": summary.scenario_id, "title": title, "date": summary.date, "when": fmt.when(summary.started),
        "mode": summary.mode, "attempt": summary.attempt, "overall": fmt.pct(summary.overall),
        "outcome": summary.outcome if summary.finished else None,
        "outcome_text": _("outcome_" + summary.outcome, lang) if summary.finished and summary.outcome in
        ("good", "mixed", "bad", "left") else _("unfinished", lang),
        "customer": customer, "steps": steps, "ending_line": ending_line, "ending_thought": ending_thought,
        "hidden": pick(scenario.customer.hidden, lang) if scenario is not None else "",
        "found": scenario is not None, "exact": exact, "error": error, "file": summary.path.name,
        "resumed": summary.resumed, "verified": summary.verified, "own_words": bool(summary.own_codes),
    }
