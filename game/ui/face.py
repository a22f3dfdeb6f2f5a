"""The customer, drawn procedurally: a face whose expression follows the hidden mood.

No art is downloaded. The look comes from the scenario (`customer.look`: hair,
skin, clothes, glasses, build) and the customer's age; what the scenario does
not say is chosen from the customer's name, so a customer always looks the same.

Six expressions (calm, worried, sad, irritated, angry, relieved) are points in
a small space of features: brows, lids, gaze, mouth, flush, tears. The face
moves its features smoothly towards the expression `game.describe.expression`
gives for the mood, so a change of mood reads as a change of face, not a cut.
Idle motion: breathing (faster when distressed), blinking, small gaze shifts.

Speed: the head, body and glasses are drawn once per size at twice the
resolution and smoothed down (anti-aliased for free), then blitted; only the
features (eyes, brows, mouth, cheeks) are drawn each frame, with gfxdraw's
anti-aliased primitives — a few hundred microseconds at 1280×720.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections import OrderedDict
from dataclasses import dataclass

import pygame
import pygame.gfxdraw as gfx

from game.describe import EXPRESSIONS, expression
from game.engine.rules import Mood
from game.i18n import pick
from game.ui.theme import Theme, contrast_ratio, hex_colour, mix

PARAMS = ("brow_raise", "brow_inner", "eye_open", "lower_lid", "lid_angle", "mouth_curve", "mouth_open",
          "mouth_width", "mouth_skew", "teeth", "flush", "blush", "tear", "furrow", "worry", "gaze_x", "gaze_y",
          "head_drop")

# Each expression as a point in feature space (0 = neutral). Chosen to be told apart at a glance:
# worried = raised inner brows + wide eyes + lines on the forehead; sad = tented brows, drooping lids,
# downcast eyes, a frown and a tear; irritated = lowered brows, narrowed eyes, a sideways glance and
# a pressed, one-sided mouth; angry = a hard V of brows, a glare, bared teeth and a red flush;
# relieved = soft raised brows, smiling eyes, an open smile and a blush.
EXPRESSION_PARAMS: dict[str, dict[str, float]] = {
    "calm": dict(brow_raise=0.0, brow_inner=0.0, eye_open=0.92, lower_lid=0.12, lid_angle=0.0, mouth_curve=0.28,
                 mouth_open=0.0, mouth_width=1.0, mouth_skew=0.0, teeth=0.0, flush=0.0, blush=0.12, tear=0.0,
                 furrow=0.0, worry=0.0, gaze_x=0.0, gaze_y=0.0, head_drop=0.0),
    "worried": dict(brow_raise=0.55, brow_inner=0.85, eye_open=1.12, lower_lid=0.0, lid_angle=-0.25,
                    mouth_curve=-0.35, mouth_open=0.16, mouth_width=0.8, mouth_skew=0.12, teeth=0.0, flush=0.0,
                    blush=0.0, tear=0.0, furrow=0.15, worry=1.0, gaze_x=0.2, gaze_y=0.15, head_drop=0.2),
    "sad": dict(brow_raise=0.15, brow_inner=1.0, eye_open=0.55, lower_lid=0.18, lid_angle=-0.9, mouth_curve=-0.95,
                mouth_open=0.0, mouth_width=0.92, mouth_skew=0.0, teeth=0.0, flush=0.0, blush=0.0, tear=1.0,
                furrow=0.0, worry=0.45, gaze_x=-0.1, gaze_y=0.9, head_drop=1.0),
    "irritated": dict(brow_raise=-0.3, brow_inner=-0.6, eye_open=0.68, lower_lid=0.45, lid_angle=0.45,
                      mouth_curve=-0.3, mouth_open=0.0, mouth_width=0.72, mouth_skew=0.75, teeth=0.0, flush=0.3,
                      blush=0.0, tear=0.0, furrow=0.55, worry=0.0, gaze_x=0.75, gaze_y=-0.05, head_drop=-0.1),
    "angry": dict(brow_raise=-0.55, brow_inner=-1.25, eye_open=0.9, lower_lid=0.35, lid_angle=1.0, mouth_curve=-0.7,
                  mouth_open=0.5, mouth_width=1.08, mouth_skew=0.0, teeth=1.0, flush=1.0, blush=0.0, tear=0.0,
                  furrow=1.0, worry=0.0, gaze_x=0.0, gaze_y=-0.1, head_drop=-0.35),
    "relieved": dict(brow_raise=0.35, brow_inner=0.25, eye_open=0.62, lower_lid=0.6, lid_angle=0.0, mouth_curve=1.0,
                     mouth_open=0.34, mouth_width=1.18, mouth_skew=0.0, teeth=0.85, flush=0.0, blush=0.75, tear=0.0,
                     furrow=0.0, worry=0.0, gaze_x=0.0, gaze_y=0.0, head_drop=-0.1),
    # embarrassed = a strong blush, eyes down and aside, a small tight one-sided smile, head lowered;
    # hopeful = lifted brows, open bright eyes looking up a little, a small closed smile;
    # afraid = brows high and drawn together, eyes wide with white showing, the mouth open and stretched;
    # tired = heavy lids, flat low brows, a slack mouth, eyes and head down
    "embarrassed": dict(brow_raise=0.2, brow_inner=0.45, eye_open=0.7, lower_lid=0.3, lid_angle=-0.2, mouth_curve=0.3,
                        mouth_open=0.0, mouth_width=0.82, mouth_skew=0.55, teeth=0.0, flush=0.15, blush=1.2, tear=0.0,
                        furrow=0.0, worry=0.2, gaze_x=-0.85, gaze_y=0.8, head_drop=0.7),
    "hopeful": dict(brow_raise=0.95, brow_inner=0.4, eye_open=1.1, lower_lid=0.25, lid_angle=0.0, mouth_curve=0.6,
                    mouth_open=0.0, mouth_width=0.95, mouth_skew=0.0, teeth=0.0, flush=0.0, blush=0.35, tear=0.0,
                    furrow=0.0, worry=0.45, gaze_x=0.0, gaze_y=-0.6, head_drop=-0.25),
    "afraid": dict(brow_raise=1.2, brow_inner=1.05, eye_open=1.3, lower_lid=-0.3, lid_angle=-0.1, mouth_curve=-0.45,
                   mouth_open=0.75, mouth_width=1.05, mouth_skew=0.0, teeth=0.6, flush=0.0, blush=0.0, tear=0.0,
                   furrow=0.3, worry=1.0, gaze_x=0.5, gaze_y=-0.1, head_drop=-0.3),
    "tired": dict(brow_raise=-0.1, brow_inner=0.25, eye_open=0.42, lower_lid=0.05, lid_angle=-0.45, mouth_curve=-0.25,
                  mouth_open=0.08, mouth_width=0.9, mouth_skew=0.2, teeth=0.0, flush=0.0, blush=0.0, tear=0.0,
                  furrow=0.1, worry=0.15, gaze_x=0.0, gaze_y=0.7, head_drop=0.9),
}
# families of feeling: mood is blended into an authored expression only within its family, so the face
# may soften or sharpen the line's expression but never contradict it
FAMILY = {"calm": "easy", "relieved": "easy", "hopeful": "easy", "worried": "low", "sad": "low", "afraid": "low",
          "tired": "low", "embarrassed": "low", "irritated": "hot", "angry": "hot"}
assert set(EXPRESSION_PARAMS) == set(EXPRESSIONS)

HAIR = {"white": "#E9E6E1", "grey": "#A3A19E", "blond": "#D5B36A", "brown": "#6B4A2E", "black": "#2B2522",
        "red": "#A4512C", "auburn": "#7A3B24", "dark_brown": "#3E2A1E"}
SKIN = {"very_light": "#F6DFD0", "light": "#F2D2BC", "medium": "#DDAF8A", "tan": "#BE8A62", "brown": "#9A6646",
        "dark": "#7E5339", "deep": "#6B4430"}
CLOTHES = {"blue": "#3F5D8A", "green": "#4E7A5B", "red": "#98403C", "grey": "#6B7178", "brown": "#78593C",
           "purple": "#68508A", "black": "#2E3236", "white": "#E4E2DC", "yellow": "#C9A23B"}
EYES = ("#5B4030", "#3E6A8A", "#4F6B44", "#4A3A2E")
BUILD = {"slight": 2.45, "average": 2.85, "broad": 3.3}
PRESENTATIONS = ("woman", "man", "neutral")
STYLES = ("bald", "shaved", "receding", "short", "curly", "bob", "long", "bun", "ponytail")
FACIAL_HAIR = ("none", "stubble", "moustache", "goatee", "beard")
# styles chosen when the scenario names none: by presentation, and for older customers
DEFAULT_STYLES = {
    "woman": (("bob", "long", "bun", "ponytail", "curly", "short"), ("short", "bun", "curly", "bob")),
    "man": (("short", "short", "curly", "shaved"), ("short", "receding", "bald", "receding")),
    "neutral": (("short", "curly", "short"), ("short", "curly", "short")),
}


@dataclass(frozen=True)
class Look:
    hair: str = "brown"
    skin: str = "medium"
    clothes: str = "blue"
    glasses: bool = False
    build: str = "average"
    style: str = "short"
    age: int = 45
    eyes: str = EYES[0]
    presentation: str = "neutral"
    facial_hair: str = "none"
    headscarf: str | None = None  # the scarf's colour, or None


def _word(value) -> str | None:
    """A look value as a plain lower-case word, or None (numbers, lists and the like are ignored)."""
    return value.strip().lower().replace(" ", "_").replace("-", "_") if isinstance(value, str) else None


def look_for(customer) -> Look:
    """The customer's look: what the scenario says, the rest chosen steadily from their name and age.

    Any value this version does not know (a typo, a newer format) is ignored and chosen as if it were
    not given: the customer is always drawn."""
    given = getattr(customer, "look", None)
    try:
        given = dict(given) if given is not None and hasattr(given, "items") else {}
    except (TypeError, ValueError):
        given = {}
    word = {key: _word(value) for key, value in given.items() if isinstance(key, str)}
    name = pick(customer.name, "en") if customer is not None else ""
    digest = int(hashlib.sha1(str(name).encode("utf-8")).hexdigest(), 16)
    age = customer.age if customer is not None and isinstance(customer.age, int) and not isinstance(customer.age, bool) else 45
    age = max(0, min(120, age))
    presentation = word.get("presentation") if word.get("presentation") in PRESENTATIONS else "neutral"
    skin = word.get("skin") if word.get("skin") in SKIN else ("light", "medium", "tan", "dark")[(digest >> 4) % 4]
    young_hair = ("black", "dark_brown", "black", "black", "brown") if skin in ("tan", "brown", "dark", "deep") else \
        ("brown", "black", "blond", "red", "dark_brown")
    hair_default = "white" if age >= 75 else "grey" if age >= 58 else young_hair[digest % 5]
    style = word.get("hair_style") or word.get("style")
    if style not in STYLES:
        styles = DEFAULT_STYLES[presentation][1 if age >= 60 else 0]
        style = styles[(digest >> 12) % len(styles)]
    facial = word.get("facial_hair")
    if facial not in FACIAL_HAIR:
        facial = ("none", "none", "moustache", "beard", "none", "stubble")[(digest >> 20) % 6] \
            if presentation == "man" and age >= 18 else "none"
    scarf = given.get("headscarf")
    if scarf is True:
        scarf = ("blue", "green", "purple", "brown", "black")[(digest >> 24) % 5]
    scarf = _word(scarf) if _word(scarf) in CLOTHES else None
    glasses = given.get("glasses")
    return Look(
        hair=word.get("hair") if word.get("hair") in HAIR else hair_default,
        skin=skin,
        clothes=word.get("clothes") if word.get("clothes") in CLOTHES else tuple(CLOTHES)[(digest >> 8) % 6],
        glasses=glasses if isinstance(glasses, bool) else age >= 65,
        build=word.get("build") if word.get("build") in BUILD else "average",
        style=style,
        age=age,
        eyes=EYES[(digest >> 16) % len(EYES)],
        presentation=presentation,
        facial_hair=facial,
        headscarf=scarf,
    )


def params_for(name: str) -> dict[str, float]:
    """The features of an expression; an unknown name gives the calm face."""
    return dict(EXPRESSION_PARAMS.get(name, EXPRESSION_PARAMS["calm"]))


def blend(a: dict[str, float], b: dict[str, float], share: float) -> dict[str, float]:
    return {key: a[key] + (b[key] - a[key]) * share for key in PARAMS}


def distance(a: dict[str, float], b: dict[str, float]) -> float:
    return math.sqrt(sum((a[key] - b[key]) ** 2 for key in PARAMS))


# -- drawing helpers -----------------------------------------------------------------------------------
def _ipoints(points):
    return [(int(x + 0.5), int(y + 0.5)) for x, y in points]


_filled_polygon, _aapolygon = gfx.filled_polygon, gfx.aapolygon
_filled_circle, _aacircle = gfx.filled_circle, gfx.aacircle
_aalines = pygame.draw.aalines


def _polygon(surface, colour, points) -> None:
    if len(points) >= 3:  # gfxdraw takes float coordinates
        _filled_polygon(surface, points, colour)
        _aapolygon(surface, points, colour)


def _thick(surface, colour, points, width: float, caps: bool = True) -> None:
    """An anti-aliased polyline of the given width with round ends (this runs every frame: kept lean)."""
    count = len(points)
    if count < 2:
        return
    if width < 1.6:  # a hairline: pygame's own anti-aliased lines are enough, and fast
        _aalines(surface, colour, False, points)
        return
    half = width / 2
    hypot = math.hypot
    left, right = [], []
    last = count - 1
    for index in range(count):
        x0, y0 = points[index - 1 if index else 0]
        x1, y1 = points[index + 1 if index < last else last]
        dx, dy = x1 - x0, y1 - y0
        scale = half / (hypot(dx, dy) or 1.0)
        nx, ny = -dy * scale, dx * scale
        x, y = points[index]
        left.append((x + nx, y + ny))
        right.append((x - nx, y - ny))
    right.reverse()
    polygon = left + right
    _filled_polygon(surface, polygon, colour)
    _aapolygon(surface, polygon, colour)
    if caps and half >= 1.2:
        radius = int(half + 0.5)
        for x, y in (points[0], points[-1]):
            _filled_circle(surface, int(x + 0.5), int(y + 0.5), radius, colour)
            _aacircle(surface, int(x + 0.5), int(y + 0.5), radius, colour)


_BEZIER: dict[int, list[tuple[float, float, float]]] = {}


def _bezier(p0, p1, p2, steps: int = 10):
    table = _BEZIER.get(steps)
    if table is None:
        table = _BEZIER[steps] = [((1 - t) ** 2, 2 * (1 - t) * t, t * t) for t in (i / steps for i in range(steps + 1))]
    x0, y0 = p0
    x1, y1 = p1
    x2, y2 = p2
    return [(a * x0 + b * x1 + c * x2, a * y0 + b * y1 + c * y2) for a, b, c in table]


def _through(p0, mid, p2, steps: int = 10):
    """A quadratic curve from p0 to p2 passing through `mid` at its middle."""
    control = (2 * mid[0] - (p0[0] + p2[0]) / 2, 2 * mid[1] - (p0[1] + p2[1]) / 2)
    return _bezier(p0, control, p2, steps)


# the eye's outline, as factors along its width (u from -1 to 1)
_EYE_STEPS = 8
_EYE_U = [-1 + 2 * i / _EYE_STEPS for i in range(_EYE_STEPS + 1)]
_EYE_UPPER = [max(0.0, 1 - u * u) ** 0.6 for u in _EYE_U]
_EYE_LOWER = [max(0.0, 1 - u * u) ** 0.75 for u in _EYE_U]


def _ellipse_points(cx, cy, a, b, start_deg, end_deg, steps=24):
    points = []
    for index in range(steps + 1):
        t = math.radians(start_deg + (end_deg - start_deg) * index / steps)
        points.append((cx + a * math.cos(t), cy + b * math.sin(t)))
    return points


class _Layers:
    """Everything that does not move relative to the head or body, drawn once per size and look."""

    def __init__(self, look: Look, size: tuple[int, int], theme: Theme):
        self.look = look
        width, height = size
        self.size = size
        self.r = r = max(4.0, min(width * 0.25, height * 0.235))
        self.cx, self.cy = width / 2, height * 0.43
        self.skin = hex_colour(SKIN[look.skin])
        self.skin_shadow = mix(self.skin, (70, 40, 30), 0.22)
        self.line = mix(self.skin, (60, 30, 25), 0.42)
        self.hair = hex_colour(HAIR[look.hair])
        self.hair_edge = mix(self.hair, (40, 35, 30), 0.35 if look.hair in ("white", "grey", "blond") else 0.25)
        self.brow = mix(self.hair, (40, 32, 28), 0.55 if look.hair in ("white", "grey", "blond") else 0.2)
        for _step in range(10):  # brows must stand out from the skin, whatever the colours
            if contrast_ratio(self.brow, self.skin) >= 2.2:
                break
            self.brow = mix(self.brow, (12, 9, 8), 0.35)
        if contrast_ratio(self.hair_edge, self.skin) < 1.6:
            self.hair_edge = mix(self.hair_edge, (20, 15, 12), 0.5)
        self.clothes = hex_colour(CLOTHES[look.clothes])
        self.white = (250, 248, 244)
        self.lash = (52, 38, 34)
        self.iris = hex_colour(look.eyes)
        self.iris_edge = mix(self.iris, (0, 0, 0), 0.3)
        self.lid_line = mix(self.skin, self.line, 0.5)
        woman, man = look.presentation == "woman", look.presentation == "man"
        self.lip = mix(self.skin, (165, 58, 68) if woman else (150, 60, 60), 0.5 if woman else 0.32 if man else 0.42)
        self.lip_dark = mix(self.skin, (90, 35, 35), 0.62)
        self.brow_scale = 1.22 if man else 0.85 if woman else 1.0
        self.lash_scale = 1.3 if woman else 1.0
        self.lip_soft = mix(self.skin, self.lip, 0.55)
        self.background = self._background(theme)
        self.body = self._supersampled(self._paint_body)
        head = self._supersampled(self._paint_head)
        glasses = self._supersampled(self._paint_glasses) if look.glasses else None
        box = head.get_bounding_rect()
        if glasses is not None:
            box = box.union(glasses.get_bounding_rect())
        box = box.inflate(4, 4).clip(head.get_rect())
        self.head_at = box.topleft  # the head, cropped to what is drawn, and where it sits
        self.head = head.subsurface(box).copy()
        self.glasses, self.glasses_at = None, (0, 0)
        if glasses is not None:
            frame = glasses.get_bounding_rect().inflate(2, 2).clip(glasses.get_rect())
            self.glasses = glasses.subsurface(frame).copy()
            self.glasses_at = (frame.x - box.x, frame.y - box.y)  # relative to the head's corner
        # everything the features may touch (cheeks, forehead lines, tear, brows, mouth) and the glasses
        self.features_area = pygame.Rect(int(self.cx - 0.74 * r), int(self.cy - 0.7 * r), int(1.48 * r) + 2,
                                         int(1.6 * r) + 2)
        if self.glasses is not None:
            self.features_area.union_ip(pygame.Rect(self.head_at[0] + self.glasses_at[0],
                                                    self.head_at[1] + self.glasses_at[1], *self.glasses.get_size()))
        self.flush = self._cheek_sprite((214, 72, 60))
        self.blush = self._cheek_sprite((235, 120, 130))
        self._bases: dict[int, pygame.Surface] = {}
        self._heads: dict[tuple[int, int], pygame.Surface] = {}

    def with_head(self, body_dy: int, head_dy: int) -> pygame.Surface:
        """Background, body and head (no features) in one opaque surface per breathing offset."""
        key = (body_dy, head_dy)
        surface = self._heads.get(key)
        if surface is None:
            surface = self.base(body_dy).copy()
            surface.blit(self.head, (self.head_at[0], self.head_at[1] + head_dy))
            self._heads[key] = surface
            while len(self._heads) > 12:
                self._heads.pop(next(iter(self._heads)))
        return surface

    def base(self, body_dy: int) -> pygame.Surface:
        """Background and body, composed into one opaque surface per breathing offset (a few of them)."""
        base = self._bases.get(body_dy)
        if base is None:
            base = self.background.copy()
            base.blit(self.body, (0, body_dy))
            if pygame.display.get_surface() is not None:
                base = base.convert()
            self._bases[body_dy] = base
        return base

    def _background(self, theme: Theme) -> pygame.Surface:
        surface = pygame.Surface(self.size)
        surface.fill(theme.portrait)
        steps = 10
        for index in range(steps):
            share = index / steps
            radius = int(self.r * (2.4 - 1.5 * share))
            colour = mix(theme.portrait, theme.portrait_glow, share)
            pygame.draw.circle(surface, colour, (int(self.cx), int(self.cy - self.r * 0.1)), radius)
        return surface

    def _supersampled(self, paint) -> pygame.Surface:
        scale = 2
        big = pygame.Surface((self.size[0] * scale, self.size[1] * scale), pygame.SRCALPHA)
        paint(big, scale)
        return pygame.transform.smoothscale(big, self.size)

    # -- static painting at `k` times the size -------------------------------------------------------
    def _paint_body(self, surface, k):
        r, cx, cy, look = self.r * k, self.cx * k, self.cy * k, self.look
        width = BUILD.get(look.build, 2.85) * r
        top = cy + 1.22 * r
        # neck
        neck = pygame.Rect(0, 0, int((0.64 if look.presentation == "man" else 0.54) * r), int(0.75 * r))
        neck.midtop = (int(cx), int(cy + 0.62 * r))
        pygame.draw.rect(surface, self.skin_shadow, neck, border_radius=int(0.12 * r))
        # shoulders and torso
        body = pygame.Rect(0, 0, int(width), int(3.2 * r))
        body.midtop = (int(cx), int(top))
        pygame.draw.rect(surface, self.clothes, body, border_radius=int(0.75 * r))
        pygame.draw.rect(surface, mix(self.clothes, (0, 0, 0), 0.25), body, max(1, int(0.025 * r)),
                         border_radius=int(0.75 * r))
        collar = mix(self.clothes, (255, 255, 255), 0.25)
        if look.presentation == "man":  # a shirt collar over a crew neck
            pygame.draw.ellipse(surface, self.skin_shadow, (cx - 0.3 * r, top - 0.12 * r, 0.6 * r, 0.3 * r))
            shirt = (236, 234, 228) if look.clothes != "white" else (120, 140, 170)
            for side in (-1, 1):
                wing = [(cx + side * 0.05 * r, top + 0.16 * r), (cx + side * 0.36 * r, top - 0.08 * r),
                        (cx + side * 0.42 * r, top + 0.08 * r), (cx + side * 0.24 * r, top + 0.36 * r)]
                pygame.draw.polygon(surface, shirt, wing)
                pygame.draw.polygon(surface, mix(shirt, (0, 0, 0), 0.25), wing, max(1, int(0.02 * r)))
        elif look.presentation == "woman":  # a V of skin and the cloth's folded edge
            v = [(cx - 0.3 * r, top - 0.02 * r), (cx + 0.3 * r, top - 0.02 * r), (cx, top + 0.5 * r)]
            pygame.draw.polygon(surface, self.skin_shadow, v)
            pygame.draw.line(surface, collar, (cx - 0.34 * r, top), (cx, top + 0.56 * r), max(2, int(0.07 * r)))
            pygame.draw.line(surface, collar, (cx + 0.34 * r, top), (cx, top + 0.56 * r), max(2, int(0.07 * r)))
        else:  # a round neck
            scoop = _ellipse_points(cx, top - 0.02 * r, 0.3 * r, 0.24 * r, 0, 180, 16)
            pygame.draw.polygon(surface, self.skin_shadow, _ipoints(scoop))
            pygame.draw.lines(surface, collar, False, _ipoints(scoop), max(2, int(0.06 * r)))

    def _paint_head(self, surface, k):
        r, cx, cy, look = self.r * k, self.cx * k, self.cy * k, self.look
        hair, edge = self.hair, self.hair_edge
        thin = max(1, int(0.02 * r))
        scarf = look.headscarf is not None
        style = look.style
        man, woman = look.presentation == "man", look.presentation == "woman"
        # behind the head: the scarf's drape, or the hair that shows behind it
        if scarf:
            self._scarf_back(surface, r, cx, cy)
        elif style == "bob":
            back = pygame.Rect(0, 0, int(2.12 * r), int(2.05 * r))
            back.center = (int(cx), int(cy - 0.12 * r))
            pygame.draw.ellipse(surface, edge, back.inflate(thin * 2, thin * 2))
            pygame.draw.ellipse(surface, hair, back)
            lower = pygame.Rect(int(cx - 1.04 * r), int(cy - 0.1 * r), int(2.08 * r), int(0.75 * r))
            pygame.draw.rect(surface, hair, lower, border_radius=int(0.3 * r))
        elif style == "long":
            back = pygame.Rect(0, 0, int(2.14 * r), int(2.1 * r))
            back.center = (int(cx), int(cy - 0.14 * r))
            pygame.draw.ellipse(surface, edge, back.inflate(thin * 2, thin * 2))
            pygame.draw.ellipse(surface, hair, back)
            fall = [(cx - 1.04 * r, cy - 0.2 * r), (cx - 1.08 * r, cy + 0.7 * r), (cx - 0.98 * r, cy + 1.55 * r),
                    (cx - 0.7 * r, cy + 1.72 * r), (cx + 0.7 * r, cy + 1.72 * r), (cx + 0.98 * r, cy + 1.55 * r),
                    (cx + 1.08 * r, cy + 0.7 * r), (cx + 1.04 * r, cy - 0.2 * r)]
            self._hair_shape(surface, fall, thin)
            for side in (-1, 1):  # strands down the back of the fall
                strand = _through((cx + side * 0.95 * r, cy + 0.2 * r), (cx + side * 1.04 * r, cy + 0.9 * r),
                                  (cx + side * 0.96 * r, cy + 1.6 * r), 8)
                pygame.draw.lines(surface, mix(hair, edge, 0.5), False, strand, max(1, int(0.016 * r)))
        elif style == "bun":
            bun = (int(cx + 0.1 * r), int(cy - 1.12 * r))
            pygame.draw.circle(surface, edge, bun, int(0.36 * r) + thin)
            pygame.draw.circle(surface, hair, bun, int(0.36 * r))
        elif style == "ponytail":
            tail = [(cx + 0.6 * r, cy - 0.72 * r), (cx + 0.98 * r, cy - 0.42 * r), (cx + 1.06 * r, cy + 0.3 * r),
                    (cx + 0.96 * r, cy + 1.05 * r), (cx + 0.84 * r, cy + 0.4 * r), (cx + 0.74 * r, cy - 0.2 * r)]
            self._hair_shape(surface, tail, thin)
        elif style == "curly":
            for index in range(15):  # a halo of curls around the crown and down the sides
                angle = math.radians(165 + index * 210 / 14)
                x, y = cx + 1.0 * r * math.cos(angle), cy - 0.12 * r + 1.12 * r * math.sin(angle)
                radius = int((0.27 if woman else 0.22) * r)
                pygame.draw.circle(surface, edge, (int(x), int(y)), radius + thin)
                pygame.draw.circle(surface, hair, (int(x), int(y)), radius)
        elif style == "receding":
            sides = pygame.Rect(0, 0, int(1.93 * r), int(1.05 * r))
            sides.center = (int(cx), int(cy - 0.22 * r))
            pygame.draw.ellipse(surface, edge, sides.inflate(thin * 2, thin * 2))
            pygame.draw.ellipse(surface, hair, sides)
        # ears (under a scarf, none)
        if not scarf:
            for side in (-1, 1):
                ear = pygame.Rect(0, 0, int(0.24 * r), int(0.36 * r))
                ear.center = (int(cx + side * 0.86 * r), int(cy + 0.02 * r))
                pygame.draw.ellipse(surface, self.skin_shadow, ear)
                inner = ear.inflate(-int(0.1 * r), -int(0.14 * r))
                pygame.draw.ellipse(surface, mix(self.skin_shadow, (90, 50, 40), 0.2), inner, max(1, int(0.02 * r)))
                if woman and style not in ("long", "bob") and look.age >= 14:  # small earrings
                    pygame.draw.circle(surface, (214, 182, 98), (ear.centerx, ear.bottom + int(0.02 * r)), max(1, int(0.035 * r)))
        # the head: a broad oval, narrower at the jaw (a little squarer for men)
        head = pygame.Rect(0, 0, int((1.76 if man else 1.7) * r), int(2.1 * r))
        head.center = (int(cx), int(cy))
        pygame.draw.ellipse(surface, self.skin, head)
        jaw = pygame.Rect(0, 0, int((1.62 if man else 1.46) * r), int((1.12 if man else 1.1) * r))
        jaw.midbottom = (int(cx), int(cy + (1.1 if man else 1.09) * r))
        pygame.draw.ellipse(surface, self.skin, jaw)
        if man:
            chin = pygame.Rect(0, 0, int(1.1 * r), int(0.5 * r))
            chin.midbottom = (int(cx), int(cy + 1.08 * r))
            pygame.draw.rect(surface, self.skin, chin, border_radius=int(0.24 * r))
        # ageing: lines on the forehead, beside the eyes and from the nose; age spots late in life
        if look.age >= 50:
            depth = min(1.0, (look.age - 45) / 30)
            line = mix(self.skin, self.line, 0.3 + 0.4 * depth)
            width = max(1, int(0.018 * r))
            if not scarf:
                for dy in ((-0.5, -0.41) if look.age >= 65 else (-0.46,)):
                    pygame.draw.arc(surface, line, pygame.Rect(int(cx - 0.3 * r), int(cy + dy * r), int(0.6 * r), int(0.12 * r)),
                                    math.radians(25), math.radians(155), width)
            for side in (-1, 1):
                ex = cx + side * 0.34 * r
                for angle in ((-0.18, 0.0, 0.2) if look.age >= 60 else (0.0, 0.2)):
                    x0 = ex + side * 0.22 * r
                    pygame.draw.line(surface, line, (x0, cy - 0.08 * r + angle * 0.3 * r),
                                     (x0 + side * 0.09 * r, cy - 0.08 * r + angle * 0.55 * r), width)
                fold = _through((cx + side * 0.16 * r, cy + 0.22 * r), (cx + side * 0.3 * r, cy + 0.36 * r),
                                (cx + side * 0.34 * r, cy + 0.5 * r), 8)
                pygame.draw.lines(surface, line, False, fold, width)
                if look.age >= 70:
                    bag = pygame.Rect(int(ex - 0.13 * r), int(cy + 0.02 * r), int(0.26 * r), int(0.12 * r))
                    pygame.draw.arc(surface, line, bag, math.radians(200), math.radians(340), width)
                    jowl = _through((cx + side * 0.42 * r, cy + 0.6 * r), (cx + side * 0.4 * r, cy + 0.78 * r),
                                    (cx + side * 0.28 * r, cy + 0.9 * r), 8)
                    pygame.draw.lines(surface, mix(self.skin, line, 0.7), False, jowl, width)
            if look.age >= 72:
                spot = mix(self.skin, (120, 80, 50), 0.25)
                for dx, dy, size in ((-0.42, -0.38, 0.04), (0.5, -0.2, 0.03), (0.36, 0.42, 0.025)):
                    pygame.draw.circle(surface, spot, (int(cx + dx * r), int(cy + dy * r)), max(1, int(size * r)))
        # nose
        nose = mix(self.skin, self.line, 0.55)
        width = max(1, int(0.028 * r))
        pygame.draw.lines(surface, nose, False, _through((cx + 0.02 * r, cy - 0.02 * r), (cx + 0.08 * r, cy + 0.14 * r),
                                                        (cx + 0.06 * r, cy + 0.27 * r), 8), width)
        spread = 0.14 if man else 0.12
        pygame.draw.lines(surface, nose, False, _through((cx - spread * r, cy + 0.27 * r), (cx, cy + 0.33 * r),
                                                        (cx + spread * r, cy + 0.27 * r), 8), width)
        self._paint_facial_hair(surface, r, cx, cy)
        # in front: the scarf framing the face, or the hair
        if scarf:
            self._scarf_front(surface, r, cx, cy)
            return
        if style == "bob":
            outer = _ellipse_points(cx, cy - 0.1 * r, 0.99 * r, 1.14 * r, 160, 380, 28)
            inner = [(cx + 0.84 * r, cy + 0.05 * r), (cx + 0.8 * r, cy - 0.35 * r), (cx + 0.5 * r, cy - 0.62 * r),
                     (cx + 0.05 * r, cy - 0.6 * r), (cx - 0.35 * r, cy - 0.5 * r), (cx - 0.75 * r, cy - 0.3 * r),
                     (cx - 0.84 * r, cy + 0.05 * r)]
            self._hair_shape(surface, outer + inner, thin)
        elif style == "long":
            # parted a little off centre, swept back behind the ears
            outer = _ellipse_points(cx, cy - 0.1 * r, 0.98 * r, 1.14 * r, 168, 372, 28)
            inner = [(cx + 0.88 * r, cy - 0.02 * r), (cx + 0.8 * r, cy - 0.38 * r), (cx + 0.5 * r, cy - 0.64 * r),
                     (cx + 0.15 * r, cy - 0.72 * r), (cx + 0.1 * r, cy - 0.9 * r), (cx - 0.02 * r, cy - 0.7 * r),
                     (cx - 0.45 * r, cy - 0.6 * r), (cx - 0.8 * r, cy - 0.34 * r), (cx - 0.88 * r, cy - 0.02 * r)]
            self._hair_shape(surface, outer + inner, thin)
            for side in (-1, 1):
                strand = _through((cx + side * 0.4 * r, cy - 0.9 * r), (cx + side * 0.75 * r, cy - 0.6 * r),
                                  (cx + side * 0.9 * r, cy - 0.1 * r), 8)
                pygame.draw.lines(surface, mix(hair, edge, 0.55), False, strand, max(1, int(0.016 * r)))
        elif style == "short":
            outer = _ellipse_points(cx, cy - 0.08 * r, 0.93 * r, 1.17 * r, 172, 368, 28)
            inner = [(cx + 0.87 * r, cy - 0.08 * r), (cx + 0.8 * r, cy - 0.4 * r), (cx + 0.62 * r, cy - 0.6 * r),
                     (cx + 0.36 * r, cy - 0.74 * r), (cx + 0.28 * r, cy - 0.66 * r), (cx + 0.05 * r, cy - 0.6 * r),
                     (cx - 0.3 * r, cy - 0.6 * r), (cx - 0.6 * r, cy - 0.5 * r), (cx - 0.8 * r, cy - 0.3 * r),
                     (cx - 0.87 * r, cy - 0.08 * r)]
            if man:  # higher at the temples, sideburns by the ears
                inner[0] = (cx + 0.87 * r, cy + 0.05 * r)
                inner[-1] = (cx - 0.87 * r, cy + 0.05 * r)
            self._hair_shape(surface, outer + inner, thin)
            for start, bend, end in (((0.3, -0.72), (0.0, -0.92), (-0.4, -0.95)), ((0.36, -0.76), (0.6, -0.9), (0.75, -0.7))):
                strand = _through((cx + start[0] * r, cy + start[1] * r), (cx + bend[0] * r, cy + bend[1] * r),
                                  (cx + end[0] * r, cy + end[1] * r), 8)
                pygame.draw.lines(surface, mix(self.hair, self.hair_edge, 0.6), False, strand, max(1, int(0.018 * r)))
        elif style == "shaved":  # hair cut close: the scalp shows through its colour
            outer = _ellipse_points(cx, cy - 0.06 * r, 0.88 * r, 1.1 * r, 178, 362, 28)
            inner = [(cx + 0.86 * r, cy - 0.1 * r), (cx + 0.6 * r, cy - 0.62 * r), (cx, cy - 0.72 * r),
                     (cx - 0.6 * r, cy - 0.62 * r), (cx - 0.86 * r, cy - 0.1 * r)]
            shade = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
            pygame.draw.polygon(shade, (*hair, 150), _ipoints(outer + inner))
            surface.blit(shade, (0, 0))
        elif style in ("bun", "ponytail"):
            outer = _ellipse_points(cx, cy - 0.06 * r, 0.91 * r, 1.15 * r, 178, 362, 28)
            inner = [(cx + 0.86 * r, cy - 0.1 * r), (cx + 0.7 * r, cy - 0.56 * r), (cx + 0.2 * r, cy - 0.78 * r),
                     (cx - 0.2 * r, cy - 0.78 * r), (cx - 0.7 * r, cy - 0.56 * r), (cx - 0.86 * r, cy - 0.1 * r)]
            self._hair_shape(surface, outer + inner, thin)
            for offset in (-0.35, 0.0, 0.35):  # combed strands
                strand = _through((cx + offset * r * 0.6, cy - 0.8 * r), (cx + offset * r * 0.85, cy - 1.0 * r),
                                  (cx + offset * r, cy - 1.13 * r), 6)
                pygame.draw.lines(surface, mix(hair, edge, 0.45), False, strand, max(1, int(0.014 * r)))
        elif style == "curly":
            for index in range(9):  # curls along the hairline
                t = index / 8
                x = cx + (-0.74 + 1.48 * t) * r
                y = cy - 0.62 * r - math.sin(math.pi * t) * 0.2 * r + (0.12 * r if index in (0, 8) else 0)
                radius = int(0.17 * r)
                pygame.draw.circle(surface, edge, (int(x), int(y)), radius + thin)
                pygame.draw.circle(surface, hair, (int(x), int(y)), radius)
            top = _ellipse_points(cx, cy - 0.1 * r, 0.96 * r, 1.16 * r, 185, 355, 20)
            pygame.draw.polygon(surface, hair, _ipoints(top + [(cx + 0.7 * r, cy - 0.62 * r), (cx - 0.7 * r, cy - 0.62 * r)]))
            for index in range(7):  # texture
                t = index / 6
                x, y = cx + (-0.6 + 1.2 * t) * r, cy - 0.95 * r + abs(t - 0.5) * 0.3 * r
                pygame.draw.arc(surface, mix(hair, edge, 0.6), pygame.Rect(int(x - 0.1 * r), int(y), int(0.2 * r), int(0.16 * r)),
                                0.3, 2.8, max(1, int(0.016 * r)))
        elif style == "receding":
            for side in (-1, 1):
                tuft = [(cx + side * 0.88 * r, cy + 0.05 * r), (cx + side * 0.93 * r, cy - 0.3 * r),
                        (cx + side * 0.8 * r, cy - 0.62 * r), (cx + side * 0.62 * r, cy - 0.66 * r),
                        (cx + side * 0.74 * r, cy - 0.35 * r), (cx + side * 0.8 * r, cy + 0.02 * r)]
                self._hair_shape(surface, tuft, thin)
        elif style == "bald":
            for side in (-1, 1):  # a fringe of hair low at the back and sides
                tuft = [(cx + side * 0.87 * r, cy + 0.08 * r), (cx + side * 0.9 * r, cy - 0.22 * r),
                        (cx + side * 0.82 * r, cy - 0.36 * r), (cx + side * 0.78 * r, cy - 0.1 * r)]
                self._hair_shape(surface, tuft, thin)
            sheen = pygame.Rect(int(cx - 0.35 * r), int(cy - 0.98 * r), int(0.5 * r), int(0.22 * r))
            pygame.draw.ellipse(surface, mix(self.skin, (255, 255, 255), 0.25), sheen)

    def _paint_facial_hair(self, surface, r, cx, cy) -> None:
        kind = self.look.facial_hair
        if kind == "none":
            return
        colour = self.brow if self.look.hair not in ("white", "grey") else mix(self.hair, (90, 90, 90), 0.3)
        if kind == "stubble":
            shade = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
            jaw = _ellipse_points(cx, cy + 0.3 * r, 0.8 * r, 0.78 * r, 10, 170, 20)
            pygame.draw.polygon(shade, (*colour, 60), _ipoints([(cx + 0.8 * r, cy + 0.2 * r)] + jaw + [(cx - 0.8 * r, cy + 0.2 * r),
                                                                (cx - 0.3 * r, cy + 0.4 * r), (cx + 0.3 * r, cy + 0.4 * r)]))
            surface.blit(shade, (0, 0))
            return
        if kind in ("beard", "goatee"):
            if kind == "beard":
                outer = _ellipse_points(cx, cy + 0.25 * r, 0.86 * r, 0.9 * r, 0, 180, 24)
                shape = [(cx + 0.86 * r, cy + 0.05 * r)] + outer + [(cx - 0.86 * r, cy + 0.05 * r),
                                                                  (cx - 0.6 * r, cy + 0.45 * r), (cx - 0.3 * r, cy + 0.72 * r),
                                                                  (cx + 0.3 * r, cy + 0.72 * r), (cx + 0.6 * r, cy + 0.45 * r)]
            else:
                shape = [(cx - 0.26 * r, cy + 0.72 * r), (cx - 0.2 * r, cy + 0.98 * r), (cx, cy + 1.08 * r),
                         (cx + 0.2 * r, cy + 0.98 * r), (cx + 0.26 * r, cy + 0.72 * r), (cx, cy + 0.76 * r)]
            pygame.draw.polygon(surface, colour, _ipoints(shape))
            pygame.draw.polygon(surface, mix(colour, (20, 15, 12), 0.3), _ipoints(shape), max(1, int(0.015 * r)))
        # the moustache, over the upper lip
        moustache = _through((cx - 0.3 * r, cy + 0.5 * r), (cx, cy + 0.36 * r), (cx + 0.3 * r, cy + 0.5 * r), 10)
        lower = _through((cx + 0.26 * r, cy + 0.52 * r), (cx, cy + 0.44 * r), (cx - 0.26 * r, cy + 0.52 * r), 10)
        pygame.draw.polygon(surface, colour, _ipoints(moustache + lower))

    def _scarf_colour(self):
        return hex_colour(CLOTHES.get(self.look.headscarf or "", CLOTHES["blue"]))

    def _scarf_back(self, surface, r, cx, cy) -> None:
        colour = self._scarf_colour()
        drape = [(cx - 1.1 * r, cy - 0.3 * r), (cx - 1.25 * r, cy + 1.0 * r), (cx - 1.45 * r, cy + 1.9 * r),
                 (cx + 1.45 * r, cy + 1.9 * r), (cx + 1.25 * r, cy + 1.0 * r), (cx + 1.1 * r, cy - 0.3 * r)]
        pygame.draw.polygon(surface, colour, _ipoints(drape))
        hood = pygame.Rect(0, 0, int(2.3 * r), int(2.5 * r))
        hood.center = (int(cx), int(cy - 0.05 * r))
        pygame.draw.ellipse(surface, colour, hood)

    def _scarf_front(self, surface, r, cx, cy) -> None:
        """The scarf over the forehead and around the face: the face shows through an oval opening."""
        colour = self._scarf_colour()
        layer = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
        hood = pygame.Rect(0, 0, int(2.3 * r), int(2.5 * r))
        hood.center = (int(cx), int(cy - 0.05 * r))
        pygame.draw.ellipse(layer, colour, hood)
        under = pygame.Rect(0, 0, int(1.9 * r), int(1.2 * r))
        under.midtop = (int(cx), int(cy + 0.55 * r))
        pygame.draw.ellipse(layer, colour, under)
        opening = pygame.Rect(0, 0, int(1.56 * r), int(1.92 * r))
        opening.center = (int(cx), int(cy + 0.12 * r))
        pygame.draw.ellipse(layer, (0, 0, 0, 0), opening)
        fold = mix(colour, (0, 0, 0), 0.25)
        pygame.draw.ellipse(layer, fold, opening.inflate(int(0.06 * r), int(0.06 * r)), max(1, int(0.03 * r)))
        pygame.draw.arc(layer, fold, hood.inflate(-int(0.3 * r), -int(0.3 * r)), math.radians(30), math.radians(150),
                        max(1, int(0.02 * r)))
        surface.blit(layer, (0, 0))

    def _hair_shape(self, surface, points, thin):
        points = _ipoints(points)
        pygame.draw.polygon(surface, self.hair, points)
        pygame.draw.polygon(surface, self.hair_edge, points, thin)

    def _paint_glasses(self, surface, k):
        r, cx, cy = self.r * k, self.cx * k, self.cy * k
        frame = (48, 44, 48)
        width = max(2, int(0.035 * r))
        ey = cy - 0.08 * r
        for side in (-1, 1):
            lens = pygame.Rect(0, 0, int(0.5 * r), int(0.34 * r))
            lens.center = (int(cx + side * 0.34 * r), int(ey + 0.01 * r))
            glass = pygame.Surface(lens.size, pygame.SRCALPHA)
            pygame.draw.rect(glass, (215, 235, 245, 40), glass.get_rect(), border_radius=int(0.1 * r))
            surface.blit(glass, lens)
            pygame.draw.rect(surface, frame, lens, width, border_radius=int(0.1 * r))
            pygame.draw.line(surface, (255, 255, 255, 140), (lens.x + 0.1 * r, lens.bottom - 0.08 * r),
                             (lens.x + 0.2 * r, lens.y + 0.07 * r), max(1, int(0.02 * r)))
            pygame.draw.line(surface, frame, (cx + side * 0.59 * r, ey - 0.02 * r), (cx + side * 0.86 * r, ey - 0.04 * r),
                             width)
        pygame.draw.arc(surface, frame, pygame.Rect(int(cx - 0.1 * r), int(ey - 0.06 * r), int(0.2 * r), int(0.14 * r)),
                        math.radians(20), math.radians(160), width)

    def _cheek_sprite(self, colour) -> pygame.Surface:
        r = self.r
        size = (max(2, int(0.42 * r)), max(2, int(0.24 * r)))
        sprite = pygame.Surface(size, pygame.SRCALPHA)
        steps = 8
        for index in range(steps):
            share = index / steps
            rect = pygame.Rect(0, 0, int(size[0] * (1 - share * 0.8)), int(size[1] * (1 - share * 0.8)))
            rect.center = (size[0] // 2, size[1] // 2)
            pygame.draw.ellipse(sprite, (*colour, int(26 + 12 * index)), rect)
        return sprite


class Face:
    """One customer's face: features easing towards an expression, with idle motion."""

    EASE = 4.0  # per second: about 90 % of the way in 0.6 s

    def __init__(self, look: Look, seed: int = 0):
        self.look = look
        self.params = params_for("calm")
        self.target = params_for("calm")
        self.expression = "calm"
        self.distress = 30
        self.time = 0.0
        self._rng = random.Random(seed)
        self._next_blink = 1.5 + self._rng.random() * 2.0
        self._blink_start = -1.0
        self._gaze = (0.0, 0.0)
        self._gaze_target = (0.0, 0.0)
        self._next_glance = 2.0
        self._layers: _Layers | None = None
        self._key = None
        self._portraits: OrderedDict = OrderedDict()
        self._previous_key = None
        self._placed = None  # where the last picture went, and with which breathing offsets
        self._drawn_face = None
        self.animated = True

    # -- state ------------------------------------------------------------------------------------
    def set_expression(self, name: str, instant: bool = False) -> None:
        self.expression = name
        self.target = params_for(name)
        if instant:
            self.params = dict(self.target)

    def set_mood(self, mood: Mood, instant: bool = False) -> None:
        self.distress = mood.distress
        self.set_expression(expression(mood), instant)

    def show(self, mood: Mood | None, authored: str | None = None, intensity: float | None = None,
             instant: bool = False) -> None:
        """The face for a line: its authored expression when it has one (at its intensity), with the mood
        blended in only where it agrees; without one, the mood's own face. With no mood (someone other
        than the customer, whose mood is the customer's alone) the authored expression, or calm."""
        if authored not in EXPRESSION_PARAMS:
            if mood is None:
                self.set_expression("calm", instant)
            else:
                self.set_mood(mood, instant)
            return
        if mood is not None:
            self.distress = mood.distress
        try:
            strength = 0.75 if intensity is None else max(0.0, min(1.0, float(intensity)))
        except (TypeError, ValueError):
            strength = 0.75
        if strength != strength:  # NaN
            strength = 0.75
        target = blend(params_for("calm"), params_for(authored), 0.45 + 0.55 * strength)
        felt = expression(mood) if mood is not None else authored
        if felt != authored and FAMILY.get(felt) == FAMILY[authored]:
            target = blend(target, params_for(felt), 0.2)
        self.expression = authored
        self.target = target
        if instant:
            self.params = dict(target)

    @property
    def settled(self) -> bool:
        return distance(self.params, self.target) < 0.02

    def update(self, dt: float) -> None:
        dt = max(0.0, min(dt, 0.25))
        self.time += dt
        if not self.settled:
            share = 1 - math.exp(-self.EASE * dt)
            self.params = blend(self.params, self.target, share)
        if not self.animated:
            return
        if self._blink_start < 0 and self.time >= self._next_blink:
            self._blink_start = self.time
        if self._blink_start >= 0 and self.time - self._blink_start > 0.16:
            self._blink_start = -1.0
            self._next_blink = self.time + 2.2 + self._rng.random() * 3.5
        if self.time >= self._next_glance:
            self._gaze_target = ((self._rng.random() - 0.5) * 0.5, (self._rng.random() - 0.5) * 0.3)
            if self._rng.random() < 0.4:
                self._gaze_target = (0.0, 0.0)
            self._next_glance = self.time + 1.4 + self._rng.random() * 2.8
        self._gaze = self._gaze_target  # eyes jump (saccades); they do not glide

    def _blink(self) -> float:
        if self._blink_start < 0 or not self.animated:
            return 1.0
        phase = (self.time - self._blink_start) / 0.16
        return max(0.0, 1 - math.sin(math.pi * min(1.0, phase)))

    def _breath(self) -> float:
        period = 4.6 - 2.0 * max(0, min(100, self.distress)) / 100
        return math.sin(2 * math.pi * self.time / period) if self.animated else 0.0

    # -- drawing ----------------------------------------------------------------------------------
    def layers(self, size: tuple[int, int], theme: Theme) -> _Layers:
        key = (size, theme.name)
        if self._layers is None or self._key != key:
            self._layers = _Layers(self.look, size, theme)
            self._key = key
            self._portraits.clear()
        return self._layers

    CACHE = 12  # finished portraits kept: one per breathing offset and face, about 1 MB each at 1280×720

    def draw(self, surface: pygame.Surface, rect: pygame.Rect, theme: Theme, incremental: bool = False) -> None:
        """Draw the customer into `rect`.

        While the face is still (most of the time) the portrait comes from a small cache of finished
        opaque pictures, one per breathing offset: one blit. While it changes (an expression easing,
        a blink) the head under the features is restored from a picture without them and the features
        are drawn on top, always onto opaque pixels so their anti-aliased edges blend properly.

        With `incremental` the caller promises the target still holds the last picture drawn there:
        then nothing is drawn if nothing moved, and only the features' area if only they moved.
        """
        rect = pygame.Rect(rect)
        if rect.width < 24 or rect.height < 24:
            pygame.draw.rect(surface, theme.portrait, rect)
            return
        layers = self.layers(rect.size, theme)
        r = layers.r
        p = self.params
        breath = self._breath()
        body_dy = int(round(breath * max(1.0, r * 0.022)))
        head_dy = int(round(breath * max(0.6, r * 0.012) + p["head_drop"] * 0.07 * r))
        blink = self._blink()
        face_key = (tuple(round(p[name], 2) for name in PARAMS), round(blink, 2), round(self._gaze[0], 2),
                    round(self._gaze[1], 2), id(layers))
        placed = (id(surface), tuple(rect), id(layers), body_dy, head_dy)
        steady = face_key == self._previous_key
        self._previous_key = face_key
        clip = surface.get_clip()
        if incremental and placed == self._placed:
            if face_key == self._drawn_face:
                return  # nothing moved
            area = layers.features_area.move(rect.x, rect.y + head_dy).clip(rect)
            surface.set_clip(area.clip(clip) if clip else area)
            surface.blit(layers.with_head(body_dy, head_dy), area.topleft, area.move(-rect.x, -rect.y))
            self._paint_features(surface, layers, rect.x, rect.y, head_dy, r, p, blink)
        else:
            surface.set_clip(rect.clip(clip) if clip else rect)
            key = (face_key, body_dy, head_dy)
            cached = self._portraits.get(key)
            if cached is None and steady:  # still for two frames: finish this picture once, keep it
                cached = pygame.Surface(rect.size)
                cached.blit(layers.with_head(body_dy, head_dy), (0, 0))
                self._paint_features(cached, layers, 0, 0, head_dy, r, p, blink)
                self._portraits[key] = cached
                while len(self._portraits) > self.CACHE:
                    self._portraits.popitem(last=False)
            if cached is not None:
                self._portraits.move_to_end(key)
                surface.blit(cached, rect.topleft)
            else:
                surface.blit(layers.with_head(body_dy, head_dy), rect.topleft)
                self._paint_features(surface, layers, rect.x, rect.y, head_dy, r, p, blink)
        self._placed, self._drawn_face = placed, face_key
        surface.set_clip(clip)

    def _paint_features(self, surface, layers: _Layers, x: int, y: int, head_dy: int, r: float, p: dict,
                        blink: float) -> None:
        """The moving parts over a drawn head: eyes, brows, mouth, cheeks; then the glasses on top."""
        self._draw_features(surface, layers, x + layers.cx, y + layers.cy + head_dy, r, p, blink)
        if layers.glasses is not None:
            surface.blit(layers.glasses, (x + layers.head_at[0] + layers.glasses_at[0],
                                          y + layers.head_at[1] + layers.glasses_at[1] + head_dy))

    def _draw_features(self, surface, layers: _Layers, cx: float, cy: float, r: float, p: dict, blink: float) -> None:
        skin = layers.skin
        # cheeks
        for sprite, amount in ((layers.flush, p["flush"]), (layers.blush, p["blush"])):
            if amount > 0.03:
                sprite.set_alpha(int(255 * min(1.0, amount)))
                for side in (-1, 1):
                    surface.blit(sprite, (int(cx + side * 0.47 * r - sprite.get_width() / 2),
                                          int(cy + 0.24 * r - sprite.get_height() / 2)))
        # forehead: worry lines and the frown's furrow
        if p["worry"] > 0.08:
            colour = mix(skin, layers.line, min(1.0, p["worry"]) * 0.75)
            for dy, span in ((-0.56, 0.26), (-0.47, 0.3)):
                y = cy + dy * r
                _thick(surface, colour, _through((cx - span * r, y + 0.02 * r), (cx, y - 0.025 * r),
                                                 (cx + span * r, y + 0.02 * r), 6), max(1.0, 0.02 * r), caps=False)
        if p["furrow"] > 0.08:
            colour = mix(skin, layers.line, min(1.0, p["furrow"]) * 0.85)
            for side in (-1, 1):
                _thick(surface, colour, [(cx + side * 0.05 * r, cy - 0.36 * r), (cx + side * 0.035 * r, cy - 0.22 * r)],
                       max(1.0, 0.022 * r))
        gaze_x = max(-1.0, min(1.0, p["gaze_x"] + self._gaze[0]))
        gaze_y = max(-1.0, min(1.0, p["gaze_y"] + self._gaze[1]))
        ey = cy - 0.08 * r
        for side in (-1, 1):  # -1: the eye on the viewer's left; its nose side is +x
            self._eye(surface, layers, cx + side * 0.34 * r, ey, r, -side, p, blink, gaze_x, gaze_y)
        self._mouth(surface, layers, cx, cy + 0.52 * r, r, p)
        if p["tear"] > 0.15:
            tear = mix(skin, (120, 180, 230), min(1.0, p["tear"]))
            x, y = cx - 0.37 * r, ey + 0.27 * r
            radius = max(1.0, 0.038 * r)
            _polygon(surface, tear, [(x, y - radius * 2.3), (x + radius * 0.95, y - radius * 0.3),
                                     (x - radius * 0.95, y - radius * 0.3)])
            gfx.filled_circle(surface, int(round(x)), int(round(y)), int(round(radius)), tear)
            gfx.aacircle(surface, int(round(x)), int(round(y)), int(round(radius)), tear)

    def _eye(self, surface, layers: _Layers, ex: float, ey: float, r: float, nose: int, p: dict, blink: float,
             gaze_x: float, gaze_y: float) -> None:
        ew, eh = 0.16 * r, 0.105 * r
        openness = max(0.0, min(1.3, p["eye_open"])) * blink
        angle = p["lid_angle"]
        lower_lid = p["lower_lid"]
        low_height = eh * (0.78 - 0.5 * max(0.0, lower_lid))
        low_lift = eh * 0.18 * lower_lid
        open_height = eh * openness
        droop_scale = 0.055 * r
        upper, lower = [], []
        for u, shape, shape_low in zip(_EYE_U, _EYE_UPPER, _EYE_LOWER):
            x = ex + u * ew
            toward_nose = u * nose  # +1 at the inner corner, -1 at the outer
            droop = angle * (toward_nose + 1) / 2 if angle > 0 else -angle * (1 - toward_nose) / 2
            height_up = open_height - droop * droop_scale
            y_up = ey - (height_up if height_up > 0 else 0.0) * shape
            y_low = ey + low_height * shape_low - low_lift * shape
            upper.append((x, y_up))
            lower.append((x, y_low if y_low > y_up else y_up))
        lash = layers.lash
        if openness > 0.06:
            _polygon(surface, layers.white, upper + lower[::-1])
            iris_r = max(1, int(0.074 * r))
            ix, iy = int(ex + gaze_x * 0.065 * r), int(ey + gaze_y * 0.045 * r + 0.01 * r)
            _filled_circle(surface, ix, iy, iris_r, layers.iris)
            _aacircle(surface, ix, iy, iris_r, layers.iris_edge)
            _filled_circle(surface, ix, iy, max(1, int(iris_r * 0.48)), (22, 18, 18))
            _filled_circle(surface, int(ix + iris_r * 0.35), int(iy - iris_r * 0.35), max(1, int(iris_r * 0.22)),
                           (255, 255, 255))
            # lids: skin over whatever of the eye lies outside the opening
            top = ey - eh * 1.45 - 0.06 * r
            bottom = ey + eh * 1.2 + 0.02 * r
            left, right = ex - ew - 1, ex + ew + 1
            skin = layers.skin
            _polygon(surface, skin, [(left, top), (left, upper[0][1])] + upper + [(right, upper[-1][1]), (right, top)])
            _polygon(surface, skin, [(left, bottom), (left, lower[0][1])] + lower + [(right, lower[-1][1]), (right, bottom)])
            _thick(surface, lash, upper, max(1.5, 0.03 * r * layers.lash_scale))
            _thick(surface, layers.lid_line, lower[2:-2], max(1.0, 0.012 * r), caps=False)
        else:
            _thick(surface, lash, [(x, (y + ly) / 2) for (x, y), (_lx, ly) in zip(upper, lower)], max(1.5, 0.03 * r))
        # brow
        brow_inner = p["brow_inner"]
        by = ey - 0.25 * r - p["brow_raise"] * 0.07 * r
        inner = (ex + nose * 0.13 * r, by - brow_inner * (0.085 if brow_inner > 0 else 0.1) * r)
        outer = (ex - nose * 0.2 * r, by + 0.02 * r + brow_inner * 0.035 * r)
        middle = (ex - nose * 0.04 * r, by - 0.045 * r - p["brow_raise"] * 0.015 * r
                  - max(0.0, brow_inner) * 0.03 * r)
        _thick(surface, layers.brow, _through(outer, middle, inner, 6),
               max(2.0, (0.058 + 0.012 * p["furrow"]) * r * layers.brow_scale))

    def _mouth(self, surface, layers: _Layers, mx: float, my: float, r: float, p: dict) -> None:
        half = 0.28 * r * p["mouth_width"]
        curve, opening, skew = p["mouth_curve"], max(0.0, p["mouth_open"]), p["mouth_skew"]
        corner_y = my - curve * 0.11 * r
        left = (mx - half, corner_y - skew * 0.06 * r)
        right = (mx + half, corner_y + skew * 0.04 * r)
        mid_upper = (mx + skew * 0.03 * r, my - opening * 0.04 * r)
        upper = _through(left, mid_upper, right, 10)
        if opening > 0.05:
            mid_lower = (mx + skew * 0.03 * r, mid_upper[1] + opening * 0.3 * r + max(0.0, curve) * opening * 0.1 * r)
            lower = _through(left, mid_lower, right, 10)
            _polygon(surface, (96, 36, 42), upper + lower[::-1])
            if p["teeth"] > 0.2:
                depth = min(0.085 * r, opening * 0.14 * r)
                teeth = [(x, min(y + depth, ly)) for (x, y), (_lx, ly) in zip(upper, lower)]
                _polygon(surface, (246, 243, 236), upper[1:-1] + teeth[1:-1][::-1])
            _thick(surface, layers.lip, lower, max(1.5, 0.045 * r))
            _thick(surface, layers.lip_dark, upper, max(1.5, 0.03 * r))
        else:
            lower_lip = _through((left[0] + half * 0.3, left[1] + 0.03 * r), (mx, mid_upper[1] + 0.06 * r),
                                 (right[0] - half * 0.3, right[1] + 0.03 * r), 6)
            _thick(surface, layers.lip_soft, lower_lip, max(1.5, 0.05 * r))
            _thick(surface, layers.lip_dark, upper, max(1.5, 0.032 * r))


def render_face(look: Look, name: str, size: tuple[int, int], theme: Theme) -> pygame.Surface:
    """A still face with one expression (for screenshots, the replay's thumbnails and tests)."""
    face = Face(look)
    face.animated = False
    face.set_expression(name, instant=True)
    surface = pygame.Surface(size)
    face.draw(surface, surface.get_rect(), theme)
    return surface


def expression_sheet(look: Look, theme: Theme, cell: tuple[int, int] = (220, 260),
                     label=None) -> pygame.Surface:
    """All six expressions side by side."""
    sheet = pygame.Surface((cell[0] * len(EXPRESSIONS), cell[1]))
    sheet.fill(theme.background)
    for index, name in enumerate(EXPRESSIONS):
        sheet.blit(render_face(look, name, cell, theme), (index * cell[0], 0))
        if label is not None:
            label(sheet, name, pygame.Rect(index * cell[0], 0, cell[0], cell[1]))
    return sheet
