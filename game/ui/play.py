"""Playing a conversation: a briefing, then the customer's face, their line typed out, the cue, and the answers.

A new session opens on a briefing (who, the situation, the channel, what the trainee is there to
do); Enter, Space or the button begins. An answer is said only by a deliberate act: its number key
(1–9), a click, or Enter on an answer the player moved to (↑ ↓, Tab or the mouse) since the line
finished. Space never answers, and neither does Enter before the player has moved: both only hurry
the text; a click that lands on an answer a moment after a click or key hurried the text (a double
click) says nothing either. In an assessment a chosen answer counts after a short moment in which
Backspace or Esc takes it back and ↑ ↓ (or another number) choose another instead, with the moment
started again: the answer that counts is always the one highlighted (its number again, or Enter,
confirms it at once). H or the mouse wheel opens the history; Esc pauses; in practice, Backspace
takes the last answer back, C folds the coach's note (open unless it would fill the text column by
itself; folded, it still says whether the answer helped or hurt), M shows the mood hint. F5 reloads
the scenario from disk (trainer tools): the answers so far are replayed to return to the same point,
and if the edited file is invalid the diagnostics are shown while the old version keeps running.

Someone else may say a line (a scenario's `speakers`: a manager stepping in, a relative on the
line): their own face and a name tag with their role take the customer's place until the customer
speaks again. Their face shows the line's authored expression only, never the customer's mood.

No numbers about the customer's mood are shown here. In practice the player may ask for the face
put into words under the portrait (off by default); an assessment shows only the face and the
cues, and lists only the answers possible now, as in life.
"""

from __future__ import annotations

import math

import pygame

from game.describe import expression, expression_name, longest_words, mood_words, other_speaker, who, who_says
from game.engine import Conversation, ConversationError
from game.i18n import Catalog, pick
from game.ui.channel import Framing, channel_of, channel_words
from game.ui.face import Face, look_for
from game.ui.records import Session
from game.ui.reply import ReplyField
from game.ui.scene import Flow, Overlay, Scene, panel, shade
from game.ui.start_point import mode_caption
from game.ui.theme import RADIUS
from game.ui.widgets import ACTIVATE_KEYS, Button, FocusGroup, Scroller, layout_row

_ = Catalog({
    "practice": ("Practice", "Harjoittelu"),
    "assessment": ("Assessment", "Arviointi"),
    "you": ("You", "Sinä"),
    "coach": ("Coach's note", "Valmentajan huomio"),
    "history": ("History", "Historia"),
    "take_back": ("Take back", "Peru vastaus"),
    "pause": ("Pause", "Tauko"),
    "menu": ("Menu", "Valikko"),
    "age": ("{name}, {age}", "{name}, {age} v."),
    "looks": ("{name} looks {face}: {words}.", "{name} on ilmeeltään {face}: {words}."),
    "to_debrief": ("See how it went", "Katso, miten meni"),
    "unavailable": ("not possible now", "ei mahdollista nyt"),
    "unavailable_now": ("That answer is not possible right now.", "Tuo vastaus ei ole nyt mahdollinen."),
    "no_take_back": ("Answers cannot be taken back in an assessment: this attempt counts.",
                     "Arvioinnissa vastauksia ei voi perua: tämä yritys lasketaan."),
    "nothing_to_take_back": ("There is no answer to take back yet.", "Peruttavaa vastausta ei vielä ole."),
    "ended_no_take_back": ("The conversation has ended, so answers can no longer be taken back. See how it went.",
                           "Keskustelu on päättynyt, joten vastauksia ei voi enää perua. Katso, miten meni."),
    "took_back": ("Answer taken back. Try another one.", "Vastaus peruttu. Kokeile toista."),
    "reloaded": ("Scenario reloaded from disk; {n} answers replayed to return to this point.",
                 "Skenaario ladattiin uudelleen levyltä; {n} vastausta toistettiin, jotta palattiin tähän kohtaan."),
    "reloaded_one": ("Scenario reloaded from disk; 1 answer replayed to return to this point.",
                     "Skenaario ladattiin uudelleen levyltä; 1 vastaus toistettiin, jotta palattiin tähän kohtaan."),
    "reloaded_none": ("Scenario reloaded from disk.", "Skenaario ladattiin uudelleen levyltä."),
    "reloading": ("Reloading the scenario…", "Skenaariota ladataan uudelleen…"),
    "reload_invalid_title": ("The edited scenario has errors", "Muokatussa skenaariossa on virheitä"),
    "reload_invalid_body": ("The previous version keeps running. Fix these and press F5 again.",
                            "Edellinen versio jatkuu. Korjaa nämä ja paina F5 uudelleen."),
    "reload_mismatch_title": ("Cannot return to the same point", "Samaan kohtaan ei voi palata"),
    "reload_mismatch_body": ("The answers given so far no longer fit the edited scenario: {reason}. The previous "
                             "version keeps running.",
                             "Tähänastiset vastaukset eivät enää sovi muokattuun skenaarioon: {reason}. Edellinen "
                             "versio jatkuu."),
    "history_title": ("The conversation so far", "Keskustelu tähän mennessä"),
    "close": ("Close", "Sulje"),
    "keys_brief": ("Enter or Space begins  ·  Esc pause", "Enter tai välilyönti aloittaa  ·  Esc tauko"),
    "keys_brief_short": ("Enter begins", "Enter aloittaa"),
    "brief_kicker": ("Before you begin", "Ennen kuin aloitat"),
    "brief_who": ("Who", "Kuka"),
    "brief_where": ("The situation", "Tilanne"),
    "brief_channel": ("How you meet", "Miten kohtaatte"),
    "brief_task": ("What you are here to do", "Tehtäväsi"),
    "brief_task_default": ("Listen, find out what this person needs, and answer as you would at work.",
                           "Kuuntele, selvitä mitä tämä ihminen tarvitsee, ja vastaa niin kuin töissä vastaisit."),
    "brief_practice": ("Practice: a coach comments on each answer, and you can take answers back.",
                       "Harjoittelu: valmentaja kommentoi jokaista vastausta, ja voit perua vastauksia."),
    "brief_assessment": ("Assessment: this attempt counts. No coach's notes and no taking back; a chosen answer "
                         "can still be changed for a moment before it counts. Read the customer from their words "
                         "and manner.",
                         "Arviointi: tämä yritys lasketaan. Valmentajan huomioita ei näytetä eikä vastauksia voi perua; "
                         "valitun vastauksen voi vielä vaihtaa hetken ennen kuin se lasketaan. Lue asiakasta hänen "
                         "sanoistaan ja olemuksestaan."),
    "begin": ("Begin", "Aloita"),
    "begin_phone": ("Answer the call", "Vastaa puheluun"),
    "begin_video": ("Join the call", "Liity puheluun"),
    "begin_chat": ("Open the chat", "Avaa chat"),
    "begin_email": ("Open the email", "Avaa sähköposti"),
    "keys_answer": ("1–9 answers  ·  ↑ ↓ then Enter", "1–9 vastaa  ·  ↑ ↓ ja sitten Enter"),
    "keys_answer_short": ("1–9 answers", "1–9 vastaa"),
    "keys_history": ("H history", "H historia"),
    "keys_take_back": ("Backspace takes back", "Askelpalautin peruu"),
    "keys_hint": ("M mood hint", "M mielialavihje"),
    "keys_coach": ("C coach's note", "C valmentajan huomio"),
    "keys_pause": ("Esc pause", "Esc tauko"),
    "keys_reload": ("F5 reload", "F5 lataa uudelleen"),
    "keys_ended": ("Enter: see how it went", "Enter: katso, miten meni"),
    "hint_typing_short": ("Any key shows the whole line.", "Mikä tahansa näppäin näyttää koko repliikin."),
    "hint_typing": ("Press any key or click to show the whole line.", "Näytä koko repliikki painamalla mitä tahansa näppäintä tai napsauttamalla."),
    "pending": ("Answer {n} chosen: it counts in {s} s  ·  ↑ ↓ chooses another  ·  Backspace or Esc changes it  ·  "
                "Enter confirms it now",
                "Valitsit vastauksen {n}: se lasketaan {s} s kuluttua  ·  ↑ ↓ valitsee toisen  ·  Askelpalautin tai Esc "
                "vaihtaa  ·  Enter vahvistaa heti"),
    "pending_short": ("Answer {n}: Backspace changes  ·  Enter confirms", "Vastaus {n}: Askelpalautin vaihtaa  ·  Enter vahvistaa"),
    # the highlight is on a toolbar button (Tab): Enter presses that button, it does not confirm the answer
    "pending_away": ("Answer {n} chosen: it counts in {s} s  ·  Backspace or Esc changes it",
                     "Valitsit vastauksen {n}: se lasketaan {s} s kuluttua  ·  Askelpalautin tai Esc vaihtaa"),
    "pending_away_short": ("Answer {n}: Backspace changes", "Vastaus {n}: Askelpalautin vaihtaa"),
    "pending_badge": ("Counts in {s} s — Backspace changes it", "Lasketaan {s} s kuluttua — Askelpalautin vaihtaa"),
    "changed_mind": ("Answer not given. Choose again.", "Vastausta ei annettu. Valitse uudelleen."),
    "coach_good": ("Coach's note · this helped", "Valmentajan huomio · tästä oli apua"),
    "coach_harm": ("Coach's note · this hurt the conversation", "Valmentajan huomio · tästä oli haittaa"),
    "coach_show_hint": ("C shows it", "C näyttää sen"),
    "coach_open_hint": ("C hides it", "C piilottaa sen"),
    "hint_on": ("Mood hint shown (M hides it).", "Mielialavihje näkyy (M piilottaa sen)."),
    "ask": ("What would you say? Write it in your own words.", "Mitä sanoisit? Kirjoita se omin sanoin."),
    "ask_chat": ("Write your reply in your own words.", "Kirjoita vastauksesi omin sanoin."),
    "ask_email": ("Write a reply in your own words.", "Kirjoita vastaus omin sanoin."),
    "placeholder": ("Type here. Leave it empty if you would stay quiet.",
                    "Kirjoita tähän. Jätä tyhjäksi, jos olisit hiljaa."),
    "keys_reply": ("Type your reply  ·  Enter: done (empty: you stay quiet)  ·  Esc pause",
                   "Kirjoita vastauksesi  ·  Enter: valmis (tyhjä: olet hiljaa)  ·  Esc tauko"),
    "keys_reply_short": ("Enter: done  ·  Esc pause", "Enter: valmis  ·  Esc tauko"),
    "you_said": ("You said: {text}", "Sanoit: {text}"),
    "quiet": ("You would stay quiet.", "Olisit hiljaa."),
    "heard_as": ("Heard as: {codes} ({group})", "Kuule tulkitsi: {codes} ({group})"),
    "closest": ("closest to what you said", "lähinnä sitä, mitä sanoit"),
    "pick_own": ("The closest answer is marked: Enter takes it, or choose another.",
                 "Lähin vastaus on merkitty: Enter valitsee sen, tai valitse toinen."),
    "keys_confirm": ("Enter takes the marked answer  ·  1–9 or ↑ ↓ another  ·  Esc pause",
                     "Enter valitsee merkityn vastauksen  ·  1–9 tai ↑ ↓ toinen  ·  Esc tauko"),
    "keys_confirm_short": ("Enter takes it  ·  1–9 another", "Enter valitsee  ·  1–9 toinen"),
    "none_close": ("None of these is close to what you said — pick one.",
                   "Mikään näistä ei ole lähellä sitä, mitä sanoit — valitse yksi."),
    "keys_pick": ("1–9 or ↑ ↓ and Enter: pick your answer  ·  Esc pause",
                  "1–9 tai ↑ ↓ ja Enter: valitse vastauksesi  ·  Esc tauko"),
    "keys_pick_short": ("1–9: pick one", "1–9: valitse"),
    "hint_off": ("Mood hint hidden (M shows it).", "Mielialavihje piilotettu (M näyttää sen)."),
})

