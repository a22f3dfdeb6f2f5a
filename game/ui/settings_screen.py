"""The settings screen: text speed, text size, contrast, full screen, language. Saved as soon as changed."""

from __future__ import annotations

from dataclasses import replace

import pygame

from game.i18n import Catalog
from game.ui.scene import Flow, Scene, panel
from game.ui.settings import FONT_SCALES, TEXT_SPEEDS
from game.ui.widgets import Button, FocusGroup, Selector

_ = Catalog({
    "title": ("Settings", "Asetukset"),
    "saved_to": ("Changes are saved at once, to {path}.", "Muutokset tallentuvat heti tiedostoon {path}."),
    "text_speed": ("Text speed", "Tekstin nopeus"),
    "slow": ("Slow", "Hidas"),
    "normal": ("Normal", "Normaali"),
    "fast": ("Fast", "Nopea"),
    "instant": ("Instant", "Heti"),
    "font_scale": ("Text size", "Tekstin koko"),
    "high_contrast": ("High contrast", "Suuri kontrasti"),
    "fullscreen": ("Full screen (F11)", "Koko näyttö (F11)"),
    "language": ("Language", "Kieli"),
    "mood_hint": ("Mood hint in practice (M)", "Mielialavihje harjoittelussa (M)"),
    "trainer_tools": ("Trainer tools (F5 reloads the scenario; play from a node)",
                      "Kouluttajan työkalut (F5 lataa skenaarion uudelleen; pelaa solmusta)"),
    "own_words": ("Say it in your own words first", "Sano ensin omin sanoin"),
    "on": ("On", "Päällä"),
    "off": ("Off", "Pois"),
    "preview": ("Preview", "Esikatselu"),
    "sample": ("“I only wanted to return this kettle. Nobody told me the receipt would be this small.”",
               "”Halusin vain palauttaa tämän vedenkeittimen. Kukaan ei kertonut, että kuitin teksti on näin pientä.”"),
    "back": ("Back", "Takaisin"),
    "hints_short": ("← → changes  ·  Esc back", "← → muuttaa  ·  Esc palaa"),
    "hints": ("↑ ↓ moves  ·  ← → changes  ·  Esc goes back", "↑ ↓ siirtää  ·  ← → muuttaa  ·  Esc palaa"),
})


class SettingsScene(Scene):
    name = "settings"

    def __init__(self, app):
        super().__init__(app)
        self.flow = Flow()
        self.focus = FocusGroup()
        self._build()

    def t(self, key: str, **values) -> str:
        return _(key, self.lang, **values)

    def _build(self) -> None:
        settings = self.app.settings
        t = self.t
        on_off = [(False, t("off")), (True, t("on"))]
        self.speed = Selector(t("text_speed"), [(s, t(s)) for s in TEXT_SPEEDS], settings.text_speed,
                              lambda v: self._set(text_speed=v))
        self.scale = Selector(t("font_scale"), [(s, f"{s} %") for s in FONT_SCALES], settings.font_scale,
                              lambda v: self._set(font_scale=v))
        self.contrast = Selector(t("high_contrast"), on_off, settings.high_contrast, lambda v: self._set(high_contrast=v))
        self.fullscreen = Selector(t("fullscreen"), on_off, self.app.fullscreen, lambda v: self._set(fullscreen=v))
        self.language = Selector(t("language"), [("en", "English"), ("fi", "Suomi")], self.lang,
                                 lambda v: self._set(language=v))
        self.mood_hint = Selector(t("mood_hint"), on_off, settings.mood_hint, lambda v: self._set(mood_hint=v))
        self.trainer_tools = Selector(t("trainer_tools"), on_off, settings.trainer_tools,
                                      lambda v: self._set(trainer_tools=v))
        self.own_words = Selector(t("own_words"), on_off, settings.own_words, lambda v: self._set(own_words=v))
        self.back = Button(t("back"), lambda: self.app.go("back"), kind="primary")
        current = self.focus.current
        order = [self.speed, self.scale, self.contrast, self.fullscreen, self.language, self.own_words,
                 self.mood_hint, self.trainer_tools, self.back]
        index = self.focus.widgets.index(current) if current in self.focus.widgets else 0
        self.focus.set(order, keep=False)
        self.focus.focus(order[min(index, len(order) - 1)])
        self.invalidate()

    def _set(self, **changes) -> None:
        self.app.apply_settings(replace(self.app.settings, **changes))
        self._build()

    def enter(self, **kwargs) -> None:
        self._build()
        self.focus.focus(self.speed)

    def layout(self) -> None:
        ui = self.ui
        flow = self.flow
        flow.clear()
        for widget in (self.speed, self.scale, self.contrast, self.fullscreen, self.language, self.own_words,
                       self.mood_hint, self.trainer_tools):
            flow.widget(widget, gap=10)
        flow.space(ui.s(8))
        flow.text(self.t("preview"), "small_bold", "muted", gap=4)
        flow.custom(self._measure_preview, self._draw_preview, gap=14)
        flow.text(self.t("saved_to", path=str(self.app.settings_file)), "small", "muted", gap=14)
        flow.row([self.back])
        margin = self.margin()
        column = min(self.width - 2 * margin, max(ui.s(620), 640))
        self.column = pygame.Rect((self.width - column) // 2, 0, column, 0)
        top = self.header_height(self.t("title"), None, column)
        bottom = self.height - self.hints_height(self.t("hints"), self.t("hints_short"))
        flow.layout(ui, pygame.Rect(self.column.x, top, column, max(40, bottom - top)))

    def _measure_preview(self, width: int) -> int:
        return self.ui.text.height(self.t("sample"), "line", width - 2 * self.ui.s(16)) + 2 * self.ui.s(14)

    def _draw_preview(self, surface, x: int, y: int, width: int) -> None:
        ui = self.ui
        rect = pygame.Rect(x, y, width, self._measure_preview(width))
        panel(surface, ui, rect)
        ui.text.draw(surface, self.t("sample"), "line", ui.theme.text, x + ui.s(16), y + ui.s(14), width - 2 * ui.s(16))

    def handle_event(self, event) -> None:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.app.go("back")
            return
        before = self.focus.current
        if self.focus.handle(event, self.ui):
            if self.focus.current is not before and self.focus.current is not None:
                self.flow.show(self.focus.current)
            return
        self.flow.handle_scroll(event, self.ui)

    def draw(self, surface: pygame.Surface) -> None:
        surface.fill(self.ui.theme.background)
        self.header(surface, self.t("title"), None, self.column.x + Flow.INSET, self.column.width)
        self.flow.draw(surface, self.ui)
        self.hints(surface, self.t("hints"), self.t("hints_short"))
