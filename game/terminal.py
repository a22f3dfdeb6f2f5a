"""Playing in a terminal: a presenter over the engine that reads lines and prints text.

It works with piped standard input, so a session can be scripted:

    printf '1\n2\n1\n' | python main.py play scenarios/small_print.yaml --text --seed 4

At the prompt: a number (or a choice's ID) answers; in practice mode `b` takes
the last answer back; `q` stops; `?` shows help. The customer's mood is shown
in words, standing in for the face of the windowed game.

With `own_words`, each turn starts with the trainee's own reply (an empty line:
staying quiet). The reply coder (game.coding) codes it, the offered answers are
listed with the closest in meaning marked, and Enter confirms it (or a number
picks another). The own words and their codes go into the score log beside the
answer taken. Nothing typed is ever run or interpreted: it is only text.
"""

from __future__ import annotations

import shutil
import sys
import textwrap
from typing import TextIO

from game.debrief import Debrief, debrief_for
from game.describe import expression, expression_name, mood_words, other_speaker, who_says
from game.engine import Conversation, ConversationError
from game.i18n import Catalog, percent, pick
from game.scenario.model import Scenario

FINISHED, UNFINISHED = 0, 3

_ = Catalog({
    "practice": ("Practice: after each answer you get a coach's note, and `b` takes the answer back.",
                 "Harjoittelu: jokaisen vastauksen jälkeen saat valmentajan huomion, ja `b` peruu vastauksen."),
    "assessment": ("Assessment: this attempt counts. Feedback comes in the debrief at the end.",
                   "Arviointi: tämä yritys lasketaan. Palaute tulee loppupurussa."),
    "help": ("Type the number of your answer and press Enter. `q` stops.{back}",
             "Kirjoita vastauksesi numero ja paina Enter. `q` lopettaa.{back}"),
    "help_hint": (" `m` shows or hides a hint of the customer's mood.", " `m` näyttää tai piilottaa vihjeen asiakkaan mielialasta."),
    "hint_on": ("Mood hint on. In an assessment there is none: reading the customer is the skill.",
                "Mielialavihje päällä. Arvioinnissa sitä ei ole: asiakkaan lukeminen on juuri se taito."),
    "hint_off": ("Mood hint off.", "Mielialavihje pois."),
    "help_back": (" `b` takes your last answer back.", " `b` peruu edellisen vastauksesi."),
    "looks": ("{name} looks {face}: {words}.", "{name} on ilmeeltään {face}: {words}."),
    "unavailable": ("not possible now", "ei mahdollista nyt"),
    "prompt": ("Your answer", "Vastauksesi"),
    "bad_input": ("Type a number from 1 to {n}.", "Kirjoita numero 1–{n}."),
    "not_available": ("That answer is not possible right now; pick another.",
                      "Tuo vastaus ei ole nyt mahdollinen; valitse toinen."),
    "no_back_assessment": ("Answers cannot be taken back in assessment mode.",
                           "Arviointitilassa vastauksia ei voi perua."),
    "nothing_to_undo": ("There is no answer to take back yet.", "Vielä ei ole mitään peruttavaa."),
    "took_back": ("Answer taken back.", "Vastaus peruttu."),
    "coach": ("Coach", "Valmentaja"),
    "eof": ("Input ended before the conversation did.", "Syöte loppui ennen kuin keskustelu päättyi."),
    "stopped": ("Stopped before the end.", "Lopetettiin ennen loppua."),
    "debrief": ("DEBRIEF", "LOPPUPURKU"),
    "scores": ("Scores (each answer against the best on offer at that moment, then the ceiling)",
               "Pisteet (jokainen vastaus verrattuna siihen, mikä sillä hetkellä oli parasta tarjolla; katto rajaa tuloksen)"),
    "tags": ("Your moves", "Siirtosi"),
    "path": ("What shaped this conversation", "Mikä tätä keskustelua ohjasi"),
    "ceiling": ("at most {cap}", "enintään {cap}"),
    "metrics": ("Coach metrics (MITI 4.2.1 thresholds)", "Valmentajan mittarit (MITI 4.2.1 -rajat)"),
    "opportunities": ("Empathic opportunities", "Empatian paikat"),
    "met": ("met", "huomattu"),
    "missed": ("missed", "ohitettu"),
    "outcome": ("Outcome", "Lopputulos"),
    "transcript": ("What happened, and what the customer did not say", "Mitä tapahtui ja mitä asiakas jätti sanomatta"),
    "you": ("You", "Sinä"),
    "thought": ("Thought, unsaid", "Ajatteli, ei sanonut"),
    "hidden": ("What {name} never said aloud", "Mitä {name} ei sanonut ääneen"),
    "last_words": ("Last words", "Viimeiset sanat"),
    "customer": ("Customer", "Asiakas"),
    "age": ("{name}, {age}", "{name}, {age} v."),
    "own_words": ("In your own words: at each turn, first type what you would say (an empty line means you would "
                  "stay quiet). Then the answer closest to it is marked: Enter takes it, or type another number.",
                  "Omin sanoin: kirjoita joka vuorolla ensin, mitä itse sanoisit (tyhjä rivi tarkoittaa, että olisit "
                  "hiljaa). Sen jälkeen lähin vastaus on merkitty: Enter valitsee sen, tai kirjoita toisen numero."),
    "help_own": ("Type what you would say and press Enter; an empty line means you would stay quiet. `q` stops.{back}",
                 "Kirjoita, mitä sanoisit, ja paina Enter; tyhjä rivi tarkoittaa, että olisit hiljaa. `q` lopettaa.{back}"),
    "say_prompt": ("You would say", "Sinä sanoisit"),
    "quiet": ("(you stay quiet)", "(olet hiljaa)"),
    "heard_as": ("Heard as: {codes} ({group})", "Kuule tulkitsi: {codes} ({group})"),
    "closest": ("closest to what you said", "lähinnä sitä, mitä sanoit"),
    "own_said": ("In your own words", "Omin sanoin"),
    "own_metrics": ("Measured from your own words ({n} of {total} turns), not from the answers you chose",
                    "Mitattu omista sanoistasi ({n}/{total} vuoroa), ei valitsemistasi vastauksista"),
    "confirm_prompt": ("Enter = {n}, or another number", "Enter = {n}, tai toisen vastauksen numero"),
    "none_close": ("None of these is close to what you said — pick one.",
                   "Mikään näistä ei ole lähellä sitä, mitä sanoit — valitse yksi."),
    "pick_prompt": ("The number of your answer", "Vastauksesi numero"),
})


