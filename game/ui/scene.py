"""What every screen is made of: the Scene base class, page chrome, and a modal overlay.

A scene lays itself out (again) whenever the window size, font scale, theme or
language changes, handles events, advances its animations, and draws. Scenes
never call each other: they ask the app's state machine to move on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pygame

from game.i18n import Catalog
from game.ui.theme import FOCUS_WIDTH, RADIUS
from game.ui.widgets import Button, FocusGroup, Scroller, Ui, layout_row

_ = Catalog({
    "close": ("Close", "Sulje"),
})


class Scene:
    name = "scene"

    def __init__(self, app):
        self.app = app
        self._layout_key = None
        self.layouts = 0  # how often laid out: a frame after a new layout is drawn whole

    @property
    def ui(self) -> Ui:
        return self.app.ui

    @property
    def lang(self) -> str:
        return self.app.ui.lang

    @property
    def width(self) -> int:
        return self.app.size[0]

    @property
    def height(self) -> int:
        return self.app.size[1]

    def enter(self, **kwargs) -> None:
        pass

    def leave(self) -> None:
        pass

    def ensure_layout(self) -> bool:
        """Lay the scene out again if anything it depends on changed; True if it did."""
        notice = self._notice()
        key = (self.app.layout_version, self.app.size, notice["text"] if notice else None)
        if key != self._layout_key:
            self._layout_key = key
            self.layout()
            self.layouts += 1
            return True
        return False

    def invalidate(self) -> None:
        self._layout_key = None

    def layout(self) -> None:
        pass

    def handle_event(self, event) -> None:
        pass

    def update(self, dt: float) -> None:
        pass

    def draw(self, surface: pygame.Surface) -> None:
        pass

    def draw_moving(self, surface: pygame.Surface, probe: bool = False) -> bool:
        """Redraw only what moves by itself since the last frame, over the last frame.

        With `probe`, draw nothing and say whether this is possible now; scenes that cannot say False
        (the default) and are always drawn whole.
        """
        return False

    # -- common chrome ----------------------------------------------------------------------------
    def margin(self) -> int:
        return max(12, min(self.ui.s(40), self.width // 24))

    @property
    def cramped(self) -> bool:
        """Little room for the text size (a small window, or large text): chrome shrinks, more scrolls."""
        return self.height < self.ui.s(480)

    def _title_roles(self) -> tuple[str, str]:
        return ("heading", "small") if self.cramped else ("h1", "body")

    def header(self, surface: pygame.Surface, title: str, subtitle: str | None = None, left: int | None = None,
               width: int | None = None) -> int:
        """A page title (and a line under it), over the given column; returns the y below it."""
        ui, theme = self.ui, self.ui.theme
        margin = self.margin()
        left = margin if left is None else left
        width = self.width - 2 * margin if width is None else width
        title_role, sub_role = self._title_roles()
        y = margin * 3 // 4 if not self.cramped else margin // 2
        y += ui.text.draw(surface, title, title_role, theme.text, left, y, width)
        if subtitle:
            y += ui.s(2) + ui.text.draw(surface, subtitle, sub_role, theme.muted, left, y + ui.s(2), width)
        return y + ui.s(12)

    def header_height(self, title: str, subtitle: str | None = None, width: int | None = None) -> int:
        ui = self.ui
        width = self.width - 2 * self.margin() if width is None else width
        title_role, sub_role = self._title_roles()
        height = (self.margin() * 3 // 4 if not self.cramped else self.margin() // 2) + ui.text.height(title, title_role, width)
        if subtitle:
            height += ui.s(2) + ui.text.height(subtitle, sub_role, width)
        return height + ui.s(12)

    def _hint_line(self, text: str, short: str | None = None) -> str | None:
        """The hints if they fit on one line; else the short form if that fits; else none."""
        width = self.width - 2 * self.margin()
        for candidate in (text, short):
            if candidate and len(self.ui.text.lines(candidate, "small", width)) == 1:
                return candidate
        return None

    def _notice(self) -> dict | None:
        notice = getattr(self.app, "notice", None)
        return notice() if callable(notice) else None

    def _notice_role(self, notice: dict) -> str:
        """A long notice (an error with a path in it) in smaller type, so it takes little of the screen."""
        width = self.width - 2 * self.margin() - 2 * self.ui.s(12)
        return "body" if len(self.ui.text.lines(notice["text"], "body", width)) <= 2 else "small"

    def _notice_height(self, notice: dict) -> int:
        ui = self.ui
        width = self.width - 2 * self.margin()
        return ui.text.height(notice["text"], self._notice_role(notice), width - 2 * ui.s(12)) + 2 * ui.s(10) + ui.s(8)

    def _draw_notice(self, surface: pygame.Surface, notice: dict) -> int:
        """A notice in the strip the hints keep free at the bottom: it never covers what the scene shows."""
        ui, theme = self.ui, self.ui.theme
        margin = self.margin()
        height = self._notice_height(notice)
        rect = pygame.Rect(margin, self.height - height + ui.s(2), self.width - 2 * margin, height - ui.s(6))
        error = notice["tone"] == "error"
        pygame.draw.rect(surface, theme.warn_bg if error else theme.coach_bg, rect, border_radius=RADIUS)
        pygame.draw.rect(surface, theme.bad if error else theme.accent, rect, 2, border_radius=RADIUS)
        ui.text.draw(surface, notice["text"], self._notice_role(notice), theme.text, rect.x + ui.s(12), rect.y + ui.s(8),
                     rect.width - 2 * ui.s(12))
        self.app.notice_drawn = True
        return height

    def hints(self, surface: pygame.Surface, text: str, short: str | None = None) -> int:
        """Keyboard hints along the bottom edge, on one line (or not at all), or the notice showing in their
        place; returns their height."""
        ui, theme = self.ui, self.ui.theme
        notice = self._notice()
        if notice is not None:
            return self._draw_notice(surface, notice)
        line = self._hint_line(text, short)
        if line is None:
            return 0
        margin = self.margin()
        height = ui.fonts.line_height("small")
        y = self.height - height - ui.s(8)
        pygame.draw.line(surface, theme.panel_alt, (0, y - ui.s(6)), (self.width, y - ui.s(6)))
        ui.text.draw(surface, line, "small", theme.muted, margin, y, self.width - 2 * margin, align="center")
        return height + ui.s(14)

    def hints_height(self, text: str, short: str | None = None, notice: bool = True) -> int:
        notice = self._notice() if notice else None
        if notice is not None:
            return self._notice_height(notice)
        if self._hint_line(text, short) is None:
            return self.ui.s(6)
        return self.ui.fonts.line_height("small") + self.ui.s(14)


def panel(surface: pygame.Surface, ui: Ui, rect: pygame.Rect, colour=None, border: bool = True) -> None:
    pygame.draw.rect(surface, colour or ui.theme.panel, rect, border_radius=RADIUS)
    if border:
        pygame.draw.rect(surface, ui.theme.border if ui.theme.name == "high_contrast" else ui.theme.panel_alt, rect, 1,
                         border_radius=RADIUS)


def shade(surface: pygame.Surface, ui: Ui) -> None:
    veil = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
    veil.fill(ui.theme.shade)
    surface.blit(veil, (0, 0))


class Overlay:
    """A modal panel over a scene: a title, scrollable text, and buttons (Esc presses the last one)."""

    def __init__(self, ui_owner: Scene, title: str, body: Sequence[str] | str,
                 buttons: Sequence[tuple[str, Callable[[], None]]] = (), tone: str = "info",
                 mono_from: int | None = None):
        self.scene = ui_owner
        self.title = title
        self.body = [body] if isinstance(body, str) else list(body)
        self.tone = tone
        self.mono_from = mono_from
        if not buttons:
            buttons = [(_("close", ui_owner.lang), lambda: None)]
        self.buttons = [Button(label, self._press(action), kind="primary" if i == 0 else "secondary")
                        for i, (label, action) in enumerate(buttons)]
        self.focus = FocusGroup(self.buttons, arrows=False)
        self.scroller = Scroller()
        self.closed = False
        self.rect = pygame.Rect(0, 0, 0, 0)
        self._key = None
        self._body_rect = pygame.Rect(0, 0, 0, 0)

    def _press(self, action):
        def press():
            self.closed = True
            action()
        return press

    def _layout(self, size, ui: Ui):
        key = (size, ui.fonts.scale, ui.theme.name)
        if key == self._key:
            return
        self._key = key
        width = min(size[0] - 2 * ui.s(12), max(ui.s(520), size[0] * 2 // 3))
        width = max(120, width)
        pad = ui.s(20)
        inner = width - 2 * pad
        title_height = ui.text.height(self.title, "heading", inner)
        body_height = sum(ui.text.height(text, self._role(index), inner - ui.s(10)) + ui.s(8)
                          for index, text in enumerate(self.body))
        buttons_probe = layout_row(ui, self.buttons, pygame.Rect(0, 0, inner, 0))
        max_height = size[1] - 2 * ui.s(12)
        body_view = max(ui.fonts.line_height("body"), min(body_height, max_height - title_height - buttons_probe - 4 * pad))
        height = min(max_height, title_height + body_view + buttons_probe + 3 * pad + ui.s(8))
        self.rect = pygame.Rect(0, 0, width, max(60, height))
        self.rect.center = (size[0] // 2, size[1] // 2)
        self._body_rect = pygame.Rect(self.rect.x + pad, self.rect.y + pad + title_height + ui.s(12), inner, body_view)
        self.scroller.set(self._body_rect, body_height)
        layout_row(ui, self.buttons, pygame.Rect(self.rect.x + pad, self.rect.bottom - pad - buttons_probe, inner, 0))

    def _role(self, index: int) -> str:
        return "small" if self.mono_from is not None and index >= self.mono_from else "body"

    def handle_event(self, event, ui: Ui) -> bool:
        """Every event goes to the overlay while it is open."""
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.buttons[-1].activate()
            return True
        if self.focus.handle(event, ui):
            return True
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_DOWN, pygame.K_UP):
            self.scroller.scroll(ui.fonts.line_height("body") * (2 if event.key == pygame.K_DOWN else -2))
            return True
        self.scroller.handle(event, ui)
        return True

    def draw(self, surface: pygame.Surface, ui: Ui) -> None:
        self._layout(surface.get_size(), ui)
        shade(surface, ui)
        theme = ui.theme
        colour = theme.warn_bg if self.tone == "error" else theme.panel
        panel(surface, ui, self.rect, colour)
        if self.tone == "error":
            pygame.draw.rect(surface, theme.bad, (self.rect.x, self.rect.y + RADIUS, ui.s(5), self.rect.height - 2 * RADIUS))
        pad = ui.s(20)
        ui.text.draw(surface, self.title, "heading", theme.text, self.rect.x + pad, self.rect.y + pad,
                     self.rect.width - 2 * pad)
        clip = surface.get_clip()
        surface.set_clip(self._body_rect)
        y = self._body_rect.y - self.scroller.offset
        for index, text in enumerate(self.body):
            y += ui.text.draw(surface, text, self._role(index), theme.text, self._body_rect.x, y, self._body_rect.width - ui.s(10))
            y += ui.s(8)
        surface.set_clip(clip)
        self.scroller.draw_bar(surface, ui)
        self.focus.draw(surface, ui)


class Flow:
    """A scrollable column of blocks — text, widgets, or anything that can measure and draw itself.

    Blocks are laid out top to bottom in content coordinates; drawing shifts
    them by the scroll offset, and widgets are moved to where they show (with
    the viewport as their clip, so nothing scrolled away can be clicked).
    """

    def __init__(self, centre: bool = False):
        self.blocks: list[dict] = []
        self.scroller = Scroller()
        self.viewport = pygame.Rect(0, 0, 0, 0)
        self.centre = centre  # centre the content vertically when it is shorter than the viewport
        self.shift = 0

    def clear(self) -> None:
        self.blocks = []

    def text(self, text: str, role: str = "body", colour: str = "text", align: str = "left", gap: int = 8,
             indent: int = 0) -> None:
        self.blocks.append({"kind": "text", "text": text, "role": role, "colour": colour, "align": align, "gap": gap,
                            "indent": indent})

    def widget(self, widget, gap: int = 8, width: int | None = None, indent: int = 0) -> None:
        self.blocks.append({"kind": "widget", "widget": widget, "gap": gap, "width": width, "indent": indent})

    def row(self, widgets, gap: int = 8, align: str = "center") -> None:
        self.blocks.append({"kind": "row", "widgets": list(widgets), "gap": gap, "align": align})

    def custom(self, measure: Callable[[int], int], draw: Callable[[pygame.Surface, int, int, int], None],
               gap: int = 8) -> None:
        self.blocks.append({"kind": "custom", "measure": measure, "draw": draw, "gap": gap})

    def space(self, height: int) -> None:
        self.blocks.append({"kind": "space", "height": height, "gap": 0})

    INSET = FOCUS_WIDTH + 4  # room for focus rings inside the clip

    def _width(self, ui: Ui) -> int:
        return max(40, self.viewport.width - ui.s(14) - 2 * self.INSET)

    def layout(self, ui: Ui, viewport: pygame.Rect, keep_offset: bool = True) -> None:
        self.viewport = pygame.Rect(viewport)
        width = self._width(ui)
        left = viewport.x + self.INSET
        y = self.INSET
        for block in self.blocks:
            kind = block["kind"]
            indent = block.get("indent", 0)
            inner = max(20, width - indent)
            if kind == "text":
                height = ui.text.height(block["text"], block["role"], inner)
            elif kind == "widget":
                w = min(inner, block["width"] or inner)
                height = block["widget"].measure(ui, w)
                block["base"] = pygame.Rect(left + indent + (inner - w) // 2 if block["width"] else
                                            left + indent, y, w, height)
            elif kind == "row":
                height = layout_row(ui, block["widgets"], pygame.Rect(left, y, width, 0), align=block["align"])
                block["bases"] = [pygame.Rect(w.rect) for w in block["widgets"]]
            elif kind == "custom":
                height = block["measure"](width)
            else:
                height = block["height"]
            block["y"], block["h"] = y, height
            y += height + ui.s(block["gap"])
        offset = self.scroller.offset if keep_offset else 0
        total = y + self.INSET
        self.shift = max(0, (viewport.height - total) // 2) if self.centre else 0
        self.scroller.set(viewport, total)
        self.scroller.offset = min(offset, self.scroller.max_offset)
        self.place()

    def place(self) -> None:
        dy = self.viewport.y - self.scroller.offset + self.shift
        for block in self.blocks:
            if block["kind"] == "widget":
                block["widget"].rect = block["base"].move(0, dy)
                block["widget"].clip = self.viewport
            elif block["kind"] == "row":
                for widget, base in zip(block["widgets"], block["bases"]):
                    widget.rect = base.move(0, dy)
                    widget.clip = self.viewport

    def show(self, widget) -> None:
        for block in self.blocks:
            widgets = [block["widget"]] if block["kind"] == "widget" else block.get("widgets", [])
            if widget in widgets:
                self.scroller.show(block["y"], block["y"] + block["h"])
                self.place()
                return

    def scroll(self, delta: int) -> None:
        if self.scroller.scroll(delta):
            self.place()

    def handle_scroll(self, event, ui: Ui, keys: bool = True) -> bool:
        before = self.scroller.offset
        used = self.scroller.handle(event, ui, keys)
        if self.scroller.offset != before:
            self.place()
        return used

    def draw(self, surface: pygame.Surface, ui: Ui) -> None:
        clip = surface.get_clip()
        surface.set_clip(self.viewport.clip(clip) if clip else self.viewport)
        top = self.viewport.y - self.scroller.offset + self.shift
        width = self._width(ui)
        left = self.viewport.x + self.INSET
        for block in self.blocks:
            y = top + block["y"]
            if y > self.viewport.bottom or y + block["h"] < self.viewport.y:
                continue
            kind = block["kind"]
            indent = block.get("indent", 0)
            if kind == "text":
                colour = getattr(ui.theme, block["colour"])
                ui.text.draw(surface, block["text"], block["role"], colour, left + indent, y,
                             max(20, width - indent), align=block["align"])
            elif kind == "widget":
                block["widget"].draw(surface, ui)
            elif kind == "row":
                for widget in block["widgets"]:
                    widget.draw(surface, ui)
            elif kind == "custom":
                block["draw"](surface, left, y, width)
        surface.set_clip(clip)
        self.scroller.draw_bar(surface, ui)
