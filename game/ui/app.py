"""The game window: pygame set-up, the main loop, global keys, settings and sessions.

The App owns the window and what all screens share (theme, fonts, text cache,
language, settings, the session being played, notices). Which screen shows is
the state machine's business (`screens.py`); each screen is a Scene in its own
module, imported the first time it is shown so the menu appears quickly.

Global keys: F11 full screen; Ctrl + / Ctrl − / Ctrl 0 change the font size.
A window smaller than MIN_SIZE is drawn at MIN_SIZE and scaled down, with a
note asking for more room: nothing is laid out into a space it cannot fit.
"""

from __future__ import annotations

import importlib
import os
import sys
import threading
import time
import traceback
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # noqa: E402

from game.i18n import LANGUAGES, Catalog, system_language  # noqa: E402
from game.paths import scenario_dirs  # noqa: E402
from game.ui import NO_DISPLAY, DisplayUnavailable  # noqa: E402
from game.ui.records import Records, Session  # noqa: E402  (cheap: it loads the engine only when needed)
from game.ui.screens import Screens  # noqa: E402
from game.ui.settings import FONT_SCALES, Settings, load_settings, save_settings  # noqa: E402
from game.ui.text import Fonts  # noqa: E402
from game.ui.theme import RADIUS, theme_for  # noqa: E402
from game.ui.widgets import Ui  # noqa: E402

SCENES = {
    "menu": ("game.ui.menu", "MenuScene"),
    "picker": ("game.ui.picker", "PickerScene"),
    "play": ("game.ui.play", "PlayScene"),
    "pause": ("game.ui.pause", "PauseScene"),
    "debrief": ("game.ui.debrief", "DebriefScene"),
    "replay": ("game.ui.replay", "ReplayScene"),
    "settings": ("game.ui.settings_screen", "SettingsScene"),
    "start_point": ("game.ui.start_point", "StartPointScene"),
}

_ = Catalog({
    "too_small": ("The window is too small to show everything. Make it at least {w} × {h} pixels.",
                  "Ikkuna on liian pieni kaiken näyttämiseen. Suurenna se vähintään kokoon {w} × {h} pikseliä."),
    "fullscreen_failed": ("Full screen is not available here ({reason}).", "Koko näyttö ei ole käytettävissä ({reason})."),
    "font_size": ("Text size {scale} %", "Tekstin koko {scale} %"),
    "log_failed": ("The session log could not be written ({reason}). You can keep playing, but this session will not be saved.",
                   "Istuntolokia ei voitu kirjoittaa ({reason}). Voit jatkaa pelaamista, mutta tätä istuntoa ei tallenneta."),
    "loading": ("Loading and checking {name}…", "Ladataan ja tarkistetaan {name}…"),
    "crashed": ("Kuule stopped because of an unexpected error. Your session log is kept and can be resumed.",
                "Kuule pysähtyi odottamattoman virheen vuoksi. Istuntolokisi on tallessa, ja istuntoa voi jatkaa."),
})


def _draw_icon() -> pygame.Surface:
    """A small procedural window icon: a speech bubble with two listening dots."""
    icon = pygame.Surface((32, 32), pygame.SRCALPHA)
    pygame.draw.rect(icon, (36, 95, 105), (1, 3, 30, 22), border_radius=8)
    pygame.draw.polygon(icon, (36, 95, 105), [(8, 22), (8, 31), (16, 23)])
    for x in (11, 21):
        pygame.draw.circle(icon, (255, 255, 255), (x, 14), 3)
    return icon


class Job:
    """Work done on a background thread (loading and checking scenario files, path analysis), so
    the window keeps answering; its result is handed back on the main thread by `App.update`."""

    def __init__(self, work, on_done=None, on_error=None):
        self.work, self.on_done, self.on_error = work, on_done, on_error
        self.result = None
        self.error: BaseException | None = None
        self.finished = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True, name="kuule-job")
        self.thread.start()

    def _run(self) -> None:
        try:
            self.result = self.work()
        except BaseException as error:  # handed to the main thread, never lost
            self.error = error
        finally:
            self.finished.set()


