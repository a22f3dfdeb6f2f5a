"""The debrief: how it went, why, and — for the first time — what the customer did not say.

From top to bottom: the ending and its outcome in the articles' terms; the
listening and empathy scores; the moves made, per rubric tag; the coach's
MITI-style metrics; a chart of trust and distress over the answers; the
empathic opportunities met and missed; the transcript annotated with each
answer's tags and feedback and the customer's unsaid thought at every step.
Everything scrolls (wheel, ↑ ↓, Page Up/Down); the buttons stay at the bottom.
"""

from __future__ import annotations

import pygame

from game.debrief import Debrief, debrief_for
from game.describe import who_says
from game.i18n import Catalog, percent, pick
from game.scenario.rubric import AXES
from game.ui.chart import MoodChart
from game.ui.records import Session
from game.ui.scene import Flow, Scene, panel
from game.ui.start_point import mode_caption
from game.ui.theme import RADIUS
from game.ui.widgets import Button, FocusGroup, layout_row

_ = Catalog({
    "title": ("Debrief", "Loppupurku"),
    "subtitle": ("{scenario} · {mode}", "{scenario} · {mode}"),
    "practice": ("practice", "harjoittelu"),
    "assessment": ("assessment — this attempt counts", "arviointi — tämä yritys lasketaan"),
    "outcome": ("Outcome", "Lopputulos"),
    "scores": ("Scores", "Pisteet"),
    "scores_note": ("Each answer measured against the best on offer at that moment, then held under the ceiling below.",
                    "Jokaista vastausta verrataan siihen, mikä sillä hetkellä oli parasta tarjolla; katto rajaa tuloksen."),
    "shaped": ("What shaped this conversation", "Mikä tätä keskustelua ohjasi"),
    "points": ("{points} of {best} points", "{points} / {best} pistettä"),
    "moves": ("Your moves", "Siirtosi"),
    "no_moves": ("No scored moves.", "Ei pisteytettyjä siirtoja."),
    "metrics": ("Coach's metrics (MITI 4.2.1 thresholds)", "Valmentajan mittarit (MITI 4.2.1 -rajat)"),
    "chart": ("The customer's mood over the conversation", "Asiakkaan mieliala keskustelun aikana"),
    "chart_note": ("Answers marked in red were harmful moves.", "Punaisella merkityt vastaukset olivat vahingollisia siirtoja."),
    "opportunities": ("Empathic opportunities: {met} of {total} answered", "Empatian paikat: {met}/{total} huomattu"),
    "no_opportunities": ("This conversation had no marked empathic opportunities.",
                         "Tässä keskustelussa ei ollut merkittyjä empatian paikkoja."),
    "met": ("answered", "huomattu"),
    "missed": ("missed", "ohitettu"),
    "transcript": ("What happened, and what {name} did not say", "Mitä tapahtui ja mitä {name} jätti sanomatta"),
    "thought": ("Thought, unsaid", "Ajatteli, ei sanonut"),
    "you": ("You", "Sinä"),
    "coach": ("Coach", "Valmentaja"),
    "own_said": ("In your own words", "Omin sanoin"),
    "quiet": ("(you stay quiet)", "(olet hiljaa)"),
    "last_words": ("Last words", "Viimeiset sanat"),
    "hidden": ("What {name} never said aloud", "Mitä {name} ei sanonut ääneen"),
    "harmful": ("harmful", "vahingollinen"),
    "eyes": ("Through the customer's eyes", "Asiakkaan silmin"),
    "again": ("Try again", "Yritä uudelleen"),
    "menu": ("Back to the menu", "Takaisin valikkoon"),
    "hints_short": ("↑ ↓ scrolls  ·  Tab moves", "↑ ↓ vierittää  ·  Tab siirtää"),
    "hints": ("↑ ↓ or the wheel scrolls  ·  Tab moves between the buttons  ·  Enter selects",
              "↑ ↓ tai rulla vierittää  ·  Tab siirtää painikkeiden välillä  ·  Enter valitsee"),
})


def quoted(text: str, lang: str) -> str:
    return f"”{text}”" if lang == "fi" else f"“{text}”"



