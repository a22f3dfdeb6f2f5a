"""`replay LOG`: play a recorded session back for the coach, turn by turn, with the debrief annotations.

The exact scenario version played is found by the content hash in the log's
header: first the copy kept beside the logs (`scenarios/<hash>/`), then the file
the session was played from if it has not changed since, then a shipped
scenario with the same bytes. The session is restored by replaying its choices
and take-backs in order (seed included), so the replay reaches the recorded
point; the game window opens at its debrief, from where the customer's-eyes
replay steps through it. `--text`, or a machine without a display, prints the
annotated debrief in the terminal instead.

A log that is missing, foreign, damaged or unfinished is explained and exits 1
(an unfinished one still shows what happened so far). A log whose hash chain
is broken (edited by hand) is replayed only after a warning saying so.
"""

from __future__ import annotations

import re
import sys

from game.i18n import Catalog

_ = Catalog({
    "summary": ("play a recorded session back for the coach, turn by turn, with the debrief annotations",
                "toista tallennettu istunto valmentajalle vuoro vuorolta loppupurun huomioineen"),
    "log": ("a session log file (.jsonl)", "istuntolokitiedosto (.jsonl)"),
    "text": ("print the annotated debrief in the terminal instead of opening the game window",
             "tulosta loppupurku huomioineen päätteeseen peli-ikkunan avaamisen sijaan"),
    "cannot_replay": ("{path}: cannot be replayed: {reason}", "{path}: ei voi toistaa: {reason}"),
    "folder": ("this is a folder; name one session log file in it", "tämä on kansio; anna yksi sen istuntolokitiedosto"),
    "damaged_record": ("line {line} is damaged (a record with missing or wrong fields)",
                       "rivi {line} on vioittunut (tietueesta puuttuu kenttiä tai ne ovat vääränlaisia)"),
    "edited": ("WARNING: {path} was changed after it was written (its hash chain is broken); "
               "what is replayed below may not be what the trainee did:",
               "VAROITUS: tiedostoa {path} on muutettu kirjoittamisen jälkeen (tiivisteketju on katki); "
               "alla toistettu ei välttämättä ole sitä, mitä harjoittelija teki:"),
    "no_scenario": ("{path}: the scenario version this session was played with cannot be found "
                    "(scenario \u201c{id}\u201d, content hash {hash}). There is no copy of it beside the log "
                    "(scenarios/{hash}/), and {where}. Replaying with another version could show answers "
                    "the trainee never saw, so the session is not replayed.",
                    "{path}: skenaarioversiota, jolla istunto pelattiin, ei löydy (skenaario \u201c{id}\u201d, "
                    "sisältötiiviste {hash}). Lokin vieressä ei ole siitä kopiota (scenarios/{hash}/), ja {where_fi}. "
                    "Toisella versiolla toistaminen voisi näyttää vastauksia, joita harjoittelija ei nähnyt, "
                    "joten istuntoa ei toisteta."),
    "source_changed": ("the file it was played from ({source}) has changed since",
                       "tiedosto, josta se pelattiin ({source}), on muuttunut sen jälkeen"),
    "source_missing": ("the file it was played from ({source}) is not there any more",
                       "tiedostoa, josta se pelattiin ({source}), ei enää ole"),
    "source_unknown": ("the log does not say which file it was played from",
                       "lokissa ei kerrota, mistä tiedostosta se pelattiin"),
    "other_version": ("(Another version of \u201c{id}\u201d exists, but its texts or choices may differ.)",
                      "(Skenaariosta \u201c{id}\u201d on olemassa toinen versio, mutta sen tekstit tai valinnat voivat erota.)"),
    "replay_failed": ("{path}: the recorded answers cannot be replayed on this scenario version ({error}); "
                      "the log may have been edited.",
                      "{path}: tallennettuja vastauksia ei voi toistaa tällä skenaarioversiolla ({error}); "
                      "lokia on ehkä muokattu."),
    "unfinished": ("{path}: this session is not finished ({turns} answer(s) so far), so there is no debrief to "
                   "replay yet. It can be resumed: Kuule offers it to the trainee on the next start "
                   "(`python main.py play`, with `--log-dir {folder}` if the log is kept elsewhere). "
                   "What happened so far:",
                   "{path}: istunto on kesken (vastauksia tähän mennessä: {turns}), joten toistettavaa loppupurkua "
                   "ei vielä ole. Istuntoa voi jatkaa: Kuule tarjoaa sitä harjoittelijalle seuraavalla käynnistyskerralla "
                   "(`python main.py play`, ja `--log-dir {folder}`, jos loki on muualla). Tähän mennessä tapahtunut:"),
    "abandoned": ("{path}: this session was never finished ({turns} answer(s)); the trainee chose a fresh start "
                  "instead of resuming it, so it cannot be resumed or replayed to a debrief. What happened:",
                  "{path}: istunto jäi kesken (vastauksia: {turns}); harjoittelija aloitti alusta eikä jatkanut sitä, "
                  "joten sitä ei voi jatkaa eikä toistaa loppupurkuun asti. Mitä tapahtui:"),
    "mismatch": ("WARNING: replayed, this session ends with {replayed}, but the log recorded {recorded} "
                 "(the rubric beside the scenario may have changed). The recorded result is the one that counted.",
                 "VAROITUS: toistettuna istunto päättyy tulokseen {replayed}, mutta lokiin on kirjattu {recorded} "
                 "(skenaarion vieressä oleva arviointiohje on ehkä muuttunut). Lokiin kirjattu tulos on se, joka laskettiin."),
    "no_window": ("The game window could not be opened ({reason}). Showing the debrief in the terminal instead.",
                  "Peli-ikkunaa ei voitu avata ({reason}). Näytetään loppupurku päätteessä."),
    "title": ("REPLAY: {title}", "TOISTO: {title}"),
    "who": ("Trainee: {trainee} · {mode} · {language} · started {started} · seed {seed}",
            "Harjoittelija: {trainee} · {mode} · {language} · aloitettu {started} · siemen {seed}"),
    "nobody": ("(no name)", "(ei nimeä)"),
    "practice": ("practice", "harjoittelu"),
    "assessment": ("assessment", "arviointi"),
    "version": ("Scenario version: {hash} ({where})", "Skenaarioversio: {hash} ({where})"),
    "from_snapshot": ("the copy kept beside the logs", "lokien viereen tallennettu kopio"),
    "from_source": ("{source}, unchanged since", "{source}, muuttumaton"),
    "from_shipped": ("{source}, the same version", "{source}, sama versio"),
    "recorded": ("Recorded result: {result}; the replay reaches the same.",
                 "Lokiin kirjattu tulos: {result}; toisto päätyy samaan."),
    "taken_back": ("Answers taken back ({count}), not counted in the scores:",
                   "Perutut vastaukset ({count}), eivät vaikuta pisteisiin:"),
    "taken_back_one": ("at turn {turn}: \u201c{text}\u201d", "vuorolla {turn}: \u201c{text}\u201d"),
    "outcome_good": ("good", "hyvä"),
    "outcome_bad": ("bad", "huono"),
    "outcome_left": ("left", "lähti"),
    "result_text": ("{outcome} ending, overall {overall}", "loppu: {outcome}, kokonaisuus {overall}"),
})