class App:
    MIN_SIZE = (640, 480)
    MAX_SIZE = (8192, 8192)  # a window size beyond any screen (a bad settings file, a broken window manager)
    DEFAULT_SIZE = (1280, 720)

    def __init__(self, scenario=None, lang: str | None = None, seed: int | None = None, trainee: str = "",
                 mode: str = "practice", size: tuple[int, int] | None = None, scenario_sources=None,
                 log_dir=None, settings_file: str | Path | None = None, review=None, scenario_folders=(),
                 own_words: bool = False, start_at=None):
        self.started_at = time.perf_counter()
        self.first_frame_at: float | None = None
        loaded = load_settings(Path(settings_file) if settings_file else None)
        self.settings_file = loaded.path
        self.settings: Settings = loaded.settings
        self._saved_own_words = self.settings.own_words
        if own_words:  # --own-words: this run plays in own-words mode (the saved setting is left as it is)
            self.settings = replace(self.settings, own_words=True)
        self._forced_own_words = bool(own_words)
        lang = self._language(lang)
        self.seed = seed
        self.mode = mode if mode in ("practice", "assessment") else "practice"
        self.trainee = trainee or self.settings.trainee
        if scenario_sources:
            self.scenario_sources = list(scenario_sources)
        else:  # the shipped scenarios, the trainer's own folder (--scenarios, the setting), and the one named to play
            self.scenario_sources = scenario_dirs(scenario_folders, self.settings.scenario_folder)
            named = getattr(scenario, "path", None) if hasattr(scenario, "nodes") else scenario
            if named:
                self.scenario_sources.append(Path(named))
        self.records = Records(log_dir)
        self.session: Session | None = None
        self.running = True
        self.exit_code = 0
        self.notices: list[dict] = []
        self.notice_log: list[str] = []
        self.notice_drawn = False  # the screen drew the notice in its hint strip this frame
        self.jobs: list[Job] = []
        self._redraw = True
        self._drawn_key = None
        self.full_frames = 0  # how many frames were drawn whole (the rest only redrew what moves)
        self.busy: str | None = None  # shown over everything while background work the player waits for runs
        self.layout_version = 0
        self.clock_time = 0.0
        requested = os.environ.get("SDL_VIDEODRIVER", "")
        if sys.platform.startswith("linux") and not requested and not (os.environ.get("DISPLAY")
                                                                      or os.environ.get("WAYLAND_DISPLAY")):
            raise DisplayUnavailable(*NO_DISPLAY)  # say so before SDL probes (and complains on stderr)
        try:
            pygame.display.init()
            pygame.font.init()
        except pygame.error as error:
            raise DisplayUnavailable(str(error)) from None
        driver = pygame.display.get_driver()
        if driver in ("offscreen", "dummy") and driver not in requested:
            pygame.display.quit()  # SDL fell back to an invisible window: there is no display here
            raise DisplayUnavailable(*NO_DISPLAY)
        pygame.display.set_caption("Kuule")
        try:
            pygame.display.set_icon(_draw_icon())
        except pygame.error:
            pass
        pygame.key.set_repeat(400, 35)
        self.windowed_size = tuple(size or self.settings.window or self.DEFAULT_SIZE)
        self.fullscreen = False
        try:
            self.window = pygame.display.set_mode(self.windowed_size, pygame.RESIZABLE)
        except pygame.error as error:
            raise DisplayUnavailable(str(error)) from None
        if self.settings.fullscreen and size is None:
            self.set_fullscreen(True, save=False)
        self._fit_canvas()
        self.ui = Ui(theme_for(self.settings.high_contrast), Fonts(self._font_scale()), lang)
        self.scenes: dict = {}
        self.screens = Screens(self)
        self.current = self.scene("menu")
        self.current.enter()
        if loaded.notice_key is not None:
            self.notify(loaded.notice(lang), "error" if loaded.problem else "info", 9 if loaded.problem else 6)
        if review is not None:
            self.review(review)
        elif scenario is not None:
            self.open_scenario(scenario, start_at)

    # -- language, settings -----------------------------------------------------------------------
    def _language(self, lang: str | None) -> str:
        """An explicit --lang that differs from the system's wins; else the saved choice; else the system's."""
        system = system_language()
        if lang in LANGUAGES and lang != system:
            return lang
        if self.settings.language in LANGUAGES:
            return self.settings.language
        return lang if lang in LANGUAGES else system

    @property
    def lang(self) -> str:
        return self.ui.lang

    def t(self, key: str, **values) -> str:
        return _(key, self.lang, **values)

    def apply_settings(self, settings: Settings, save: bool = True) -> None:
        old, self.settings = self.settings, settings
        if settings.high_contrast != old.high_contrast:
            self.ui.theme = theme_for(settings.high_contrast)
            self.ui.text.clear()
        if settings.language and settings.language != self.ui.lang:
            self.ui.lang = settings.language
        if settings.fullscreen != self.fullscreen:
            self.set_fullscreen(settings.fullscreen, save=False)
        self._refresh_fonts()
        self.layout_version += 1
        if save:
            self.save_settings()

    def save_settings(self) -> None:
        settings = self.settings
        if self._forced_own_words and settings.own_words:
            settings = replace(settings, own_words=self._saved_own_words)
        elif not settings.own_words:
            self._forced_own_words = False
        problem = save_settings(settings, self.settings_file, self.lang)
        if problem:
            self.notify(problem, "error", 8)

    def set_trainee(self, name: str) -> None:
        self.trainee = name.strip()

    def remember_trainee(self) -> None:
        if self.settings.trainee != self.trainee:
            self.settings = replace(self.settings, trainee=self.trainee)
            self.save_settings()

    def change_font_scale(self, step: int) -> None:
        scales = FONT_SCALES
        index = scales.index(self.settings.font_scale) if self.settings.font_scale in scales else 0
        index = 0 if step == 0 else max(0, min(len(scales) - 1, index + step))
        self.apply_settings(replace(self.settings, font_scale=scales[index]))
        self.notify(self.t("font_size", scale=scales[index]), "info", 2)

    # -- the window -------------------------------------------------------------------------------
    @property
    def size(self) -> tuple[int, int]:
        return self.canvas.get_size()

    def _font_scale(self) -> float:
        width, height = self.size
        window = min(width / 1280, height / 720)
        window = max(1.0, min(1.5, round(window * 8) / 8))
        return self.settings.font_scale / 100 * window

    def _refresh_fonts(self) -> None:
        scale = self._font_scale()
        if abs(scale - self.ui.fonts.scale) > 1e-6:
            self.ui.set_fonts(Fonts(scale))
            self.layout_version += 1

    def _fit_canvas(self) -> None:
        width, height = self.window.get_size()
        minimum_w, minimum_h = self.MIN_SIZE
        if width >= minimum_w and height >= minimum_h:
            self.canvas = self.window
        else:
            logical = (max(width, minimum_w), max(height, minimum_h))
            if getattr(self, "canvas", None) is None or self.canvas is self.window or self.canvas.get_size() != logical:
                self.canvas = pygame.Surface(logical)
        self.layout_version += 1

    @property
    def scaled(self) -> bool:
        return self.canvas is not self.window

    def resize(self, size: tuple[int, int]) -> None:
        """Follow a window resize (the dummy driver needs set_mode; a real window has already resized)."""
        width = max(1, min(self.MAX_SIZE[0], int(size[0])))
        height = max(1, min(self.MAX_SIZE[1], int(size[1])))
        if self.window.get_size() != (width, height) and not self.fullscreen:
            try:
                self.window = pygame.display.set_mode((width, height), pygame.RESIZABLE)
            except pygame.error:
                return
        if not self.fullscreen:
            self.windowed_size = self.window.get_size()
        self._fit_canvas()
        if hasattr(self, "ui"):
            self._refresh_fonts()

    def set_fullscreen(self, on: bool, save: bool = True) -> None:
        try:
            if on:
                if not self.fullscreen:
                    self.windowed_size = self.window.get_size()
                self.window = pygame.display.set_mode((0, 0), pygame.FULLSCREEN)
            else:
                self.window = pygame.display.set_mode(self.windowed_size, pygame.RESIZABLE)
            self.fullscreen = on
        except pygame.error as error:
            self.fullscreen = False
            self.window = pygame.display.set_mode(self.windowed_size, pygame.RESIZABLE)
            if hasattr(self, "ui"):
                self.notify(self.t("fullscreen_failed", reason=str(error)), "error")
        self._fit_canvas()
        if hasattr(self, "ui"):
            self._refresh_fonts()
        if save and self.settings.fullscreen != self.fullscreen:
            self.settings = replace(self.settings, fullscreen=self.fullscreen)
            self.save_settings()

    def _to_canvas(self, pos) -> tuple[int, int]:
        if not self.scaled:
            return pos
        scale, offset = self._scale_geometry()
        return int((pos[0] - offset[0]) / scale), int((pos[1] - offset[1]) / scale)

    def _scale_geometry(self):
        window_w, window_h = self.window.get_size()
        canvas_w, canvas_h = self.canvas.get_size()
        scale = min(window_w / canvas_w, window_h / canvas_h)
        return scale, ((window_w - canvas_w * scale) / 2, (window_h - canvas_h * scale) / 2)

    # -- scenes and screens -----------------------------------------------------------------------
    def scene(self, name: str):
        scene = self.scenes.get(name)
        if scene is None:
            module_name, class_name = SCENES[name]
            scene = self.scenes[name] = getattr(importlib.import_module(module_name), class_name)(self)
        return scene

    @property
    def screen(self) -> str:
        return self.screens.state

    def go(self, trigger: str, **kwargs) -> None:
        getattr(self.screens, trigger)(**kwargs)

    def leave_screen(self, source: str, dest: str) -> None:
        scene = self.scenes.get(source)
        if scene is not None:
            scene.leave()

    def enter_screen(self, name: str, kwargs: dict) -> None:
        self.current = self.scene(name)
        self.current.enter(**kwargs)

    # -- sessions ---------------------------------------------------------------------------------
    def open_scenario(self, scenario, start_at=None) -> None:
        """Start playing a scenario given as a Scenario or a path (the command line's SCENARIO); with a
        StartPoint (`play --from NODE`), from that node, in practice, unlogged.

        A file is loaded and checked in the background; the window shows that it is busy meanwhile.
        """
        def begin(loaded) -> None:
            if start_at is not None:
                self.start_from_here(loaded, start_at)
            else:
                self.start_session(loaded)

        if hasattr(scenario, "nodes"):
            begin(scenario)
            return
        from game.ui.catalogue import fresh_entry, load_entry

        path = Path(scenario)

        def loaded(entry) -> None:
            self.busy = None
            if entry.ok:
                begin(entry.scenario)
            else:
                self.scene("menu").show_invalid(entry)

        entry = fresh_entry(path)
        if entry is not None:
            loaded(entry)
            return
        self.busy = self.t("loading", name=path.name)

        def failed(error) -> None:
            self.busy = None
            self.notify(f"{path}: {type(error).__name__}: {error}", "error", 10)

        self.background(lambda: load_entry(path), loaded, failed)

    def start_session(self, scenario, mode: str | None = None, seed: int | None = None) -> Session:
        self.end_session()
        mode = mode or self.mode
        session = self.records.start(scenario, trainee=self.trainee, mode=mode, lang=self.lang,
                                     seed=seed if seed is not None else self.seed)
        self.mode = mode
        self._report_log(session)
        self.session = session
        self.go("start", session=session)
        return session

    def start_from_here(self, scenario, point, seed: int | None = None) -> Session:
        """A trainer's "play from here" (a StartPoint): practice from that node, never logged."""
        self.end_session()
        session = self.records.start_here(scenario, point, trainee=self.trainee, lang=self.lang,
                                          seed=seed if seed is not None else self.seed)
        self.session = session
        self.go("start", session=session)
        return session

    def play_again(self, session: Session) -> Session:
        """"Try again": the same scenario in the same mode, or from the same node for a trainer's session."""
        if session.start_point is not None:
            return self.start_from_here(session.scenario, session.start_point)
        return self.start_session(session.scenario, mode=session.mode)

    def resume_session(self, session: Session) -> None:
        self.end_session()
        self.session = session
        self.mode = session.mode
        self._report_log(session)
        self.go("start", session=session)

    def end_session(self) -> None:
        if self.session is not None:
            self.session.close()
            self._report_log(self.session)
            self.session = None

    def finish_session(self) -> None:
        """The conversation ended: close the log (it is complete) and show the debrief."""
        session = self.session
        if session is not None:
            session.close()
            self._report_log(session)
        self.go("finish", session=session)

    def review(self, review) -> None:
        """Open a finished conversation's debrief directly: (scenario, seed, choices), e.g. a coach's replay."""
        from game.engine import Conversation
        from game.ui.records import NullLog, SafeLog

        scenario, seed, choices = review
        conversation = Conversation.replay(scenario, seed, choices)
        session = Session(scenario, conversation, SafeLog(NullLog(seed)), "", "assessment", self.lang, seed,
                          closed=True)
        self.session = session
        self.go("review", session=session)

    def _report_log(self, session: Session) -> None:
        log = session.log
        if log.error is not None and not log.reported:
            log.reported = True
            self.notify(self.t("log_failed", reason=str(log.error) or type(log.error).__name__), "error", 10)

    # -- notices ----------------------------------------------------------------------------------
    def notify(self, text: str | None, tone: str = "info", seconds: float = 5.0) -> None:
        """Show a notice. One at a time: a new one replaces the one showing (an error is not replaced by
        news while it still shows). Screens give it the strip of their key hints, so it covers nothing."""
        if not text:
            return
        self.notice_log.append(text)
        showing = self.notice()
        if showing is not None and showing["tone"] == "error" and tone != "error":
            self.notices = [showing, {"text": text, "tone": tone, "until": self.clock_time + seconds}]
        else:
            self.notices = [{"text": text, "tone": tone, "until": self.clock_time + seconds}]
        self.layout_version += 1  # the screen makes room for it

    def notice(self) -> dict | None:
        """The notice showing now, if any."""
        return self.notices[0] if self.notices and self.notices[0]["until"] > self.clock_time else None

    def _draw_notices(self, surface: pygame.Surface) -> None:
        showing = [n for n in self.notices if n["until"] > self.clock_time]
        if len(showing) != len(self.notices):
            self._redraw = True  # a notice went away: draw what was under it
            self.layout_version += 1
        self.notices = showing
        if not self.notices or self.notice_drawn:
            return
        ui, theme = self.ui, self.ui.theme
        width = min(surface.get_width() - 2 * ui.s(16), ui.s(640))
        pad = ui.s(12)
        y = surface.get_height() - ui.s(56)
        for notice in reversed(self.notices[:1]):
            height = ui.text.height(notice["text"], "body", width - 2 * pad) + 2 * pad
            y -= height
            rect = pygame.Rect((surface.get_width() - width) // 2, y, width, height)
            back = theme.warn_bg if notice["tone"] == "error" else theme.coach_bg
            pygame.draw.rect(surface, back, rect, border_radius=RADIUS)
            edge = theme.bad if notice["tone"] == "error" else theme.accent
            pygame.draw.rect(surface, edge, rect, 2, border_radius=RADIUS)
            ui.text.draw(surface, notice["text"], "body", theme.text, rect.x + pad, rect.y + pad, width - 2 * pad)
            y -= ui.s(8)

    # -- the loop ---------------------------------------------------------------------------------
    def handle_event(self, event) -> None:
        self._redraw = True  # whatever an event changes, the next frame shows all of it
        kind = event.type
        if kind == pygame.QUIT:
            self.quit()
            return
        if kind == pygame.VIDEORESIZE:
            self.resize(event.size)
            return
        if kind in (pygame.WINDOWSIZECHANGED, pygame.WINDOWRESIZED):
            self.resize((event.x, event.y))
            return
        if kind == pygame.KEYDOWN:
            if event.key == pygame.K_F11:
                self.set_fullscreen(not self.fullscreen)
                return
            if event.mod & pygame.KMOD_CTRL and event.key in (pygame.K_PLUS, pygame.K_EQUALS, pygame.K_KP_PLUS):
                self.change_font_scale(1)
                return
            if event.mod & pygame.KMOD_CTRL and event.key in (pygame.K_MINUS, pygame.K_KP_MINUS):
                self.change_font_scale(-1)
                return
            if event.mod & pygame.KMOD_CTRL and event.key in (pygame.K_0, pygame.K_KP0):
                self.change_font_scale(0)
                return
        if self.busy and kind in (pygame.KEYDOWN, pygame.KEYUP, pygame.TEXTINPUT, pygame.MOUSEBUTTONDOWN,
                                  pygame.MOUSEBUTTONUP, pygame.MOUSEWHEEL):
            return  # waiting for background work the player asked for
        if kind in (pygame.MOUSEMOTION, pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP) and self.scaled:
            data = dict(event.dict)
            data["pos"] = self._to_canvas(event.pos)
            event = pygame.event.Event(kind, data)
        self.current.handle_event(event)

    # -- background work --------------------------------------------------------------------------
    def background(self, work, on_done=None, on_error=None) -> Job:
        job = Job(work, on_done, on_error)
        self.jobs.append(job)
        return job

    def _finish_jobs(self) -> None:
        for job in [j for j in self.jobs if j.finished.is_set()]:
            self.jobs.remove(job)
            self._redraw = True
            if job.error is not None:
                if job.on_error is not None:
                    job.on_error(job.error)
                else:
                    raise job.error
            elif job.on_done is not None:
                job.on_done(job.result)

    def wait_for_jobs(self, timeout: float = 60.0) -> None:
        """Block until background work is done and handed over (tests, benchmarks)."""
        deadline = time.monotonic() + timeout
        while self.jobs and time.monotonic() < deadline:
            for job in list(self.jobs):
                job.finished.wait(max(0.0, deadline - time.monotonic()))
            self._finish_jobs()

    def update(self, dt: float) -> None:
        self.clock_time += dt
        self.ui.time = self.clock_time
        self._finish_jobs()
        self.current.update(dt)

    def draw(self) -> None:
        """Draw a frame. After an event, a change of screen or layout, or with notices showing, everything
        is drawn; otherwise the scene may redraw only what moves (the face, the line being typed)."""
        canvas = self.canvas
        canvas.set_clip(None)
        scene = self.current
        scene.ensure_layout()
        # a scene laid out anew since the last frame (a notice came or went, an answer counted) is drawn whole
        key = (scene, self.layout_version, self.size, self.ui.theme.name, self.ui.lang, scene.layouts)
        full = (self._redraw or key != self._drawn_key or bool(self.notices) or bool(self.busy) or self.scaled
                or not scene.draw_moving(canvas, probe=True))
        self.notice_drawn = False
        if full:
            scene.draw(canvas)
        else:
            scene.draw_moving(canvas)
        canvas.set_clip(None)
        self._redraw = False
        self._drawn_key = key
        self.full_frames += full
        self._draw_notices(canvas)
        if self.busy:
            self._draw_busy(canvas)
        if self.scaled:
            self._present_scaled()
        pygame.display.flip()
        if self.first_frame_at is None:
            self.first_frame_at = time.perf_counter()

    def _draw_busy(self, surface: pygame.Surface) -> None:
        from game.ui.scene import shade

        ui, theme = self.ui, self.ui.theme
        shade(surface, ui)
        dots = "." * (1 + int(self.clock_time * 3) % 3)
        text = self.busy.rstrip("…") + dots
        width = min(surface.get_width() - 2 * ui.s(16), ui.s(520))
        height = ui.text.height(self.busy + "...", "heading", width - 2 * ui.s(20)) + 2 * ui.s(20)
        rect = pygame.Rect((surface.get_width() - width) // 2, (surface.get_height() - height) // 2, width, height)
        pygame.draw.rect(surface, theme.panel, rect, border_radius=RADIUS)
        ui.text.draw(surface, text, "heading", theme.text, rect.x + ui.s(20), rect.y + ui.s(20), width - 2 * ui.s(20))

    def _present_scaled(self) -> None:
        window = self.window
        scale, offset = self._scale_geometry()
        size = (max(1, int(self.canvas.get_width() * scale)), max(1, int(self.canvas.get_height() * scale)))
        window.fill(self.ui.theme.background)
        window.blit(pygame.transform.smoothscale(self.canvas, size), (int(offset[0]), int(offset[1])))
        theme = self.ui.theme
        key = (self.lang, window.get_width(), theme.name)
        if getattr(self, "_small_note", (None,))[0] != key:
            from game.ui.text import load_font, wrap

            font = load_font("regular", 12 if window.get_width() < 400 else 15)
            text = self.t("too_small", w=self.MIN_SIZE[0], h=self.MIN_SIZE[1])
            lines = [font.render(line, True, theme.text) for line in wrap(font, text, max(20, window.get_width() - 8))]
            self._small_note = (key, lines, font.get_linesize())
        _key, lines, line_height = self._small_note
        pygame.draw.rect(window, theme.warn_bg, (0, 0, window.get_width(), line_height * len(lines) + 6))
        for index, line in enumerate(lines):
            window.blit(line, (4, 3 + index * line_height))

    def frame(self, dt: float = 1 / 60) -> None:
        for event in pygame.event.get():
            self.handle_event(event)
            if not self.running:
                return
        self.update(dt)
        self.draw()

    def run(self, max_frames: int | None = None) -> int:
        clock = pygame.time.Clock()
        frames = 0
        try:
            while self.running:
                dt = clock.tick(60) / 1000
                self.frame(dt)
                frames += 1
                if max_frames is not None and frames >= max_frames:
                    break
        except Exception:
            self.end_session()
            traceback.print_exc()
            print(self.t("crashed"), file=sys.stderr)
            self.exit_code = 1
        finally:
            self.shutdown()
        return self.exit_code

    def quit(self) -> None:
        self.running = False

    def shutdown(self) -> None:
        self.end_session()
        big_enough = self.windowed_size[0] >= self.MIN_SIZE[0] and self.windowed_size[1] >= self.MIN_SIZE[1]
        if not self.fullscreen and big_enough and self.settings.window != tuple(self.windowed_size):
            self.settings = replace(self.settings, window=tuple(self.windowed_size))
            save_settings(self.settings, self.settings_file, self.lang)
        pygame.display.quit()
