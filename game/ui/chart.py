"""The customer's mood over the conversation, drawn with pygame: trust, distress and feeling heard.

Each line has its own colour *and* marker (circle, square, triangle) so it can
be read without telling colours apart. The chart is drawn once into a surface
per size, theme and language, then blitted.
"""

from __future__ import annotations

import pygame
import pygame.gfxdraw as gfx

from game.engine.rules import Mood
from game.i18n import Catalog
from game.ui.widgets import Ui

_ = Catalog({
    "trust": ("Trust", "Luottamus"),
    "distress": ("Distress", "Ahdistus"),
    "heard": ("Feels heard", "Kokee tulleensa kuulluksi"),
    "start": ("start", "alku"),
    "turn": ("answer", "vastaus"),
})

SERIES = ("trust", "distress", "heard")


def _marker(surface, kind: str, colour, centre, size: int) -> None:
    x, y = int(centre[0]), int(centre[1])
    if kind == "trust":
        gfx.filled_circle(surface, x, y, size, colour)
        gfx.aacircle(surface, x, y, size, colour)
    elif kind == "distress":
        pygame.draw.rect(surface, colour, (x - size, y - size, 2 * size, 2 * size))
    else:
        points = [(x, y - size - 1), (x + size + 1, y + size), (x - size - 1, y + size)]
        gfx.filled_polygon(surface, points, colour)
        gfx.aapolygon(surface, points, colour)


class MoodChart:
    def __init__(self, moods: list[Mood], harmful: list[bool] | None = None):
        self.moods = moods
        self.harmful = harmful or [False] * max(0, len(moods) - 1)
        self._surface: pygame.Surface | None = None
        self._key = None

    def height_for(self, ui: Ui, width: int) -> int:
        legend = self._legend_height(ui, width)
        return legend + max(ui.s(180), min(320, width // 3)) + ui.fonts.line_height("small") * 2 + ui.s(16)

    def _legend_height(self, ui: Ui, width: int) -> int:
        x, rows = 0, 1
        for name in SERIES:
            item = ui.text.size(_(name, ui.lang), "small")[0] + ui.s(40)
            if x and x + item > width:
                rows += 1
                x = 0
            x += item
        return rows * (ui.fonts.line_height("small") + ui.s(6)) + ui.s(6)

    def draw(self, surface: pygame.Surface, ui: Ui, rect: pygame.Rect) -> None:
        key = (rect.size, ui.theme.name, ui.lang, ui.fonts.scale)
        if self._surface is None or key != self._key:
            self._key = key
            self._surface = self._render(ui, rect.size)
        surface.blit(self._surface, rect.topleft)

    def _render(self, ui: Ui, size) -> pygame.Surface:
        theme = ui.theme
        width, height = max(40, size[0]), max(40, size[1])
        chart = pygame.Surface((width, height))
        chart.fill(theme.panel_alt)
        small = ui.fonts.line_height("small")
        # legend
        x, y = ui.s(12), ui.s(6)
        for name in SERIES:
            label = _(name, ui.lang)
            item = ui.text.size(label, "small")[0] + ui.s(40)
            if x > ui.s(12) and x + item > width:
                x, y = ui.s(12), y + small + ui.s(6)
            colour = getattr(theme, name)
            pygame.draw.line(chart, colour, (x, y + small // 2), (x + ui.s(22), y + small // 2), 3)
            _marker(chart, name, colour, (x + ui.s(11), y + small // 2), max(3, ui.s(4)))
            ui.text.draw(chart, label, "small", theme.text, x + ui.s(28), y)
            x += item
        legend = self._legend_height(ui, width)
        axis_width = ui.text.size("100", "small")[0] + ui.s(10)
        plot = pygame.Rect(axis_width + ui.s(6), legend + ui.s(6), width - axis_width - ui.s(24),
                           height - legend - small * 2 - ui.s(18))
        if plot.width < 20 or plot.height < 20:
            return chart
        for value in (0, 25, 50, 75, 100):
            gy = plot.bottom - plot.height * value // 100
            pygame.draw.line(chart, theme.border if value in (0, 100) else theme.background, (plot.x, gy), (plot.right, gy),
                             1)
            if value % 50 == 0:
                label = str(value)
                ui.text.draw(chart, label, "small", theme.muted, plot.x - ui.s(8) - ui.text.size(label, "small")[0],
                             gy - small // 2)
        count = len(self.moods)
        if count == 0:
            return chart

        def px(index: int) -> int:
            return plot.x + (plot.width * index // (count - 1) if count > 1 else plot.width // 2)

        # x labels: the start and each answer (thinned out when crowded)
        step = max(1, (count * (ui.text.size("00", "small")[0] + ui.s(14))) // max(1, plot.width) + 1)
        for index in range(count):
            if index % step and index != count - 1:
                continue
            label = _("start", ui.lang) if index == 0 else str(index)
            colour = theme.bad if index > 0 and index - 1 < len(self.harmful) and self.harmful[index - 1] else theme.muted
            text_width = ui.text.size(label, "small")[0]
            left = max(0, min(width - text_width, px(index) - text_width // 2))
            ui.text.draw(chart, label, "small" if colour == theme.muted else "small_bold", colour, left, plot.bottom + ui.s(4))
        caption = _("turn", ui.lang)
        ui.text.draw(chart, caption, "small", theme.muted, plot.x, plot.bottom + ui.s(4) + small, plot.width, align="center")
        for name in SERIES:
            colour = getattr(theme, name)
            points = [(px(i), plot.bottom - plot.height * getattr(m, name) / 100) for i, m in enumerate(self.moods)]
            if len(points) > 1:
                widths = 3 if name != "heard" else 2
                pygame.draw.lines(chart, colour, False, points, widths)
            for point in points:
                _marker(chart, name, colour, point, max(3, ui.s(4)))
        return chart
