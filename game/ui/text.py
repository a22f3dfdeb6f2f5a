"""Fonts and text: roles at a scale, word wrapping, and a cache of rendered text.

Text is rendered once and blitted every frame (rendering a wrapped paragraph
every frame costs ~350 µs; a blit of a cached line ~5 µs). A paragraph keeps
one surface per wrapped line, so the typewriter effect reveals a prefix by
blitting part of a line rather than rendering anything new.

The font is Liberation Sans (SIL OFL, in assets/fonts): it has ä, ö, å and a
real italic face. If the files are missing, pygame's own font is used, with
synthesised italics. It has no emoji: a character it cannot draw is shown as
its emoticon (🙂 as :) in a chat scenario) or its name, never as an empty box.
"""

from __future__ import annotations

import unicodedata
from collections import OrderedDict

import pygame

from game.paths import ASSETS_DIR

FONT_DIR = ASSETS_DIR / "fonts"
FACES = {
    "regular": "LiberationSans-Regular.ttf",
    "bold": "LiberationSans-Bold.ttf",
    "italic": "LiberationSans-Italic.ttf",
}
# role: (face, size in pixels at 100 %)
ROLES = {
    "small": ("regular", 15),
    "small_bold": ("bold", 15),
    "small_italic": ("italic", 15),
    "body": ("regular", 19),
    "strong": ("bold", 19),
    "italic": ("italic", 19),
    "line": ("regular", 24),
    "heading": ("bold", 22),
    "h1": ("bold", 30),
    "title": ("bold", 76),
}

_fonts: dict[tuple[str, int], pygame.font.Font] = {}


def load_font(face: str, px: int) -> pygame.font.Font:
    key = (face, px)
    font = _fonts.get(key)
    if font is None:
        try:
            font = pygame.font.Font(str(FONT_DIR / FACES[face]), px)
        except (OSError, pygame.error):
            font = pygame.font.Font(None, int(px * 1.1))  # pygame's freesansbold: bold only, italics synthesised
            font.italic = face == "italic"
        _fonts[key] = font
    return font


# what a chat writer would type where the font has no picture
EMOTICONS = {
    "🙂": ":)", "😊": ":)", "☺": ":)", "😀": ":D", "😃": ":D", "😄": ":D", "😁": ":D", "😆": "XD", "😂": ":'D",
    "🤣": ":'D", "😉": ";)", "😍": "<3", "❤": "<3", "💕": "<3", "🙁": ":(", "☹": ":(", "😞": ":(", "😟": ":(",
    "😢": ":'(", "😭": ":'(", "😠": ">:(", "😡": ">:(", "😐": ":|", "😑": ":|", "😕": ":/", "🤔": "(?)",
    "😮": ":O", "😲": ":O", "😛": ":P", "😜": ";P", "😬": ":S", "🙄": "(-_-)", "👍": "(y)", "👎": "(n)",
    "👌": "(ok)", "🙏": "_/\\_", "👋": "o/",
}
# presentation selectors, joiners and skin tones: nothing of their own to draw once the emoji is a word
_DROPPED = {"\ufe0e", "\ufe0f", "\u200d", *map(chr, range(0x1F3FB, 0x1F400))}
_missing: dict[tuple[int, str], bool] = {}


def _cannot_draw(font: pygame.font.Font, char: str) -> bool:
    """Whether the font draws its 'missing glyph' box for `char` (same metrics and the same pixels)."""
    key = (id(font), char)
    known = _missing.get(key)
    if known is None:
        box = "\U0010fffd"  # a private-use code point no font here has
        try:
            known = font.metrics(char) == font.metrics(box) and \
                pygame.image.tobytes(font.render(char, True, (0, 0, 0)), "RGBA") == \
                pygame.image.tobytes(font.render(box, True, (0, 0, 0)), "RGBA")
        except pygame.error:  # nothing to draw at all (a zero-width character)
            known = True
        _missing[key] = known
    return known


def drawable(font: pygame.font.Font, text: str) -> str:
    """`text` with each character the font cannot draw replaced by its emoticon or (name)."""
    if text.isascii():
        return text
    out = []
    for char in text:
        if ord(char) < 0x2000 or char not in _DROPPED and not _cannot_draw(font, char):
            out.append(char)
        elif char in EMOTICONS:
            out.append(EMOTICONS[char])
        elif char not in _DROPPED and unicodedata.category(char) not in ("Mn", "Cf"):
            out.append(f"({unicodedata.name(char, '?').lower()})")
    return "".join(out)


class Fonts:
    """The fonts of every role at one scale (the player's font scale times the window's)."""

    def __init__(self, scale: float = 1.0):
        self.scale = scale
        self._by_role: dict[str, pygame.font.Font] = {}

    def px(self, role: str) -> int:
        return max(6, int(round(ROLES[role][1] * self.scale)))

    def __call__(self, role: str) -> pygame.font.Font:
        font = self._by_role.get(role)
        if font is None:
            font = self._by_role[role] = load_font(ROLES[role][0], self.px(role))
        return font

    def line_height(self, role: str) -> int:
        font = self(role)
        return max(font.get_linesize(), int(round(self.px(role) * 1.32)))


def _break_word(font: pygame.font.Font, word: str, width: int) -> list[str]:
    """A word too long for the line, cut into pieces that fit (at least one character each)."""
    pieces = []
    while word:
        low, high = 1, len(word)
        while low < high:
            middle = (low + high + 1) // 2
            if font.size(word[:middle])[0] <= width:
                low = middle
            else:
                high = middle - 1
        pieces.append(word[:low])
        word = word[low:]
    return pieces


