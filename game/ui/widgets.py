"""Widgets every scene uses: buttons, a text field, option selectors, focus and scrolling.

Everything works by keyboard alone: Tab / Shift+Tab (and the arrow keys where a
scene allows) move the focus, Enter or Space presses, Left/Right change an
option. The focused widget always shows a ring. Widgets know their rectangle in
window coordinates; a scene lays them out and may move them when it scrolls,
giving them a `clip` so the mouse cannot press what is scrolled out of view.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pygame

from game.ui.text import Fonts, TextCache
from game.ui.theme import FOCUS_WIDTH, RADIUS, Theme

ACTIVATE_KEYS = (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE)


class Ui:
    """What drawing needs: theme, fonts, cached text, language, scale."""

    def __init__(self, theme: Theme, fonts: Fonts, lang: str):
        self.theme = theme
        self.fonts = fonts
        self.text = TextCache(fonts)
        self.lang = lang
        self.time = 0.0  # seconds since start, for caret blinks and idle motion

    @property
    def scale(self) -> float:
        return self.fonts.scale

    def s(self, value: float) -> int:
        """A spacing that grows with the text."""
        return int(round(value * self.fonts.scale))

    def set_fonts(self, fonts: Fonts) -> None:
        self.fonts = fonts
        self.text.clear(fonts)


def focus_ring(surface: pygame.Surface, ui: Ui, rect: pygame.Rect, radius: int = RADIUS) -> None:
    ring = rect.inflate(2 * (FOCUS_WIDTH + 2), 2 * (FOCUS_WIDTH + 2))
    pygame.draw.rect(surface, ui.theme.focus, ring, FOCUS_WIDTH, border_radius=radius + FOCUS_WIDTH)


class Widget:
    focusable = True

    def __init__(self):
        self.rect = pygame.Rect(0, 0, 0, 0)
        self.clip: pygame.Rect | None = None
        self.enabled = True
        self.focused = False
        self.hovered = False
        self.visible = True

    def hit(self, pos) -> bool:
        if not self.visible or not self.rect.collidepoint(pos):
            return False
        return self.clip is None or self.clip.collidepoint(pos)

    def measure(self, ui: Ui, width: int) -> int:
        return self.rect.height

    def handle(self, event, ui: Ui) -> bool:
        return False

    def activate(self) -> bool:
        return False

    def draw(self, surface: pygame.Surface, ui: Ui) -> None:
        pass


class Button(Widget):
    """A push button. Kinds: 'primary', 'secondary', 'tool' (small, for toolbars), 'choice' (a dialogue
    answer: left-aligned, numbered)."""

    def __init__(self, label: str, on_press: Callable[[], None] | None = None, kind: str = "secondary",
                 badge: str | None = None, note: str | None = None, enabled: bool = True, key_hint: str | None = None,
                 data=None):
        super().__init__()
        self.label, self.on_press, self.kind = label, on_press, kind
        self.badge, self.note, self.enabled, self.key_hint, self.data = badge, note, enabled, key_hint, data
        self._pressed = False

    # -- geometry ---------------------------------------------------------------------------------
    def _pad(self, ui: Ui) -> tuple[int, int]:
        if self.kind == "tool":
            return ui.s(12), ui.s(6)
        return (ui.s(16), ui.s(10)) if self.kind != "choice" else (ui.s(14), ui.s(11))

    def _badge_width(self, ui: Ui) -> int:
        return ui.fonts.line_height("strong") + ui.s(10) if self.badge else 0

    def text_width(self, ui: Ui, width: int) -> int:
        pad_x, _ = self._pad(ui)
        return max(20, width - 2 * pad_x - self._badge_width(ui))

    def natural_width(self, ui: Ui) -> int:
        pad_x, _ = self._pad(ui)
        width = ui.text.size(self.label, self._role())[0]
        if self.key_hint:
            width += ui.text.size("  " + self.key_hint, "small")[0]
        return width + 2 * pad_x + self._badge_width(ui)

    def _role(self) -> str:
        return "strong" if self.kind == "primary" else "small" if self.kind == "tool" else "body"

    def measure(self, ui: Ui, width: int) -> int:
        pad_x, pad_y = self._pad(ui)
        inner = self.text_width(ui, width)
        height = ui.text.height(self.label, self._role(), inner)
        if self.note:
            height += ui.text.height(self.note, "small_italic", inner)
        badge = self._badge_width(ui)
        return max(height, badge - ui.s(4)) + 2 * pad_y

    # -- behaviour --------------------------------------------------------------------------------
    def activate(self) -> bool:
        if not self.enabled or not self.visible:
            return False
        if self.on_press:
            self.on_press()
        return True

    def handle(self, event, ui: Ui) -> bool:
        if event.type == pygame.MOUSEMOTION:
            self.hovered = self.hit(event.pos)
            return False
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and self.hit(event.pos):
            self._pressed = True
            return True
        if event.type == pygame.MOUSEBUTTONUP and event.button == 1:
            was_pressed, self._pressed = self._pressed, False
            if was_pressed and self.hit(event.pos):
                self.activate()
                return True
        return False

    # -- drawing ----------------------------------------------------------------------------------
    def colours(self, ui: Ui):
        theme = ui.theme
        if not self.enabled:
            return theme.disabled, theme.on_disabled, theme.disabled
        if self.kind == "primary":
            return theme.accent, theme.on_accent, theme.accent
        if self.kind == "choice":
            back = theme.panel_alt if self.hovered or self.focused else theme.panel
            return back, theme.text, theme.accent if (self.hovered or self.focused) else theme.border
        return (theme.hover if self.hovered else theme.button), theme.on_button, theme.border

    def draw(self, surface: pygame.Surface, ui: Ui) -> None:
        if not self.visible or self.rect.width <= 0:
            return
        back, fore, edge = self.colours(ui)
        rect = self.rect
        pygame.draw.rect(surface, back, rect, border_radius=RADIUS)
        if self.kind == "choice" or (self.kind == "secondary" and ui.theme.name == "high_contrast"):
            pygame.draw.rect(surface, edge, rect, 2 if self.focused else 1, border_radius=RADIUS)
        pad_x, pad_y = self._pad(ui)
        x = rect.x + pad_x
        if self.badge:
            size = ui.fonts.line_height("strong")
            centre = (x + size // 2, rect.y + pad_y + size // 2)
            badge_colour = ui.theme.accent if self.enabled else ui.theme.on_disabled
            badge_text = ui.theme.on_accent if self.enabled else ui.theme.disabled
            pygame.draw.circle(surface, badge_colour, centre, size // 2 + ui.s(1))
            key = (self.badge, tuple(badge_text), ui.fonts.scale)
            if getattr(self, "_badge", (None,))[0] != key:
                glyphs = ui.fonts("strong").render(self.badge, True, badge_text)
                self._badge = (key, glyphs, glyphs.get_bounding_rect().center)
            _key, glyphs, middle = self._badge
            surface.blit(glyphs, (centre[0] - middle[0], centre[1] - middle[1]))
            x += self._badge_width(ui)
        inner = self.text_width(ui, rect.width)
        role = self._role()
        height = ui.text.height(self.label, role, inner)
        if self.note:
            height += ui.text.height(self.note, "small_italic", inner)
        y = rect.y + max(pad_y, (rect.height - height) // 2)
        align = "left" if self.kind == "choice" else "center"
        if self.kind != "choice" and self.key_hint:
            hint = ui.text.paragraph("  " + self.key_hint, "small", fore)
            label = ui.text.paragraph(self.label, role, fore, inner)
            total = label.width + hint.width
            if total <= inner and len(label.lines) == 1:
                left = x + (inner - total) // 2
                label.draw(surface, left, y)
                hint.draw(surface, left + label.width, y + (label.height - hint.height) // 2 + ui.s(1))
                self._ring(surface, ui)
                return
        used = ui.text.draw(surface, self.label, role, fore, x, y, inner, align=align)
        if self.note:
            ui.text.draw(surface, self.note, "small_italic", fore, x, y + used, inner, align=align)
        self._ring(surface, ui)

    def _ring(self, surface, ui):
        if self.focused:
            focus_ring(surface, ui, self.rect)


class TextField(Widget):
    """One line of text typed by the player (TEXTINPUT events, so ä, ö, å and dead keys work)."""

    def __init__(self, value: str = "", placeholder: str = "", max_length: int = 40,
                 on_change: Callable[[str], None] | None = None, on_submit: Callable[[], None] | None = None):
        super().__init__()
        self.value = value[:max_length]
        self.placeholder = placeholder
        self.max_length = max_length
        self.caret = len(self.value)
        self.on_change, self.on_submit = on_change, on_submit

    def measure(self, ui: Ui, width: int) -> int:
        return ui.fonts.line_height("body") + ui.s(20)

    def _changed(self):
        if self.on_change:
            self.on_change(self.value)

    def insert(self, text: str) -> None:
        text = "".join(ch for ch in text if ch.isprintable() and ch not in "\r\n\t")
        room = self.max_length - len(self.value)
        if room <= 0 or not text:
            return
        text = text[:room]
        self.value = self.value[:self.caret] + text + self.value[self.caret:]
        self.caret += len(text)
        self._changed()

    def handle(self, event, ui: Ui) -> bool:
        if event.type == pygame.MOUSEMOTION:
            self.hovered = self.hit(event.pos)
            return False
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and self.hit(event.pos):
            return True
        if not self.focused:
            return False
        if event.type == pygame.TEXTINPUT:
            self.insert(event.text)
            return True
        if event.type == pygame.KEYDOWN:
            key = event.key
            if key == pygame.K_BACKSPACE:
                if self.caret > 0:
                    self.value = self.value[:self.caret - 1] + self.value[self.caret:]
                    self.caret -= 1
                    self._changed()
                return True
            if key == pygame.K_DELETE:
                if self.caret < len(self.value):
                    self.value = self.value[:self.caret] + self.value[self.caret + 1:]
                    self._changed()
                return True
            if key == pygame.K_LEFT:
                self.caret = max(0, self.caret - 1)
                return True
            if key == pygame.K_RIGHT:
                self.caret = min(len(self.value), self.caret + 1)
                return True
            if key == pygame.K_HOME:
                self.caret = 0
                return True
            if key == pygame.K_END:
                self.caret = len(self.value)
                return True
            if key in (pygame.K_RETURN, pygame.K_KP_ENTER):
                if self.on_submit:
                    self.on_submit()
                return True
            # printable keys arrive as TEXTINPUT; swallow their KEYDOWN so scenes' shortcuts do not fire
            if event.unicode and event.unicode.isprintable() and not (event.mod & (pygame.KMOD_CTRL | pygame.KMOD_ALT)):
                return True
        return False

    def draw(self, surface: pygame.Surface, ui: Ui) -> None:
        theme = ui.theme
        pygame.draw.rect(surface, theme.panel, self.rect, border_radius=RADIUS // 2)
        pygame.draw.rect(surface, theme.accent if self.focused else theme.border, self.rect, 2 if self.focused else 1,
                         border_radius=RADIUS // 2)
        pad = ui.s(12)
        inner = self.rect.width - 2 * pad
        y = self.rect.y + (self.rect.height - ui.fonts.line_height("body")) // 2
        clip = surface.get_clip()
        surface.set_clip(self.rect.inflate(-4, -4).clip(clip) if clip else self.rect.inflate(-4, -4))
        if self.value:
            before = ui.text.size(self.value[:self.caret], "body")[0]
            shift = max(0, before - inner + ui.s(4))
            ui.text.draw(surface, self.value, "body", theme.text, self.rect.x + pad - shift, y)
        else:
            before, shift = 0, 0
            ui.text.draw(surface, self.placeholder, "italic", theme.muted, self.rect.x + pad, y)
        surface.set_clip(clip)
        if self.focused and int(ui.time * 2) % 2 == 0:
            cx = self.rect.x + pad + before - shift
            pygame.draw.line(surface, theme.text, (cx, y + ui.s(2)), (cx, y + ui.fonts.line_height("body") - ui.s(2)), 2)
        if self.focused:
            focus_ring(surface, ui, self.rect, RADIUS // 2)


class Selector(Widget):
    """A labelled choice among a few options, changed with Left/Right, Enter or a click."""

    def __init__(self, label: str, options: Sequence[tuple[object, str]], value,
                 on_change: Callable[[object], None] | None = None):
        super().__init__()
        self.label = label
        self.options = list(options)
        self.index = next((i for i, (v, _t) in enumerate(self.options) if v == value), 0)
        self.on_change = on_change

    @property
    def value(self):
        return self.options[self.index][0]

    def measure(self, ui: Ui, width: int) -> int:
        label_width, value_width = self._split(ui, width)
        label = ui.text.height(self.label, "body", label_width)
        longest = max((ui.text.height(text, "strong", value_width) for _v, text in self.options), default=0)
        return max(label, longest) + ui.s(20)

    def _split(self, ui: Ui, width: int) -> tuple[int, int]:
        value_width = max(ui.text.size(text, "strong")[0] for _v, text in self.options) + ui.s(72)
        value_width = min(value_width, width // 2)
        return max(20, width - value_width - ui.s(24)), value_width

    def step(self, delta: int) -> None:
        self.index = (self.index + delta) % len(self.options)
        if self.on_change:
            self.on_change(self.value)

    def activate(self) -> bool:
        self.step(1)
        return True

    def handle(self, event, ui: Ui) -> bool:
        if event.type == pygame.MOUSEMOTION:
            self.hovered = self.hit(event.pos)
            return False
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and self.hit(event.pos):
            _label_width, value_width = self._split(ui, self.rect.width)
            left_half = event.pos[0] < self.rect.right - value_width // 2 - ui.s(8)
            self.step(-1 if left_half and event.pos[0] > self.rect.right - value_width - ui.s(8) else 1)
            return True
        if self.focused and event.type == pygame.KEYDOWN:
            if event.key == pygame.K_LEFT:
                self.step(-1)
                return True
            if event.key == pygame.K_RIGHT:
                self.step(1)
                return True
        return False

    def draw(self, surface: pygame.Surface, ui: Ui) -> None:
        theme = ui.theme
        rect = self.rect
        back = theme.panel_alt if self.hovered or self.focused else theme.panel
        pygame.draw.rect(surface, back, rect, border_radius=RADIUS)
        pygame.draw.rect(surface, theme.border, rect, 1, border_radius=RADIUS)
        label_width, value_width = self._split(ui, rect.width)
        pad = ui.s(12)
        text_height = ui.text.height(self.label, "body", label_width)
        ui.text.draw(surface, self.label, "body", theme.text, rect.x + pad, rect.y + (rect.height - text_height) // 2,
                     label_width)
        box = pygame.Rect(rect.right - value_width - ui.s(8), rect.y + ui.s(6), value_width, rect.height - ui.s(12))
        pygame.draw.rect(surface, theme.button, box, border_radius=RADIUS // 2)
        value = self.options[self.index][1]
        arrows = ui.s(28)
        inner = max(10, box.width - 2 * arrows)
        value_height = ui.text.height(value, "strong", inner)
        ui.text.draw(surface, value, "strong", theme.on_button, box.x + arrows, box.y + (box.height - value_height) // 2,
                     inner, align="center")
        _arrow(surface, theme.on_button, (box.x + arrows // 2, box.centery), ui.s(6), -1)
        _arrow(surface, theme.on_button, (box.right - arrows // 2, box.centery), ui.s(6), 1)
        if self.focused:
            focus_ring(surface, ui, rect)


class Stepper(Selector):
    """A Selector over ordered values (a number): Left/Right or − and + step, and stop at the ends."""

    def step(self, delta: int) -> None:
        index = max(0, min(len(self.options) - 1, self.index + delta))
        if index != self.index:
            self.index = index
            if self.on_change:
                self.on_change(self.value)

    def activate(self) -> bool:
        return False  # Enter is the scene's (a number has no "next" to cycle to)

    def handle(self, event, ui: Ui) -> bool:
        if self.focused and event.type == pygame.KEYDOWN and event.key in STEP_KEYS:
            self.step(STEP_KEYS[event.key])
            return True
        return super().handle(event, ui)


STEP_KEYS = {pygame.K_MINUS: -1, pygame.K_KP_MINUS: -1, pygame.K_PLUS: 1, pygame.K_KP_PLUS: 1, pygame.K_EQUALS: 1}


def _arrow(surface, colour, centre, size, direction):
    x, y = centre
    points = [(x - direction * size // 2, y - size), (x + direction * size // 2, y), (x - direction * size // 2, y + size)]
    pygame.draw.polygon(surface, colour, points)


class FocusGroup:
    """The focus order of a scene's widgets; Tab/Shift+Tab always move it, arrows where allowed."""

    def __init__(self, widgets: Sequence[Widget] = (), arrows: bool = True, wrap_around: bool = True):
        self.widgets: list[Widget] = []
        self.index = -1
        self.arrows = arrows
        self.wrap_around = wrap_around
        self.set(widgets)

    def set(self, widgets: Sequence[Widget], keep: bool = True) -> None:
        current = self.current if keep else None
        self.widgets = list(widgets)
        for widget in self.widgets:
            widget.focused = False
        if current in self.widgets:
            self.focus(current)
        else:
            self.index = -1
            self.focus_first()

    @property
    def current(self) -> Widget | None:
        if 0 <= self.index < len(self.widgets):
            return self.widgets[self.index]
        return None

    def _usable(self, widget: Widget) -> bool:
        return widget.focusable and widget.visible and widget.enabled

    def focus(self, widget: Widget | None) -> None:
        for other in self.widgets:
            other.focused = False
        if widget is None or widget not in self.widgets:
            self.index = -1
            return
        self.index = self.widgets.index(widget)
        widget.focused = True

    def focus_first(self) -> None:
        self.focus(next((w for w in self.widgets if self._usable(w)), None))

    def move(self, delta: int) -> bool:
        usable = [w for w in self.widgets if self._usable(w)]
        if not usable:
            return False
        current = self.current
        if current not in usable:
            self.focus(usable[0] if delta > 0 else usable[-1])
            return True
        position = usable.index(current) + delta
        if not self.wrap_around:
            position = max(0, min(len(usable) - 1, position))
        self.focus(usable[position % len(usable)])
        return True

    def handle(self, event, ui: Ui) -> bool:
        """Give the event to the widgets, then apply focus keys. True if something used it."""
        current = self.current
        if event.type in (pygame.MOUSEMOTION, pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP):
            used = False
            for widget in self.widgets:
                if widget.handle(event, ui):
                    used = True
                    if event.type == pygame.MOUSEBUTTONDOWN and self._usable(widget):
                        self.focus(widget)
            return used
        if current is not None and current.handle(event, ui):
            return True
        if event.type != pygame.KEYDOWN:
            return False
        key = event.key
        if key == pygame.K_TAB:
            return self.move(-1 if event.mod & pygame.KMOD_SHIFT else 1)
        if self.arrows and key in (pygame.K_DOWN, pygame.K_UP):
            return self.move(1 if key == pygame.K_DOWN else -1)
        if key in ACTIVATE_KEYS and current is not None and self._usable(current):
            return current.activate()
        return False

    def draw(self, surface: pygame.Surface, ui: Ui) -> None:
        for widget in self.widgets:
            widget.draw(surface, ui)


