"""How the trainee meets the customer: across a counter, on the phone, on a video call, in a chat, or by email.

A scenario may say `channel: counter | phone | video | chat`; without it (or with a value
this version does not know) the customer stands at the counter. The channel frames the
portrait: on the phone there is no face across a counter but a call screen with a timer,
the caller's voice as a moving level while they speak, and their face as the trainee
pictures it, small and round; a video call shows the face in a call window with its timer;
a chat shows a small round picture beside a chat header; an email shows an inbox card: the envelope, the
sender's round picture and name, and that a written reply is expected.
"""

from __future__ import annotations

import math

import pygame

from game.i18n import Catalog
from game.ui.theme import RADIUS, mix

CHANNELS = ("counter", "phone", "video", "chat", "email")

_ = Catalog({
    "counter": ("At the counter, face to face", "Tiskillä, kasvokkain"),
    "phone": ("A phone call: you hear the voice, you do not see the face", "Puhelu: kuulet äänen, kasvoja et näe"),
    "video": ("A video call", "Videopuhelu"),
    "chat": ("A chat: written messages", "Chat-keskustelu: kirjoitetut viestit"),
    "email": ("An email: they wrote to you, and you write a reply", "Sähköposti: asiakas kirjoitti sinulle, ja sinä kirjoitat vastauksen"),
    "inbox": ("Inbox", "Saapuneet"),
    "new_message": ("New message", "Uusi viesti"),
    "write_reply": ("Write a reply", "Kirjoita vastaus"),
    "call": ("Phone call", "Puhelu"),
    "video_call": ("Video call", "Videopuhelu"),
    "chat_title": ("Chat", "Chat"),
    "imagined": ("as you picture them", "mielikuvasi soittajasta"),
    "speaking": ("speaking…", "puhuu…"),
    "on_line": ("on the line", "linjalla"),
    "typing": ("writing…", "kirjoittaa…"),
})


def channel_of(scenario) -> str:
    """The scenario's `channel:` (read as `scenario.channel`), or 'counter'."""
    value = getattr(scenario, "channel", None)
    return value if value in CHANNELS else "counter"


def channel_words(channel: str, lang: str) -> str:
    return _(channel if channel in CHANNELS else "counter", lang)


