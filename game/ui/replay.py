"""Through the customer's eyes — the game's "ageing suit".

After the debrief the trainee steps through the conversation from the
customer's side: at every answer, what the customer said and showed, what they
were thinking but did not say, and how the answer felt — their face moves from
their mood before the answer to their mood after it, and the mood is shown in
words and numbers (now that the attempt is over). A line someone else said (a manager, a relative)
is named as theirs, with their unsaid thought; the face stays the customer's, showing their mood.
"""

from __future__ import annotations

import pygame

from game.debrief import Debrief
from game.describe import expression, expression_name, mood_words, other_speaker, who_says
from game.engine.rules import Mood
from game.i18n import Catalog, pick
from game.ui.face import Face, look_for
from game.ui.records import Session
from game.ui.scene import Flow, Scene
from game.ui.theme import RADIUS
from game.ui.widgets import Button, FocusGroup, layout_row

_ = Catalog({
    "title": ("Through {name}'s eyes", "Asiakkaan silmin: {name}"),
    "progress": ("Moment {n} of {total}", "Hetki {n}/{total}"),
    "says": ("{name} says", "{name} sanoo"),
    "shows": ("What you could see", "Mitä saatoit nähdä"),
    "thinks": ("What {name} was thinking, and did not say", "Mitä {name} ajatteli, mutta ei sanonut"),
    "opportunity": ("An empathic opportunity: {what} — {state}", "Empatian paikka: {what} — {state}"),
    "met": ("answered", "huomattu"),
    "missed": ("missed", "ohitettu"),
    "you": ("You answered", "Vastasit"),
    "felt": ("How it felt", "Miltä se tuntui"),
    "before": ("before your answer", "ennen vastaustasi"),
    "after": ("after your answer", "vastauksesi jälkeen"),
    "at_end": ("at the end", "lopussa"),
    "trust": ("Trust", "Luottamus"),
    "distress": ("Distress", "Ahdistus"),
    "heard": ("Feels heard", "Kokee tulleensa kuulluksi"),
    "ending": ("How it ended", "Miten se päättyi"),
    "last": ("{name}'s last words", "Asiakkaan viimeiset sanat"),
    "last_other": ("Last words — {name}", "Viimeiset sanat — {name}"),
    "hidden": ("What {name} never said aloud", "Mitä {name} ei koskaan sanonut ääneen"),
    "previous": ("Previous", "Edellinen"),
    "next": ("Next", "Seuraava"),
    "back": ("Back to the debrief", "Takaisin loppupurkuun"),
    "face": ("{name} looks {face} {when}: {words}.", "{name} on ilmeeltään {face} {when}: {words}."),
    "hints_short": ("← → steps  ·  Esc back", "← → siirtyy  ·  Esc palaa"),
    "hints": ("← → steps  ·  ↑ ↓ scrolls  ·  Esc returns to the debrief",
              "← → siirtyy  ·  ↑ ↓ vierittää  ·  Esc palaa loppupurkuun"),
})

DIMENSIONS = ("trust", "distress", "heard")


def quoted(text: str, lang: str) -> str:
    return f"”{text}”" if lang == "fi" else f"“{text}”"