HASH = re.compile(r"[0-9a-f]{64}")


def summary(lang: str) -> str:
    return _("summary", lang)


def add_arguments(parser, lang: str) -> None:
    parser.add_argument("log", metavar="LOG", help=_("log", lang))
    parser.add_argument("--text", action="store_true", help=_("text", lang))


class Problem(Exception):
    """Why the log cannot be replayed, already worded for people."""


# -- reading the log --------------------------------------------------------------------------------
class Recording:
    """What a log says happened: the header, every choice and take-back in order, how it ended."""

    def __init__(self, path):
        from game.session.reader import LogError, iter_records, with_version

        self.path = path
        self.header: dict = {}
        self.actions: list[tuple[str, str | None]] = []
        self.choices: list[str] = []
        self.taken_back: list[tuple[int, str, str]] = []  # (turn, node, choice) of each answer taken back
        self.end: dict | None = None
        self.abandoned = False
        stack: list[tuple[int, str, str]] = []
        for number, record in iter_records(path, skip_lines=True):
            kind = record.get("kind")
            if self.end is not None:
                break  # lines after the end were added later (verify reports them): the session is as it ended
            if not self.header:
                self.header = record
                continue
            if kind == "choice":
                choice, node, turn = record.get("choice"), record.get("node"), record.get("turn")
                if not isinstance(choice, str):
                    raise LogError(path, "damaged", line=number)
                self.actions.append(("choose", choice))
                self.choices.append(choice)
                stack.append((turn if isinstance(turn, int) else len(stack) + 1, str(node or ""), choice))
            elif kind == "rollback":
                self.actions.append(("rollback", None))
                if self.choices:
                    self.choices.pop()
                if stack:
                    self.taken_back.append(stack.pop())
            elif kind == "end":
                self.end = record
            elif kind == "abandoned":
                self.abandoned = True
            elif kind == "reloaded":  # the trainer edited the scenario mid-session: the later version counts
                self.header = with_version(self.header, record)

    @property
    def finished(self) -> bool:
        return self.end is not None

    def unfinished(self):
        """The session as resume.Unfinished, which `restore` replays (choices and take-backs)."""
        from pathlib import Path

        from game.session.resume import Unfinished, _started

        header = self.header
        return Unfinished(path=Path(self.path), scenario_id=header["scenario_id"],
                          scenario_path=str(header.get("scenario_path") or ""),
                          content_hash=str(header.get("content_hash") or ""), trainee=str(header.get("trainee") or ""),
                          mode=str(header.get("mode") or "practice"), lang=str(header.get("lang") or "en"),
                          seed=header["seed"], choices=list(self.choices), started=_started(header),
                          actions=tuple(self.actions), session=str(header.get("session") or ""),
                          title=header.get("scenario_title"),
                          drawn=header.get("drawn") if isinstance(header.get("drawn"), dict) else None)


