"""The title screen: the trainee's name, the language, the way in, and unfinished sessions to resume."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pygame

from game.i18n import Catalog, pick
from game.ui.catalogue import load_entry
from game.ui.records import ResumeError, ScenarioChangedError
from game.ui.scene import Flow, Overlay, Scene
from game.ui.widgets import Button, FocusGroup, Selector, TextField

_ = Catalog({
    "tagline": ("Finnish for “listen!” — empathy training for customer service",
                "Empatiaharjoittelua asiakaspalvelun ammattilaisille"),
    "name_label": ("Your name (it goes into your score log)", "Nimesi (se tallentuu tuloslokiisi)"),
    "name_placeholder": ("Type your name", "Kirjoita nimesi"),
    "language": ("Language", "Kieli"),
    "choose": ("Choose a scenario", "Valitse skenaario"),
    "own_words": ("Say it in your own words first", "Sano ensin omin sanoin"),
    "on": ("On", "Päällä"),
    "off": ("Off", "Pois"),
    "continue": ("Continue where you left off", "Jatka siitä, mihin jäit"),
    "resume_item": ("{title} — {who}, {mode}, {answers}, started {when}",
                    "{title} — {who}, {mode}, {answers}, aloitettu {when}"),
    "answers_one": ("1 answer so far", "1 vastaus tähän mennessä"),
    "answers_many": ("{n} answers so far", "{n} vastausta tähän mennessä"),
    "practice": ("practice", "harjoittelu"),
    "assessment": ("assessment", "arviointi"),
    "no_name": ("no name", "nimetön"),
    "discard": ("Discard this session", "Hylkää tämä istunto"),
    "settings": ("Settings", "Asetukset"),
    "quit": ("Quit", "Lopeta"),
    "hints": ("Tab or ↑ ↓ moves  ·  Enter selects  ·  F11 full screen  ·  Ctrl + / Ctrl − text size",
              "Tab tai ↑ ↓ siirtää  ·  Enter valitsee  ·  F11 koko näyttö  ·  Ctrl + / Ctrl − tekstin koko"),
    "hints_short": ("Tab moves  ·  Enter selects", "Tab siirtää  ·  Enter valitsee"),
    "name_first": ("Type your name first, so that your results are recorded as yours.",
                   "Kirjoita ensin nimesi, jotta tuloksesi tallentuvat sinun nimelläsi."),
    "changed_title": ("This scenario has changed", "Skenaario on muuttunut"),
    "changed_body": ("“{title}” was edited after this session began, so the session cannot continue exactly where it "
                     "stopped. Would you like to start it afresh?",
                     "Skenaariota ”{title}” on muokattu istunnon alkamisen jälkeen, joten istuntoa ei voi jatkaa "
                     "täsmälleen siitä, mihin se jäi. Haluatko aloittaa sen alusta?"),
    "start_afresh": ("Start afresh", "Aloita alusta"),
    "cancel": ("Cancel", "Peruuta"),
    "cannot_resume": ("This session cannot be resumed", "Istuntoa ei voi jatkaa"),
    "missing_scenario": ("The scenario file {path} could not be loaded: {problem}",
                         "Skenaariotiedostoa {path} ei voitu ladata: {problem}"),
    "resume_failed": ("The session could not be restored: {reason}", "Istuntoa ei voitu palauttaa: {reason}"),
    "invalid_title": ("This scenario has errors and cannot be played", "Tässä skenaariossa on virheitä, eikä sitä voi pelata"),
})


def _when(value, lang: str) -> str:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if not isinstance(value, datetime):
        return "?"
    if value.tzinfo is not None:
        value = value.astimezone()
    return f"{value.day}.{value.month}. klo {value:%H.%M}" if lang == "fi" else f"{value:%d %b, %H:%M}"


class MenuScene(Scene):
    name = "menu"
    MAX_RESUMABLE = 3

    def __init__(self, app):
        super().__init__(app)
        self.flow = Flow(centre=True)
        self.focus = FocusGroup()
        self.overlay: Overlay | None = None
        self.unfinished: list | None = None  # looked up after the first frame, to keep start-up quick
        self._looking = False
        self._frames = 0
        self.name_field = TextField(app.trainee, max_length=60, on_change=app.set_trainee,
                                    on_submit=lambda: self.focus.move(1))
        self._build()

    def t(self, key: str, **values) -> str:
        return _(key, self.lang, **values)

    # -- building ---------------------------------------------------------------------------------
    def _build(self) -> None:
        lang = self.lang
        self.name_field.placeholder = self.t("name_placeholder")
        self.language = Selector(self.t("language"), [("en", "English"), ("fi", "Suomi")], lang,
                                 on_change=self._set_language)
        self.own_words = Selector(self.t("own_words"), [(False, self.t("off")), (True, self.t("on"))],
                                  self.app.settings.own_words,
                                  on_change=lambda v: self.app.apply_settings(replace(self.app.settings, own_words=v)))
        self.choose = Button(self.t("choose"), self._choose, kind="primary")
        self.resume_buttons, self.discard_buttons = [], []
        for item in (self.unfinished or [])[: self.MAX_RESUMABLE]:
            mode = getattr(item, "mode", "practice")
            label = self.t("resume_item", title=self._title_of(item), who=getattr(item, "trainee", "") or self.t("no_name"),
                           mode=self.t(mode if mode in ("practice", "assessment") else "practice"),
                           answers=self._answers(len(getattr(item, "choices", []) or [])),
                           when=_when(getattr(item, "started", None), lang))
            self.resume_buttons.append(Button(label, (lambda it=item: self.resume(it)), data=item))
            self.discard_buttons.append(Button(self.t("discard"), (lambda it=item: self.discard(it)), data=item))
        resumables = [b for pair in zip(self.resume_buttons, self.discard_buttons) for b in pair]
        self.settings_button = Button(self.t("settings"), lambda: self.app.go("open_settings"))
        self.quit_button = Button(self.t("quit"), self.app.quit)
        widgets = [self.name_field, self.language, self.own_words, self.choose, *resumables, self.settings_button, self.quit_button]
        previous = self.focus.current
        kept = self.language if previous is not None and previous is getattr(self, "_last_language", None) else None
        self._last_language = self.language
        self.focus.set(widgets)
        if kept is not None:
            self.focus.focus(kept)
        elif self.focus.current is None or self.focus.current is self.name_field:
            self.focus.focus(self.name_field if not self.app.trainee else self.choose)
        self.invalidate()

    def _answers(self, count: int) -> str:
        return self.t("answers_one") if count == 1 else self.t("answers_many", n=count)

    def _title_of(self, item) -> str:
        title = getattr(item, "title", None)
        if title:
            return pick(title, self.lang)
        path = getattr(item, "scenario_path", None)
        if path:
            entry = load_entry(path)
            if entry.ok:
                return entry.title(self.lang)
        return getattr(item, "scenario_id", "?")

    def layout(self) -> None:
        ui = self.ui
        margin = self.margin()
        flow = self.flow
        flow.clear()
        flow.space(ui.s(10))
        flow.text("Kuule", "h1" if self.cramped else "title", "accent", align="center", gap=2)
        flow.text(self.t("tagline"), "body", "muted", align="center", gap=28)
        flow.text(self.t("name_label"), "strong", "text", gap=6)
        flow.widget(self.name_field, gap=16)
        flow.widget(self.language, gap=10)
        flow.widget(self.own_words, gap=24)
        flow.widget(self.choose, gap=14)
        if self.resume_buttons:
            flow.text(self.t("continue"), "heading", "text", gap=8)
            for resume, discard in zip(self.resume_buttons, self.discard_buttons):
                flow.widget(resume, gap=4)
                flow.row([discard], gap=10, align="right")
            flow.space(ui.s(8))
        flow.row([self.settings_button, self.quit_button], gap=8)
        column = min(self.width - 2 * margin, max(ui.s(520), 560))
        hints = self.hints_height(self.t("hints"), self.t("hints_short"))
        top = margin // 2
        viewport = pygame.Rect((self.width - column) // 2, top, column, self.height - top - hints - ui.s(4))
        flow.layout(ui, viewport)
        if self.overlay is not None:
            self.overlay._key = None

    # -- behaviour --------------------------------------------------------------------------------
    def enter(self, **kwargs) -> None:
        self.name_field.value = self.app.trainee
        self.name_field.caret = len(self.name_field.value)
        if self.unfinished is not None:
            self.refresh_unfinished()
        self._build()
        try:
            pygame.key.start_text_input()
        except pygame.error:
            pass

    def leave(self) -> None:
        self.app.remember_trainee()

    def refresh_unfinished(self) -> None:
        """Look for unfinished sessions in the background (the log folder may hold many logs)."""
        if self._looking:
            return
        self._looking = True
        records = self.app.records

        def found(items) -> None:
            self._looking = False
            changed = [id(i) for i in items] != [id(i) for i in (self.unfinished or [])]
            self.unfinished = items
            if changed and self.app.screen == "menu":
                self._build()

        def failed(error) -> None:
            self._looking = False
            self.unfinished = []

        self.app.background(records.unfinished, found, failed)

    def _set_language(self, lang: str) -> None:
        self.app.apply_settings(replace(self.app.settings, language=lang))
        self._build()

    def _choose(self) -> None:
        if not self.app.trainee:
            self.app.notify(self.t("name_first"), "info", 5)
            self.focus.focus(self.name_field)
            self.flow.show(self.name_field)
            return
        self.app.go("pick_scenario")

    def resume(self, item) -> None:
        path = getattr(item, "scenario_path", None)
        entry = load_entry(path) if path else None
        if entry is None or not entry.ok:
            problem = entry.problem_message(self.lang) if entry is not None else "?"
            self.overlay = Overlay(self, self.t("cannot_resume"), self.t("missing_scenario", path=path, problem=problem),
                                   tone="error")
            return
        try:
            session = self.app.records.resume(item, entry.scenario)
        except ScenarioChangedError:
            def afresh():
                self.app.records.abandon(item)
                self.app.trainee = getattr(item, "trainee", "") or self.app.trainee
                self.app.start_session(entry.scenario, mode=getattr(item, "mode", None))

            self.overlay = Overlay(self, self.t("changed_title"), self.t("changed_body", title=entry.title(self.lang)),
                                   [(self.t("start_afresh"), afresh), (self.t("cancel"), lambda: None)])
            return
        except ResumeError as error:
            self.overlay = Overlay(self, self.t("cannot_resume"), self.t("resume_failed", reason=error.message(self.lang)), tone="error")
            return
        self.app.trainee = session.trainee or self.app.trainee
        self.app.resume_session(session)

    def discard(self, item) -> None:
        self.app.records.abandon(item)
        self.unfinished = [other for other in (self.unfinished or []) if other is not item]
        self._build()
        self.focus.focus(self.choose)

    def show_invalid(self, entry) -> None:
        """A scenario named on the command line that cannot be played: say why, on the menu."""
        lines = [entry.problem_message(self.lang)] if entry.problem is None else []
        result_lines = []
        if entry.problem is not None:
            from game.scenario.loader import load_scenario

            try:
                result_lines = [d.format(self.lang) for d in load_scenario(entry.path).errors]
            except Exception:
                result_lines = [entry.problem_message(self.lang)]
        self.overlay = Overlay(self, self.t("invalid_title"), [str(entry.path)] + lines + result_lines, tone="error",
                               mono_from=1)

    def handle_event(self, event) -> None:
        if self.overlay is not None:
            self.overlay.handle_event(event, self.ui)
            if self.overlay is not None and self.overlay.closed:
                self.overlay = None
            return
        before = self.focus.current
        if self.focus.handle(event, self.ui):
            if self.focus.current is not before and self.focus.current is not None:
                self.flow.show(self.focus.current)
            return
        self.flow.handle_scroll(event, self.ui)

    def update(self, dt: float) -> None:
        self._frames += 1
        if self.unfinished is None and self._frames >= 2:  # after the first frame is up: start-up stays quick
            self.unfinished = []
            self.refresh_unfinished()

    def draw(self, surface: pygame.Surface) -> None:
        surface.fill(self.ui.theme.background)
        self.flow.draw(surface, self.ui)
        self.hints(surface, self.t("hints"), self.t("hints_short"))
        if self.overlay is not None:
            self.overlay.draw(surface, self.ui)
