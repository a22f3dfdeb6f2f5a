"""The report's charts, drawn with matplotlib and returned as inline SVG text.

No pyplot: each chart is its own Figure. Text stays text in the SVG
(selectable, small), mathtext is off so a `$` in a name is just a dollar sign,
and every id in a chart gets a prefix of its own so many charts can live in one
page. matplotlib escapes the text it writes, so names with markup stay text.

`Painter` is how the report asks for charts: they are drawn here, or by the helper
process of a big report (game/report/helper.py).
"""

from __future__ import annotations

import io
import itertools
import re

PALETTE = ["#2f6f8f", "#c8553d", "#5b8e4e", "#8e6bb4", "#d19a2a", "#4a9a9a", "#a05a7a", "#6b6b6b"]
OUTCOME_COLOURS = {"good": "#5b8e4e", "mixed": "#d19a2a", "bad": "#c8553d", "left": "#8a3b2e", None: "#b8b8b8"}
INK, GRID, FAINT = "#2b2b2b", "#e4e4e4", "#8c8c8c"
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]

_counter = itertools.count(1)
_RC = {
    "svg.fonttype": "none", "text.parse_math": False, "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica"], "font.size": 9, "axes.edgecolor": FAINT,
    "axes.labelcolor": INK, "xtick.color": INK, "ytick.color": INK, "axes.spines.top": False,
    "axes.spines.right": False, "svg.hashsalt": "kuule",
}


def _figure(width: float, height: float, margins: dict | None = None):
    """A figure with fixed margins (constrained layout would double the drawing time of each chart)."""
    import matplotlib
    from matplotlib.figure import Figure

    matplotlib.rcParams.update(_RC)
    figure = Figure(figsize=(width, height), dpi=72)
    figure.subplots_adjust(**{"left": 0.1, "right": 0.98, "top": 0.94, "bottom": 0.2, **(margins or {})})
    return figure


def _svg(figure, label: str, uid: int | None = None) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    text = text[text.index("<svg"):]
    prefix = f"c{next(_counter) if uid is None else uid}-"
    text = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}{m.group(1)}"', text)
    text = re.sub(r'(url\(#|href="#)([^")]+)', lambda m: f"{m.group(1)}{prefix}{m.group(2)}", text)
    text = re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"',
                  lambda m: f'<svg{m.group(1)} class="chart" role="img" aria-label="{_attr(label)}"', text, count=1)
    if "<script" in text.lower() or "javascript:" in text.lower():  # never: matplotlib writes no scripts
        raise ValueError("unexpected markup in a chart")
    return text


def _attr(text: str) -> str:
    return (text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;"))


def _percent_axis(axis, lang):
    from matplotlib.ticker import FuncFormatter

    axis.set_ylim(0, 1.04)
    axis.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v * 100:.0f} %" if lang == "fi" else f"{v * 100:.0f}%"))
    axis.grid(axis="y", color=GRID, linewidth=0.8)
    axis.set_axisbelow(True)


def _progress_axis(small: bool, xlabel: str, lang: str):
    figure = _figure(4.6 if small else 7.2, 2.4 if small else 3.2,
                     {"left": 0.13, "bottom": 0.19} if small else {"left": 0.08, "bottom": 0.15})
    axis = figure.add_subplot()
    _percent_axis(axis, lang)
    axis.set_xlabel(xlabel)
    return figure, axis


