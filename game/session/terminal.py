"""The terminal's side of session logs: start the log, or offer to resume an unfinished session.

`play --text` calls `play_in_terminal`. If the trainee has an unfinished session
of the same scenario, it asks (y/n) whether to resume it. With piped input, an
answer that is not yes or no is left for the game (scripts keep working) and
the session starts fresh; end of input also starts fresh.
"""

from __future__ import annotations

import sys
from typing import TextIO

from game.i18n import Catalog

_ = Catalog({
    "offer": ("You have an unfinished session of this scenario from {when} ({turns} answer(s) given). Resume it? [y/n]",
              "Sinulla on tästä skenaariosta kesken jäänyt istunto ({when}, vastauksia annettu: {turns}). Jatketaanko sitä? [k/e]"),
    "yes_no": ("Please answer y or n.", "Vastaa k (kyllä) tai e (ei)."),
    "resumed": ("Resuming where you left off (turn {turn}).", "Jatketaan siitä, mihin jäit (vuoro {turn})."),
    "changed": ("The scenario has changed since that session, so it cannot be resumed exactly. Starting afresh.",
                "Skenaario on muuttunut tuon istunnon jälkeen, joten sitä ei voi jatkaa täsmälleen. Aloitetaan alusta."),
    "cannot_resume": ("That session cannot be resumed ({reason}). Starting afresh.",
                      "Istuntoa ei voi jatkaa ({reason}). Aloitetaan alusta."),
    "no_log": ("Note: the score log cannot be written ({reason}); this session will not be saved.",
               "Huom: tuloslokia ei voi kirjoittaa ({reason}); tätä istuntoa ei tallenneta."),
    "log_failed": ("Note: writing the score log failed part-way ({reason}); it holds the session up to that point.",
                   "Huom: tuloslokin kirjoitus epäonnistui kesken ({reason}); loki sisältää istunnon siihen asti."),
    "saved": ("Score log: {path}", "Tulosloki: {path}"),
})

YES = {"y", "yes", "k", "kyllä", "kylla", "j", "ja"}
NO = {"n", "no", "e", "ei"}


class _PushedBack:
    """A stream that gives back one line before reading on (an answer meant for the game)."""

    def __init__(self, stream: TextIO, line: str):
        self._stream, self._line = stream, line

    def readline(self, *args) -> str:
        if self._line is not None:
            line, self._line = self._line, None
            return line
        return self._stream.readline(*args)

    def isatty(self) -> bool:
        try:
            return self._stream.isatty()
        except (AttributeError, ValueError):
            return False


def _is_tty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def ask_yes_no(question: str, lang: str, stdin: TextIO, stdout: TextIO) -> tuple[bool | None, TextIO]:
    """True/False for an answer, None for none (end of input, or a piped line that is no answer)."""
    while True:
        stdout.write(question + " > ")
        stdout.flush()
        raw = stdin.readline()
        if not raw:
            stdout.write("\n")
            return None, stdin
        answer = raw.strip().casefold()
        if not _is_tty(stdin):
            stdout.write(raw.strip() + "\n")
        if answer in YES:
            return True, stdin
        if answer in NO:
            return False, stdin
        if not _is_tty(stdin):
            return None, _PushedBack(stdin, raw)
        stdout.write(_("yes_no", lang) + "\n")


def _when(started, lang: str) -> str:
    local = started.astimezone()
    return local.strftime("%-d.%-m.%Y klo %H.%M") if lang == "fi" else local.strftime("%Y-%m-%d %H:%M")


def play_in_terminal(scenario, lang: str = "en", seed: int | None = None, mode: str = "practice", trainee: str = "",
                     log_dir=None, stdin: TextIO | None = None, stdout: TextIO | None = None,
                     own_words: bool = False) -> int:
    from game.session.log import SessionLog
    from game.session.reader import LogError
    from game.session.resume import ResumeError, ScenarioChanged, abandon, resume, unfinished_sessions
    from game.terminal import TerminalGame

    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    conversation = log = None
    candidates = [u for u in unfinished_sessions(log_dir, trainee=trainee) if u.scenario_id == scenario.id]
    if candidates:
        unfinished = candidates[0]
        answer, stdin = ask_yes_no(_("offer", lang, when=_when(unfinished.started, lang), turns=unfinished.turns),
                                   lang, stdin, stdout)
        if answer:
            try:
                conversation, log = resume(unfinished, scenario)
                mode = unfinished.mode
            except ScenarioChanged:
                stdout.write(_("changed", lang) + "\n")
                abandon(unfinished, "scenario_changed")
            except (ResumeError, LogError, OSError) as error:
                reason = error.message(lang) if isinstance(error, LogError) else str(error)
                stdout.write(_("cannot_resume", lang, reason=reason) + "\n")
        elif answer is False:
            abandon(unfinished)
    if conversation is None:
        try:
            log = SessionLog.start(scenario, trainee=trainee, mode=mode, lang=lang, seed=seed, log_dir=log_dir)
            seed = log.seed
        except OSError as error:
            print(_("no_log", lang, reason=error.strerror or error), file=sys.stderr)
            log = None
        game = TerminalGame(scenario, lang=lang, seed=seed, mode=mode, trainee=trainee, stdin=stdin, stdout=stdout,
                            listeners=[log] if log else [], own_words=own_words, log=log)
    else:
        game = TerminalGame(scenario, lang=lang, seed=conversation.seed, mode=mode, trainee=trainee, stdin=stdin,
                            stdout=stdout, conversation=conversation,
                            notice=_("resumed", lang, turn=conversation.turn + 1), own_words=own_words, log=log)
    try:
        code = game.run()
    finally:
        if log is not None:
            log.close()
    if log is not None:
        if log.error is not None:
            print(_("log_failed", lang, reason=log.error.strerror or log.error), file=sys.stderr)
        print(_("saved", lang, path=log.path), file=sys.stderr)
    return code
