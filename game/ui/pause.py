"""The pause screen over the conversation: resume, settings, or quit to the menu.

Quitting keeps the session log as unfinished, so the menu offers to resume it.
"""

from __future__ import annotations

import pygame

from game.i18n import Catalog
from game.ui.scene import Flow, Scene, panel, shade
from game.ui.widgets import Button, FocusGroup

_ = Catalog({
    "paused": ("Paused", "Tauko"),
    "note": ("The customer waits. Your answers so far are kept; if you quit, you can resume from the menu.",
             "Asiakas odottaa. Tähänastiset vastauksesi säilyvät; jos lopetat, voit jatkaa valikosta."),
    "note_unlogged": ("The customer waits. This practice from a node is not logged: if you quit, it is gone.",
                      "Asiakas odottaa. Tätä solmusta aloitettua harjoitusta ei kirjata: jos lopetat, se katoaa."),
    "resume": ("Resume", "Jatka"),
    "history": ("The conversation so far", "Keskustelu tähän mennessä"),
    "take_back": ("Take back your last answer", "Peru viimeisin vastauksesi"),
    "settings": ("Settings", "Asetukset"),
    "quit": ("Quit to the menu", "Lopeta ja palaa valikkoon"),
})


class PauseScene(Scene):
    name = "pause"

    def __init__(self, app):
        super().__init__(app)
        self.flow = Flow()
        self.resume = Button("", lambda: self.app.go("resume"), kind="primary")
        self.history = Button("", self._history)
        self.take_back = Button("", self._take_back)
        self.settings = Button("", lambda: self.app.go("open_settings"))
        self.quit = Button("", self.quit_to_menu)
        self.buttons = [self.resume, self.history, self.settings, self.quit]
        self.focus = FocusGroup(self.buttons)
        self.rect = pygame.Rect(0, 0, 0, 0)

    def t(self, key: str) -> str:
        return _(key, self.lang)

    def enter(self, **kwargs) -> None:
        play = self.app.scene("play")
        practice = play.session is not None and play.mode == "practice"
        self.take_back.enabled = practice and play.conversation.can_rollback and not play.conversation.ended
        self.buttons = [self.resume, self.history] + ([self.take_back] if practice else []) + [self.settings, self.quit]
        self.focus.set(self.buttons, keep=False)
        self.focus.focus(self.resume)
        self.invalidate()

    def _history(self) -> None:
        self.app.go("resume")
        self.app.scene("play").open_history()

    def _take_back(self) -> None:
        self.app.go("resume")
        self.app.scene("play").take_back()

    def quit_to_menu(self) -> None:
        self.app.end_session()
        self.app.go("to_menu")

    def layout(self) -> None:
        ui = self.ui
        self.resume.label, self.settings.label, self.quit.label = self.t("resume"), self.t("settings"), self.t("quit")
        self.history.label, self.take_back.label = self.t("history"), self.t("take_back")
        flow = self.flow
        flow.clear()
        flow.text(self.t("paused"), "h1", "text", align="center", gap=8)
        session = self.app.scene("play").session
        unlogged = session is not None and session.start_point is not None
        flow.text(self.t("note_unlogged" if unlogged else "note"), "body", "muted", align="center", gap=20)
        for button in self.buttons:
            flow.widget(button, gap=10)
        width = min(self.width - 2 * ui.s(12), max(ui.s(440), 480))
        pad = ui.s(24)
        probe = pygame.Rect(0, 0, width - 2 * pad, 10_000)
        flow.layout(ui, probe)
        height = min(self.height - 2 * ui.s(12), flow.scroller.content_height + 2 * pad)
        self.rect = pygame.Rect((self.width - width) // 2, (self.height - height) // 2, width, height)
        flow.layout(ui, self.rect.inflate(-2 * pad, -2 * pad))

    def handle_event(self, event) -> None:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.app.go("resume")
            return
        before = self.focus.current
        if self.focus.handle(event, self.ui):
            if self.focus.current is not before and self.focus.current is not None:
                self.flow.show(self.focus.current)
            return
        self.flow.handle_scroll(event, self.ui)

    def draw(self, surface: pygame.Surface) -> None:
        play = self.app.scene("play")
        play.ensure_layout()
        play.draw(surface)
        shade(surface, self.ui)
        panel(surface, self.ui, self.rect)
        self.flow.draw(surface, self.ui)
