"""Other speakers in the window: their own face and name while they talk, the customer back after; the
history, the debrief and the replay say who said each line. A scenario without speakers looks as before.
And what these screens show of the scenario's texts has its text variables filled in.

tests/fixtures/speakers.yaml (counter, answers not shuffled): start (Pekka, the customer) 1=kind 2=harsh →
manager (Riikka, with a look) 1 → son (Ville, on speaker-phone, no look) 1 → back (Pekka) 1 → good (Riikka).
"""

import os
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # noqa: E402
import pytest  # noqa: E402

from game.ui.face import look_for  # noqa: E402
from game.ui.harness import Harness  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"
SPEAKERS = FIXTURES / "speakers.yaml"
MINI = FIXTURES / "mini.yaml"


@pytest.fixture
def harness(tmp_path, monkeypatch):
    monkeypatch.setenv("KUULE_HOME", str(tmp_path / "home"))
    made = []

    def make(size=(1280, 720), **options):
        from dataclasses import replace

        options.setdefault("scenario_sources", [FIXTURES])
        h = Harness(size=size, **options)
        h.app.apply_settings(replace(h.app.settings, text_speed="fast"), save=False)
        made.append(h)
        return h

    yield make
    for h in made:
        h.close()


def portrait(h) -> pygame.Surface:
    """The portrait as the player sees it now (without a passing notice over the hint strip)."""
    h.app.notices.clear()
    h.app.draw()
    return h.app.canvas.subsurface(h.scene.framing.face_rect).copy()


def changed(a: pygame.Surface, b: pygame.Surface, step: int = 3) -> float:
    """The share of pixels (on a grid) that differ between two pictures of the same size."""
    assert a.get_size() == b.get_size()
    points = [(x, y) for x in range(0, a.get_width(), step) for y in range(0, a.get_height(), step)]
    return sum(a.get_at(p) != b.get_at(p) for p in points) / len(points)


def changed_outside(a: pygame.Surface, b: pygame.Surface, rect: pygame.Rect, step: int = 2) -> int:
    """How many pixels (on a grid) differ outside `rect` (and inside the portrait's 1-pixel frame)."""
    return sum(a.get_at((x, y)) != b.get_at((x, y)) for x in range(1, a.get_width() - 1, step)
               for y in range(1, a.get_height() - 1, step) if not rect.collidepoint(x, y))


def settle(h) -> None:
    h.finish_typing()
    h.frames(40, dt=0.05)  # the face eases to the line's expression


def bare_face(h) -> pygame.Surface:
    """The portrait's face alone, as it is at this moment (no name tag over it)."""
    play = h.scene
    rect = play.framing.face_rect
    surface = pygame.Surface(rect.size)
    play.shown_face.draw(surface, surface.get_rect(), h.app.ui.theme)
    return surface


def tag_rect(h) -> pygame.Rect:
    """Where the name tag is, in portrait coordinates."""
    play = h.scene
    tag, (x, y) = play.who_tag()
    face = play.framing.face_rect
    return pygame.Rect(x - face.x, y - face.y, *tag.get_size())


def drawn(h, text: str, font: str = "strong") -> bool:
    """Whether this text has been drawn in this font in the theme's text colour (the name on the tag)."""
    return any(key[0] == text and key[1] == font for key in h.app.ui.text._items)


