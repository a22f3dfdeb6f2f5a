"""Driving the game without a screen: for tests, benchmarks and screenshots.

    harness = Harness(size=(1280, 720), scenario_sources=["tests/fixtures"])
    harness.type_text("Äijö")
    harness.key(pygame.K_RETURN)
    harness.frames(30)
    harness.screenshot("tests/output/screens/menu.png")

It sets SDL's dummy video and audio drivers (unless a driver is already
chosen) before pygame starts. Events go through pygame's own queue
(`pygame.event.post`), so they take the same path as a player's.
"""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # noqa: E402

from game.ui.app import App  # noqa: E402


class Harness:
    def __init__(self, size: tuple[int, int] = (1280, 720), **options):
        options.setdefault("lang", "en")
        self.app = App(size=size, **options)
        self.dt = 1 / 60
        self.wait()

    # -- time -------------------------------------------------------------------------------------
    def frames(self, count: int = 1, dt: float | None = None) -> None:
        for _ in range(count):
            if not self.app.running:
                return
            self.app.frame(dt if dt is not None else self.dt)

    def wait(self) -> None:
        """Let background work (loading scenarios) finish and hand over, then draw a frame."""
        self.app.wait_for_jobs()
        self.frames(1)

    def settle(self, seconds: float = 3.0) -> None:
        """Let animations and typing run their course."""
        self.frames(int(seconds / self.dt))

    # -- input ------------------------------------------------------------------------------------
    def post(self, kind: int, **data) -> None:
        pygame.event.post(pygame.event.Event(kind, data))

    def key(self, key: int, mod: int = 0, unicode: str = "", frames: int = 1) -> None:
        self.post(pygame.KEYDOWN, key=key, mod=mod, unicode=unicode, scancode=0)
        self.post(pygame.KEYUP, key=key, mod=mod, unicode=unicode, scancode=0)
        self.frames(frames)

    def type_text(self, text: str) -> None:
        for char in text:
            self.post(pygame.TEXTINPUT, text=char)
        self.frames(1)

    def click(self, pos, button: int = 1) -> None:
        pos = (int(pos[0]), int(pos[1]))
        self.post(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0))
        self.post(pygame.MOUSEBUTTONDOWN, pos=pos, button=button)
        self.post(pygame.MOUSEBUTTONUP, pos=pos, button=button)
        self.frames(1)

    def click_widget(self, widget) -> None:
        """Click the middle of a widget, scrolling it into view first as a player would."""
        scene = self.app.current
        scene.ensure_layout()
        flow = getattr(scene, "flow", None)
        if flow is not None:
            flow.show(widget)
        self.click(self.to_window(widget.rect.center))

    def wheel(self, dy: int) -> None:
        self.post(pygame.MOUSEWHEEL, x=0, y=dy, flipped=False, precise_x=0.0, precise_y=float(dy))
        self.frames(1)

    def resize(self, size: tuple[int, int]) -> None:
        self.post(pygame.VIDEORESIZE, size=size, w=size[0], h=size[1])
        self.frames(1)

    def to_window(self, pos):
        """Canvas coordinates to window coordinates (they differ when a tiny window is scaled)."""
        app = self.app
        if not app.scaled:
            return pos
        scale, offset = app._scale_geometry()
        return int(pos[0] * scale + offset[0]), int(pos[1] * scale + offset[1])

    # -- playing ----------------------------------------------------------------------------------
    def start(self, scenario_path, mode: str = "practice", trainee: str = "Testi", seed: int | None = 1,
              brief: bool = False) -> None:
        """Start a session on a scenario file, as the picker would; past the briefing unless `brief`."""
        from game.ui.catalogue import load_entry

        entry = load_entry(Path(scenario_path))
        assert entry.ok, entry.problem_message("en")
        self.app.trainee = trainee
        self.app.start_session(entry.scenario, mode=mode, seed=seed)
        self.frames(1)
        if not brief and getattr(self.app.current, "briefing", False):
            self.key(pygame.K_RETURN)

    def finish_typing(self) -> None:
        scene = self.app.current
        if getattr(scene, "typing", False):
            self.key(pygame.K_SPACE)
            self.frames(1, dt=0.3)  # a moment to read: the answers ignore Enter and Space just after

    def answer(self, number: int) -> None:
        """Complete the line being typed (in own-words mode, give an empty reply), then press the answer's number
        key (in an assessment, press it twice: the second press confirms it at once instead of waiting for the
        moment to change it)."""
        self.finish_typing()
        if getattr(self.app.current, "asking", False):  # own-words mode: the reply first (here, staying quiet)
            self.key(pygame.K_RETURN)
            self.frames(1, dt=0.3)
        self.key(getattr(pygame, f"K_{number}"))
        if getattr(self.app.current, "pending", None) is not None:
            self.key(getattr(pygame, f"K_{number}"))

    # -- looking ----------------------------------------------------------------------------------
    @property
    def screen(self) -> str:
        return self.app.screen

    @property
    def scene(self):
        return self.app.current

    def screenshot(self, path: str | Path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.app.draw()
        pygame.image.save(self.app.window, str(path))
        return path

    def close(self) -> None:
        if self.app.running:
            self.app.quit()
        self.app.shutdown()