def _echoed(typed: str) -> str:
    """A piped line as it is echoed: no control or bidi-override characters reach the terminal (an ESC[2J
    would clear it), at most 2,000 characters, a cut marked "…"."""
    from game.coding.analysis import clean

    return clean(typed)


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class TerminalGame:
    def __init__(self, scenario: Scenario, lang: str = "en", seed: int | None = None, mode: str = "practice",
                 trainee: str = "", stdin: TextIO | None = None, stdout: TextIO | None = None, listeners=(),
                 conversation: Conversation | None = None, notice: str = "", own_words: bool = False, log=None):
        """`conversation` continues a restored one (resume); `notice` is said after the title. With `own_words`
        the trainee types a reply before each choice; `log` (a SessionLog) then records it beside the choice."""
        self.scenario, self.lang, self.mode, self.trainee = scenario, lang, mode, trainee
        self.own_words, self.log = own_words, log
        self.own_said: dict[int, object] = {}  # turn number -> the Coding of the trainee's own words
        self.stdin = stdin or sys.stdin
        self.out = stdout or sys.stdout
        self.width = max(40, min(100, shutil.get_terminal_size((80, 24)).columns))
        self.conversation = conversation or Conversation(scenario, seed=seed, listeners=listeners)
        self.notice = notice
        self.mood_hint = False  # practice only, toggled with `m`: in assessment the customer is read, not displayed

    # -- output helpers ---------------------------------------------------------------------------
    def say(self, text: str = "", indent: str = "") -> None:
        if not text:
            self.out.write("\n")
            return
        for paragraph in text.split("\n"):
            wrapped = textwrap.fill(paragraph, self.width, initial_indent=indent, subsequent_indent=indent,
                                    break_on_hyphens=False)  # "four-year-old", "e-lasku" stay whole
            self.out.write((wrapped or indent) + "\n")
        self.out.flush()

    def t(self, key: str, **values) -> str:
        return _(key, self.lang, **values)

    def p(self, text) -> str:
        return pick(text, self.lang)

    # -- playing ----------------------------------------------------------------------------------
    def run(self) -> int:
        scenario, customer = self.scenario, self.scenario.customer
        self.say(self.p(scenario.title).upper())
        if scenario.description:
            self.say(self.p(self.conversation.render(scenario.description)))
        name = self.p(customer.name)
        who = self.t("age", name=name, age=customer.age) if customer.age else name
        self.say(f"{self.t('customer')}: {who} — {self.p(self.conversation.render(customer.situation))}")
        self.say(self.t(self.mode))
        if self.own_words:
            self._warm_up_coder()
            self.say(self.t("own_words"))
        self.say(self.help_text())
        if self.notice:
            self.say(self.notice)
        while not self.conversation.ended:
            self.show_line()
            outcome = self.ask()
            if outcome is not None:
                self.say()
                self.say(self.t(outcome))
                return UNFINISHED
        self.show_line()
        self.show_debrief(debrief_for(self.conversation))
        return FINISHED

    def help_text(self) -> str:
        extra = self.t("help_back") + self.t("help_hint") if self.mode == "practice" else ""
        return self.t("help_own" if self.own_words else "help", back=extra)

    def speaker_name(self, speaker: str | None) -> str:
        """Who says a line: the customer, or one of the scenario's other speakers (with their role)."""
        return who_says(self.scenario, speaker, self.lang)

    def show_line(self) -> None:
        line = self.conversation.line
        name = self.speaker_name(line.speaker)
        self.say()
        self.say(f"{name}: \u201c{self.p(line.text)}\u201d")
        if line.cue:
            self.say(f"*{self.p(line.cue)}*", "  ")
        if self.mood_hint and self.mode == "practice" and not line.is_ending:
            self.say_mood()

    def say_mood(self) -> None:
        """The practice hint: the face as the author gave it to the line (or as the mood shows it), in words."""
        line = self.conversation.line
        authored = line.expression if other_speaker(self.scenario, line.speaker) is None else None  # another's face
        face = authored or expression(line.mood)
        self.say(self.t("looks", name=self.p(self.scenario.customer.name), face=expression_name(face, self.lang),
                        words=mood_words(line.mood, self.lang)), "  ")

    def offered(self):
        """The answers shown, numbered as shown: in assessment, answers not possible now are not listed."""
        views = self.conversation.choices
        if self.mode == "practice":
            return views
        from dataclasses import replace
        return [replace(view, number=number) for number, view in enumerate((v for v in views if v.available), 1)]

    def pick(self, by_id, answer: str, views):
        """The answer typed (by its ID, or its number as shown) if it can be taken now; otherwise say why, None."""
        view = by_id
        if view is None and answer.isdigit() and 1 <= int(answer) <= len(views):
            view = views[int(answer) - 1]
        if view is None:
            self.say(self.t("bad_input", n=len(views)))
            return None
        if not view.available:
            self.say(self.t("not_available"))
            return None
        return view

    def read(self, prompt: str) -> str | None:
        """One line from the input (None at its end), echoed when piped so a transcript reads naturally."""
        self.out.write(f"{prompt} > ")
        self.out.flush()
        try:
            raw = self.stdin.readline()
        except UnicodeDecodeError:  # bytes that are not text: read as nothing said rather than crash
            raw = "\n"
        if not raw:
            self.out.write("\n")
            return None
        answer = raw.rstrip("\r\n")
        if not _is_terminal(self.stdin):
            self.out.write(_echoed(answer) + "\n")
        return answer

    def ask(self) -> str | None:
        """Read answers until one is taken; returns 'eof' or 'stopped' when the session ends early."""
        if self.own_words:
            return self.ask_own_words()
        while True:
            views = self.offered()
            self.say()
            for view in views:
                suffix = "" if view.available else f"  ({self.t('unavailable')})"
                self.say(f"{view.number}. {self.p(view.text)}{suffix}", "  ")
            self.out.write(f"{self.t('prompt')} > ")
            self.out.flush()
            raw = self.stdin.readline()
            if not raw:
                self.out.write("\n")
                return "eof"
            answer = raw.strip()
            if not _is_terminal(self.stdin):  # piped: echo the answer so the transcript reads naturally
                self.out.write(_echoed(answer) + "\n")
            lowered = answer.lower()
            by_id = next((v for v in views if v.id == answer), None)  # an author's ID wins over command words
            if by_id is None and lowered in ("q", "quit", "lopeta"):
                return "stopped"
            if by_id is None and lowered in ("?", "h", "help", "apua"):
                self.say(self.help_text())
                continue
            if by_id is None and lowered == "m" and self.mode == "practice":
                self.mood_hint = not self.mood_hint
                self.say(self.t("hint_on" if self.mood_hint else "hint_off"))
                if self.mood_hint:
                    self.say_mood()
                continue
            if by_id is None and lowered in ("b", "back", "takaisin"):
                if self.take_back():
                    self.show_line()
                continue
            view = self.pick(by_id, answer, views)
            if view is None:
                continue
            try:
                self.conversation.choose(view.id)
            except ConversationError:
                self.say(self.t("not_available"))
                continue
            self.say(f"{self.t('you')}: \u201c{self.p(view.text)}\u201d")
            if self.mode == "practice" and view.feedback:
                self.say(f"{self.t('coach')}: {self.p(view.feedback)}", "  ")
            return None

    # -- own words ----------------------------------------------------------------------------------
    def _warm_up_coder(self) -> None:
        """Load the lemmatiser's dictionary while the trainee reads the first line, so coding adds no wait."""
        import threading

        from game.coding import warm_up

        threading.Thread(target=warm_up, args=(self.lang,), name="kuule-coder-warm-up", daemon=True).start()

    def ask_own_words(self) -> str | None:
        """The trainee's own reply first, then the offered answers with the closest marked; Enter confirms."""
        from game.coding import code_name, group_name
        from game.coding.coder import closest_choice, code_reply, rank_choices

        while True:
            self.say()
            said = self.read(self.t("say_prompt"))
            if said is None:
                return "eof"
            command = said.strip().lower()
            if command in ("q", "quit", "lopeta"):
                return "stopped"
            if command in ("?", "h", "help", "apua"):
                self.say(self.help_text())
                continue
            if command in ("b", "back", "takaisin"):
                if self.take_back():
                    self.show_line()
                continue
            coding = code_reply(said, self.lang)
            views = self.offered()
            offered = [v for v in views if v.available]
            if not offered:  # nothing can be answered here (an authoring error): say so as the plain mode does
                self.say(self.t("not_available"))
                return "stopped"
            ranking = rank_choices(coding.text, self.lang, [
                (v.id, self.p(v.text), v.code) for v in offered])
            closest_id = closest_choice(ranking)  # None: nothing is close, nothing is marked
            closest = next((v for v in offered if v.id == closest_id), None)
            if not coding.text:
                self.say(self.t("quiet"), "  ")
            if self.mode == "practice":  # in assessment the coding is feedback, kept for the debrief
                codes = ", ".join(code_name(code, self.lang) for code in coding.codes)
                self.say(self.t("heard_as", codes=codes, group=group_name(coding.group, self.lang)), "  ")
            outcome = self.confirm(views, closest, coding)
            if outcome != "again":
                return outcome

    def confirm(self, views, closest, coding) -> str | None:
        """List the answers with `closest` marked; take Enter (it), a number or an ID. 'again' re-asks the reply.
        With no `closest` (nothing said is close to any answer) none is marked and Enter alone takes nothing."""
        marked = closest.id if closest is not None else None
        while True:
            self.say()
            for view in views:
                if not view.available and self.mode != "practice":
                    continue
                mark = "▶ " if view.id == marked else "  "
                suffix = "" if view.available else f"  ({self.t('unavailable')})"
                if view.id == marked:
                    suffix += f"  ← {self.t('closest')}"
                self.say(f"{mark}{view.number}. {self.p(view.text)}{suffix}", "  ")
            if closest is None:
                self.say(self.t("none_close"), "  ")
            answer = self.read(self.t("confirm_prompt", n=closest.number) if closest is not None
                               else self.t("pick_prompt"))
            if answer is None:
                return "eof"
            answer = answer.strip()
            lowered = answer.lower()
            if not answer and closest is None:
                continue  # an explicit choice is needed: the list and the question again
            view = closest if not answer else next((v for v in views if v.id == answer), None)
            if view is None and lowered in ("q", "quit", "lopeta"):
                return "stopped"
            if view is None and lowered in ("?", "h", "help", "apua"):
                self.say(self.help_text())
                continue
            if view is None and lowered in ("b", "back", "takaisin"):
                if self.take_back():
                    self.show_line()
                    return "again"
                continue
            view = self.pick(view, answer, views)
            if view is None:
                continue
            record = {"text": coding.text, "lang": coding.lang, "codes": list(coding.codes), "group": coding.group,
                      "closest": marked}
            if self.log is not None and hasattr(self.log, "own_words"):
                self.log.own_words(record)
            try:
                self.conversation.choose(view.id)
            except ConversationError:
                if self.log is not None and hasattr(self.log, "own_words"):
                    self.log.own_words(None)
                self.say(self.t("not_available"))
                continue
            self.own_said[len(self.conversation.history)] = coding
            self.say(f"{self.t('you')}: \u201c{self.p(view.text)}\u201d")
            if self.mode == "practice" and view.feedback:
                self.say(f"{self.t('coach')}: {self.p(view.feedback)}", "  ")
            return None

    def own_words_line(self, turn_number: int) -> str | None:
        """'Your own words: "..." [codes]' for the debrief, when the trainee typed them at that turn."""
        coding = self.own_said.get(turn_number)
        if coding is None:
            return None
        from game.coding import code_name

        said = f"\u201c{coding.text}\u201d" if coding.text else self.t("quiet")
        codes = ", ".join(code_name(code, self.lang) for code in coding.codes)
        return f"{self.t('own_said')}: {said}  [{codes}]"

    def take_back(self) -> bool:
        if self.mode != "practice":
            self.say(self.t("no_back_assessment"))
            return False
        if not self.conversation.can_rollback:
            self.say(self.t("nothing_to_undo"))
            return False
        self.conversation.rollback()
        self.say(self.t("took_back"))
        return True

    # -- the debrief ------------------------------------------------------------------------------
    def show_debrief(self, debrief: Debrief) -> None:
        result, lang = debrief.result, self.lang
        rule = "=" * min(self.width, 60)
        self.say()
        self.say(rule)
        self.say(self.t("debrief"))
        self.say(rule)
        if debrief.ending_title:
            self.say(self.p(debrief.ending_title))
        if debrief.ending_summary:
            self.say(self.p(debrief.ending_summary))
        self.say()
        self.say(self.t("scores") + ":")
        for axis in ("listening", "empathy"):
            score = getattr(result, axis)
            self.say(f"{debrief.axis_label(axis, lang)}: {percent(score.share, lang)}  ({score.points:g} / {score.best:g})", "  ")
        lines = debrief.path_lines(lang)
        if lines:
            self.say()
            self.say(self.t("path") + ":")
            for line in lines:
                self.say(line, "  ")
        if debrief.moves:
            self.say()
            self.say(self.t("tags") + ":")
            for move in debrief.moves:
                mark = "−" if move.harmful else "+" if move.group in ("reflection", "support", "question") else "·"
                self.say(f"{mark} {self.p(move.label)} × {move.count}", "  ")
        self.say()
        self.say(self.t("metrics") + ":")
        metrics = debrief.metrics
        own = [self.own_said[step.turn.number] for step in debrief.steps if step.turn.number in self.own_said]
        if own:  # the honest MITI measure: the trainee's own words, coded
            from game.debrief import miti_from_codes, miti_metrics

            counts = miti_from_codes([coding.codes[0] for coding in own if coding.codes], self.scenario.rubric)
            metrics = miti_metrics(counts, self.scenario.rubric.thresholds) + tuple(
                metric for metric in debrief.metrics if metric.key not in ("ratio", "complex"))
            self.say(self.t("own_metrics", n=len(own), total=len(debrief.steps)), "  ")
        for metric in metrics:
            self.say(f"{metric.label(lang)}: {metric.value_text(lang)} ({metric.rating_text(lang)})", "  ")
        if result.opportunities:
            self.say()
            self.say(f"{self.t('opportunities')}: {result.opportunities_answered}/{result.opportunities}")
            for step in debrief.steps:
                if step.opportunity is not None:
                    state = self.t("met") if step.answered else self.t("missed")
                    self.say(f"{self.p(step.opportunity)} — {state}", "  ")
        self.say()
        self.say(self.t("outcome") + ":")
        for line in debrief.outcome_lines(lang):
            self.say(line, "  ")
        self.say()
        self.say(self.t("transcript") + ":")
        name = self.p(self.scenario.customer.name)
        for step in debrief.steps:
            self.say()
            speaker = self.speaker_name(self.scenario.nodes[step.turn.node_id].speaker)
            self.say(f"{step.turn.number}. {speaker}: \u201c{self.p(step.line)}\u201d")
            if step.thought:
                self.say(f"({self.t('thought')}: {self.p(step.thought)})", "   ")
            tags = debrief.step_label(step, lang)
            self.say(f"{self.t('you')}: \u201c{self.p(step.choice_text)}\u201d" + (f"  [{tags}]" if tags else ""), "   ")
            own = self.own_words_line(step.turn.number)
            if own:
                self.say(own, "   ")
            if step.feedback:
                self.say(f"{self.t('coach')}: {self.p(step.feedback)}", "   ")
        if debrief.final_line:
            self.say()
            ending = self.scenario.nodes.get(debrief.result.ending or "")
            said_by = self.speaker_name(ending.speaker if ending is not None else None)
            self.say(f"{self.t('last_words')} — {said_by}: \u201c{self.p(debrief.final_line)}\u201d")
            if debrief.final_thought:
                self.say(f"({self.t('thought')}: {self.p(debrief.final_thought)})", "   ")
        self.say()
        self.say(f"{self.t('hidden', name=name)}: {self.p(debrief.hidden)}")