class ReplayScene(Scene):
    name = "replay"
    REACTION_DELAY = 1.1  # seconds before the face reacts to the answer

    def __init__(self, app):
        super().__init__(app)
        self.session: Session | None = None
        self.debrief: Debrief | None = None
        self.face: Face | None = None
        self.index = 0
        self.clock = 0.0
        self.flow = Flow()
        self.previous = Button("", lambda: self.step(-1))
        self.next = Button("", lambda: self.step(1), kind="primary")
        self.back = Button("", lambda: self.app.go("back"))
        self.focus = FocusGroup([self.previous, self.next, self.back], arrows=False)
        self._rects: dict = {}

    def t(self, key: str, **values) -> str:
        return _(key, self.lang, **values)

    def p(self, text) -> str:
        return pick(text, self.lang)

    @property
    def name_text(self) -> str:
        return self.p(self.session.scenario.customer.name)

    def _speaker(self) -> str | None:
        """Who says the line of the moment shown: another speaker's ID, or None for the customer."""
        steps = self.debrief.steps
        node_id = steps[self.index].turn.node_id if self.index < len(steps) else self.debrief.result.ending
        node = self.session.scenario.nodes.get(node_id or "")
        other = other_speaker(self.session.scenario, getattr(node, "speaker", None))
        return other.id if other is not None else None

    def said_by(self) -> str:
        """The name of who says the line of the moment shown, and a speaker's role."""
        return who_says(self.session.scenario, self._speaker(), self.lang)

    @property
    def total(self) -> int:
        return len(self.debrief.steps) + (1 if self.debrief.final_line is not None else 0)

    def enter(self, session: Session | None = None, debrief: Debrief | None = None, **kwargs) -> None:
        if session is not None:
            self.session, self.debrief = session, debrief
            self.face = Face(look_for(session.scenario.customer), seed=session.seed)
            self.index = 0
            self._show_step()
        self.focus.focus(self.next)
        self.invalidate()

    def _moods(self) -> tuple[Mood, Mood | None]:
        steps = self.debrief.steps
        if self.index < len(steps):
            return steps[self.index].mood_before, steps[self.index].mood_after
        return self.session.conversation.mood, None

    def _authored(self, index: int) -> tuple[str | None, float | None]:
        """The authored expression (and intensity) of the line at step `index`, if the format gives one."""
        steps = self.debrief.steps
        if not 0 <= index < len(steps):
            return None, None
        node = self.session.scenario.nodes.get(steps[index].turn.node_id)
        if other_speaker(self.session.scenario, getattr(node, "speaker", None)) is not None:
            return None, None  # another speaker's face is theirs: the customer's shows their own mood
        return getattr(node, "expression", None), getattr(node, "intensity", None)

    def _show_step(self) -> None:
        before, _after = self._moods()
        self.face.show(before, *self._authored(self.index), instant=True)
        self.clock = 0.0
        self.flow.scroller.offset = 0
        self.invalidate()

    def step(self, delta: int) -> None:
        index = max(0, min(self.total - 1, self.index + delta))
        if index != self.index:
            self.index = index
            self._show_step()

    @property
    def reacted(self) -> bool:
        return self._moods()[1] is not None and self.clock >= self.REACTION_DELAY

    # -- layout -----------------------------------------------------------------------------------
    def layout(self) -> None:
        ui = self.ui
        self.previous.label, self.next.label, self.back.label = self.t("previous"), self.t("next"), self.t("back")
        self.previous.enabled = self.index > 0
        self.next.enabled = self.index < self.total - 1
        if self.focus.current is not None and not self.focus.current.enabled:
            self.focus.focus(self.back)
        margin = self.margin()
        gap = ui.s(16)
        top = self.header_height(self.t("title", name=self.name_text), self.t("progress", n=1, total=self.total))
        hints = self.hints_height(self.t("hints"), self.t("hints_short"))
        buttons = [self.previous, self.next, self.back]
        if self.cramped:  # little room: a smaller portrait beside the text; the buttons scroll with it
            body = pygame.Rect(margin, top, self.width - 2 * margin, max(60, self.height - top - hints))
            face_width = max(80, min(int(body.width * 0.3), int(body.height * 0.85)))
            portrait = pygame.Rect(body.x, body.y, face_width, min(body.height, int(face_width * 1.2)))
            column = pygame.Rect(portrait.right + gap, body.y, body.right - portrait.right - gap, body.height)
            self._rects = {"embedded": True, "portrait": portrait}
            self._build_flow(column)
            self.flow.space(ui.s(6))
            self.flow.row(buttons, gap=8)
            self.flow.layout(ui, column)
            return
        probe = layout_row(ui, buttons, pygame.Rect(margin, 0, self.width - 2 * margin, 0))
        buttons_top = self.height - hints - probe - ui.s(10)
        layout_row(ui, buttons, pygame.Rect(margin, buttons_top, self.width - 2 * margin, 0))
        for button in buttons:
            button.clip = None
        body = pygame.Rect(margin, top, self.width - 2 * margin, max(60, buttons_top - top - gap))
        if body.width >= body.height * 1.15 and body.width >= ui.s(560):
            face_width = max(140, min(int(body.width * 0.36), ui.s(480), int(body.height * 0.95)))
            words_height = max(ui.text.height(self._words(r), "small", face_width) for r in (False, True)) + ui.s(8)
            portrait = pygame.Rect(body.x, body.y, face_width, max(40, body.height - words_height))
            column = pygame.Rect(body.x + face_width + 2 * gap, body.y, body.width - face_width - 2 * gap, body.height)
        else:
            words_height = max(ui.text.height(self._words(r), "small", body.width) for r in (False, True)) + ui.s(8)
            face_height = max(80, min(int(body.height * 0.36), ui.s(280)))
            portrait = pygame.Rect(body.x, body.y, body.width, face_height)
            top_of_column = portrait.bottom + words_height + gap
            column = pygame.Rect(body.x, top_of_column, body.width, max(40, body.bottom - top_of_column))
        self._rects = {"embedded": False, "portrait": portrait,
                       "words": pygame.Rect(portrait.x, portrait.bottom + ui.s(8), portrait.width, words_height)}
        self._build_flow(column)
        self.flow.layout(ui, column)

    def _words(self, reacted: bool | None = None) -> str:
        before, after = self._moods()
        reacted = self.reacted if reacted is None else reacted
        mood = after if after is not None and reacted else before
        when = self.t("after") if after is not None and reacted else self.t("before") if after is not None else \
            self.t("at_end")
        return self.t("face", name=self.name_text, face=expression_name(expression(mood), self.lang), when=when,
                      words=mood_words(mood, self.lang))

    def _build_flow(self, viewport: pygame.Rect) -> None:
        ui, lang, name = self.ui, self.lang, self.name_text
        flow = self.flow
        flow.clear()
        if self._rects.get("embedded"):
            flow.custom(lambda width: max(ui.text.height(self._words(r), "small", width) for r in (False, True)),
                        lambda surface, x, y, width: ui.text.draw(surface, self._words(), "small", ui.theme.muted, x, y,
                                                                  width), gap=12)
        steps = self.debrief.steps
        if self.index < len(steps):
            step = steps[self.index]
            flow.text(self.t("says", name=self.said_by()).upper(), "small_bold", "muted", gap=2)
            flow.text(quoted(self.p(step.line), lang), "line", "text", gap=10)
            if step.cue:
                flow.text(self.t("shows").upper(), "small_bold", "muted", gap=2)
                flow.text(self.p(step.cue), "italic", "cue", gap=12)
            if step.thought:
                flow.custom(self._measure_thought, self._draw_thought, gap=12)
            if step.opportunity is not None:
                state = self.t("met") if step.answered else self.t("missed")
                flow.text(self.t("opportunity", what=self.p(step.opportunity), state=state), "strong",
                          "good" if step.answered else "bad", gap=12)
            flow.text(self.t("you").upper(), "small_bold", "muted", gap=2)
            flow.text(quoted(self.p(step.choice_text), lang), "body", "accent", gap=14)
            flow.text(self.t("felt").upper(), "small_bold", "muted", gap=6)
            flow.custom(self._measure_bars, self._draw_bars, gap=8)
        else:
            ending = self.debrief
            last = self.t("last", name=name) if self._speaker() is None else self.t("last_other", name=self.said_by())
            flow.text(last.upper(), "small_bold", "muted", gap=2)
            flow.text(quoted(self.p(ending.final_line), lang), "line", "text", gap=12)
            if ending.final_thought:
                flow.custom(self._measure_thought, self._draw_thought, gap=12)
            if ending.ending_title:
                flow.text(self.t("ending").upper(), "small_bold", "muted", gap=2)
                flow.text(self.p(ending.ending_title), "heading", "text", gap=4)
            if ending.ending_summary:
                flow.text(self.p(ending.ending_summary), "body", "text", gap=12)
            flow.text(self.t("hidden", name=name).upper(), "small_bold", "muted", gap=2)
            flow.text(self.p(self.debrief.hidden), "italic", "thought", gap=12)
            flow.custom(self._measure_bars, self._draw_bars, gap=8)

    def _thought_text(self) -> str:
        steps = self.debrief.steps
        if self.index < len(steps):
            return self.p(steps[self.index].thought)
        return self.p(self.debrief.final_thought)

    def _thinker(self) -> str:
        """Whose unsaid thought it is: whoever said the line (another speaker by their name alone)."""
        speaker = self._speaker()
        return self.p(self.session.scenario.speakers[speaker].name) if speaker is not None else self.name_text

    def _measure_thought(self, width: int) -> int:
        ui = self.ui
        pad = ui.s(14)
        thinks = ui.text.height(self.t("thinks", name=self._thinker()).upper(), "small_bold", width - 2 * pad)
        return thinks + ui.s(4) + \
            ui.text.height(self._thought_text(), "line", width - 2 * pad - ui.s(4)) + 2 * pad

    def _draw_thought(self, surface, x: int, y: int, width: int) -> None:
        ui, theme = self.ui, self.ui.theme
        rect = pygame.Rect(x, y, width, self._measure_thought(width))
        pygame.draw.rect(surface, theme.thought_bg, rect, border_radius=RADIUS)
        pygame.draw.rect(surface, theme.thought, (rect.x, rect.y, ui.s(4), rect.height), border_radius=2)
        pad = ui.s(14)
        yy = rect.y + pad
        yy += ui.text.draw(surface, self.t("thinks", name=self._thinker()).upper(), "small_bold", theme.thought,
                           rect.x + pad + ui.s(4), yy, rect.width - 2 * pad)
        ui.text.draw(surface, self._thought_text(), "line", theme.thought, rect.x + pad + ui.s(4), yy + ui.s(4),
                     rect.width - 2 * pad - ui.s(4))

    def _measure_bars(self, width: int) -> int:
        ui = self.ui
        return len(DIMENSIONS) * (ui.fonts.line_height("small") + ui.s(22))

    def _draw_bars(self, surface, x: int, y: int, width: int) -> None:
        ui, theme = self.ui, self.ui.theme
        before, after = self._moods()
        for dimension in DIMENSIONS:
            old = getattr(before, dimension)
            new = getattr(after, dimension) if after is not None else None
            label = self.t(dimension)
            if new is None:
                value = str(old)
            else:
                change = new - old
                sign = "+" if change > 0 else "−" if change < 0 else "±"
                value = f"{old} → {new}  ({sign}{abs(change)})"
            ui.text.draw(surface, label, "small_bold", theme.text, x, y)
            value_width = ui.text.size(value, "small")[0]
            ui.text.draw(surface, value, "small", theme.text, x + width - value_width, y)
            y += ui.fonts.line_height("small") + ui.s(4)
            bar = pygame.Rect(x, y, width, ui.s(10))
            pygame.draw.rect(surface, theme.panel_alt, bar, border_radius=bar.height // 2)
            colour = getattr(theme, dimension)
            shown = new if new is not None and self.reacted else old
            fill = bar.copy()
            fill.width = int(bar.width * shown / 100)
            if fill.width > 0:
                pygame.draw.rect(surface, colour, fill, border_radius=bar.height // 2)
            marker_x = bar.x + int(bar.width * old / 100)
            pygame.draw.line(surface, theme.text, (marker_x, bar.y - ui.s(3)), (marker_x, bar.bottom + ui.s(3)), 2)
            y += bar.height + ui.s(8)

    # -- events, time, drawing --------------------------------------------------------------------
    def handle_event(self, event) -> None:
        ui = self.ui
        if event.type == pygame.KEYDOWN:
            if event.key == pygame.K_ESCAPE:
                self.app.go("back")
                return
            if event.key in (pygame.K_RIGHT, pygame.K_SPACE) or (event.key in (pygame.K_RETURN, pygame.K_KP_ENTER)
                                                                  and self.focus.current is None):
                self.step(1)
                return
            if event.key == pygame.K_LEFT:
                self.step(-1)
                return
            if event.key in (pygame.K_UP, pygame.K_DOWN):
                self.flow.scroll(ui.fonts.line_height("body") * (2 if event.key == pygame.K_DOWN else -2))
                return
        before = self.focus.current
        if self.focus.handle(event, ui):
            if self._rects.get("embedded") and self.focus.current is not before and self.focus.current is not None:
                self.flow.show(self.focus.current)
            return
        self.flow.handle_scroll(event, ui)

    def update(self, dt: float) -> None:
        if self.face is None:
            return
        was = self.reacted
        self.clock += dt
        if not was and self.reacted:
            self.face.show(self._moods()[1], *self._authored(self.index + 1))
        self.face.update(dt)

    def draw(self, surface: pygame.Surface) -> None:
        ui, theme = self.ui, self.ui.theme
        surface.fill(theme.background)
        self.header(surface, self.t("title", name=self.name_text), self.t("progress", n=self.index + 1, total=self.total))
        self.face.draw(surface, self._rects["portrait"], theme)
        if not self._rects.get("embedded"):
            area = self._rects["words"]
            ui.text.draw(surface, self._words(), "small", theme.muted, area.x, area.y, area.width)
            self.focus.draw(surface, ui)
        self.flow.draw(surface, ui)
        self.hints(surface, self.t("hints"), self.t("hints_short"))


def coach_review(scenario, seed: int, choices, lang: str | None = None, **options) -> int:
    """Open a recorded session at its debrief for a coach (`replay LOG`). "Try again" there starts a practice
    session of this scenario version for the coach, unnamed and unlogged: never an assessment, never written
    into the coach's data folder, and never resumable."""
    from game.ui.app import App
    from game.ui.records import UnloggedRecords

    class CoachApp(App):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.records = UnloggedRecords()

        def start_session(self, scenario, mode: str | None = None, seed: int | None = None) -> Session:
            return super().start_session(scenario, mode="practice", seed=seed)

    return CoachApp(lang=lang, review=(scenario, seed, list(choices)), trainee="", mode="practice", **options).run()