def _draw_progress(axis, series: dict[str, list[tuple[int, float, bool]]]) -> None:
    longest = 1
    count = len(series)
    for index, (colour, marker, (name, points)) in enumerate(zip(itertools.cycle(PALETTE), itertools.cycle(MARKERS),
                                                                 sorted(series.items()))):
        # scenarios side by side around each attempt, each with a marker of its own: equal scores never hide
        # one another
        shift = (index - (count - 1) / 2) * min(0.12, 0.5 / count) if count > 1 else 0.0
        xs = [p[0] + shift for p in points]
        ys = [p[1] for p in points]
        longest = max(longest, max((p[0] for p in points), default=1))
        axis.plot(xs, ys, color=colour, linewidth=1.8, label=name, marker=marker, markersize=5)
        for assessed in (True, False):
            chosen = [(x + shift, y) for x, y, a in points if a is assessed]
            if chosen:
                axis.plot([c[0] for c in chosen], [c[1] for c in chosen], linestyle="none", marker=marker, markersize=5,
                          color=colour, markerfacecolor=colour if assessed else "white", markeredgewidth=1.4)
    axis.set_xlim(0.7, longest + 0.3)
    axis.set_xticks(range(1, longest + 1) if longest <= 12 else range(1, longest + 1, max(1, longest // 10)))
    if series:
        axis.legend(loc="lower right", fontsize=8, frameon=False)


def progress(series: dict[str, list[tuple[int, float, bool]]], label: str, xlabel: str, lang: str,
             small: bool = True, uid: int | None = None) -> str:
    """Score over attempts, one line per scenario: {scenario title: [(attempt, share, assessment?)]}."""
    figure, axis = _progress_axis(small, xlabel, lang)
    _draw_progress(axis, series)
    return _svg(figure, label, uid)


def small_progress(charts: list[tuple[dict, str]], xlabel: str, lang: str, uid: int | None = None) -> list[str]:
    """`progress(series, label, xlabel, lang)` for each (series, label), the same small charts drawn faster.

    One figure is drawn again and again: only the lines, the legend and the attempt axis change,
    so the frame, the percent axis and their ticks are built once.
    """
    if not charts:
        return []
    figure, axis = _progress_axis(True, xlabel, lang)
    drawn = []
    for index, (series, label) in enumerate(charts):
        for line in list(axis.lines):
            line.remove()
        if axis.get_legend() is not None:
            axis.get_legend().remove()
        _draw_progress(axis, series)
        drawn.append(_svg(figure, label, None if uid is None else uid + index))
    return drawn


def grouped_bars(groups: list[str], bars: dict[str, list[float | None]], label: str, lang: str,
                 uid: int | None = None) -> str:
    """Horizontal grouped bars of shares 0..1: one group per scenario, one bar per skill."""
    rows = max(1, len(groups)) * max(1, len(bars))
    tall = 0.9 + 0.3 * rows
    figure = _figure(7.2, tall, {"left": 0.26, "bottom": 0.55 / tall, "top": 1 - 0.12 / tall})
    axis = figure.add_subplot()
    height = 0.8 / max(1, len(bars))
    for index, (colour, (name, values)) in enumerate(zip(PALETTE, bars.items())):
        ys = [g + index * height for g in range(len(groups))]
        xs = [v or 0.0 for v in values]
        axis.barh(ys, xs, height=height * 0.9, color=colour, label=name)
        for y, v in zip(ys, values):
            text = "–" if v is None else (f"{v * 100:.0f} %" if lang == "fi" else f"{v * 100:.0f}%")
            axis.text((v or 0) + 0.01, y, text, va="center", fontsize=8, color=INK)
    axis.set_yticks([g + height * (len(bars) - 1) / 2 for g in range(len(groups))], [_short(g, 34) for g in groups])
    axis.invert_yaxis()
    axis.set_xlim(0, 1.12)
    from matplotlib.ticker import FuncFormatter

    axis.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v * 100:.0f}%"))
    axis.grid(axis="x", color=GRID, linewidth=0.8)
    axis.set_axisbelow(True)
    axis.legend(loc="lower right", fontsize=8, frameon=False, ncols=len(bars))
    return _svg(figure, label, uid)


def thresholds(panels: list[dict], label: str, lang: str, uid: int | None = None) -> str:
    """One panel per metric: a bar per scenario, dashed lines at the fair and good thresholds.

    panels: [{"title", "groups": [names], "values": [float|None], "fair", "good", "percent": bool,
              "fair_label", "good_label"}]
    """
    figure = _figure(7.2, 2.9, {"left": 0.07, "bottom": 0.26, "top": 0.84, "wspace": 0.35})
    axes = figure.subplots(1, len(panels), squeeze=False)[0]
    for axis, panel in zip(axes, panels):
        values = [v if v is not None else 0.0 for v in panel["values"]]
        top = max([*values, panel.get("good") or 0, panel.get("fair") or 0, 0.1]) * 1.2
        colours = []
        for v in panel["values"]:
            if v is None:
                colours.append(GRID)
            elif panel.get("good") is not None and v >= panel["good"]:
                colours.append(OUTCOME_COLOURS["good"])
            elif panel.get("fair") is not None and v >= panel["fair"]:
                colours.append(OUTCOME_COLOURS["mixed"])
            else:
                colours.append(OUTCOME_COLOURS["bad"])
        positions = range(len(values))
        axis.bar(positions, values, color=colours, width=0.6)
        for key, style in (("fair", (0, (4, 3))), ("good", "solid")):
            if panel.get(key) is not None:
                axis.axhline(panel[key], color=INK, linewidth=1, linestyle=style)
                axis.text(len(values) - 0.5, panel[key], " " + panel[key + "_label"], va="bottom", ha="right",
                          fontsize=7.5, color=INK)
        axis.set_ylim(0, top if not panel["percent"] else max(1.05, top))
        axis.set_xticks(list(positions), [_short(g) for g in panel["groups"]], rotation=20 if len(values) > 2 else 0,
                        ha="right" if len(values) > 2 else "center", fontsize=7.5)
        import textwrap

        axis.set_title(textwrap.fill(panel["title"], 26), fontsize=8.5, color=INK)
        from matplotlib.ticker import FuncFormatter

        if panel["percent"]:
            axis.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v * 100:.0f}%"))
        else:
            axis.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:.1f}:1".replace(".", "," if lang == "fi" else ".")))
    return _svg(figure, label, uid)