@pytest.mark.parametrize("lang, role", [("en", "your manager"), ("fi", "esihenkilösi")])
def test_another_speaker_is_drawn_and_named_and_the_customer_comes_back(harness, lang, role):
    h = harness(lang=lang)
    h.start(SPEAKERS, mode="practice")
    play = h.scene
    settle(h)
    assert play.shown is None and play.shown_face is play.face
    customer = portrait(h)
    assert play._blocks["who"][0] == ("Pekka Virtanen, 52" if lang == "en" else "Pekka Virtanen, 52 v.")

    h.answer(1)  # kind → the manager speaks
    settle(h)
    assert play.conversation.line.speaker == "manager" and play.shown == "manager"
    assert play.shown_face is not play.face
    assert play.shown_face.look == look_for(play.session.scenario.speakers["manager"])
    assert play.shown_face.look.hair == "red" and play.face.look.hair == "black"
    manager = portrait(h)
    assert changed(customer, manager) > 0.2  # another person, not the customer with another expression
    # named where the customer's name shows, with their role in the UI language; and on the picture
    assert play._blocks["who"][0] == f"Riikka Laine ({role})"
    assert drawn(h, "Riikka Laine") and drawn(h, role, "small")
    tag = tag_rect(h)
    assert changed_outside(manager, bare_face(h), tag) == 0  # the tag covers only its corner of the picture
    assert changed(manager.subsurface(tag), bare_face(h).subsurface(tag)) > 0.3
    stripe = manager.get_at((tag.x + 2, tag.centery))[:3]
    assert stripe == h.app.ui.theme.accent  # marked as someone other than the customer

    h.answer(1)  # → the son on speaker-phone: no look given, one chosen from his name, the same every time
    settle(h)
    assert play.shown == "son"
    son = play.session.scenario.speakers["son"]
    assert play.shown_face.look == look_for(son) == look_for(son)
    assert changed(manager, portrait(h)) > 0.2
    assert "Ville Virtanen (" in play._blocks["who"][0]

    h.answer(1)  # → the customer again
    settle(h)
    assert play.conversation.line.speaker is None and play.shown is None and play.shown_face is play.face
    back = portrait(h)
    assert changed(customer, back) < changed(customer, manager) / 2  # the same man, another expression
    assert play._blocks["who"][0].startswith("Pekka Virtanen")
    stripe = back.get_at((tag_rect(h).x + 2, tag_rect(h).centery))[:3]
    assert stripe != h.app.ui.theme.accent  # the customer's tag has no mark


def test_the_speakers_face_shows_the_authored_expression_never_the_customers_mood(harness):
    faces, moods = [], []
    for first in (1, 2):  # kind, harsh: the customer's mood differs a lot
        h = harness()
        h.start(SPEAKERS, mode="assessment")
        h.answer(first)
        settle(h)
        play = h.scene
        assert play.shown == "manager"
        face = play.shown_face
        faces.append((face.expression, dict(face.target), face.distress))
        moods.append(play.conversation.mood)
        assert play._mood_words() == ""  # an assessment names no mood
        # the customer's own face still follows the customer, unseen meanwhile
        assert play.face.expression != face.expression or play.face.target != face.target
    assert moods[0] != moods[1]
    assert faces[0] == faces[1]
    assert faces[0][0] == "hopeful"  # as the author wrote it for the line


def test_history_debrief_and_replay_say_who_said_each_line(harness):
    h = harness()
    h.start(SPEAKERS, mode="practice")
    for _ in range(4):
        h.answer(1)
    play = h.scene
    assert play.conversation.ended
    h.finish_typing()
    h.key(pygame.K_h)  # the history
    texts = [block["text"] for block in play.backlog.flow.blocks if block["kind"] == "text"]
    assert "Pekka Virtanen: \u201cThe refund still hasn't come.\u201d" in texts
    assert "Riikka Laine (your manager): \u201cI'll take a look at that refund myself.\u201d" in texts
    assert "Ville Virtanen (his son, on speaker-phone): \u201cDad? Is it sorted or not?\u201d" in texts
    assert "Riikka Laine (your manager): \u201cIt's on its way. Sorry it took this long.\u201d" in texts  # the last line
    h.key(pygame.K_ESCAPE)
    h.key(pygame.K_RETURN)  # see how it went
    assert h.screen == "debrief"
    debrief = h.scene
    lines = [debrief._step_texts(step)[0][0] for step in debrief.debrief.steps]
    assert lines[0].startswith("1.  Pekka Virtanen: ")
    assert lines[1].startswith("2.  Riikka Laine (your manager): ")
    assert lines[2].startswith("3.  Ville Virtanen (his son, on speaker-phone): ")
    assert lines[3].startswith("4.  Pekka Virtanen: ")
    texts = [block.get("text", "") for block in debrief.flow.blocks]
    assert any(text.startswith("Last words — Riikka Laine (your manager): ") for text in texts)
    h.screenshot(Path(__file__).parent / "output" / "screens" / "speakers" / "debrief.png")

    h.key(pygame.K_RETURN)  # through the customer's eyes
    assert h.screen == "replay"
    replay = h.scene
    says = []
    for _ in range(replay.total):
        replay.ensure_layout()
        says.append(next(block["text"] for block in replay.flow.blocks if block.get("text", "").endswith(("SAYS", "WORDS"))
                         or "LAST WORDS" in block.get("text", "")))
        if replay.index == 1:  # the manager's moment: the portrait is still the customer, feeling his own mood
            assert replay.face.look == look_for(replay.session.scenario.customer)
            assert replay._authored(1) == (None, None)
            assert replay._thinker() == "Riikka Laine"
        h.key(pygame.K_RIGHT)
    assert says == ["PEKKA VIRTANEN SAYS", "RIIKKA LAINE (YOUR MANAGER) SAYS",
                    "VILLE VIRTANEN (HIS SON, ON SPEAKER-PHONE) SAYS", "PEKKA VIRTANEN SAYS",
                    "LAST WORDS — RIIKKA LAINE (YOUR MANAGER)"]