NUMBER_KEYS = {getattr(pygame, f"K_{n}"): n for n in range(1, 10)}
NUMBER_KEYS.update({getattr(pygame, f"K_KP{n}"): n for n in range(1, 10)})
PASS_KEYS = (pygame.K_ESCAPE, pygame.K_F5, pygame.K_F11, pygame.K_h, pygame.K_TAB, pygame.K_LSHIFT, pygame.K_RSHIFT,
             pygame.K_LCTRL, pygame.K_RCTRL, pygame.K_LALT, pygame.K_RALT, pygame.K_BACKSPACE)


ROADBLOCKS = frozenset({"advise_early", "lecture", "blame", "minimise", "jargon", "order", "interrupt",
                        "scripted_empathy", "false_promise"})
HELPFUL = frozenset({"open_question", "simple_reflection", "complex_reflection", "summary", "attentive_silence", "affirm",
                     "validate", "apologise", "seek_collaboration", "emphasise_autonomy"})


def answer_tone(choice, rubric) -> str:
    """'harm', 'good' or 'neutral': from the answer's behaviour code, or (format 1) from its tags' weights."""
    code = getattr(choice, "code", None)
    codes = getattr(rubric, "codes", None) or {}
    entry = codes.get(code) if code and hasattr(codes, "get") else None
    group = getattr(entry, "group", None) or (entry.get("group") if isinstance(entry, dict) else None)
    if code in ROADBLOCKS or group == "roadblock":
        return "harm"
    if code in HELPFUL or group in ("reflection", "support"):
        return "good"
    if code:
        return "neutral"
    tags = [rubric.tags.get(tag) for tag in getattr(choice, "tags", ())]
    tags = [tag for tag in tags if tag is not None]
    if any(tag.harmful for tag in tags):
        return "harm"
    if any(tag.weight > 0 for tag in tags):
        return "good"
    return "neutral"


def quoted(text: str, lang: str) -> str:
    return f"”{text}”" if lang == "fi" else f"“{text}”"


def fitted(ui, text: str, role: str, width: int) -> str:
    """The text on one line of this width, cut short with an ellipsis if it is too long."""
    if ui.text.size(text, role)[0] <= width:
        return text
    while text and ui.text.size(text + "…", role)[0] > width:
        text = text[:-1]
    return text.rstrip(" ,") + "…"


