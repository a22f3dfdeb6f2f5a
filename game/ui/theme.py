"""Colours and spacing: a calm, restrained palette, and a high-contrast one.

Every pair of colours that carries text is checked against WCAG 2.1 contrast
in the tests (4.5:1 for normal text in the calm theme, 7:1 in high contrast).
Colours are plain RGB tuples so this module does not need pygame.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

RGB = tuple[int, int, int]


def hex_colour(value: str) -> RGB:
    value = value.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def mix(a: RGB, b: RGB, share: float) -> RGB:
    """`share` of the way from a to b."""
    share = 0.0 if share < 0 else 1.0 if share > 1 else share
    return tuple(int(round(x + (y - x) * share)) for x, y in zip(a, b))  # type: ignore[return-value]


def relative_luminance(colour: RGB) -> float:
    def channel(value: int) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in colour[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: RGB, b: RGB) -> float:
    """WCAG 2.1 contrast ratio, from 1 (none) to 21 (black on white)."""
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@dataclass(frozen=True)
class Theme:
    name: str
    background: RGB        # the page
    panel: RGB             # cards, dialogue panel
    panel_alt: RGB         # secondary surfaces: list rows, chart area
    border: RGB
    text: RGB
    muted: RGB             # secondary text
    accent: RGB            # primary buttons, headings' accent, trust line
    on_accent: RGB         # text on accent
    button: RGB            # secondary buttons
    on_button: RGB
    hover: RGB             # a secondary button under the mouse
    focus: RGB             # the keyboard focus ring
    disabled: RGB          # greyed-out button background
    on_disabled: RGB
    cue: RGB               # the customer's non-verbal cue (italics)
    thought: RGB           # the customer's unsaid thought (debrief, replay)
    thought_bg: RGB
    coach_bg: RGB          # the coach's note in practice
    good: RGB
    bad: RGB
    warn_bg: RGB           # error overlays
    trust: RGB             # chart lines
    distress: RGB
    heard: RGB
    portrait: RGB          # behind the customer
    portrait_glow: RGB
    shade: tuple[int, int, int, int]  # dims the scene under an overlay (RGBA)

    def pairs(self) -> dict[str, tuple[RGB, RGB]]:
        """The foreground/background pairs that carry text, for contrast checks."""
        return {
            "text/background": (self.text, self.background),
            "text/panel": (self.text, self.panel),
            "text/panel_alt": (self.text, self.panel_alt),
            "muted/background": (self.muted, self.background),
            "muted/panel": (self.muted, self.panel),
            "muted/panel_alt": (self.muted, self.panel_alt),
            "on_accent/accent": (self.on_accent, self.accent),
            "on_button/button": (self.on_button, self.button),
            "on_button/hover": (self.on_button, self.hover),
            "accent/background": (self.accent, self.background),
            "accent/panel": (self.accent, self.panel),
            "cue/panel": (self.cue, self.panel),
            "thought/thought_bg": (self.thought, self.thought_bg),
            "text/coach_bg": (self.text, self.coach_bg),
            "text/warn_bg": (self.text, self.warn_bg),
            "good/panel": (self.good, self.panel),
            "bad/panel": (self.bad, self.panel),
            "text/portrait": (self.text, self.portrait),
        }

    def non_text_pairs(self) -> dict[str, tuple[RGB, RGB]]:
        """Focus rings, chart lines, greyed text: WCAG's 3:1 for graphical objects."""
        return {
            "focus/background": (self.focus, self.background),
            "focus/panel": (self.focus, self.panel),
            "trust/panel_alt": (self.trust, self.panel_alt),
            "distress/panel_alt": (self.distress, self.panel_alt),
            "heard/panel_alt": (self.heard, self.panel_alt),
            "on_disabled/disabled": (self.on_disabled, self.disabled),
            "border/panel": (self.border, self.background),
        }


_C = hex_colour

CALM = Theme(
    name="calm",
    background=_C("#F3F0EA"), panel=_C("#FFFFFF"), panel_alt=_C("#EAE6DF"), border=_C("#8F8A82"),
    text=_C("#1D2730"), muted=_C("#4F5B66"),
    accent=_C("#245F69"), on_accent=_C("#FFFFFF"),
    button=_C("#E3DED5"), on_button=_C("#1D2730"), hover=_C("#D6D0C5"),
    focus=_C("#B5470B"),
    disabled=_C("#E9E6E1"), on_disabled=_C("#6B737B"),
    cue=_C("#5A4A78"), thought=_C("#5C3470"), thought_bg=_C("#F1ECF5"),
    coach_bg=_C("#E4EFEC"),
    good=_C("#2E6B45"), bad=_C("#A8322D"), warn_bg=_C("#FBEDEA"),
    trust=_C("#245F69"), distress=_C("#B3362F"), heard=_C("#6A5196"),
    portrait=_C("#DCE5E4"), portrait_glow=_C("#E9EFEE"),
    shade=(29, 39, 48, 150),
)

HIGH_CONTRAST = Theme(
    name="high_contrast",
    background=_C("#000000"), panel=_C("#0A0A0A"), panel_alt=_C("#161616"), border=_C("#FFFFFF"),
    text=_C("#FFFFFF"), muted=_C("#E6E6E6"),
    accent=_C("#FFE14D"), on_accent=_C("#000000"),
    button=_C("#1F1F1F"), on_button=_C("#FFFFFF"), hover=_C("#333333"),
    focus=_C("#3DE0FF"),
    disabled=_C("#141414"), on_disabled=_C("#A6A6A6"),
    cue=_C("#FFD0F0"), thought=_C("#FFE9A8"), thought_bg=_C("#1A1400"),
    coach_bg=_C("#002A24"),
    good=_C("#7CFF9B"), bad=_C("#FF8A80"), warn_bg=_C("#2A0000"),
    trust=_C("#3DE0FF"), distress=_C("#FF8A80"), heard=_C("#FFE14D"),
    portrait=_C("#1A1A1A"), portrait_glow=_C("#262626"),
    shade=(0, 0, 0, 200),
)

THEMES = {theme.name: theme for theme in (CALM, HIGH_CONTRAST)}


def theme_for(high_contrast: bool) -> Theme:
    return HIGH_CONTRAST if high_contrast else CALM


def colour_fields() -> list[str]:
    return [f.name for f in fields(Theme) if f.name != "name"]


# Spacing, in pixels at 100 % font scale; layouts multiply by the scale where text grows.
GAP = 8
PAD = 16
RADIUS = 10
FOCUS_WIDTH = 3