def outcomes(groups: list[str], counts: list[dict], names: dict, label: str, uid: int | None = None) -> str:
    """Stacked horizontal bars: how sessions of each scenario ended."""
    height = 1.1 + 0.38 * max(1, len(groups))
    figure = _figure(7.2, height, {"left": 0.26, "bottom": 0.35 / height, "top": 1 - 0.5 / height})
    axis = figure.add_subplot()
    lefts = [0.0] * len(groups)
    for outcome in ("good", "mixed", "bad", "left", None):
        shares = []
        for row in counts:
            total = sum(row.values()) or 1
            shares.append(row.get(outcome, 0) / total)
        if not any(shares):
            continue
        axis.barh(range(len(groups)), shares, left=lefts, color=OUTCOME_COLOURS[outcome], label=names[outcome], height=0.6)
        lefts = [a + b for a, b in zip(lefts, shares)]
    axis.set_yticks(range(len(groups)), [_short(g, 34) for g in groups])
    axis.invert_yaxis()
    axis.set_xlim(0, 1)
    from matplotlib.ticker import FuncFormatter

    axis.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v * 100:.0f}%"))
    axis.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), fontsize=8, frameon=False, ncols=5)
    return _svg(figure, label, uid)


def _short(text: str, limit: int = 22) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


# -- drawing here or in the helper process ------------------------------------------------------------

CHARTS = {"progress": progress, "small_progress": small_progress, "grouped_bars": grouped_bars,
          "thresholds": thresholds, "outcomes": outcomes}


def get_ready() -> None:
    """Import matplotlib and load its fonts (the helper does this while the logs are read)."""
    figure = _figure(1, 1)
    figure.add_subplot().set_title("Kuule")
    figure.savefig(io.StringIO(), format="svg")


def _draw(chart: str, args: tuple, kwargs: dict):
    return CHARTS[chart](*args, **kwargs)


class Drawing:
    """One job's SVG (or list of SVGs), drawn when first needed: the page template asks by `__html__`."""

    def __init__(self, helper, chart: str, args: tuple, kwargs: dict):
        self._helper, self._call, self._result = helper, (chart, args, kwargs), None
        self._future = helper.submit(_draw, chart, args, kwargs) if helper is not None else None

    @property
    def svg(self):
        if self._result is None:
            if self._future is not None:
                self._result = self._helper.result(self._future)
            if self._result is None:  # no helper, or it failed: draw here, the same chart
                self._result = _draw(*self._call)
            self._future = self._call = None
        return self._result

    def __html__(self) -> str:
        return self.svg

    def __str__(self) -> str:
        return self.svg


class _Part:
    """One chart of a Drawing of several."""

    def __init__(self, whole: Drawing, index: int):
        self._whole, self._index = whole, index

    @property
    def svg(self) -> str:
        return self._whole.svg[self._index]

    def __html__(self) -> str:
        return self.svg

    def __str__(self) -> str:
        return self.svg


class Painter:
    """Asks for the report's charts: drawn by the helper process if there is one (see game.report.helper),
    while this process goes on with the page, which takes each drawing when it reaches it; else here.
    Every chart gets the next number for the ids in its SVG, in the order they are asked for, so the
    page is the same either way."""

    def __init__(self, helper=None):
        self._helper = helper
        self._uid = 1

    def draw(self, chart: str, *args, **kwargs) -> Drawing:
        """`chart(*args, **kwargs)` (a function of this module), as a Drawing."""
        kwargs["uid"] = self._uid
        self._uid += 1
        return Drawing(self._helper, chart, args, kwargs)

    def draw_small_progress(self, charts: list[tuple[dict, str]], xlabel: str, lang: str) -> list[_Part]:
        """`small_progress(...)`: one job, one drawing per chart."""
        if not charts:
            return []
        kwargs = {"uid": self._uid}
        self._uid += len(charts)
        whole = Drawing(self._helper, "small_progress", (charts, xlabel, lang), kwargs)
        return [_Part(whole, index) for index in range(len(charts))]