def test_a_scenario_without_speakers_is_unchanged(harness):
    h = harness()
    h.start(MINI, mode="practice")
    play = h.scene
    settle(h)
    assert not play.has_speakers and play.shown is None
    assert play._blocks["who"][0] == "Testi Asiakas, 70"
    assert changed_outside(portrait(h), bare_face(h), pygame.Rect(0, 0, 0, 0)) == 0  # no name tag on the picture
    h.answer(1)
    h.answer(1)
    assert play.conversation.ended
    h.finish_typing()
    h.key(pygame.K_RETURN)
    debrief = h.scene
    assert [debrief._step_texts(step)[0][0].split(":")[0] for step in debrief.debrief.steps] == \
        ["1.  Testi Asiakas", "2.  Testi Asiakas"]
    assert any(block.get("text", "").startswith("Last words — Testi Asiakas: ") for block in debrief.flow.blocks)


@pytest.mark.parametrize("size, scale", [((800, 600), 100), ((800, 600), 200), ((1920, 1080), 100), ((640, 480), 100)])
def test_the_name_tag_stays_off_the_face_at_other_sizes(harness, size, scale):
    from dataclasses import replace

    h = harness(size=size)
    h.app.apply_settings(replace(h.app.settings, font_scale=scale), save=False)
    h.start(SPEAKERS, mode="practice")
    h.answer(1)
    settle(h)
    play = h.scene
    assert play.shown == "manager"
    h.app.notices.clear()
    h.app.draw()
    placed = play.who_tag()
    assert placed is not None
    tag, at = placed
    rect = pygame.Rect(at, tag.get_size())
    face = play.framing.face_rect
    features = play.shown_face.layers(face.size, h.app.ui.theme).features_area.move(face.topleft)
    assert not rect.colliderect(features)  # eyes, brows, mouth and cheeks stay in view
    assert h.app.canvas.get_rect().contains(rect) and not rect.colliderect(play._blocks["column"])
    assert rect.bottom <= play._blocks["body"].bottom  # above the hints
    inner = tag.get_rect().inflate(-12, -12)  # inside its rounded corners
    assert changed(h.app.canvas.subsurface(inner.move(at)), tag.subsurface(inner).convert()) == 0  # drawn there
    assert drawn(h, "Riikka Laine") or drawn(h, "Riikka Laine", "small_bold") or \
        any(key[0].startswith("Riikka") for key in h.app.ui.text._items)


@pytest.mark.parametrize("lang, shop", [("en", "at Rautakulma"), ("fi", "Rautakulmassa")])
def test_the_window_shows_text_variables_filled_in(harness, lang, shop):
    h = harness(lang=lang)
    h.start(SPEAKERS, mode="practice", brief=True)
    play = h.scene
    play.ensure_layout()
    briefing = " ".join(block["text"] for block in play.brief_flow.blocks if block["kind"] == "text")
    assert "Rautakulma" in briefing and "{shop}" not in briefing
    h.key(pygame.K_RETURN)
    h.answer(1)
    settle(h)
    assert shop in play._blocks["you"][0] and "{" not in play._blocks["you"][0]  # the answer as it was given
    assert "Rautakulma" in play._blocks["cue"][0]
    h.answer(1)  # the son: the manager's line and its cue are now in the history
    h.finish_typing()
    h.key(pygame.K_h)
    history = " ".join(block["text"] for block in play.backlog.flow.blocks if block["kind"] == "text")
    assert shop in history and "Rautakulma" in history.split(shop)[1] and "{shop}" not in history
    h.key(pygame.K_ESCAPE)
    for _ in range(2):
        h.answer(1)
    h.finish_typing()
    h.key(pygame.K_RETURN)
    assert h.screen == "debrief"
    cues = [debrief_line for step in h.scene.debrief.steps for debrief_line in [h.scene.p(step.cue)]]
    assert any("Rautakulma" in cue for cue in cues) and not any("{shop}" in cue for cue in cues)
