"""The own-words reply field: several lines of wrapped text with a caret, typed through TEXTINPUT.

Text arrives as TEXTINPUT (ä, ö, å, dead keys, an input method's finished text) and TEXTEDITING (an input
method's text still being composed, drawn at the caret, underlined, and never stored until it is finished).
Left/Right (Ctrl: by word), Home/End, Backspace/Delete (Ctrl: a word) and Ctrl+V paste edit it. The text
wraps inside the box; when there is more than the box holds, the box scrolls to keep the caret in view.
Control characters are dropped; a line break becomes a space. Nothing typed is ever interpreted.
"""

from __future__ import annotations

from typing import Callable

import pygame

from game.ui.theme import RADIUS
from game.ui.widgets import Ui, Widget, focus_ring

MAX_LENGTH = 10_000


def clean(text: str) -> str:
    """What may go into the field: printable characters; a line break or tab is a space."""
    text = text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ").replace("\t", " ")
    return "".join(ch for ch in text if ch.isprintable())


def wrap_offsets(font: pygame.font.Font, text: str, width: int) -> list[tuple[int, int]]:
    """Rows of `text` that fit `width` pixels as (start, end) offsets; breaks after a space where it can."""
    width = max(8, width)
    rows: list[tuple[int, int]] = []
    start, n = 0, len(text)
    longest = max(120, width // 3)  # no row holds more characters than this; keeps a 10,000-character paste quick
    while start < n:
        high = min(n, start + longest)
        if font.size(text[start:high])[0] <= width and high == n:
            rows.append((start, n))
            break
        low = start + 1
        while low < high:
            middle = (low + high + 1) // 2
            if font.size(text[start:middle])[0] <= width:
                low = middle
            else:
                high = middle - 1
        end = low
        if end < n and text[end] != " ":
            space = text.rfind(" ", start, end)
            if space > start:
                end = space + 1
        rows.append((start, end))
        start = end
    if not rows:
        rows.append((0, 0))
    return rows


class ReplyField(Widget):
    ROWS = 4  # the lines the box shows

    def __init__(self, placeholder: str = "", on_submit: Callable[[], None] | None = None,
                 max_length: int = MAX_LENGTH):
        super().__init__()
        self.value = ""
        self.caret = 0
        self.composition = ""  # an input method's text still being composed
        self.placeholder = placeholder
        self.on_submit = on_submit
        self.max_length = max_length
        self.first_row = 0  # the first row shown (scrolled)
        self._wrapped = (None, [])

    # -- editing ----------------------------------------------------------------------------------
    def insert(self, text: str) -> None:
        text = clean(text)[: max(0, self.max_length - len(self.value))]
        if text:
            self.value = self.value[:self.caret] + text + self.value[self.caret:]
            self.caret += len(text)

    def _word_left(self) -> int:
        i = self.caret
        while i > 0 and self.value[i - 1] == " ":
            i -= 1
        while i > 0 and self.value[i - 1] != " ":
            i -= 1
        return i

    def _word_right(self) -> int:
        i, n = self.caret, len(self.value)
        while i < n and self.value[i] == " ":
            i += 1
        while i < n and self.value[i] != " ":
            i += 1
        return i

    def paste(self) -> None:
        try:
            text = pygame.scrap.get_text() if hasattr(pygame.scrap, "get_text") else ""
        except (pygame.error, NotImplementedError):  # no clipboard here (a headless display)
            text = ""
        if isinstance(text, bytes):
            text = text.decode("utf-8", "replace")
        if text:
            self.insert(text)

    def handle(self, event, ui: Ui) -> bool:
        """Handle a typing event; True when it was the field's."""
        kind = event.type
        if kind == pygame.TEXTINPUT:
            self.composition = ""
            self.insert(getattr(event, "text", ""))
            return True
        if kind == pygame.TEXTEDITING:
            self.composition = clean(getattr(event, "text", ""))[:200]
            return True
        if kind != pygame.KEYDOWN:
            return False
        key, mod = event.key, getattr(event, "mod", 0)
        ctrl = bool(mod & pygame.KMOD_CTRL)
        if key == pygame.K_BACKSPACE:
            start = self._word_left() if ctrl else max(0, self.caret - 1)
            self.value, self.caret = self.value[:start] + self.value[self.caret:], start
        elif key == pygame.K_DELETE:
            end = self._word_right() if ctrl else min(len(self.value), self.caret + 1)
            self.value = self.value[:self.caret] + self.value[end:]
        elif key == pygame.K_LEFT:
            self.caret = self._word_left() if ctrl else max(0, self.caret - 1)
        elif key == pygame.K_RIGHT:
            self.caret = self._word_right() if ctrl else min(len(self.value), self.caret + 1)
        elif key == pygame.K_HOME:
            self.caret = 0
        elif key == pygame.K_END:
            self.caret = len(self.value)
        elif key == pygame.K_v and ctrl:
            self.paste()
        elif key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            if self.on_submit and not self.composition:
                self.on_submit()
        elif getattr(event, "unicode", "") and not mod & (pygame.KMOD_CTRL | pygame.KMOD_ALT):
            pass  # a printable key: its text comes as TEXTINPUT; the key itself must not act as a shortcut
        elif key in (pygame.K_UP, pygame.K_DOWN):
            pass
        else:
            return False
        return True

    # -- geometry ---------------------------------------------------------------------------------
    def measure(self, ui: Ui, width: int) -> int:
        return self.ROWS * ui.fonts.line_height("body") + 2 * ui.s(10)

    def rows(self, ui: Ui, width: int) -> list[tuple[int, int]]:
        key = (self.value, width, ui.fonts.scale)
        if self._wrapped[0] != key:
            self._wrapped = (key, wrap_offsets(ui.fonts("body"), self.value, width))
        return self._wrapped[1]

    def caret_row(self, rows) -> int:
        for index, (start, end) in enumerate(rows):
            if start <= self.caret < end or (self.caret == end and index == len(rows) - 1):
                return index
        return len(rows) - 1

    def draw(self, surface: pygame.Surface, ui: Ui) -> None:
        if not self.visible or self.rect.width <= 0:
            return
        theme = ui.theme
        rect = self.rect
        pygame.draw.rect(surface, theme.panel, rect, border_radius=RADIUS // 2)
        pygame.draw.rect(surface, theme.accent if self.focused else theme.border, rect, 2 if self.focused else 1,
                         border_radius=RADIUS // 2)
        pad_x, pad_y, inner, font, height, shown, rows, row = self._layout(ui)
        self.first_row = max(0, min(self._first_row_for(row, shown), max(0, len(rows) - shown)))
        old_clip = surface.get_clip()
        box = rect.inflate(-4, -4)
        surface.set_clip(box.clip(old_clip) if old_clip else box)
        x, y = rect.x + pad_x, rect.y + pad_y
        if not self.value and not self.composition:
            ui.text.draw(surface, self.placeholder, "italic", theme.muted, x, y, inner)
        for index in range(self.first_row, min(len(rows), self.first_row + shown)):
            start, end = rows[index]
            text = self.value[start:end]
            if text:
                surface.blit(font.render(text, True, theme.text), (x, y + (index - self.first_row) * height))
        caret_y = y + (row - self.first_row) * height
        start = rows[row][0]
        cx = x + font.size(self.value[start:self.caret])[0]
        if self.composition:  # being composed: shown at the caret, underlined
            glyphs = font.render(self.composition, True, theme.accent)
            surface.blit(glyphs, (cx, caret_y))
            pygame.draw.line(surface, theme.accent, (cx, caret_y + height - ui.s(3)),
                             (cx + glyphs.get_width(), caret_y + height - ui.s(3)), 1)
            cx += glyphs.get_width()
        if self.focused and int(ui.time * 2) % 2 == 0:
            cx = min(cx, rect.right - pad_x)
            pygame.draw.line(surface, theme.text, (cx, caret_y + ui.s(2)), (cx, caret_y + height - ui.s(2)), 2)
        surface.set_clip(old_clip)
        if len(rows) > shown:  # more than shows: a thin bar says where in the text the view is
            track = pygame.Rect(rect.right - ui.s(7), rect.y + pad_y, ui.s(3), rect.height - 2 * pad_y)
            size = max(ui.s(12), track.height * shown // len(rows))
            top = track.y + (track.height - size) * self.first_row // max(1, len(rows) - shown)
            pygame.draw.rect(surface, theme.border, (track.x, top, track.width, size), border_radius=2)
        if self.focused:
            focus_ring(surface, ui, rect, RADIUS // 2)

    def _layout(self, ui: Ui) -> tuple:
        """(pad_x, pad_y, text width, font, line height, rows that show, the rows, the caret's row) at this size."""
        pad_x, pad_y = ui.s(12), ui.s(10)
        inner = max(8, self.rect.width - 2 * pad_x - ui.s(6))
        font, height = ui.fonts("body"), ui.fonts.line_height("body")
        shown = max(1, (self.rect.height - 2 * pad_y) // height)
        rows = self.rows(ui, inner)
        return pad_x, pad_y, inner, font, height, shown, rows, self.caret_row(rows)

    def _first_row_for(self, row: int, shown: int) -> int:
        """The first row to show so that the caret's `row` is in view, moving the view as little as it can."""
        if row < self.first_row:
            return row
        if row >= self.first_row + shown:
            return row - shown + 1
        return self.first_row

    def caret_rect(self, ui: Ui) -> pygame.Rect:
        """Where the input method's candidate window should open: at the caret (its row as scrolled, its x in
        that row), one line high; kept inside the box."""
        rect = self.rect
        pad_x, pad_y, _inner, font, height, shown, rows, row = self._layout(ui)
        first = self._first_row_for(row, shown)
        x = rect.x + pad_x + font.size(self.value[rows[row][0]:self.caret])[0]
        x = min(x, rect.right - pad_x)
        y = rect.y + pad_y + (row - first) * height
        return pygame.Rect(x, y, 1, height)