class Backlog:
    """The history: every line so far with its cue, and the trainee's answers (and, in practice, notes)."""

    def __init__(self, scene: "PlayScene"):
        self.scene = scene
        self.flow = Flow()
        self.close_button = Button(_("close", scene.lang), self.close, kind="primary")
        self.focus = FocusGroup([self.close_button], arrows=False)
        self.closed = False
        self._key = None
        self.rect = pygame.Rect(0, 0, 0, 0)

    def close(self) -> None:
        self.closed = True

    def _build(self) -> None:
        scene, lang = self.scene, self.scene.lang
        conversation = scene.conversation
        flow = self.flow
        flow.clear()
        scenario = conversation.scenario
        for turn in conversation.history:
            node = scenario.nodes.get(turn.node_id)
            if node is None:
                continue
            # as it was said and seen then: the variant said, its text variables filled in
            name = who_says(scenario, node.speaker, lang)
            said = turn.said if turn.said is not None else node.line
            flow.text(f"{name}: {quoted(pick(said, lang), lang)}", "body", "text", gap=2)
            variant = node.variants[turn.variant - 1] if turn.variant and 0 < turn.variant <= len(node.variants) else None
            cue = conversation.render(variant.cue if variant is not None and variant.cue is not None else node.cue)
            if cue:
                flow.text(pick(cue, lang), "italic", "cue", gap=6, indent=self.scene.ui.s(16))
            choice = node.choice(turn.choice_id)
            answer = turn.answer if turn.answer is not None else choice.text if choice else turn.choice_id
            flow.text(f"{_('you', lang)}: {quoted(pick(answer, lang), lang)}", "strong", "accent", gap=4)
            feedback = turn.feedback if turn.feedback is not None else choice.feedback if choice else None
            if scene.mode == "practice" and feedback:
                flow.text(f"{_('coach', lang)}: {pick(feedback, lang)}", "small", "muted", gap=4,
                          indent=self.scene.ui.s(16))
            flow.space(self.scene.ui.s(10))
        line = conversation.line
        name = who_says(scenario, line.speaker, lang)
        flow.text(f"{name}: {quoted(pick(line.text, lang), lang)}", "body", "text", gap=2)
        if line.cue:
            flow.text(pick(line.cue, lang), "italic", "cue", gap=6, indent=self.scene.ui.s(16))

    def _layout(self, size) -> None:
        ui = self.scene.ui
        key = (size, ui.fonts.scale, ui.theme.name, ui.lang, len(self.scene.conversation.history))
        if key == self._key:
            return
        first = self._key is None
        self._key = key
        self.close_button.label = _("close", ui.lang)
        self._build()
        width = min(size[0] - 2 * ui.s(12), max(ui.s(560), size[0] * 3 // 4))
        height = size[1] - 2 * ui.s(16)
        self.rect = pygame.Rect((size[0] - width) // 2, (size[1] - height) // 2, width, height)
        pad = ui.s(20)
        title_height = ui.text.height(_("history_title", ui.lang), "heading", width - 2 * pad)
        button_height = layout_row(ui, [self.close_button], pygame.Rect(self.rect.x + pad, 0, width - 2 * pad, 0))
        self.close_button.rect.bottom = self.rect.bottom - pad
        viewport = pygame.Rect(self.rect.x + pad, self.rect.y + pad + title_height + ui.s(10), width - 2 * pad,
                               max(20, height - 3 * pad - title_height - button_height - ui.s(10)))
        self.flow.layout(ui, viewport)
        if first:
            self.flow.scroller.to_end()
            self.flow.place()

    def handle_event(self, event) -> bool:
        """Handle an event; False when it closed the history and belongs to the play screen after all
        (an answer's number key: the player has looked back and now answers)."""
        ui = self.scene.ui
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_ESCAPE, pygame.K_h):
            self.close()
            return True
        if event.type == pygame.KEYDOWN and event.key in NUMBER_KEYS and not event.mod & (pygame.KMOD_CTRL | pygame.KMOD_ALT):
            self.close()
            return False
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_UP, pygame.K_DOWN):
            self.flow.scroll(ui.fonts.line_height("body") * (2 if event.key == pygame.K_DOWN else -2))
            return True
        if event.type == pygame.MOUSEWHEEL and event.y < 0 and self.flow.scroller.offset >= self.flow.scroller.max_offset:
            self.close()  # scrolled down past the end of the history: back to the conversation
            return True
        if self.focus.handle(event, ui):
            return True
        self.flow.handle_scroll(event, ui)
        return True

    def draw(self, surface: pygame.Surface) -> None:
        ui = self.scene.ui
        self._layout(surface.get_size())
        shade(surface, ui)
        panel(surface, ui, self.rect)
        pad = ui.s(20)
        ui.text.draw(surface, _("history_title", ui.lang), "heading", ui.theme.text, self.rect.x + pad, self.rect.y + pad,
                     self.rect.width - 2 * pad)
        self.flow.draw(surface, ui)
        self.focus.draw(surface, ui)


class PlayScene(Scene):
    name = "play"

    def __init__(self, app):
        super().__init__(app)
        self.session: Session | None = None
        self.face: Face | None = None  # the customer's
        self.speaker_faces: dict[str, Face] = {}  # the scenario's other speakers', made when they first speak
        self.shown: str | None = None  # whose face the portrait shows: another speaker's ID, None for the customer
        self._drawn_who: object = False  # whose face the last whole frame drew
        self._tags: dict = {}  # name tags drawn, by person, size and look
        self.focus = FocusGroup(wrap_around=True)
        self.scroller = Scroller()
        self.choice_buttons: list[Button] = []
        self.toolbar: list[Button] = []
        self._tools: list[Button] = []
        self.menu_button = Button("", lambda: None)
        self.debrief_button = Button("", self.finish, kind="primary")
        self.typed = 0.0
        self.typing = False
        self.backlog: Backlog | None = None
        self.overlay: Overlay | None = None
        self._built_for = None
        self._typed_row: int | None = None  # the row of the line the typing had reached at the last frame
        self._skip_key = None  # the key that completed the line being typed, until it is let go
        self._skipped_at = -1.0
        self._answers_at = -1.0  # when the answers last appeared: a press of the mouse before then says none
        self._said_at = -1.0  # when the last answer was said
        self._blocks: dict = {}
        self._face_width_for: tuple | None = None  # (session, scenario, window and text size, width) of the portrait
        self.armed = False  # Enter may answer: the player moved to an answer since the line finished
        self.pending: tuple[str, float] | None = None  # assessment: (choice id, when it counts), still undoable
        self.coach_open: bool | None = None  # None: open unless it would fill the view by itself (C sets it)
        self._shown: list = []  # (number shown, ChoiceView) of the answers listed
        self.briefing = False  # the briefing shows before the first line of a new session
        self.brief_flow = Flow()
        self.begin_button = Button("", self.begin, kind="primary")
        self.framing = Framing("counter")
        self.call_started = 0.0
        self._scroll_to_answers = False
        self._scroll_to_coach = False  # C opened the coach's note: the view goes to it
        self._follow_row: int | None = None  # the row of the line the view last followed while it typed
        self.reply: ReplyField | None = None  # own-words mode: the trainee's reply, typed before the answers show
        self.coding = None  # own-words mode: the Coding of the reply given at this turn
        self.closest_id: str | None = None  # the offered answer closest to it
        self._warm_up = None  # the thread loading the reply coder

    def t(self, key: str, **values) -> str:
        return _(key, self.lang, **values)

    # -- the session ------------------------------------------------------------------------------
    @property
    def conversation(self) -> Conversation:
        return self.session.conversation

    @property
    def mode(self) -> str:
        return self.session.mode if self.session else "practice"

    def enter(self, session: Session | None = None, **kwargs) -> None:
        if session is not None:
            self.session = session
            self.face = Face(look_for(session.scenario.customer), seed=session.seed)
            self.speaker_faces, self.shown = {}, None
            self.framing = Framing(channel_of(session.scenario))
            self.backlog = None
            self.overlay = None
            self.coach_open = None
            self.briefing = not session.resumed and not self.conversation.history and session.start_point is None
            self.call_started = self.app.clock_time
            self._new_line(instant=session.resumed or self.briefing)
            self._show_face(instant=True)
            if self.own_words:
                self._warm_up_coder()
            if self.briefing:
                self.focus.set([self.begin_button, *self.toolbar], keep=False)
                self.focus.focus(self.begin_button)
        self.invalidate()

    def leave(self) -> None:
        """Leaving the screen (pause, menu) with an answer chosen but not yet counted: it is not given."""
        if self.pending is not None:
            self.pending = None
            self.focus.focus(None)
            self.armed = False

    def begin(self) -> None:
        """The briefing is read: the conversation starts (the call's timer with it)."""
        if not self.briefing:
            return
        self.briefing = False
        self.call_started = self.app.clock_time
        self._new_line()

    def _handle_briefing(self, event) -> None:
        if event.type == pygame.KEYDOWN:
            if event.key == pygame.K_ESCAPE:
                self.app.go("pause")
                return
            if event.key in ACTIVATE_KEYS and self.focus.current in (self.begin_button, None):
                self.begin()
                return
        before = self.focus.current
        if self.focus.handle(event, self.ui):
            if self.focus.current is not before and self.focus.current is self.begin_button:
                self.brief_flow.show(self.begin_button)
            return
        self.brief_flow.handle_scroll(event, self.ui)

    def customer_name(self) -> str:
        return pick(self.session.scenario.customer.name, self.lang)

    def _new_line(self, instant: bool = False) -> None:
        """The conversation moved: show its line from the start (or at once), face towards the new mood."""
        speed = self.app.settings.characters_per_second
        self.typing = not instant and speed is not None
        self.typed = 0.0
        self.pending = None
        self.armed = False
        self.app._redraw = True  # all of it changes (also when no event caused it: an answer counted by time)
        self._show_face(instant=False)
        self._rebuild_choices()
        self._start_reply()
        self.scroller.offset = 0
        self.invalidate()
        if not self.typing:
            self._line_finished()

    # -- own words --------------------------------------------------------------------------------
    @property
    def own_words(self) -> bool:
        return bool(getattr(self.app.settings, "own_words", False))

    @property
    def asking(self) -> bool:
        """The reply field shows: own-words mode, the line said, the trainee's words not yet given."""
        return (self.reply is not None and self.coding is None and not self.typing and not self.briefing
                and self.session is not None and not self.conversation.ended)

    def _warm_up_coder(self) -> None:
        """Load the reply coder in the background while the trainee reads: the window opens no slower."""
        import threading

        if self._warm_up is not None:
            return
        from game.coding import warm_up

        def work():
            try:
                warm_up(self.lang)
            except Exception:  # coding then loads on the first reply, and says so if it cannot
                pass

        self._warm_up = threading.Thread(target=work, name="kuule-coder-warm-up", daemon=True)
        self._warm_up.start()

    def _start_reply(self) -> None:
        self.coding, self.closest_id = None, None
        if self.own_words and not self.conversation.ended:
            self._warm_up_coder()
            placeholder = self.t("placeholder")
            self.reply = ReplyField(placeholder, on_submit=self.submit_reply)
            self.reply.focused = True
            try:
                pygame.key.start_text_input()
            except pygame.error:
                pass
        else:
            self.reply = None

    def submit_reply(self) -> None:
        """Enter in the reply field: code the words, mark the closest offered answer and move to it."""
        if not self.asking:
            return
        from game.coding import code_reply, rank_choices
        from game.coding.coder import closest_choice

        if self._warm_up is not None:
            self._warm_up.join()
        offered = [b.data for b in self.choice_buttons if b.enabled]
        if not offered:
            return
        try:
            coding = code_reply(self.reply.value, self.lang)
            ranking = rank_choices(coding.text, self.lang, [(v.id, pick(v.text, self.lang), v.code) for v in offered])
            closest = closest_choice(ranking)  # None: nothing said is close to any answer
        except Exception:  # the coder must never end a session: take the words as not codable, mark nothing
            from game.coding.coder import Coding

            coding = Coding(self.reply.value[:2000], self.lang, "other", ("other",), "other", (), 0.0)
            closest = None
        self.coding, self.closest_id = coding, closest
        self._mark_closest()
        button = next((b for b in self.choice_buttons if b.data.id == closest), None)
        self.focus.focus(button)  # none close: nothing highlighted, Enter alone takes nothing
        self.armed = button is not None
        self._skip_key, self._skipped_at = pygame.K_RETURN, self.app.clock_time  # this Enter does not also answer
        self._answers_at = self.app.clock_time
        self._scroll_to_answers = True
        self.invalidate()

    def _mark_closest(self) -> None:
        for button in self.choice_buttons:
            if button.data is not None and button.data.id == self.closest_id:
                button.note = self.t("closest")

    def _heard_as(self) -> str:
        from game.coding import code_name, group_name

        codes = ", ".join(code_name(code, self.lang) for code in self.coding.codes)
        return self.t("heard_as", codes=codes, group=group_name(self.coding.group, self.lang))

    def _you_said(self) -> str:
        said = self._said_words()
        return said if self.closest_id is not None else f"{said} {self.t('none_close')}"

    def _said_words(self) -> str:
        text = self.coding.text
        if not text.strip():
            return self.t("quiet")
        if len(text) > 280:
            text = text[:277].rstrip() + "…"
        return self.t("you_said", text=quoted(text, self.lang))

    def _show_face(self, instant: bool) -> None:
        """The face of whoever says the line. The customer's shows the line's authored expression (blended
        with mood), or the mood's own face; another speaker's shows the authored expression alone (or calm):
        the mood is the customer's, and their face must not give it away. A change of speaker is a cut."""
        line = self.conversation.line
        scenario = self.session.scenario
        other = other_speaker(scenario, getattr(line, "speaker", None))
        speaker = other.id if other is not None else None
        instant = instant or speaker != self.shown
        self.shown = speaker
        authored, intensity = getattr(line, "expression", None), getattr(line, "intensity", None)
        if other is None:
            self.face.show(self.conversation.mood, authored, intensity, instant=instant)
            return
        face = self.speaker_faces.get(speaker)
        if face is None:
            face = self.speaker_faces[speaker] = Face(look_for(other), seed=self.session.seed)
        face.show(None, authored, intensity, instant=instant)

    @property
    def shown_face(self) -> Face:
        """The face in the portrait: the customer's, or the other speaker's who says the line."""
        return self.speaker_faces.get(self.shown, self.face) if self.shown is not None else self.face

    def speaker_who(self) -> tuple[str, str]:
        """(name, role) of whoever says the line now; the customer has no role."""
        return who(self.session.scenario, self.shown, self.lang)

    @property
    def has_speakers(self) -> bool:
        return bool(getattr(self.session.scenario, "speakers", None))

    @property
    def trainer(self) -> bool:
        return bool(self.app.settings.trainer_tools)

    @property
    def mood_hint(self) -> bool:
        return self.mode == "practice" and self.app.settings.mood_hint

    def _rebuild_choices(self) -> None:
        conversation = self.conversation
        self._built_for = (self.lang, conversation.turn, conversation.node.id)
        self.choice_buttons = []
        self._shown = []
        if not conversation.ended:
            views = list(conversation.choices)
            if self.mode != "practice":  # an assessment lists only what can be said now
                views = [view for view in views if view.available]
            for number, view in enumerate(views, start=1):
                self._shown.append((number, view))
                button = Button(pick(view.text, self.lang), (lambda v=view: self.choose(v.id)), kind="choice",
                                badge=str(number) if number <= 9 else None,
                                note=None if view.available else self.t("unavailable"), enabled=view.available, data=view)
                self.choice_buttons.append(button)
        if self.closest_id is not None:
            self._mark_closest()
        self._tools = [Button(self.t("history"), self.open_history)]
        if self.mode == "practice":
            self._tools.append(Button(self.t("take_back"), self.take_back,
                                      enabled=conversation.can_rollback and not conversation.ended))
        self._tools.append(Button(self.t("pause"), lambda: self.app.go("pause")))
        self.menu_button = Button(self.t("menu"), lambda: self.app.go("pause"), kind="tool")
        self.toolbar = list(self._tools)
        self.debrief_button.label = self.t("to_debrief")
        self.debrief_button.visible = conversation.ended
        widgets = [*self.choice_buttons, self.debrief_button, *self.toolbar]
        self.focus.set(widgets, keep=False)
        self.focus.focus(None)
        # no answer is highlighted until the player moves to one: Enter alone never answers
        self.focus.focus(self.debrief_button if conversation.ended else None)

    # -- actions ----------------------------------------------------------------------------------
    UNDO_SECONDS = 3.0  # assessment: how long a chosen answer can still be changed
    HURRY_GUARD = 0.25  # after a key or click hurried the text (or a click said an answer): how long Enter, Space
    # (after hurrying) and clicks do not answer

    def choose(self, choice_id: str) -> None:
        """An explicit act chose this answer: in practice it is said at once; in an assessment it counts
        after a short moment in which the player can still change it (Backspace or Esc)."""
        if self.typing:
            self.complete_line()
            return
        if self.conversation.ended or self.asking:  # own words: the reply comes first
            return
        if self.mode != "practice":
            if self.pending is not None and self.pending[0] == choice_id:
                self.confirm()  # chosen twice: no need to wait
                return
            self.pending = (choice_id, self.app.clock_time + self.UNDO_SECONDS)
            button = next((b for b in self.choice_buttons if b.data.id == choice_id), None)
            if button is not None:
                self.focus.focus(button)
                self._show_focus()
            self.invalidate()
            return
        self._commit(choice_id)

    def confirm(self) -> None:
        if self.pending is not None:
            choice_id, self.pending = self.pending[0], None
            self._commit(choice_id)

    def _wait_for(self, button: Button) -> None:
        """Assessment, an answer waiting: the highlight moved to another answer, so that one waits instead,
        with the whole moment to change it again; the answer first chosen is not said."""
        if self.pending is None or button.data is None or button.data.id == self.pending[0]:
            return
        self.pending = (button.data.id, self.app.clock_time + self.UNDO_SECONDS)
        self.focus.focus(button)
        self.armed = True
        self.app._redraw = True
        self.invalidate()

    def _move_pending(self, step: int) -> None:
        """↑ ↓ while an answer waits: the next answer up or down waits instead (round the list, answers only)."""
        usable = [b for b in self.choice_buttons if b.enabled and b.visible]
        if not usable:
            return
        current = self.focus.current
        if current in usable:
            target = usable[(usable.index(current) + step) % len(usable)]
        else:  # the highlight was on the toolbar: back to the waiting answer
            target = next((b for b in usable if b.data.id == self.pending[0]), usable[0])
        self.focus.focus(target)
        self.armed = True
        self._wait_for(target)
        self._show_focus()

    def _clicks_count(self) -> bool:
        """Whether a press of the mouse now may answer: the answers showed before it, and the click (or key)
        that hurried the text, or the one that said the last answer, is more than a moment past."""
        now = self.app.clock_time
        return now > self._answers_at and now - max(self._skipped_at, self._said_at) >= self.HURRY_GUARD

    def undo_pending(self) -> None:
        if self.pending is not None:
            self.pending = None
            self.armed = False
            self.focus.focus(None)
            self.app.notify(self.t("changed_mind"), "info", 2)
            self.invalidate()

    def _commit(self, choice_id: str) -> None:
        coding = self.coding
        if coding is not None:  # the trainee's own words go into the log beside this answer, as the terminal does
            self.session.log.own_words({"text": coding.text, "lang": coding.lang, "codes": list(coding.codes),
                                        "group": coding.group, "closest": self.closest_id})
        try:
            self.conversation.choose(choice_id)
        except ConversationError:
            if coding is not None:
                self.session.log.own_words(None)
            self.app.notify(self.t("unavailable_now"), "info", 3)
            return
        if coding is not None:
            self.session.own_said[len(self.conversation.history)] = coding
        self._said_at = self.app.clock_time  # a double click says one answer, not two (the next may show at once)
        self.app._report_log(self.session)
        self._new_line()

    def view_by_number(self, number: int):
        return next((view for shown, view in self._shown if shown == number), None)

    def choose_number(self, number: int) -> None:
        view = self.view_by_number(number) if not self.conversation.ended else None
        if view is None:
            return
        if not view.available:
            self.app.notify(self.t("unavailable_now"), "info", 3)
            return
        self.choose(view.id)

    def take_back(self) -> None:
        if self.mode != "practice":
            self.app.notify(self.t("no_take_back"), "info", 4)
            return
        if self.conversation.ended:  # the score log already holds the session's end
            self.app.notify(self.t("ended_no_take_back"), "info", 4)
            return
        if not self.conversation.can_rollback:
            self.app.notify(self.t("nothing_to_take_back"), "info", 3)
            return
        self.conversation.rollback()
        turns = len(self.conversation.history)
        for number in [n for n in self.session.own_said if n > turns]:
            del self.session.own_said[number]
        self.app.notify(self.t("took_back"), "info", 3)
        self._new_line(instant=True)

    def complete_line(self) -> None:
        self.typing = False
        self.typed = float(self._blocks.get("chars", 0))
        self._line_finished()

    def _line_finished(self) -> None:
        """The whole line shows: the answers appear, none armed, and the view scrolls to them."""
        self.armed = False
        self._answers_at = self.app.clock_time
        self._scroll_to_answers = True
        self.invalidate()

    def open_history(self) -> None:
        self.backlog = Backlog(self)

    def finish(self) -> None:
        if self.conversation.ended:
            self.app.finish_session()

    def reload(self) -> None:
        """F5: load the scenario again and replay the answers so far; keep the old one if that fails.

        Loading and checking happen in the background (a big scenario takes a moment); the window
        shows that it is busy meanwhile.
        """
        from game.scenario.loader import load_scenario

        if self.app.busy:
            return
        path = self.session.scenario.path
        self.app.busy = self.t("reloading")

        def failed(error) -> None:  # the loader should not raise; never let a trainer's edit end the session
            self.app.busy = None
            self.overlay = Overlay(self, self.t("reload_invalid_title"), [self.t("reload_invalid_body"), f"{path}: {error}"],
                                   tone="error", mono_from=1)

        self.app.background(lambda: load_scenario(path), self._reloaded, failed)

    def _reloaded(self, result) -> None:
        self.app.busy = None
        session = self.session
        if result.playable is None:
            lines = [d.format(self.lang) for d in result.errors] or [result.path]
            self.overlay = Overlay(self, self.t("reload_invalid_title"), [self.t("reload_invalid_body"), *lines],
                                   tone="error", mono_from=1)
            return
        old = self.conversation
        choices = old.choice_log
        try:
            fresh = session.replay(result.playable, choices)  # from its start point, if a trainer chose one
        except ConversationError as error:
            self.overlay = Overlay(self, self.t("reload_mismatch_title"), self.t("reload_mismatch_body", reason=str(error)),
                                   tone="error")
            return
        old.unsubscribe(session.log)  # the session log goes on listening, now to the reloaded conversation
        fresh.subscribe(session.log)
        session.log.reloaded(result.playable)  # resume, replay and the report then take the edited version
        session.scenario = result.playable
        session.conversation = fresh
        look = look_for(result.scenario.customer)
        if look != self.face.look:
            params, target = self.face.params, self.face.target
            self.face = Face(look, seed=session.seed)
            self.face.params, self.face.target = params, target
        self.speaker_faces, self.shown = {}, None
        count = len(choices)
        self.app.notify(self.t("reloaded_none" if count == 0 else "reloaded_one" if count == 1 else "reloaded", n=count),
                        "info", 4)
        self._new_line(instant=True)

    # -- layout -----------------------------------------------------------------------------------
    def layout(self) -> None:
        ui = self.ui
        if self._built_for != (self.lang, self.conversation.turn, self.conversation.node.id):
            self._rebuild_choices()
        cramped = self.cramped
        width, height = self.width, self.height
        margin = self.margin()
        gap = ui.s(16) if not cramped else ui.s(10)
        # top bar: title (and mode) on the left, tools on the right, or below when they do not fit beside it;
        # with little room the tools fold into one "Menu" button (the pause menu has them all)
        title = pick(self.session.scenario.title, self.lang)
        title_role = "strong" if cramped else "heading"
        self.toolbar = self._tools
        for button in self.toolbar:
            button.kind = "tool" if cramped else "secondary"
        tools_width = sum(b.natural_width(ui) for b in self.toolbar) + ui.s(10) * (len(self.toolbar) - 1)
        title_min = min(ui.text.size(title, title_role)[0], ui.s(260))
        if cramped and title_min + tools_width + gap > width - 2 * margin:
            self.menu_button.kind = "tool"
            self.toolbar = [self.menu_button]
            tools_width = self.menu_button.natural_width(ui)
        current = self.focus.current
        if self.briefing:
            self.focus.set([self.begin_button, *self.toolbar])
        else:
            self.focus.set([*self.choice_buttons, self.debrief_button, *self.toolbar])
            if current is None:
                self.focus.focus(None)  # nothing highlighted until the player moves: Enter alone never answers
        top = margin * 2 // 3 if not cramped else margin // 2
        caption = mode_caption(self.session, self.t(self.mode).upper(), self.lang)
        if title_min + tools_width + gap <= width - 2 * margin:
            title_width = width - 2 * margin - tools_width - gap
            title_height = ui.text.height(title, title_role, title_width) + ui.text.height(caption, "small_bold", title_width)
            tools_height = layout_row(ui, self.toolbar, pygame.Rect(width - margin - tools_width, top, tools_width, 0),
                                      gap=ui.s(10), align="right")
            bar_bottom = top + max(tools_height, title_height)
        else:
            title_width = width - 2 * margin
            title_height = ui.text.height(title, title_role, title_width) + ui.text.height(caption, "small_bold", title_width)
            tools_height = layout_row(ui, self.toolbar, pygame.Rect(margin, top + title_height + ui.s(6), title_width, 0),
                                      gap=ui.s(10), align="left")
            bar_bottom = top + title_height + ui.s(6) + tools_height
        self._blocks["title"] = (pygame.Rect(margin, top, title_width, title_height), title_role)
        hints_height = self.hints_height(*self._hints())
        # the portrait keeps its size when a notice takes the hint strip (a notice may cover the customer's
        # shoulders, never the face), and whether or not this moment's hints fit on their line; the text column
        # makes room, so a notice never covers an answer
        still = max(40, height - bar_bottom - gap - ui.fonts.line_height("small") - ui.s(14) - ui.s(6))
        body = pygame.Rect(margin, bar_bottom + gap, width - 2 * margin, height - bar_bottom - gap - hints_height - ui.s(6))
        body.height = max(40, body.height)
        words = self._mood_words()
        self._blocks["embedded"] = False
        self._blocks["body"] = body
        if cramped or still < ui.s(300):
            # little room: a smaller portrait beside the text; its description moves into the text column
            self._blocks["embedded"] = True
            face_width = max(80, min(int(body.width * 0.3), int(still * 0.85)))
            portrait = pygame.Rect(body.x, body.y, face_width, min(still, int(face_width * 1.2)))
            column = pygame.Rect(portrait.right + gap, body.y, body.right - portrait.right - gap, body.height)
            self._blocks["portrait"] = portrait
            self._blocks["mood"] = pygame.Rect(0, 0, 0, 0)
            self._blocks["column"] = column
            self._layout_sides(portrait, column)
            return
        if body.width >= still * 1.15 and body.width >= ui.s(560):
            face_width = self._face_width(body.width, still, gap)
            words_height = self._words_room(face_width) if words else 0
            portrait = pygame.Rect(body.x, body.y, face_width, still - words_height)
            column = pygame.Rect(body.x + face_width + gap * 2, body.y, body.width - face_width - gap * 2, body.height)
        else:
            words_height = self._words_room(body.width) if words else 0
            face_height = max(80, min(int(still * 0.36), ui.s(300))) + words_height
            portrait = pygame.Rect(body.x, body.y, body.width, face_height - words_height)
            column = pygame.Rect(body.x, body.y + face_height + gap, body.width, body.height - face_height - gap)
        self._blocks["portrait"] = portrait
        self._blocks["mood"] = pygame.Rect(portrait.x, portrait.bottom + ui.s(8), portrait.width, words_height)
        self._blocks["column"] = column
        self._layout_sides(portrait, column)

    FACE_SHARES = (0.38, 0.32, 0.26)  # of the window's width, largest first
    MEASURED_NODES = 12  # the scenario's wordiest nodes, measured to choose the portrait's width

    def _face_width(self, body_width: int, still: int, gap: int) -> int:
        """The portrait's width beside the text column: chosen once for the session at this window size and
        text size (and language), never line by line, so the face does not jump from one turn to the next.

        The portrait gives up width until the scenario's lines, with their cues and answers, fit beside it as
        well as they can: the largest portrait with which every one of them that fits at all still fits (not
        the window's height: a notice must not move the face)."""
        ui = self.ui
        session, scenario = self.session, self.session.scenario
        key = (body_width, still, ui.fonts.scale, self.lang)
        known = self._face_width_for
        if known is not None and known[0] is session and known[1] is scenario and known[2] == key:
            return known[3]
        widths = [max(160, min(int(body_width * share), ui.s(520), int(still * 0.95))) for share in self.FACE_SHARES]
        texts = self._wordiest_nodes()
        fits = [sum(self._fits(texts_, body_width - width - gap * 2, still) for texts_ in texts) for width in widths]
        width = widths[fits.index(max(fits))] if texts else widths[1]
        self._face_width_for = (session, scenario, key, width)
        return width

    def _wordiest_nodes(self) -> list[tuple[str, str, list[tuple[str, bool]]]]:
        """(line, cue, [(answer, may be greyed)]) of the scenario's nodes with the most words to show, each with
        its longest variant, its text variables filled in as they are now."""
        lang, render = self.lang, self.conversation.render
        practice = self.mode == "practice"
        nodes = []
        for node in self.session.scenario.nodes.values():
            if not node.choices:
                continue
            lines = [node.line, *(v.line for v in node.variants if v.line is not None)]
            cues = [node.cue, *(v.cue for v in node.variants if v.cue is not None)]
            line = max((pick(render(text), lang) or "" for text in lines), key=len)
            cue = max((pick(render(text), lang) or "" for text in cues if text is not None), key=len, default="")
            answers = [(pick(render(choice.text), lang) or "", practice and choice.condition is not None)
                       for choice in node.choices]
            nodes.append((len(line) + len(cue) + sum(len(a) for a, _g in answers), (line, cue, answers)))
        nodes.sort(key=lambda item: -item[0])
        return [texts for _n, texts in nodes[:self.MEASURED_NODES]]

    def _fits(self, texts, width: int, height: int) -> bool:
        """Whether a line, its cue and its answers fit a text column of this size."""
        ui, lang = self.ui, self.lang
        line, cue, answers = texts
        inner = max(40, width - ui.s(14) - 14)
        total = ui.fonts.line_height("small_bold") + ui.s(40)
        total += ui.text.height(quoted(line, lang), "line", inner)
        if cue:
            total += ui.text.height(cue, "italic", inner) + ui.s(8)
        for number, (answer, greyed) in enumerate(answers, start=1):
            button = Button(answer, kind="choice", badge=str(number) if number <= 9 else None,
                            note=self.t("unavailable") if greyed else None)
            total += button.measure(ui, inner) + ui.s(10)
            if total > height:
                return False
        return total <= height

    def _layout_sides(self, portrait: pygame.Rect, column: pygame.Rect) -> None:
        self.framing.layout(self.ui, portrait)
        if self.briefing:
            self._layout_briefing(column)
        else:
            self._layout_column(column)

    def _layout_briefing(self, column: pygame.Rect) -> None:
        """Who, where, how, and what for: what a colleague would tell you before you take the call."""
        ui, lang, t = self.ui, self.lang, self.t
        scenario = self.session.scenario
        customer = scenario.customer
        channel = self.framing.channel
        flow = self.brief_flow
        flow.clear()
        flow.text(t("brief_kicker").upper(), "small_bold", "accent", gap=4)
        name = self.customer_name()
        flow.text(t("brief_who"), "small_bold", "muted", gap=2)
        flow.text(t("age", name=name, age=customer.age) if customer.age else name, "body", "text", gap=10)
        render = self.conversation.render  # their text variables filled in, as in the lines
        situation = pick(render(customer.situation), lang)
        if situation:
            flow.text(t("brief_where"), "small_bold", "muted", gap=2)
            flow.text(situation, "body", "text", gap=10)
        flow.text(t("brief_channel"), "small_bold", "muted", gap=2)
        flow.text(channel_words(channel, lang), "body", "text", gap=10)
        flow.text(t("brief_task"), "small_bold", "muted", gap=2)
        flow.text(pick(render(scenario.description), lang) or t("brief_task_default"), "body", "text", gap=10)
        flow.text(t("brief_practice" if self.mode == "practice" else "brief_assessment"), "italic", "muted", gap=14)
        self.begin_button.label = t({"phone": "begin_phone", "video": "begin_video", "chat": "begin_chat",
                                    "email": "begin_email"}.get(channel, "begin"))
        flow.row([self.begin_button], align="left")
        flow.layout(ui, column)
    def _mood_words(self) -> str:
        """The face in words, under the portrait: in practice, when the player asks for the hint (M).
        An assessment shows the face and the cues alone, as in life."""
        if not self.mood_hint or self.session is None:
            return ""
        mood = self.conversation.mood
        # while someone else talks the customer is not in the picture: the face their mood gives, as the terminal says
        face = self.face.expression if self.shown is None else expression(mood)
        return self.t("looks", name=self.customer_name(), face=expression_name(face, self.lang),
                      words=mood_words(mood, self.lang))

    def _words_room(self, width: int) -> int:
        """Room under the portrait for the longest hint there can be, so the face never jumps when
        the words of one turn wrap onto more lines than the last."""
        face, words = longest_words(self.lang)
        text = self.t("looks", name=self.customer_name(), face=face, words=words)
        return self.ui.text.height(text, "small", width) + self.ui.s(8)

    def _layout_column(self, column: pygame.Rect) -> None:
        ui, lang = self.ui, self.lang
        conversation = self.conversation
        line = conversation.line
        inset = 7
        inner = max(40, column.width - ui.s(14) - 2 * inset)
        y = inset
        blocks = self._blocks
        blocks["words"] = None
        if blocks["embedded"]:
            words = self._mood_words()
            if words:
                blocks["words"] = (words, y)
                y += ui.text.height(words, "small", inner) + ui.s(10)
        customer = self.session.scenario.customer
        name = self.customer_name()
        if self.shown is None:
            said_by = self.t("age", name=name, age=customer.age) if customer.age else name
        else:  # another speaker: their name and role, so that nobody takes them for the customer
            said_by = who_says(self.session.scenario, self.shown, lang)
        blocks["who"] = (said_by, y)
        y += ui.text.height(said_by, "small_bold", inner) + ui.s(4)
        last = conversation.history[-1] if conversation.history else None
        blocks["you"] = None
        blocks["coach"] = None
        blocks["coach_folded"] = None
        coach = None
        if last is not None:
            node = conversation.scenario.nodes.get(last.node_id)
            choice = node.choice(last.choice_id) if node else None
            if choice is not None:  # as the trainee saw it, its text variables filled in
                answer = last.answer if last.answer is not None else choice.text
                said = f"{self.t('you')}: {quoted(pick(answer, lang), lang)}"
                blocks["you"] = (said, y)
                y += ui.text.height(said, "italic", inner) + ui.s(10)
                if self.mode == "practice":
                    feedback = last.feedback if last.feedback is not None else choice.feedback
                    note = pick(feedback, lang) if feedback else ""
                    tags = " · ".join(self._tag_label(tag) for tag in choice.tags)
                    if note or tags:
                        coach = (note, tags, answer_tone(choice, self.session.scenario.rubric))
        coach_top = y
        if coach is not None:
            open_ = self.coach_open
            if open_ is None:
                # open, unless it would fill the view by itself: the customer's next words could not be seen
                # beside it as they are said (C still opens it, and the view then goes to it)
                open_ = (self._coach_height(coach, inner, True) + ui.s(14) + ui.fonts.line_height("line") + 2 * inset
                         <= column.height)
            height = self._coach_height(coach, inner, open_)
            blocks["coach"] = (*coach, pygame.Rect(inset, coach_top, inner, height), open_)
            blocks["coach_folded"] = not open_
            y += height + ui.s(14)
        text = quoted(pick(line.text, lang), lang)
        paragraph = ui.text.paragraph(text, "line", ui.theme.text, inner)
        line_top = y
        blocks["line"] = (text, line_top)
        blocks["chars"] = paragraph.chars
        if not self.typing:
            self.typed = float(paragraph.chars)
        y = line_top + paragraph.height + ui.s(8)
        blocks["cue"] = None
        if line.cue:
            cue = pick(line.cue, lang)
            blocks["cue"] = (cue, y)
            y += ui.text.height(cue, "italic", inner) + ui.s(8)
        y += ui.s(10)
        blocks["ask"] = blocks["said"] = blocks["heard"] = None
        if self.reply is not None and self.coding is None and not self.conversation.ended:
            ask = self.t({"chat": "ask_chat", "email": "ask_email"}.get(self.framing.channel, "ask"))
            blocks["ask"] = (ask, y)
            y += ui.text.height(ask, "small_bold", inner) + ui.s(6)
            height = self.reply.measure(ui, inner)
            self.reply._base = pygame.Rect(inset, y, inner, height)
            y += height + ui.s(10)
        elif self.coding is not None:
            said = self._you_said()
            blocks["said"] = (said, y)
            y += ui.text.height(said, "italic", inner) + ui.s(4)
            if self.mode == "practice":  # in an assessment the coding is feedback, kept for the debrief
                heard = self._heard_as()
                blocks["heard"] = (heard, y)
                y += ui.text.height(heard, "small", inner) + ui.s(4)
            y += ui.s(6)
        blocks["choices_top"] = y
        asking = self.asking or (self.reply is not None and self.coding is None and self.typing)
        for button in self.choice_buttons:
            if asking:
                button._base = None
                continue
            height = button.measure(ui, inner)
            button._base = pygame.Rect(inset, y, inner, height)
            y += height + ui.s(10)
        if self.conversation.ended:  # (its visibility follows the typing, set after this layout)
            width = min(inner, self.debrief_button.natural_width(ui) + ui.s(40))
            height = self.debrief_button.measure(ui, width)
            self.debrief_button._base = pygame.Rect(inset, y, width, height)
            y += height + ui.s(10)
        self.scroller.set(column, y + inset)
        if getattr(self, "_scroll_to_answers", False) and not self.typing:
            self._scroll_to_answers = False
            if blocks["said"] is not None and y - line_top > self.scroller.viewport.height:
                # own words given: what they said at the top, then the answers (the marked one kept in view below)
                self.scroller.offset = max(0, min(self.scroller.max_offset, blocks["said"][1] - ui.s(8)))
            elif blocks["ask"] is not None and y - line_top > self.scroller.viewport.height:
                self.scroller.offset = max(0, min(self.scroller.max_offset, y - self.scroller.viewport.height))
            else:
                self._reveal(line_top, y)
        elif self.typing:
            self._follow_typing()
        if self._scroll_to_coach and blocks["coach"] is not None:
            self._scroll_to_coach = False
            rect = blocks["coach"][3]
            if rect.height + ui.s(16) > self.scroller.viewport.height:
                self.scroller.offset = max(0, min(self.scroller.max_offset, rect.top - ui.s(8)))
            else:
                self.scroller.show(rect.top, rect.bottom)
        self._place()
        if self.asking and blocks["ask"] is not None:  # the field being typed into stays in view
            self.scroller.show(blocks["ask"][1], self.reply._base.bottom)
            self._place()
        elif not self.typing and self.focus.current in self.choice_buttons + [self.debrief_button]:
            self._show_focus()

    def _follow_typing(self, new_row: bool = False) -> bool:
        """While the line types out, the row being typed stays in view: what is above it (the trainee's answer,
        the coach's note) scrolls up only as far as it must. With `new_row`, only when the typing has reached
        another row (the player may have scrolled meanwhile). True if the view moved."""
        ui, blocks = self.ui, self._blocks
        inner = max(40, blocks["column"].width - ui.s(14) - 14)
        text, top = blocks["line"]
        paragraph = ui.text.paragraph(text, "line", ui.theme.text, inner)
        row = paragraph.row_of(int(self.typed))
        if new_row and row == self._follow_row:
            return False
        self._follow_row = row
        before = self.scroller.offset
        self.scroller.show(top + row * paragraph.line_height, top + (row + 1) * paragraph.line_height)
        return self.scroller.offset != before

    def _reveal(self, line_top: int, bottom: int) -> None:
        """As typing ends: the line and every answer in view if they fit; else the answers, from the first."""
        view = self.scroller.viewport.height
        if bottom - line_top <= view:
            self.scroller.offset = max(0, min(self.scroller.max_offset, max(self.scroller.offset, bottom - view),
                                              line_top))
        else:
            first = self._blocks["choices_top"]
            cue = self._blocks.get("cue")
            top = cue[1] if cue and bottom - cue[1] <= view else first
            self.scroller.offset = max(0, min(self.scroller.max_offset, top - self.ui.s(8)))

    def _coach_header(self, tone: str, inner: int, open_: bool) -> tuple[list[str], str, bool]:
        """The note's title in lines (it says in words whether the answer helped or hurt, folded too), the key
        that opens or folds it, and whether that fits beside the title (else, folded, it goes under it)."""
        ui = self.ui
        pad = ui.s(12) if open_ else ui.s(8)
        width = inner - 2 * pad - ui.fonts.line_height("small_bold") - ui.s(8)
        toggle = self.t("coach_open_hint" if open_ else "coach_show_hint")
        toggle_w = ui.text.size(toggle, "small")[0]
        beside = toggle_w + ui.s(12) < width // 2
        if beside:
            width -= toggle_w + ui.s(12)
        title = self.t("coach_good" if tone == "good" else "coach_harm" if tone == "harm" else "coach")
        return ui.text.lines(title, "small_bold", max(20, width)), toggle, beside

    def _coach_height(self, coach, inner: int, open_: bool) -> int:
        ui = self.ui
        note, tags, tone = coach
        pad = ui.s(12) if open_ else ui.s(8)
        title, _toggle, beside = self._coach_header(tone, inner, open_)
        height = len(title) * ui.fonts.line_height("small_bold") + 2 * pad
        if not open_ and not beside:
            height += ui.fonts.line_height("small")
        if open_:
            height += ui.s(2)
            if note:
                height += ui.text.height(note, "body", inner - 2 * pad)
            if tags:
                height += ui.s(4) + ui.text.height(tags, "small", inner - 2 * pad)
        return height

    def _tag_label(self, tag: str) -> str:
        entry = self.session.scenario.rubric.tags.get(tag)
        return pick(entry.label, self.lang) if entry else tag

    def _place(self) -> None:
        column = self._blocks["column"]
        dx, dy = column.x, column.y - self.scroller.offset
        for button in self.choice_buttons + [self.debrief_button]:
            base = getattr(button, "_base", None)
            if base is not None:
                button.rect = base.move(dx, dy)
                button.clip = column
            button.visible = (button is not self.debrief_button or self.conversation.ended) and not self.typing
            if self.asking and button is not self.debrief_button:
                button.visible = False
        if self.reply is not None and getattr(self.reply, "_base", None) is not None:
            self.reply.rect = self.reply._base.move(dx, dy)
            self.reply.visible = self.asking
            try:
                pygame.key.set_text_input_rect(self.reply.caret_rect(self.ui).clip(column))
            except (pygame.error, AttributeError):
                pass

    def _show_focus(self) -> None:
        current = self.focus.current
        base = getattr(current, "_base", None)
        if base is not None:
            self.scroller.show(base.top, base.bottom)
            self._place()

    def _hints(self) -> tuple[str, str]:
        """The keys that do something now, for this player: trainer keys only in trainer mode."""
        t = self.t
        if self.briefing:
            return t("keys_brief"), t("keys_brief_short")
        if self.typing:
            return t("hint_typing"), t("hint_typing_short")
        if self.asking:
            return t("keys_reply"), t("keys_reply_short")
        if self.pending is not None:
            number = next((n for n, view in self._shown if view.id == self.pending[0]), "?")
            seconds = max(1, math.ceil(self.pending[1] - self.app.clock_time))
            if self.focus.current is not None and self.focus.current not in self.choice_buttons:
                return t("pending_away", n=number, s=seconds), t("pending_away_short", n=number)
            return t("pending", n=number, s=seconds), t("pending_short", n=number)
        if self.conversation.ended:
            keys = [t("keys_ended"), t("keys_history"), t("keys_pause")]
        elif self.coding is not None:
            if self.closest_id is None:
                return t("keys_pick"), t("keys_pick_short")
            return t("keys_confirm"), t("keys_confirm_short")
        else:
            keys = [t("keys_answer"), t("keys_history")]
            if self.mode == "practice":
                if self.conversation.can_rollback:
                    keys.append(t("keys_take_back"))
                keys.append(t("keys_hint"))
                if self._blocks.get("coach"):
                    keys.append(t("keys_coach"))
            keys.append(t("keys_pause"))
        if self.trainer:
            keys.append(t("keys_reload"))
        short = [t("keys_answer_short") if not self.conversation.ended else t("keys_ended"), t("keys_pause")]
        return "  ·  ".join(keys), "  ·  ".join(short)

    # -- events -----------------------------------------------------------------------------------
    def handle_event(self, event) -> None:
        if self.session is None:
            return
        ui = self.ui
        if self.overlay is not None:
            self.overlay.handle_event(event, ui)
            if self.overlay.closed:
                self.overlay = None
            return
        if self.backlog is not None:
            used = self.backlog.handle_event(event)
            if self.backlog.closed:
                self.backlog = None
            if used:
                return
        self.ensure_layout()
        if self.briefing:
            self._handle_briefing(event)
            return
        kind = event.type
        if self.asking and self._reply_event(event):
            return
        if kind == pygame.KEYDOWN:
            key = event.key
            if self.pending is not None and key in (pygame.K_ESCAPE, pygame.K_BACKSPACE):
                self.undo_pending()
                return
            if key == pygame.K_ESCAPE:
                self.app.go("pause")
                return
            if key == pygame.K_F5:
                if self.trainer:
                    self.reload()
                return
            if key == pygame.K_h and not event.mod & pygame.KMOD_CTRL:
                self.open_history()
                return
            if key == pygame.K_BACKSPACE:
                self.take_back()
                return
            if key == pygame.K_m and not event.mod & pygame.KMOD_CTRL and self.mode == "practice":
                self.toggle_mood_hint()
                return
            if key == pygame.K_c and not event.mod & pygame.KMOD_CTRL and self.mode == "practice":
                self.toggle_coach()
                return
            if self.typing and key not in PASS_KEYS:
                self.complete_line()
                self.ensure_layout()
                # the key that showed the whole line must not also act: not while it is held down
                # (key repeat), nor if it is pressed again at once (a double tap to skip the text)
                self._skip_key, self._skipped_at = key, self.app.clock_time
                return
            if key in ACTIVATE_KEYS:
                if key == self._skip_key or self.app.clock_time - self._skipped_at < self.HURRY_GUARD:
                    return
                current = self.focus.current
                if self.pending is not None and key != pygame.K_SPACE and (current is None or current in self.choice_buttons):
                    if current is not None and current.enabled:
                        self._wait_for(current)  # Enter says what is highlighted, whatever was chosen before
                    self.confirm()
                    return
                if current in self.choice_buttons:
                    # Space only ever hurries the text; Enter answers only an answer the player moved to
                    if key != pygame.K_SPACE and self.armed:
                        current.activate()
                    return
                if current is None:
                    return
            if key in NUMBER_KEYS and not event.mod & (pygame.KMOD_CTRL | pygame.KMOD_ALT):
                if not self.typing:
                    self.choose_number(NUMBER_KEYS[key])
                return
        if kind == pygame.KEYUP and event.key == self._skip_key:
            self._skip_key = None
        if kind == pygame.MOUSEBUTTONDOWN and event.button == 1 and self.typing:
            if not any(b.hit(event.pos) for b in self.toolbar):
                self.complete_line()
                self._skipped_at = self.app.clock_time  # as for a key: the next click at once does not answer
                self.ensure_layout()
                return
        if kind == pygame.MOUSEBUTTONDOWN and event.button == 1 and not self._clicks_count():
            if any(b.hit(event.pos) for b in (*self.choice_buttons, self.debrief_button)):
                return  # a double click to hurry the text: its second click lands on an answer it did not read
        if kind == pygame.MOUSEBUTTONDOWN and event.button == 1 and self._blocks.get("coach"):
            column = self._blocks["column"]
            rect = self._blocks["coach"][3].move(column.x, column.y - self.scroller.offset)
            if rect.collidepoint(event.pos) and column.collidepoint(event.pos):
                self.toggle_coach()
                return
        if kind == pygame.MOUSEWHEEL:
            if event.y > 0 and self.scroller.offset == 0:
                self.open_history()
                return
            if self.scroller.handle(event, ui, keys=False):
                self._place()
            return
        if kind == pygame.MOUSEMOTION and not self.typing and self.pending is None:
            hovered = next((b for b in self.choice_buttons if b.enabled and b.hit(event.pos)), None)
            if hovered is not None and self.focus.current is not hovered:
                self.focus.focus(hovered)  # the mouse moved onto an answer: Enter may now say it
                self.armed = True
        if kind == pygame.KEYDOWN and event.key in (pygame.K_UP, pygame.K_DOWN) and not self.typing and self.pending is not None:
            self._move_pending(1 if event.key == pygame.K_DOWN else -1)
            return
        if (kind == pygame.KEYDOWN and event.key in (pygame.K_UP, pygame.K_DOWN) and not self.typing
                and self.focus.current is None and self.pending is None):
            usable = [b for b in self.choice_buttons if b.enabled]
            if usable:  # the first arrow press after the line lands on the first (or last) answer
                self.focus.focus(usable[0] if event.key == pygame.K_DOWN else usable[-1])
                self.armed = True
                self._show_focus()
                return
        before = self.focus.current
        if self.focus.handle(event, ui):
            if self.focus.current is not before:
                self.armed = self.focus.current in self.choice_buttons
                if self.pending is not None and kind == pygame.KEYDOWN and self.armed and self.focus.current.enabled:
                    self._wait_for(self.focus.current)  # Tab onto another answer: that one now waits
                self._show_focus()
            return
        if kind == pygame.KEYDOWN and self.scroller.handle(event, ui):
            self._place()

    def _reply_event(self, event) -> bool:
        """Typing in the reply field; True when the event was the field's. Esc still pauses."""
        kind = event.type
        if kind in (pygame.TEXTINPUT, pygame.TEXTEDITING):
            if self.app.clock_time - self._skipped_at < 0.02 and kind == pygame.TEXTINPUT:
                return True  # the text of the key that showed the whole line is not typed into the reply
            self.reply.handle(event, self.ui)
            self.app._redraw = True
            return True
        if kind != pygame.KEYDOWN:
            return False
        if event.key in (pygame.K_ESCAPE, pygame.K_F5, pygame.K_F11, pygame.K_TAB):
            return False
        if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER) and (
                event.key == self._skip_key or self.app.clock_time - self._skipped_at < 0.25):
            return True  # the Enter that showed the whole line does not also send an empty reply
        used = self.reply.handle(event, self.ui)
        if used:
            self.app._redraw = True
        return used

    def toggle_mood_hint(self) -> None:
        from dataclasses import replace

        on = not self.app.settings.mood_hint
        self.app.apply_settings(replace(self.app.settings, mood_hint=on))
        self.app.notify(self.t("hint_on" if on else "hint_off"), "info", 2)

    def toggle_coach(self) -> None:
        if self._blocks.get("coach") is None and not self._blocks.get("coach_folded"):
            return
        self.coach_open = not self._coach_shown()
        self._scroll_to_coach = self.coach_open  # opened: the view goes to it
        self.invalidate()

    def _coach_shown(self) -> bool:
        return bool(self._blocks.get("coach")) and not self._blocks.get("coach_folded")

    def update(self, dt: float) -> None:
        if self.session is None:
            return
        self.ensure_layout()
        self.shown_face.update(dt)
        if self.pending is not None and (self.backlog is not None or self.overlay is not None):
            self.pending = (self.pending[0], self.pending[1] + dt)  # the moment to change it waits while they look
        if self.pending is not None:
            if self.app.clock_time >= self.pending[1]:
                self.confirm()
            elif int(self.pending[1] - self.app.clock_time + dt) != int(self.pending[1] - self.app.clock_time):
                self.app._redraw = True  # the seconds left change in the hint bar
        if self.typing:
            speed = self.app.settings.characters_per_second
            self.typed = self.typed + dt * speed if speed else float(self._blocks.get("chars", 0))
            if self.typed >= self._blocks.get("chars", 0):
                self.complete_line()
                self._place()
                self.app._redraw = True  # the answers appear, and the hints change
            elif "line" in self._blocks and self._follow_typing(new_row=True):
                self._place()
                self.app._redraw = True  # the view moved with the typing: drawn whole

    # -- drawing ----------------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        if self.session is None:
            surface.fill(self.ui.theme.background)
            return
        ui, theme = self.ui, self.ui.theme
        surface.fill(theme.background)
        blocks = self._blocks
        title, role = blocks["title"]
        used = ui.text.draw(surface, pick(self.session.scenario.title, self.lang), role, theme.text, title.x, title.y,
                            title.width)
        ui.text.draw(surface, mode_caption(self.session, self.t(self.mode).upper(), self.lang), "small_bold", theme.accent,
                     title.x, title.y + used, title.width)
        for button in self.toolbar:
            button.draw(surface, ui)
        self._draw_portrait(surface, blocks["portrait"], blocks["mood"])
        if self.briefing:
            self.brief_flow.draw(surface, ui)
        else:
            self._draw_column(surface)
        self.hints(surface, *self._hints())
        if self.backlog is not None:
            self.backlog.draw(surface)
        if self.overlay is not None:
            self.overlay.draw(surface, ui)

    def draw_moving(self, surface: pygame.Surface, probe: bool = False) -> bool:
        """Between events only the face and the line being typed change: redraw just those."""
        if self.session is None or self.backlog is not None or self.overlay is not None or self.pending is not None:
            return False
        if self._drawn_who != self.shown:
            return False  # another person in the portrait: it is drawn whole
        if probe:
            return True
        ui, theme = self.ui, self.ui.theme
        portrait = self._blocks["portrait"]
        framing = self.framing
        self.shown_face.draw(surface, framing.face_rect, theme, incremental=True)
        if framing.channel == "counter":
            if portrait.height > 20:
                pygame.draw.rect(surface, theme.panel_alt if theme.name != "high_contrast" else theme.border, portrait, 1,
                                 border_radius=2)
        else:
            framing.draw_over(surface, ui, self.lang, self._call_seconds(), self.typing, self.app.clock_time)
        self._draw_who_tag(surface)
        if self.typing:  # only the rows of the line that changed since the last frame
            column = self._blocks["column"]
            inner = max(40, column.width - ui.s(14) - 14)
            text, y = self._blocks["line"]
            paragraph = ui.text.paragraph(text, "line", theme.text, inner)
            reveal = int(self.typed)
            row = paragraph.row_of(reveal)
            first = min(self._typed_row, row) if self._typed_row is not None else 0
            clip = surface.get_clip()
            surface.set_clip(column.clip(clip) if clip else column)
            paragraph.draw_rows(surface, column.x + 7, column.y - self.scroller.offset + y, first, row, reveal,
                                theme.background)
            surface.set_clip(clip)
            self._typed_row = row
        if self.asking and self.reply.rect.width > 0:  # the caret blinks
            column = self._blocks["column"]
            clip = surface.get_clip()
            surface.set_clip(column.clip(clip) if clip else column)
            self.reply.draw(surface, ui)
            surface.set_clip(clip)
        return True

    def _call_seconds(self) -> float:
        return 0.0 if self.briefing else self.app.clock_time - self.call_started

    def _draw_portrait(self, surface: pygame.Surface, portrait: pygame.Rect, words_rect: pygame.Rect) -> None:
        ui, theme = self.ui, self.ui.theme
        framing = self.framing
        face = self.shown_face
        if framing.channel == "counter":
            face.draw(surface, portrait, theme)
            if portrait.height > 20:
                pygame.draw.rect(surface, theme.panel_alt if theme.name != "high_contrast" else theme.border, portrait, 1,
                                 border_radius=2)
        else:
            name, role = self.speaker_who()
            framing.draw_under(surface, ui, name, self.lang, self._call_seconds(), role=role)
            face.draw(surface, framing.face_rect, theme)
            framing.draw_over(surface, ui, self.lang, self._call_seconds(), self.typing, self.app.clock_time)
        self._draw_who_tag(surface)
        self._drawn_who = self.shown
        words = self._mood_words()
        if words and words_rect.height > 0:
            ui.text.draw(surface, words, "small", theme.muted, words_rect.x, words_rect.y, words_rect.width)

    def _draw_who_tag(self, surface: pygame.Surface) -> None:
        placed = self.who_tag()
        if placed is not None:
            surface.blit(*placed)

    def who_tag(self) -> tuple[pygame.Surface, tuple[int, int]] | None:
        """With other speakers in the scenario: who is talking, on a name tag at the counter and on video (the
        call screens of phone, chat and email name them in their own place), and where it goes: under a small
        picture when there is room there, else over the lower part of the picture, never over the face."""
        if not self.has_speakers or self.framing.channel not in ("counter", "video"):
            return None
        ui = self.ui
        area, face = self.framing.rect, self.framing.face_rect
        body = self._blocks.get("body")
        if self._blocks.get("embedded") and body is not None:
            tag = self._who_tag(face.width, body.bottom - area.bottom - ui.s(8), wrap=True)
            if tag is not None:
                return tag, (face.x, area.bottom + ui.s(8))
        inset = ui.s(8)
        tag = self._who_tag(face.width - 2 * inset, int(face.height * 0.3), wrap=False)
        return (tag, (face.x + inset, face.bottom - inset - tag.get_height())) if tag is not None else None

    def _who_tag(self, width: int, height: int, wrap: bool) -> pygame.Surface | None:
        """The name tag within width × height: the name (wrapped, or on one line in a smaller type or cut short
        if need be) and a speaker's role when there is room; None when not even the name fits. Kept per size."""
        ui, theme = self.ui, self.ui.theme
        name, role = self.speaker_who()
        key = (name, role, width, height, wrap, theme.name, ui.fonts.scale)
        cache = self._tags
        if key in cache:
            return cache[key]
        if len(cache) > 8:
            cache.clear()
        pad, top = ui.s(8), ui.s(6)
        stripe = ui.s(4) if self.shown is not None else 0  # another speaker: an accent edge, as their name beside the line
        inner = width - 2 * pad - stripe
        names: list[tuple[str, str, tuple]] = []
        roles: list[tuple[str, str, tuple]] = []
        if inner >= ui.s(40):
            if wrap:  # in the larger type if the whole name fits so
                font = next((f for f in ("strong", "small_bold")
                             if 2 * top + ui.text.height(name, f, inner) <= height), "small_bold")
                names = [(line, font, theme.text) for line in ui.text.lines(name, font, inner)]
                roles = [(line, "small", theme.muted) for line in (ui.text.lines(role, "small", inner) if role else [])]
            else:
                font = next((f for f in ("strong", "small_bold") if ui.text.size(name, f)[0] <= inner), "small_bold")
                names = [(fitted(ui, name, font, inner), font, theme.text)]
                lines = ui.text.lines(role, "small", inner) if role else []
                if len(lines) > 2:
                    lines = [lines[0], fitted(ui, " ".join(lines[1:]), "small", inner)]
                roles = [(line, "small", theme.muted) for line in lines]

        def tall(rows) -> int:
            return sum(ui.fonts.line_height(font) for _t, font, _c in rows)

        total = 2 * top + tall(names)
        kept = names if names and total <= height else []  # the whole name, or no tag
        if kept and roles:
            if total + tall(roles) <= height:
                kept = names + roles
            elif not wrap and total + tall(roles[:1]) <= height:
                kept = names + roles[:1]
            total += tall(kept[len(names):])
        tag = None
        if kept:
            tag_width = max(ui.text.size(text, font)[0] for text, font, _c in kept) + 2 * pad + stripe
            tag = pygame.Surface((tag_width, total), pygame.SRCALPHA)
            radius = RADIUS // 2
            pygame.draw.rect(tag, theme.panel, tag.get_rect(), border_radius=radius)
            pygame.draw.rect(tag, theme.border, tag.get_rect(), 1, border_radius=radius)
            if stripe:
                pygame.draw.rect(tag, theme.accent, (0, 0, stripe + ui.s(2), total), border_top_left_radius=radius,
                                 border_bottom_left_radius=radius)
            y = top
            for text, font, colour in kept:
                ui.text.draw(tag, text, font, colour, stripe + pad, y)
                y += ui.fonts.line_height(font)
        cache[key] = tag
        return tag

    def _draw_coach(self, surface: pygame.Surface, coach, x: int, top: int) -> None:
        """The coach's note: its edge, mark and title say whether the answer helped or hurt."""
        ui, theme = self.ui, self.ui.theme
        note, tags, tone, rect, open_ = coach
        rect = rect.move(x, top)
        back = theme.warn_bg if tone == "harm" else theme.coach_bg
        edge = theme.bad if tone == "harm" else theme.good if tone == "good" else theme.accent
        pygame.draw.rect(surface, back, rect, border_radius=RADIUS)
        pygame.draw.rect(surface, edge, (rect.x, rect.y, ui.s(5), rect.height), border_radius=2)
        pad = ui.s(12) if open_ else ui.s(8)
        size = ui.fonts.line_height("small_bold")
        mark = pygame.Rect(rect.x + pad, rect.y + pad, size, size)
        pygame.draw.circle(surface, edge, mark.center, size // 2)
        w = max(1, ui.s(2))
        if tone == "harm":  # a cross
            d = size // 4
            pygame.draw.line(surface, theme.on_accent, (mark.centerx - d, mark.centery - d), (mark.centerx + d, mark.centery + d), w)
            pygame.draw.line(surface, theme.on_accent, (mark.centerx - d, mark.centery + d), (mark.centerx + d, mark.centery - d), w)
        elif tone == "good":  # a tick
            d = size // 4
            pygame.draw.lines(surface, theme.on_accent, False, [(mark.centerx - d, mark.centery), (mark.centerx - d // 3, mark.centery + d * 2 // 3),
                                                                (mark.centerx + d, mark.centery - d * 2 // 3)], w)
        else:
            pygame.draw.circle(surface, theme.on_accent, mark.center, max(1, size // 8))
        left = mark.right + ui.s(8)
        title, toggle, beside = self._coach_header(tone, rect.width, open_)
        if beside:
            toggle_w = ui.text.size(toggle, "small")[0]
            ui.text.draw(surface, toggle, "small", theme.muted, rect.right - pad - toggle_w, rect.y + pad)
        yy = rect.y + pad
        for row in title:  # in words, folded too: the mark and the colour are not all there is to say
            ui.text.draw(surface, row, "small_bold", theme.text, left, yy)
            yy += ui.fonts.line_height("small_bold")
        if not open_:
            if not beside:
                ui.text.draw(surface, toggle, "small", theme.muted, left, yy)
            return
        yy += ui.s(2)
        inner = rect.width - 2 * pad - ui.s(4)
        if note:
            yy += ui.text.draw(surface, note, "body", theme.text, rect.x + pad + ui.s(4), yy, inner)
        if tags:
            ui.text.draw(surface, tags, "small", theme.text, rect.x + pad + ui.s(4), yy + ui.s(4), inner)

    def _draw_pending(self, surface: pygame.Surface) -> None:
        """The chosen answer, still changeable: outlined, with the time left as a draining bar along it."""
        ui, theme = self.ui, self.ui.theme
        button = next((b for b in self.choice_buttons if b.data.id == self.pending[0]), None)
        if button is None:
            return
        rect = button.rect
        pygame.draw.rect(surface, theme.accent, rect, max(2, ui.s(3)), border_radius=RADIUS)
        left = max(0.0, min(1.0, (self.pending[1] - self.app.clock_time) / self.UNDO_SECONDS))
        bar = pygame.Rect(rect.x + RADIUS, rect.bottom + ui.s(2), int((rect.width - 2 * RADIUS) * left), ui.s(4))
        pygame.draw.rect(surface, theme.accent, bar)

    def _draw_column(self, surface: pygame.Surface) -> None:
        ui, theme = self.ui, self.ui.theme
        self._typed_row = None  # drawn whole: the next partial frame redraws the typed rows from the top
        blocks = self._blocks
        column = blocks["column"]
        inner = max(40, column.width - ui.s(14) - 14)
        clip = surface.get_clip()
        surface.set_clip(column.clip(clip) if clip else column)
        x, top = column.x, column.y - self.scroller.offset
        if blocks["words"]:
            text, y = blocks["words"]
            ui.text.draw(surface, text, "small", theme.muted, x + 7, top + y, inner)
        text, y = blocks["who"]
        ui.text.draw(surface, text, "small_bold", theme.muted if self.shown is None else theme.accent, x + 7, top + y,
                     inner)
        if blocks["you"]:
            text, y = blocks["you"]
            ui.text.draw(surface, text, "italic", theme.muted, x + 7, top + y, inner)
        if blocks["coach"]:
            self._draw_coach(surface, blocks["coach"], x, top)
        text, y = blocks["line"]
        paragraph = ui.text.paragraph(text, "line", theme.text, inner)
        paragraph.draw(surface, x + 7, top + y, reveal=int(self.typed) if self.typing else None)
        if blocks["cue"] and not self.typing:
            text, y = blocks["cue"]
            ui.text.draw(surface, text, "italic", theme.cue, x + 7, top + y, inner)
        if blocks.get("ask") and self.asking:
            text, y = blocks["ask"]
            ui.text.draw(surface, text, "small_bold", theme.muted, x + 7, top + y, inner)
            self.reply.draw(surface, ui)
        if blocks.get("said") and not self.typing:
            text, y = blocks["said"]
            ui.text.draw(surface, text, "italic", theme.muted, x + 7, top + y, inner)
            if blocks.get("heard"):
                text, y = blocks["heard"]
                ui.text.draw(surface, text, "small", theme.muted, x + 7, top + y, inner)
        if not self.typing:
            for button in self.choice_buttons:
                button.draw(surface, ui)
            if self.pending is not None:
                self._draw_pending(surface)
            if self.debrief_button.visible:
                self.debrief_button.draw(surface, ui)
        self.scroller.draw_fades(surface, ui, theme.background)
        surface.set_clip(clip)
        self.scroller.draw_bar(surface, ui)