_fades: dict[tuple, pygame.Surface] = {}


def _fade(width: int, height: int, color: tuple, from_top: bool) -> pygame.Surface:
    """A band of `color` fading from opaque at the edge to clear (kept: the same few are drawn every frame)."""
    key = (width, height, color, from_top)
    band = _fades.get(key)
    if band is None:
        if len(_fades) > 32:  # window sizes and themes come and go
            _fades.clear()
        band = pygame.Surface((width, height), pygame.SRCALPHA)
        for row in range(height):
            alpha = int(255 * (1 - row / height) ** 1.5)
            band.fill((*color[:3], alpha), (0, row if from_top else height - 1 - row, width, 1))
        _fades[key] = band
    return band


class Scroller:
    """A vertical scroll position over content taller than its viewport."""

    def __init__(self):
        self.viewport = pygame.Rect(0, 0, 0, 0)
        self.content_height = 0
        self.offset = 0

    @property
    def max_offset(self) -> int:
        return max(0, self.content_height - self.viewport.height)

    def set(self, viewport: pygame.Rect, content_height: int) -> None:
        self.viewport = pygame.Rect(viewport)
        self.content_height = content_height
        self.offset = max(0, min(self.offset, self.max_offset))

    def scroll(self, delta: int) -> bool:
        before = self.offset
        self.offset = max(0, min(self.max_offset, self.offset + delta))
        return self.offset != before

    def to_end(self) -> None:
        self.offset = self.max_offset

    def show(self, top: int, bottom: int, margin: int = 12) -> None:
        """Scroll so content between top and bottom (content coordinates) is visible."""
        if top - margin < self.offset:
            self.offset = max(0, top - margin)
        elif bottom + margin > self.offset + self.viewport.height:
            self.offset = min(self.max_offset, bottom + margin - self.viewport.height)

    def handle(self, event, ui: Ui, keys: bool = True) -> bool:
        step = ui.fonts.line_height("body") * 3
        if event.type == pygame.MOUSEWHEEL:
            return self.scroll(-int(event.y) * step) or True
        if keys and event.type == pygame.KEYDOWN:
            page = max(step, self.viewport.height - step)
            if event.key == pygame.K_PAGEDOWN:
                return self.scroll(page) or True
            if event.key == pygame.K_PAGEUP:
                return self.scroll(-page) or True
            if event.key == pygame.K_HOME and event.mod & pygame.KMOD_CTRL:
                return self.scroll(-self.content_height) or True
            if event.key == pygame.K_END and event.mod & pygame.KMOD_CTRL:
                return self.scroll(self.content_height) or True
        return False

    def draw_fades(self, surface: pygame.Surface, ui: Ui, color) -> None:
        """Soften the edges where content runs on out of view (above when scrolled down, below when more follows),
        so a line cut by the edge reads as 'more this way', not as a broken line. Draw inside the viewport's clip."""
        height = min(ui.s(18), self.viewport.height // 4)
        if self.max_offset <= 0 or height <= 1:
            return
        if self.offset > 0:
            surface.blit(_fade(self.viewport.width, height, tuple(color), True), self.viewport.topleft)
        if self.offset < self.max_offset:
            surface.blit(_fade(self.viewport.width, height, tuple(color), False),
                         (self.viewport.x, self.viewport.bottom - height))

    def draw_bar(self, surface: pygame.Surface, ui: Ui) -> None:
        if self.max_offset <= 0 or self.viewport.height <= 0:
            return
        track = pygame.Rect(self.viewport.right - ui.s(6), self.viewport.y + 4, ui.s(4), self.viewport.height - 8)
        if track.height <= 8:
            return
        share = self.viewport.height / self.content_height
        thumb_height = max(ui.s(24), int(track.height * share))
        top = track.y + int((track.height - thumb_height) * self.offset / self.max_offset)
        pygame.draw.rect(surface, ui.theme.panel_alt, track, border_radius=3)
        pygame.draw.rect(surface, ui.theme.border, (track.x, top, track.width, thumb_height), border_radius=3)


def layout_row(ui: Ui, buttons: Sequence[Button], rect: pygame.Rect, gap: int | None = None,
               align: str = "center") -> int:
    """Place buttons side by side in `rect`, wrapping onto more rows when they do not fit. Returns the height."""
    gap = ui.s(12) if gap is None else gap
    shown = [b for b in buttons if b.visible]
    if not shown:
        return 0
    widths = [min(rect.width, b.natural_width(ui)) for b in shown]
    rows, row, used = [], [], 0
    for button, width in zip(shown, widths):
        if row and used + gap + width > rect.width:
            rows.append((row, used))
            row, used = [], 0
        used += (gap if row else 0) + width
        row.append((button, width))
    rows.append((row, used))
    y = rect.y
    for row, used in rows:
        height = max(b.measure(ui, w) for b, w in row)
        x = rect.x + (rect.width - used) // 2 if align == "center" else rect.x if align == "left" else rect.right - used
        for button, width in row:
            button.rect = pygame.Rect(x, y, width, height)
            x += width + gap
        y += height + gap
    return y - rect.y - gap