# -- finding the scenario version -------------------------------------------------------------------
def find_scenario(path, header: dict, lang: str):
    """(scenario, where it came from) for the exact version played; raises Problem if there is none."""
    from pathlib import Path

    from game.scenario.loader import load_scenario

    content_hash = str(header.get("content_hash") or "")
    scenario_id = header["scenario_id"]
    folder = Path(path).parent

    def exact(candidate: Path):
        try:
            if not candidate.is_file():
                return None
            scenario = load_scenario(candidate).scenario
        except (OSError, ValueError):
            return None
        return scenario if scenario is not None and scenario.content_hash == content_hash else None

    if HASH.fullmatch(content_hash):
        candidates = [folder / "scenarios" / content_hash / "scenario.yaml"]
        snapshot = header.get("snapshot")
        if isinstance(snapshot, str) and snapshot:
            named = (folder / snapshot).resolve()
            if folder.resolve() in named.parents:  # a path in a log never leads out of the log folder
                candidates.insert(0, named)
        for candidate in candidates:
            scenario = exact(candidate)
            if scenario is not None:
                return scenario, _("from_snapshot", lang)
    source = str(header.get("scenario_path") or "")
    if content_hash and source:
        scenario = exact(Path(source))
        if scenario is not None:
            return scenario, _("from_source", lang, source=source)
    other = None
    if content_hash:
        from game.commands.files import shipped_scenarios

        for candidate in shipped_scenarios():
            scenario = exact(candidate)
            if scenario is not None:
                return scenario, _("from_shipped", lang, source=str(candidate))
        from game.report.scenarios import ScenarioLibrary

        other, _exact = ScenarioLibrary([Path(source).parent] if source else []).find(
            "", scenario_id, scenario_path=source)
    where = "source_unknown" if not source else "source_changed" if Path(source).is_file() else "source_missing"
    message = _("no_scenario", lang, path=path, id=scenario_id, hash=content_hash or "?",
                where=_(where, "en", source=source), where_fi=_(where, "fi", source=source))
    if other is not None:
        message += " " + _("other_version", lang, id=scenario_id)
    raise Problem(message)


# -- showing it ------------------------------------------------------------------------------------
def _result_text(result: dict, lang: str) -> str:
    from game.i18n import percent

    outcome = result.get("outcome")
    overall = result.get("overall")
    return _("result_text", lang, outcome=_("outcome_" + outcome, lang) if outcome in ("good", "bad", "left") else outcome,
             overall=percent(overall, lang) if isinstance(overall, (int, float)) else "–")


def same_result(conversation, end: dict) -> bool:
    import json

    replayed = json.loads(json.dumps(conversation.result.as_dict()))
    return conversation.ended and replayed == end.get("result") and conversation.node.id == end.get("node")


