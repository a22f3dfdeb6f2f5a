"""The customer's face: ten clearly different expressions, led by the line's authored expression and the mood,
with idle motion; faces for everyone (presentation, hair, facial hair, skin, age, glasses, headscarf)."""

import itertools
import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # noqa: E402
import pytest  # noqa: E402

from game.describe import EXPRESSIONS, expression  # noqa: E402
from game.engine.rules import Mood  # noqa: E402
from game.scenario.model import Customer  # noqa: E402
from game.ui.face import EXPRESSION_PARAMS, PARAMS, Face, Look, distance, look_for, render_face  # noqa: E402
from game.ui.theme import CALM, HIGH_CONTRAST, contrast_ratio  # noqa: E402

LOOKS = [Look(hair="white", skin="light", clothes="purple", glasses=True, style="bun", age=76),
         Look(hair="black", skin="dark", clothes="blue", style="short", age=38),
         Look(hair="grey", skin="tan", clothes="green", glasses=True, style="receding", age=64, build="broad"),
         Look(hair="red", skin="medium", clothes="red", style="bob", age=30, build="slight")]


@pytest.fixture(scope="module", autouse=True)
def display():
    pygame.display.init()
    pygame.display.set_mode((10, 10))
    yield


def face_pixels(look, name, size=(240, 280)):
    surface = render_face(look, name, size, CALM)
    r = min(size[0] * 0.25, size[1] * 0.235)
    cx, cy = size[0] / 2, size[1] * 0.43
    area = pygame.Rect(int(cx - r), int(cy - 0.7 * r), int(2 * r), int(1.5 * r))  # brows to chin
    return surface.subsurface(area).copy()