def wrap(font: pygame.font.Font, text: str, width: int | None) -> list[str]:
    """Greedy word wrap to `width` pixels; explicit newlines kept; very long words are cut."""
    text = drawable(font, text)
    lines: list[str] = []
    for paragraph in text.replace("\r\n", "\n").split("\n"):
        if width is None:
            lines.append(paragraph)
            continue
        width = max(width, 8)
        words = paragraph.split(" ")
        current = ""
        for word in words:
            candidate = word if not current else current + " " + word
            if font.size(candidate)[0] <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            if font.size(word)[0] <= width:
                current = word
            else:
                pieces = _break_word(font, word, width)
                lines.extend(pieces[:-1])
                current = pieces[-1]
        lines.append(current)
    return lines


class Paragraph:
    """Wrapped, rendered text: one surface per line, drawn whole or as a typed prefix."""

    __slots__ = ("font", "lines", "surfaces", "line_height", "width", "height", "chars", "_prefix")

    def __init__(self, font: pygame.font.Font, lines: list[str], colour, line_height: int):
        self.font = font
        self.lines = lines
        self.surfaces = [font.render(line, True, colour) if line else None for line in self.lines]
        self.line_height = line_height
        self.width = max((s.get_width() for s in self.surfaces if s is not None), default=0)
        self.height = line_height * len(self.lines)
        self.chars = sum(len(line) for line in self.lines)
        self._prefix: dict[tuple[int, int], int] = {}

    def draw(self, target: pygame.Surface, x: int, y: int, reveal: int | None = None, align: str = "left",
             box_width: int | None = None) -> int:
        """Draw at (x, y); `reveal` characters only, if given. Returns the height used."""
        remaining = self.chars if reveal is None else reveal
        offset = (self.line_height - self.font.get_linesize()) // 2
        for index, (line, surface) in enumerate(zip(self.lines, self.surfaces)):
            if remaining <= 0:
                break
            if surface is not None:
                left = x
                if align == "center" and box_width:
                    left = x + (box_width - surface.get_width()) // 2
                elif align == "right" and box_width:
                    left = x + box_width - surface.get_width()
                top = y + index * self.line_height + offset
                if remaining >= len(line):
                    target.blit(surface, (left, top))
                else:
                    shown = self._prefix_width(index, remaining)
                    target.blit(surface, (left, top), pygame.Rect(0, 0, shown, surface.get_height()))
            remaining -= len(line)
        return self.height

    def row_of(self, reveal: int) -> int:
        """The row (wrapped line) in which the `reveal`-th character falls."""
        for index, line in enumerate(self.lines):
            if reveal <= len(line):
                return index
            reveal -= len(line)
        return max(0, len(self.lines) - 1)

    def draw_rows(self, target: pygame.Surface, x: int, y: int, first: int, last: int, reveal: int,
                  background) -> None:
        """Clear rows first..last to `background` and draw what of them is revealed (for typing)."""
        offset = (self.line_height - self.font.get_linesize()) // 2
        before = sum(len(line) for line in self.lines[:first])
        remaining = reveal - before
        for index in range(first, min(last, len(self.lines) - 1) + 1):
            top = y + index * self.line_height
            width = max(self.width, self.surfaces[index].get_width() if self.surfaces[index] else 0)
            target.fill(background, (x, top, width + 2, self.line_height))
            surface, line = self.surfaces[index], self.lines[index]
            if surface is not None and remaining > 0:
                shown = surface.get_width() if remaining >= len(line) else self._prefix_width(index, remaining)
                target.blit(surface, (x, top + offset), pygame.Rect(0, 0, shown, surface.get_height()))
            remaining -= len(line)

    def _prefix_width(self, index: int, count: int) -> int:
        key = (index, count)
        width = self._prefix.get(key)
        if width is None:
            width = self._prefix[key] = self.font.size(self.lines[index][:count])[0]
        return width


class TextCache:
    """Rendered text by (text, role, colour, width); least recently used entries are dropped."""

    def __init__(self, fonts: Fonts, limit: int = 1500):
        self.fonts = fonts
        self.limit = limit
        self._items: OrderedDict = OrderedDict()
        self._wraps: OrderedDict = OrderedDict()
        self.renders = 0  # how many paragraphs were rendered (tests check that frames reuse them)

    def clear(self, fonts: Fonts | None = None) -> None:
        if fonts is not None:
            self.fonts = fonts
        self._items.clear()
        self._wraps.clear()

    def lines(self, text: str, role: str, width: int | None) -> list[str]:
        key = (text, role, width)
        lines = self._wraps.get(key)
        if lines is None:
            lines = self._wraps[key] = wrap(self.fonts(role), text, width)
            if len(self._wraps) > self.limit:
                self._wraps.popitem(last=False)
        return lines

    def paragraph(self, text: str, role: str, colour, width: int | None = None) -> Paragraph:
        key = (text, role, tuple(colour), width)
        item = self._items.get(key)
        if item is not None:
            self._items.move_to_end(key)
            return item
        item = Paragraph(self.fonts(role), self.lines(text, role, width), colour, self.fonts.line_height(role))
        self.renders += 1
        self._items[key] = item
        if len(self._items) > self.limit:
            self._items.popitem(last=False)
        return item

    def height(self, text: str, role: str, width: int | None) -> int:
        """The height the text needs at this width (wraps it, renders nothing)."""
        return len(self.lines(text, role, width)) * self.fonts.line_height(role)

    def size(self, text: str, role: str) -> tuple[int, int]:
        font = self.fonts(role)
        return font.size(drawable(font, text))[0], self.fonts.line_height(role)

    def draw(self, target, text: str, role: str, colour, x: int, y: int, width: int | None = None,
             align: str = "left", reveal: int | None = None) -> int:
        paragraph = self.paragraph(text, role, colour, width)
        return paragraph.draw(target, x, y, reveal=reveal, align=align, box_width=width)