def print_transcript(recording: Recording, scenario, where: str, conversation, lang: str, out=None) -> None:
    """The session's details, the answers taken back, then the annotated debrief (TerminalGame's)."""
    from game.debrief import debrief_for
    from game.i18n import pick
    from game.terminal import TerminalGame

    out = out or sys.stdout
    game = TerminalGame(scenario, lang=lang, mode=recording.header.get("mode", "practice"), stdout=out,
                        conversation=conversation)
    header = recording.header
    game.say(_("title", lang, title=pick(scenario.title, lang)).upper())
    mode = header.get("mode")
    game.say(_("who", lang, trainee=header.get("trainee") or _("nobody", lang),
               mode=_(mode, lang) if mode in ("practice", "assessment") else mode,
               language=header.get("lang", "?"), started=header.get("started", "?"), seed=header.get("seed")))
    game.say(_("version", lang, hash=str(header.get("content_hash", ""))[:12], where=where))
    if recording.end is not None and same_result(conversation, recording.end):
        game.say(_("recorded", lang, result=_result_text(recording.end.get("result") or {}, lang)))
    if recording.taken_back:
        game.say()
        game.say(_("taken_back", lang, count=len(recording.taken_back)))
        for turn, node_id, choice_id in recording.taken_back:
            node = scenario.nodes.get(node_id)
            choice = node.choice(choice_id) if node is not None else None
            game.say(_("taken_back_one", lang, turn=turn, text=pick(choice.text, lang) if choice else choice_id), "  ")
    if conversation.history or conversation.ended:
        game.show_debrief(debrief_for(conversation))


# -- the command -----------------------------------------------------------------------------------
def _say(text: str) -> None:
    sys.stdout.flush()
    print(text, file=sys.stderr)
    sys.stderr.flush()


def run(args) -> int:
    from pathlib import Path

    from game.session.reader import LogError
    from game.session.resume import ReplayFailed, ResumeError, restore
    from game.session.verify import problem_message, verify_log

    lang, path = args.lang, Path(args.log)
    try:
        if path.is_dir():
            raise Problem(_("cannot_replay", lang, path=path, reason=_("folder", lang)))
        try:
            recording = Recording(path)
        except LogError as error:
            raise Problem(_("cannot_replay", lang, path=path, reason=error.message(lang))) from None
        verdict = verify_log(path)
        if verdict.problems:
            _say(_("edited", lang, path=path))
            for problem in verdict.problems:
                _say(f"  {path}:{problem.line}: {problem.message(lang)}")
        flagged = {problem.line for problem in verdict.problems}
        for line in verdict.ignored:
            if line not in flagged:
                _say(f"{path}:{line}: {problem_message('ignored', lang, {'line': line})}")
        scenario, where = find_scenario(path, recording.header, lang)
        try:
            conversation = restore(recording.unfinished(), scenario)
        except ReplayFailed as error:
            raise Problem(_("replay_failed", lang, path=path, error=error.error)) from None
        except ResumeError as error:
            raise Problem(_("cannot_replay", lang, path=path, reason=error)) from None
    except Problem as problem:
        _say(str(problem))
        return 1
    except (KeyError, TypeError, ValueError, AttributeError):  # fields of the wrong kind in an edited log
        _say(_("cannot_replay", lang, path=path, reason=_("damaged_record", lang, line="?")))
        return 1
    except OSError as error:
        _say(_("cannot_replay", lang, path=path, reason=error.strerror or type(error).__name__))
        return 1

    if not recording.finished:
        key = "abandoned" if recording.abandoned else "unfinished"
        from game import as_typed

        _say(as_typed(_(key, lang, path=path, turns=len(recording.choices), folder=path.parent)))
        print_transcript(recording, scenario, where, conversation, lang)
        return 1
    if not same_result(conversation, recording.end):
        _say(_("mismatch", lang, replayed=_result_text(json_result(conversation), lang),
               recorded=_result_text(recording.end.get("result") or {}, lang)))
    if not args.text:
        from game.ui import DisplayUnavailable

        try:
            from game.ui.replay import coach_review

            return coach_review(scenario, conversation.seed, conversation.choice_log, lang=lang)
        except DisplayUnavailable as error:
            _say(_("no_window", lang, reason=error.reason_fi if lang == "fi" else str(error)))
    print_transcript(recording, scenario, where, conversation, lang)
    return 0


def json_result(conversation) -> dict:
    import json

    return json.loads(json.dumps(conversation.result.as_dict()))