def share_different(a, b, threshold=40) -> float:
    width, height = a.get_size()
    changed = 0
    for x in range(0, width, 2):
        for y in range(0, height, 2):
            pa, pb = a.get_at((x, y)), b.get_at((x, y))
            if abs(pa.r - pb.r) + abs(pa.g - pb.g) + abs(pa.b - pb.b) > threshold:
                changed += 1
    return changed / ((width // 2 + 1) * (height // 2 + 1))


def test_ten_expressions_with_every_feature():
    assert set(EXPRESSION_PARAMS) == set(EXPRESSIONS) and len(EXPRESSIONS) == 10
    assert {"calm", "worried", "sad", "irritated", "angry", "relieved", "embarrassed", "hopeful", "afraid",
            "tired"} == set(EXPRESSIONS)
    for params in EXPRESSION_PARAMS.values():
        assert set(params) == set(PARAMS)


def test_the_expressions_are_far_apart_in_feature_space():
    for a, b in itertools.combinations(EXPRESSIONS, 2):
        assert distance(EXPRESSION_PARAMS[a], EXPRESSION_PARAMS[b]) > 1.0, (a, b)


@pytest.mark.parametrize("look", LOOKS, ids=["older-glasses", "dark-skin", "receding", "bob"])
def test_the_expressions_look_different_on_every_face(look):
    pictures = {name: face_pixels(look, name) for name in EXPRESSIONS}
    for a, b in itertools.combinations(EXPRESSIONS, 2):
        assert share_different(pictures[a], pictures[b]) > 0.03, (a, b)


def test_the_face_follows_the_mood_smoothly():
    face = Face(LOOKS[0])
    face.set_mood(Mood(trust=60, distress=20, heard=20), instant=True)
    assert face.expression == expression(Mood(60, 20, 20))
    angry = Mood(trust=10, distress=90, heard=0)
    face.set_mood(angry)
    assert face.expression == "angry"
    start = distance(face.params, EXPRESSION_PARAMS["angry"])
    distances = []
    for _ in range(40):
        face.update(1 / 60)
        distances.append(distance(face.params, EXPRESSION_PARAMS["angry"]))
    assert distances[0] < start and all(b < a for a, b in zip(distances, distances[1:]))
    assert distances[5] > 0.3 * start, "no jump cut: it eases"
    for _ in range(120):
        face.update(1 / 60)
    assert face.settled


def test_idle_motion_blinks_and_breathes():
    face = Face(LOOKS[1], seed=3)
    blinks, offsets = [], set()
    for _ in range(60 * 8):
        face.update(1 / 60)
        blinks.append(face._blink())
        offsets.add(round(face._breath(), 1))
    assert min(blinks) < 0.2 and max(blinks) == 1.0
    assert len(offsets) > 5
    faster = Face(LOOKS[1])
    faster.distress = 95
    assert faster._breath() == 0.0  # same phase at time zero ...
    faster.time = face.time = 1.0
    assert faster._breath() != face._breath()  # ... but a distressed customer breathes faster


def test_the_cached_portrait_matches_the_drawn_one():
    face = Face(LOOKS[0])
    face.animated = False
    face.set_expression("worried", instant=True)
    direct = pygame.Surface((300, 360))
    face.draw(direct, direct.get_rect(), CALM)  # first frame: drawn straight
    face.draw(pygame.Surface((300, 360)), pygame.Rect(0, 0, 300, 360), CALM)  # second: finished into the cache
    cached = pygame.Surface((300, 360))
    face.draw(cached, cached.get_rect(), CALM)  # third: from the cache
    assert face._portraits
    assert share_different(direct, cached, threshold=24) < 0.002


def test_look_from_the_scenario_and_steady_defaults():
    given = Customer(name="Sirkka", situation="", hidden="", age=76,
                     look={"hair": "red", "skin": "dark", "clothes": "green", "glasses": False, "build": "broad"})
    look = look_for(given)
    assert (look.hair, look.skin, look.clothes, look.glasses, look.build, look.age) == \
        ("red", "dark", "green", False, "broad", 76)
    plain = Customer(name={"en": "Jari", "fi": "Jari"}, situation="", hidden="", age=80)
    assert look_for(plain) == look_for(plain) and look_for(plain).hair == "white" and look_for(plain).glasses
    young = Customer(name="Aino", situation="", hidden="", age=None)
    assert look_for(young).age == 45


@pytest.mark.parametrize("skin", ["very_light", "light", "medium", "tan", "brown", "dark", "deep"])
@pytest.mark.parametrize("hair", ["white", "grey", "blond", "brown", "black", "red", "auburn", "dark_brown"])
def test_brows_stand_out_on_every_skin(skin, hair):
    from game.ui.face import _Layers

    layers = _Layers(Look(hair=hair, skin=skin), (200, 240), CALM)
    assert contrast_ratio(layers.brow, layers.skin) >= 2.2


@pytest.mark.parametrize("size", [(1, 1), (23, 500), (30, 30), (2000, 90), (90, 2000)])
def test_any_size_draws(size):
    surface = pygame.Surface(size)
    face = Face(LOOKS[2])
    face.draw(surface, surface.get_rect(), HIGH_CONTRAST)
    face.update(0.5)
    face.draw(surface, surface.get_rect(), HIGH_CONTRAST)


def customer(look, age=60, name="Veikko"):
    return Customer(name=name, situation="", hidden="", age=age, look=look)


def test_a_man_written_from_the_guide_is_drawn_as_one():
    """The 79-year-old man of the issue: short hair or less, never chin-length; a man's face and collar."""
    look = look_for(customer({"presentation": "man"}, age=79))
    assert look.presentation == "man" and look.style in ("short", "receding", "bald")
    assert look.hair == "white" and look.glasses
    assert look_for(customer({"presentation": "woman"}, age=30)).facial_hair == "none"


def test_every_look_value_changes_the_picture():
    base = dict(presentation="man", style="short", hair="brown", skin="medium", age=50)

    def picture(**change):
        return render_face(Look(**{**base, **change}), "calm", (200, 240), CALM)

    plain = picture()
    for change in ({"facial_hair": "beard"}, {"facial_hair": "moustache"}, {"style": "bald"}, {"style": "long"},
                   {"style": "curly"}, {"headscarf": "blue"}, {"presentation": "woman"}, {"skin": "deep"},
                   {"age": 80}, {"glasses": True}):
        assert share_different(plain, picture(**change), threshold=30) > 0.0015, change


def test_unknown_look_values_are_ignored_and_the_customer_still_drawn():
    odd = {"hair": "purple-ish", "skin": 7, "clothes": None, "glasses": "yes", "build": ["x"], "presentation": "robot",
           "hair_style": "mohawk", "facial_hair": "braided", "headscarf": "plaid", "wings": True, 3: "x"}
    look = look_for(customer(odd))
    assert look.presentation == "neutral" and look.facial_hair == "none" and look.headscarf is None
    assert look.style in ("short", "curly") and look.hair in ("grey",)
    render_face(look, "calm", (120, 140), CALM)
    assert look_for(customer("not a mapping")).presentation == "neutral"
    assert look_for(customer({"hair_style": "Long", "skin": "Very light", "headscarf": True})).style == "long"


def test_the_authored_expression_leads_and_mood_never_contradicts_it():
    face = Face(LOOKS[0])
    happy = Mood(trust=90, distress=5, heard=90)
    face.show(happy, "afraid", 1.0, instant=True)
    assert face.expression == "afraid"
    assert distance(face.params, EXPRESSION_PARAMS["afraid"]) < distance(face.params, EXPRESSION_PARAMS["relieved"])
    assert face.params["mouth_curve"] < 0  # no smile on a frightened line, however well the talk goes
    weak = Face(LOOKS[0])
    weak.show(happy, "afraid", 0.0, instant=True)
    assert distance(weak.params, EXPRESSION_PARAMS["calm"]) < distance(face.params, EXPRESSION_PARAMS["calm"])
    for intensity in (None, "strong", float("nan"), 5):
        face.show(happy, "sad", intensity, instant=True)
        assert face.expression == "sad"
    face.show(Mood(trust=10, distress=90, heard=0), "unknown-feeling", 0.5, instant=True)
    assert face.expression == expression(Mood(trust=10, distress=90, heard=0))  # the mood's own face