def source_line(framework: str, grounding: str) -> str:
    """The grounding of a move with its source named once: 'MITI: MITI codes…' reads as a stutter."""
    framework, grounding = str(framework or "").strip(), str(grounding or "").strip()
    if not framework or framework.casefold() in grounding.casefold()[:len(framework) + 12]:
        return grounding
    return f"{framework}: {grounding}" if grounding else framework

class DebriefScene(Scene):
    name = "debrief"

    def __init__(self, app):
        super().__init__(app)
        self.session: Session | None = None
        self.debrief: Debrief | None = None
        self.chart: MoodChart | None = None
        self.flow = Flow()
        self.eyes = Button("", self.customer_eyes, kind="primary")
        self.again = Button("", self.try_again)
        self.menu = Button("", self.to_menu)
        self.focus = FocusGroup([self.eyes, self.again, self.menu], arrows=False)
        self._buttons_rect = pygame.Rect(0, 0, 0, 0)

    def t(self, key: str, **values) -> str:
        return _(key, self.lang, **values)

    def p(self, text) -> str:
        return pick(text, self.lang)

    def enter(self, session: Session | None = None, **kwargs) -> None:
        if session is not None:
            self.session = session
            self.debrief = debrief_for(session.conversation)
            history = session.conversation.history
            start = history[0].mood_before if history else session.conversation.mood
            moods = [start] + [turn.mood_after for turn in history]
            self.chart = MoodChart(moods, [turn.harmful for turn in history])
            self.flow.scroller.offset = 0
            self.focus.focus(self.eyes)
        self.invalidate()

    # -- actions ----------------------------------------------------------------------------------
    def customer_eyes(self) -> None:
        self.app.go("customer_eyes", session=self.session, debrief=self.debrief)

    def try_again(self) -> None:
        self.app.play_again(self.session)  # a trainer's session from a node starts there again

    def to_menu(self) -> None:
        self.app.session = None
        self.app.go("to_menu")

    # -- layout -----------------------------------------------------------------------------------
    def layout(self) -> None:
        ui = self.ui
        self.eyes.label, self.again.label, self.menu.label = self.t("eyes"), self.t("again"), self.t("menu")
        buttons = [self.eyes, self.again, self.menu]
        margin = self.margin()
        column = min(self.width - 2 * margin, max(ui.s(760), 820))
        left = (self.width - column) // 2
        self.column = pygame.Rect(left, 0, column, 0)
        hints = self.hints_height(self.t("hints"), self.t("hints_short"))
        top = self.header_height(self.t("title"), self._subtitle(), column)
        self._build_flow()
        if self.cramped:  # little room: the buttons scroll with the page, at its end
            self._buttons_rect = None
            self.flow.space(ui.s(6))
            self.flow.row(buttons, gap=8)
            self.flow.layout(ui, pygame.Rect(left, top, column, max(40, self.height - hints - top)))
            return
        buttons_height = layout_row(ui, buttons, pygame.Rect(left, 0, column, 0))
        buttons_top = self.height - hints - buttons_height - ui.s(12)
        layout_row(ui, buttons, pygame.Rect(left, buttons_top, column, 0))
        for button in buttons:
            button.clip = None
        self._buttons_rect = pygame.Rect(0, buttons_top - ui.s(12), self.width, buttons_height + ui.s(24))
        self.flow.layout(ui, pygame.Rect(left, top, column, max(40, buttons_top - ui.s(16) - top)))

    def _subtitle(self) -> str:
        mode = mode_caption(self.session, self.t(self.session.mode), self.lang)  # "from node X" for a trainer's
        return self.t("subtitle", scenario=self.p(self.session.scenario.title), mode=mode)

    def _build_flow(self) -> None:
        ui, lang = self.ui, self.lang
        debrief, result = self.debrief, self.debrief.result
        flow = self.flow
        flow.clear()
        name = self.p(self.session.scenario.customer.name)
        # the ending and its outcome
        flow.custom(self._measure_outcome, self._draw_outcome, gap=22)
        # scores
        flow.text(self.t("scores"), "heading", "text", gap=2)
        flow.text(self.t("scores_note"), "small", "muted", gap=8)
        for axis in AXES:
            flow.custom(self._measure_bar, (lambda s, x, y, w, a=axis: self._draw_bar(s, x, y, w, a)), gap=10)
        flow.space(ui.s(10))
        # what shaped it: the ceiling and why, the turning point, the feelings missed
        shaped = debrief.path_lines(lang)
        if shaped:
            flow.text(self.t("shaped"), "heading", "text", gap=8)
            for line in shaped:
                flow.text(line, "body", "text", gap=4, indent=ui.s(8))
            flow.space(ui.s(10))
        # moves, by behaviour code: one line each, harmful ones marked
        flow.text(self.t("moves"), "heading", "text", gap=8)
        if not debrief.moves:
            flow.text(self.t("no_moves"), "body", "muted", gap=8)
        for move in debrief.moves:
            good = move.group in ("reflection", "support", "question")
            mark = "−" if move.harmful else "+" if good else "·"
            flow.text(f"{mark}  {self.p(move.label)} × {move.count}", "strong",
                      "bad" if move.harmful else "good" if good else "text", gap=0, indent=ui.s(8))
            flow.text(source_line(move.framework, self.p(move.grounding)), "small", "muted", gap=8, indent=ui.s(30))
        flow.space(ui.s(10))
        # coach metrics
        flow.text(self.t("metrics"), "heading", "text", gap=8)
        for metric in debrief.metrics:
            flow.text(f"{metric.label(lang)}: {metric.value_text(lang)} ({metric.rating_text(lang)})", "body", "text",
                      gap=4, indent=ui.s(8))
        flow.space(ui.s(14))
        # chart
        flow.text(self.t("chart"), "heading", "text", gap=8)
        flow.custom(lambda w: self.chart.height_for(ui, w),
                    lambda s, x, y, w: self.chart.draw(s, ui, pygame.Rect(x, y, w, self.chart.height_for(ui, w))), gap=4)
        if any(turn.harmful for turn in self.session.conversation.history):
            flow.text(self.t("chart_note"), "small", "muted", gap=8)
        flow.space(ui.s(14))
        # opportunities
        if result.opportunities:
            flow.text(self.t("opportunities", met=result.opportunities_answered, total=result.opportunities), "heading",
                      "text", gap=8)
            for step in debrief.steps:
                if step.opportunity is not None:
                    state = self.t("met") if step.answered else self.t("missed")
                    flow.text(f"{'+' if step.answered else '−'}  {self.p(step.opportunity)} — {state}", "body",
                              "good" if step.answered else "bad", gap=4, indent=ui.s(8))
        else:
            flow.text(self.t("no_opportunities"), "body", "muted", gap=4)
        flow.space(ui.s(18))
        # transcript
        flow.text(self.t("transcript", name=name), "heading", "text", gap=10)
        for step in debrief.steps:
            flow.custom((lambda w, st=step: self._measure_step(st, w)), (lambda s, x, y, w, st=step: self._draw_step(s, x, y, w, st)),
                        gap=14)
        if debrief.final_line:
            said_by = self.said_by(debrief.result.ending)
            flow.text(f"{self.t('last_words')} — {said_by}: {quoted(self.p(debrief.final_line), lang)}", "body", "text",
                      gap=6)
            if debrief.final_thought:
                thought = f"{self.t('thought')}: {self.p(debrief.final_thought)}"
                flow.custom((lambda w, t=thought: self._measure_thought(t, w)),
                            (lambda s, x, y, w, t=thought: self._draw_thought(s, x, y, w, t)), gap=14)
        hidden = self.p(debrief.hidden)
        if hidden:
            flow.text(self.t("hidden", name=name), "heading", "text", gap=8)
            flow.custom((lambda w, t=hidden: self._measure_thought(t, w, 0)),
                        (lambda s, x, y, w, t=hidden: self._draw_thought(s, x, y, w, t, 0)), gap=16)

    # -- custom blocks ----------------------------------------------------------------------------
    def _outcome_texts(self) -> list[tuple[str, str]]:
        debrief = self.debrief
        texts = []
        if debrief.ending_title:
            texts.append((self.p(debrief.ending_title), "h1"))
        if debrief.ending_summary:
            texts.append((self.p(debrief.ending_summary), "body"))
        for line in debrief.outcome_lines(self.lang):
            texts.append((line, "strong"))
        return texts

    def _measure_outcome(self, width: int) -> int:
        ui = self.ui
        pad = ui.s(18)
        inner = width - 2 * pad - ui.s(6)
        height = ui.fonts.line_height("small_bold") + ui.s(4)
        for text, role in self._outcome_texts():
            height += ui.text.height(text, role, inner) + ui.s(6)
        return height + 2 * pad

    def _draw_outcome(self, surface, x: int, y: int, width: int) -> None:
        ui, theme = self.ui, self.ui.theme
        rect = pygame.Rect(x, y, width, self._measure_outcome(width))
        panel(surface, ui, rect)
        outcome = self.debrief.result.outcome
        stripe = theme.good if outcome == "good" else theme.bad if outcome in ("bad", "left") else theme.accent
        pygame.draw.rect(surface, stripe, (rect.x, rect.y, ui.s(6), rect.height), border_radius=RADIUS)
        pad = ui.s(18)
        inner = width - 2 * pad - ui.s(6)
        yy = rect.y + pad
        yy += ui.text.draw(surface, self.t("outcome").upper(), "small_bold", theme.muted, rect.x + pad + ui.s(6), yy, inner)
        yy += ui.s(4)
        for text, role in self._outcome_texts():
            yy += ui.text.draw(surface, text, role, theme.text, rect.x + pad + ui.s(6), yy, inner) + ui.s(6)

    def _measure_bar(self, width: int) -> int:
        return self.ui.fonts.line_height("strong") + self.ui.s(30)

    def _draw_bar(self, surface, x: int, y: int, width: int, axis: str) -> None:
        ui, theme, lang = self.ui, self.ui.theme, self.lang
        score = getattr(self.debrief.result, axis)
        label = f"{self.debrief.axis_label(axis, lang)}  {percent(score.share, lang)}"
        points = self.t("points", points=f"{score.points:g}".replace("-", "−"), best=f"{score.best:g}")
        ui.text.draw(surface, label, "strong", theme.text, x, y)
        points_width = ui.text.size(points, "small")[0]
        if points_width + ui.text.size(label, "strong")[0] + ui.s(16) <= width:
            ui.text.draw(surface, points, "small", theme.muted, x + width - points_width, y + ui.s(3))
        bar = pygame.Rect(x, y + ui.fonts.line_height("strong") + ui.s(6), width, ui.s(16))
        pygame.draw.rect(surface, theme.panel_alt, bar, border_radius=bar.height // 2)
        if theme.name == "high_contrast":
            pygame.draw.rect(surface, theme.border, bar, 1, border_radius=bar.height // 2)
        filled = bar.copy()
        filled.width = int(bar.width * max(0.0, min(1.0, score.share)))
        if filled.width > 0:
            pygame.draw.rect(surface, theme.accent, filled, border_radius=bar.height // 2)

    def said_by(self, node_id: str | None) -> str:
        """Who said the line of this node: the customer's name, or another speaker's name and role."""
        scenario = self.session.scenario
        node = scenario.nodes.get(node_id or "")
        return who_says(scenario, node.speaker if node is not None else None, self.lang)

    def _step_texts(self, step) -> list[tuple[str, str, str, int]]:
        """(text, role, colour, indent) lines of one transcript step; the thought is drawn in its own box."""
        lang, name = self.lang, self.said_by(step.turn.node_id)
        ui = self.ui
        lines = [(f"{step.turn.number}.  {name}: {quoted(self.p(step.line), lang)}", "body", "text", 0)]
        if step.cue:
            lines.append((self.p(step.cue), "italic", "cue", ui.s(24)))
        return lines

    def _answer_texts(self, step) -> list[tuple[str, str, str, int]]:
        lang, ui = self.lang, self.ui
        tags = ", ".join(self.debrief.tag_label(tag, lang) for tag in step.turn.tags)
        lines = [(f"{self.t('you')}: {quoted(self.p(step.choice_text), lang)}", "strong", "accent", ui.s(24))]
        if tags:
            harmful = f" ({self.t('harmful')})" if step.turn.harmful else ""
            lines.append((f"[{tags}]{harmful}", "small", "bad" if step.turn.harmful else "muted", ui.s(24)))
        own = self._own_words_line(step.turn.number)
        if own:
            lines.append((own, "italic", "text", ui.s(24)))
        if step.feedback:
            lines.append((f"{self.t('coach')}: {self.p(step.feedback)}", "body", "text", ui.s(24)))
        return lines

    def _own_words_line(self, turn_number: int) -> str | None:
        """'In your own words: "…"  [codes]' when the trainee typed their reply at that turn (own-words mode)."""
        coding = getattr(self.session, "own_said", {}).get(turn_number) if self.session is not None else None
        if coding is None:
            return None
        from game.coding import code_name

        said = quoted(coding.text, self.lang) if coding.text.strip() else self.t("quiet")
        codes = ", ".join(code_name(code, self.lang) for code in coding.codes)
        return f"{self.t('own_said')}: {said}  [{codes}]"

    def _measure_lines(self, lines, width: int) -> int:
        ui = self.ui
        return sum(ui.text.height(text, role, max(20, width - indent)) + ui.s(3) for text, role, _c, indent in lines)

    def _draw_lines(self, surface, lines, x: int, y: int, width: int) -> int:
        ui = self.ui
        start = y
        for text, role, colour, indent in lines:
            y += ui.text.draw(surface, text, role, getattr(ui.theme, colour), x + indent, y, max(20, width - indent))
            y += ui.s(3)
        return y - start

    def _measure_thought(self, text: str, width: int, indent: int | None = None) -> int:
        ui = self.ui
        indent = ui.s(24) if indent is None else indent
        return ui.text.height(text, "italic", width - indent - 2 * ui.s(12)) + 2 * ui.s(10)

    def _draw_thought(self, surface, x: int, y: int, width: int, text: str, indent: int | None = None) -> int:
        ui, theme = self.ui, self.ui.theme
        indent = ui.s(24) if indent is None else indent
        height = self._measure_thought(text, width, indent)
        rect = pygame.Rect(x + indent, y, width - indent, height)
        pygame.draw.rect(surface, theme.thought_bg, rect, border_radius=RADIUS)
        pygame.draw.rect(surface, theme.thought, (rect.x, rect.y, ui.s(4), rect.height), border_radius=2)
        ui.text.draw(surface, text, "italic", theme.thought, rect.x + ui.s(12), rect.y + ui.s(10), rect.width - 2 * ui.s(12))
        return height

    def _measure_step(self, step, width: int) -> int:
        height = self._measure_lines(self._step_texts(step), width)
        if step.thought:
            height += self._measure_thought(f"{self.t('thought')}: {self.p(step.thought)}", width) + self.ui.s(6)
        return height + self._measure_lines(self._answer_texts(step), width)

    def _draw_step(self, surface, x: int, y: int, width: int, step) -> None:
        y += self._draw_lines(surface, self._step_texts(step), x, y, width)
        if step.thought:
            y += self._draw_thought(surface, x, y, width, f"{self.t('thought')}: {self.p(step.thought)}") + self.ui.s(6)
        self._draw_lines(surface, self._answer_texts(step), x, y, width)

    # -- events and drawing -----------------------------------------------------------------------
    def handle_event(self, event) -> None:
        ui = self.ui
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_UP, pygame.K_DOWN):
            self.flow.scroll(ui.fonts.line_height("body") * (2 if event.key == pygame.K_DOWN else -2))
            return
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_HOME, pygame.K_END):
            self.flow.scroll(-10**9 if event.key == pygame.K_HOME else 10**9)
            return
        before = self.focus.current
        if self.focus.handle(event, ui):
            if self._buttons_rect is None and self.focus.current is not before and self.focus.current is not None:
                self.flow.show(self.focus.current)
            return
        self.flow.handle_scroll(event, ui)

    def draw(self, surface: pygame.Surface) -> None:
        ui, theme = self.ui, self.ui.theme
        surface.fill(theme.background)
        self.header(surface, self.t("title"), self._subtitle(), self.column.x + Flow.INSET, self.column.width)
        self.flow.draw(surface, ui)
        if self._buttons_rect is not None:
            pygame.draw.rect(surface, theme.background, self._buttons_rect)
            pygame.draw.line(surface, theme.panel_alt, self._buttons_rect.topleft, self._buttons_rect.topright)
            self.focus.draw(surface, ui)
        self.hints(surface, self.t("hints"), self.t("hints_short"))