def clock(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


class Framing:
    """Draws the portrait area for a channel. The face is drawn by the caller into `face_rect`."""

    def __init__(self, channel: str):
        self.channel = channel if channel in CHANNELS else "counter"
        self._mask = None
        self._mask_key = None
        self.rect = pygame.Rect(0, 0, 0, 0)
        self.face_rect = pygame.Rect(0, 0, 0, 0)
        self.timer_rect = pygame.Rect(0, 0, 0, 0)
        self.voice_rect = pygame.Rect(0, 0, 0, 0)
        self.kicker_y = self.name_y = self.caption_y = 0
        self.compact = False

    def layout(self, ui, rect: pygame.Rect) -> None:
        self.rect = pygame.Rect(rect)
        pad = ui.s(14)
        line = ui.fonts.line_height("small_bold")
        if self.channel == "phone":
            # a call screen, its parts centred as a group: kicker, timer, name, the imagined face, caption, voice
            strong, small = ui.fonts.line_height("strong"), ui.fonts.line_height("small")
            voice = ui.s(36)
            rest = 2 * line + strong + small + voice + ui.s(40)
            self.compact = rect.height - 2 * pad - rest < max(48, rect.width // 2)
            if self.compact:  # a small card: the timer, the imagined face and the voice only
                pad = max(4, ui.s(6))
                voice = max(6, ui.s(12))
                side = max(16, min(rect.width - 2 * pad, rect.height - 2 * pad - line - voice - ui.s(8)))
                self.kicker_y = self.name_y = self.caption_y = -1
                self.timer_rect = pygame.Rect(rect.x + pad, rect.y + pad, rect.width - 2 * pad, line)
                self.face_rect = pygame.Rect(rect.centerx - side // 2, self.timer_rect.bottom + ui.s(4), side, side)
                self.voice_rect = pygame.Rect(rect.x + pad, self.face_rect.bottom + ui.s(4), rect.width - 2 * pad, voice)
                return
            side = max(24, min(rect.width - 2 * pad, rect.height - 2 * pad - rest, ui.s(300)))
            y = rect.y + max(pad, (rect.height - rest - side) // 2)
            self.kicker_y = y
            self.timer_rect = pygame.Rect(rect.x + pad, y + line + ui.s(2), rect.width - 2 * pad, line)
            self.name_y = self.timer_rect.bottom + ui.s(10)
            self.face_rect = pygame.Rect(rect.centerx - side // 2, self.name_y + strong + ui.s(12), side, side)
            self.caption_y = self.face_rect.bottom + ui.s(6)
            width = min(rect.width - 2 * pad, ui.s(220))
            self.voice_rect = pygame.Rect(rect.centerx - width // 2, self.caption_y + small + ui.s(8), width,
                                          max(8, min(voice, rect.bottom - self.caption_y - small - ui.s(8) - pad)))
        elif self.channel == "video":
            bar = line + ui.s(12)
            self.face_rect = pygame.Rect(rect.x, rect.y + bar, rect.width, max(24, rect.height - bar))
            self.timer_rect = pygame.Rect(rect.x + ui.s(10), rect.y + ui.s(6), rect.width - ui.s(20), line)
            self.voice_rect = pygame.Rect(0, 0, 0, 0)
        elif self.channel in ("chat", "email"):
            side = max(24, min(rect.width - 2 * pad, rect.height // 2, ui.s(200)))
            self.face_rect = pygame.Rect(rect.centerx - side // 2, rect.y + pad + line + ui.s(14), side, side)
            self.timer_rect = pygame.Rect(0, 0, 0, 0)
            self.voice_rect = pygame.Rect(0, 0, 0, 0)
        else:
            self.face_rect = pygame.Rect(rect)
            self.timer_rect = self.voice_rect = pygame.Rect(0, 0, 0, 0)

    @property
    def round(self) -> bool:
        return self.channel in ("phone", "chat", "email")

    def _card(self, theme):
        return mix(theme.text, theme.background, 0.12) if theme.name != "high_contrast" else theme.panel

    def draw_under(self, surface, ui, name: str, lang: str, seconds: float, role: str = "") -> None:
        """Everything but the face (drawn whole). `name` is whoever speaks; `role` is given for someone other
        than the customer (a colleague on the line, a manager copied in) and shown under their name."""
        theme = ui.theme
        if self.channel == "counter":
            return
        card = self._card(theme)
        on_card = theme.background if theme.name != "high_contrast" else theme.text
        pygame.draw.rect(surface, card, self.rect, border_radius=RADIUS * 2)
        pad = ui.s(14)
        if self.channel == "phone" and self.compact:
            return
        if self.channel == "phone":
            lines = ui.text.lines(_("call", lang).upper(), "small_bold", self.rect.width - 2 * pad)
            ui.text.draw(surface, lines[0] if lines else "", "small_bold", mix(on_card, card, 0.35), self.rect.x + pad,
                         self.kicker_y, self.rect.width - 2 * pad, align="center")
            lines = ui.text.lines(name, "strong", self.rect.width - 2 * pad)
            ui.text.draw(surface, lines[0] if lines else name, "strong", on_card, self.rect.x + pad, self.name_y,
                         self.rect.width - 2 * pad, align="center")
            lines = ui.text.lines(role or _("imagined", lang), "small_italic", self.rect.width - 2 * pad)
            ui.text.draw(surface, lines[0] if lines else "", "small_italic", mix(on_card, card, 0.4), self.rect.x + pad,
                         self.caption_y, self.rect.width - 2 * pad, align="center")
        elif self.channel == "video":
            pygame.draw.circle(surface, (200, 60, 50), (self.rect.x + ui.s(16), self.timer_rect.centery), ui.s(4))
        elif self.channel == "chat":
            ui.text.draw(surface, _("chat_title", lang).upper(), "small_bold", mix(on_card, card, 0.35), self.rect.x + pad,
                         self.rect.y + pad, self.rect.width - 2 * pad, align="center")
            y = self.face_rect.bottom + ui.s(10)
            y += ui.text.draw(surface, name, "strong", on_card, self.rect.x + pad, y, self.rect.width - 2 * pad,
                              align="center")
            if role and y + ui.fonts.line_height("small_italic") <= self.rect.bottom - pad:
                lines = ui.text.lines(role, "small_italic", self.rect.width - 2 * pad)
                ui.text.draw(surface, lines[0] if lines else "", "small_italic", mix(on_card, card, 0.4), self.rect.x + pad,
                             y + ui.s(2), self.rect.width - 2 * pad, align="center")
        elif self.channel == "email":
            self._draw_email(surface, ui, name, lang, card, on_card, role)

    def _draw_email(self, surface, ui, name: str, lang: str, card, on_card, role: str = "") -> None:
        """An inbox card: 'INBOX' with an envelope, the sender, 'New message' (or the sender's role, when it is
        not the customer who writes), and the reply to write."""
        pad = ui.s(14)
        width = self.rect.width - 2 * pad
        line = ui.fonts.line_height("small_bold")
        faint = mix(on_card, card, 0.35)
        envelope = pygame.Rect(self.rect.x + pad, self.rect.y + pad + ui.s(1), int(line * 1.4), line - ui.s(2))
        pygame.draw.rect(surface, faint, envelope, max(1, ui.s(2)), border_radius=2)
        pygame.draw.lines(surface, faint, False, [envelope.topleft, envelope.center, envelope.topright], max(1, ui.s(2)))
        left = envelope.right + ui.s(8)
        lines = ui.text.lines(_("inbox", lang).upper(), "small_bold", max(20, self.rect.right - pad - left))
        ui.text.draw(surface, lines[0] if lines else "", "small_bold", faint, left, self.rect.y + pad)
        y = self.face_rect.bottom + ui.s(10)
        if y + ui.fonts.line_height("strong") > self.rect.bottom - pad:
            return
        lines = ui.text.lines(name, "strong", width)
        ui.text.draw(surface, lines[0] if lines else name, "strong", on_card, self.rect.x + pad, y, width, align="center")
        y += ui.fonts.line_height("strong") + ui.s(2)
        for key, font in (("new_message", "small_italic"), ("write_reply", "small_bold")):
            if y + ui.fonts.line_height(font) > self.rect.bottom - pad:
                return
            text = role if key == "new_message" and role else _(key, lang)
            lines = ui.text.lines(text, font, width)
            colour = mix(on_card, card, 0.4) if key == "new_message" else mix(on_card, ui.theme.accent, 0.5)
            ui.text.draw(surface, lines[0] if lines else "", font, colour, self.rect.x + pad, y, width, align="center")
            y += ui.fonts.line_height(font) + ui.s(4)

    def draw_over(self, surface, ui, lang: str, seconds: float, speaking: bool, time: float) -> None:
        """What changes by itself: the round mask over the face, the timer, the voice. Cheap: every frame."""
        theme = ui.theme
        if self.channel == "counter":
            return
        card = self._card(theme)
        on_card = theme.background if theme.name != "high_contrast" else theme.text
        if self.round:
            key = (self.face_rect.size, tuple(card), tuple(theme.accent))
            if self._mask_key != key:
                mask = pygame.Surface(self.face_rect.size, pygame.SRCALPHA)
                mask.fill((*card, 255))
                radius = min(self.face_rect.size) // 2
                pygame.draw.circle(mask, (0, 0, 0, 0), (self.face_rect.width // 2, self.face_rect.height // 2), radius)
                pygame.draw.circle(mask, (*mix(card, theme.accent, 0.6), 255),
                                   (self.face_rect.width // 2, self.face_rect.height // 2), radius, max(2, ui.s(3)))
                self._mask, self._mask_key = mask, key
            surface.blit(self._mask, self.face_rect.topleft)
        if self.timer_rect.width > 0:
            pygame.draw.rect(surface, card if self.channel == "phone" else theme.text, self.timer_rect)
            label = clock(seconds) if self.channel == "phone" else f"{_('video_call', lang)}  ·  {clock(seconds)}"
            colour = on_card if self.channel == "phone" else theme.background
            ui.text.draw(surface, label, "small_bold", colour, self.timer_rect.x + (ui.s(14) if self.channel == "video" else 0),
                         self.timer_rect.y, self.timer_rect.width, align="center" if self.channel == "phone" else "left")
        if self.voice_rect.width > 0 and self.voice_rect.height > 4:
            pygame.draw.rect(surface, card, self.voice_rect)
            bars = 15
            step = self.voice_rect.width / bars
            middle = self.voice_rect.centery
            for index in range(bars):
                if speaking:
                    level = 0.25 + 0.75 * abs(math.sin(time * 9.0 + index * 1.7) * math.sin(time * 3.1 + index * 0.6))
                else:
                    level = 0.08
                half = max(1, int(self.voice_rect.height * level / 2))
                x = int(self.voice_rect.x + index * step + step * 0.2)
                pygame.draw.rect(surface, mix(card, theme.accent if theme.name != "high_contrast" else theme.text, 0.85),
                                 (x, middle - half, max(1, int(step * 0.6)), 2 * half), border_radius=2)
