"""Choosing a scenario and a mode: each scenario with its description, difficulty and the trainee's record.

A scenario that fails to load is listed greyed out with its first problem;
pressing it shows all of them (useful to a trainer), and never starts it.
"""

from __future__ import annotations

import pygame

from game.i18n import Catalog, percent
from game.ui.catalogue import Entry, find_files, fresh_entry, load_entry, order
from game.ui.scene import Flow, Overlay, Scene
from game.ui.theme import RADIUS
from game.ui.widgets import Button, FocusGroup, Selector, Widget, focus_ring

_ = Catalog({
    "title": ("Choose a scenario", "Valitse skenaario"),
    "trainee": ("Playing as {name}", "Pelaajana {name}"),
    "mode": ("Mode", "Tila"),
    "practice": ("Practice", "Harjoittelu"),
    "assessment": ("Assessment", "Arviointi"),
    "from_node": ("From a node (trainer)", "Solmusta (kouluttaja)"),
    "practice_help": ("Practice: after each answer a coach's note appears, and you can take an answer back and try another.",
                      "Harjoittelu: jokaisen vastauksen jälkeen saat valmentajan huomion, ja voit perua vastauksen ja kokeilla toista."),
    "assessment_help": ("Assessment: the attempt that counts. No notes and no taking back; feedback comes in the debrief.",
                        "Arviointi: yritys, joka lasketaan. Ei huomioita eikä perumista; palaute tulee loppupurussa."),
    "from_node_help": ("From a node: for trainers. Choose the scenario, then the node to start at, with the flags and mood "
                       "you want. Practice only, never logged.",
                       "Solmusta: kouluttajille. Valitse skenaario ja sitten solmu, josta aloitetaan, sekä haluamasi "
                       "liput ja mieliala. Vain harjoittelua, ei kirjata."),
    "easy": ("Easy", "Helppo"),
    "medium": ("Medium", "Keskivaikea"),
    "hard": ("Hard", "Vaikea"),
    "best": ("Your best in assessment: {score}  ·  {attempts}", "Paras tuloksesi arvioinnissa: {score}  ·  {attempts}"),
    "attempts_one": ("1 attempt", "1 yritys"),
    "attempts_many": ("{n} attempts", "{n} yritystä"),
    "practice_best": ("Practised {sessions}  ·  best {score} (with take-backs)",
                      "Harjoiteltu {sessions}  ·  paras {score} (perumiset mukana)"),
    "sessions_one": ("once", "kerran"),
    "sessions_many": ("{n} times", "{n} kertaa"),
    "no_best": ("{attempts}", "{attempts}"),
    "not_tried_assessment": ("No assessment finished yet", "Ei vielä yhtään päättynyttä arviointia"),
    "not_tried_practice": ("Not practised yet", "Ei vielä harjoiteltu"),
    "invalid": ("Cannot be played: {problem}", "Ei pelattavissa: {problem}"),
    "invalid_title": ("This scenario has errors", "Tässä skenaariossa on virheitä"),
    "none": ("No scenarios were found in {where}.", "Kansiosta {where} ei löytynyt skenaarioita."),
    "back": ("Back", "Takaisin"),
    "hints_short": ("Enter starts  ·  M mode  ·  Esc back", "Enter aloittaa  ·  M tila  ·  Esc palaa"),
    "loading": ("Checking the scenarios…", "Skenaarioita tarkistetaan…"),
    "hints": ("↑ ↓ moves  ·  Enter starts  ·  M switches the mode  ·  Esc goes back",
              "↑ ↓ siirtää  ·  Enter aloittaa  ·  M vaihtaa tilaa  ·  Esc palaa"),
    "hints_from_node": ("↑ ↓ moves  ·  Enter chooses the scenario  ·  M switches the mode  ·  F5 reloads the list  ·  Esc goes back",
                        "↑ ↓ siirtää  ·  Enter valitsee skenaarion  ·  M vaihtaa tilaa  ·  F5 lataa listan uudelleen  ·  Esc palaa"),
    "hints_trainer": ("↑ ↓ moves  ·  Enter starts  ·  M switches the mode  ·  F5 reloads the list  ·  Esc goes back",
                      "↑ ↓ siirtää  ·  Enter aloittaa  ·  M vaihtaa tilaa  ·  F5 lataa listan uudelleen  ·  Esc palaa"),
})


class ScenarioCard(Widget):
    def __init__(self, scene: "PickerScene", entry: Entry, stats):
        super().__init__()
        self.scene, self.entry, self.stats = scene, entry, stats
        self._pressed = False

    def _texts(self) -> tuple[str, str, str, str]:
        scene, entry = self.scene, self.entry
        title = entry.title(scene.lang)
        if not entry.ok:
            return title, "", scene.t("invalid", problem=entry.problem_message(scene.lang)), ""
        difficulty = scene.t(entry.scenario.difficulty) if entry.scenario.difficulty in ("easy", "medium", "hard") else ""
        mode = scene.app.mode
        stats = self.stats.get(mode) if isinstance(self.stats, dict) else None  # only this mode's sessions
        attempts = getattr(stats, "attempts", 0) if stats is not None else 0
        best = getattr(stats, "best", None)
        if not attempts:
            record = scene.t("not_tried_assessment" if mode == "assessment" else "not_tried_practice")
        elif mode == "assessment":
            count = scene.t("attempts_one") if attempts == 1 else scene.t("attempts_many", n=attempts)
            record = scene.t("best", score=percent(best, scene.lang), attempts=count) if best is not None else \
                scene.t("no_best", attempts=count)
        else:
            sessions = scene.t("sessions_one") if attempts == 1 else scene.t("sessions_many", n=attempts)
            record = scene.t("practice_best", sessions=sessions, score=percent(best, scene.lang) if best is not None else "–")
        return title, difficulty, entry.description(scene.lang), record

    def measure(self, ui, width: int) -> int:
        pad = ui.s(16)
        inner = width - 2 * pad
        title, difficulty, description, record = self._texts()
        badge = ui.text.size(difficulty, "small_bold")[0] + ui.s(20) if difficulty else 0
        height = ui.text.height(title, "heading", max(20, inner - badge - ui.s(8)))
        if description:
            height += ui.s(4) + ui.text.height(description, "body" if self.entry.ok else "small", inner)
        if record:
            height += ui.s(6) + ui.text.height(record, "small", inner)
        return height + 2 * pad

    def activate(self) -> bool:
        self.scene.start(self.entry)
        return True

    def handle(self, event, ui) -> bool:
        if event.type == pygame.MOUSEMOTION:
            self.hovered = self.hit(event.pos)
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and self.hit(event.pos):
            self._pressed = True
            return True
        elif event.type == pygame.MOUSEBUTTONUP and event.button == 1:
            pressed, self._pressed = self._pressed, False
            if pressed and self.hit(event.pos):
                self.activate()
                return True
        return False

    def draw(self, surface, ui) -> None:
        theme = ui.theme
        ok = self.entry.ok
        back = theme.panel_alt if (self.hovered or self.focused) and ok else theme.panel if ok else theme.disabled
        pygame.draw.rect(surface, back, self.rect, border_radius=RADIUS)
        pygame.draw.rect(surface, theme.accent if self.focused and ok else theme.border, self.rect,
                         2 if self.focused else 1, border_radius=RADIUS)
        pad = ui.s(16)
        inner = self.rect.width - 2 * pad
        title, difficulty, description, record = self._texts()
        x, y = self.rect.x + pad, self.rect.y + pad
        fore = theme.text if ok else theme.on_disabled
        badge_width = 0
        if difficulty:
            text_width = ui.text.size(difficulty, "small_bold")[0]
            badge_width = text_width + ui.s(20)
            badge = pygame.Rect(self.rect.right - pad - badge_width, y, badge_width, ui.fonts.line_height("small") + ui.s(4))
            colour = {"easy": theme.good, "medium": theme.accent, "hard": theme.bad}[self.entry.scenario.difficulty]
            pygame.draw.rect(surface, colour, badge, border_radius=badge.height // 2)
            ui.text.draw(surface, difficulty, "small_bold", theme.panel if theme.name != "high_contrast" else theme.background,
                         badge.x, badge.y + ui.s(2), badge.width, align="center")
        y += ui.text.draw(surface, title, "heading", fore, x, y, max(20, inner - badge_width - ui.s(8)))
        if description:
            y += ui.s(4)
            y += ui.text.draw(surface, description, "body" if ok else "small", theme.muted if ok else theme.bad, x, y, inner)
        if record:
            y += ui.s(6)
            ui.text.draw(surface, record, "small", theme.muted, x, y, inner)
        if self.focused:
            focus_ring(surface, ui, self.rect)


class PickerScene(Scene):
    name = "picker"

    def __init__(self, app):
        super().__init__(app)
        self.flow = Flow()
        self.focus = FocusGroup()
        self.entries: list[Entry] = []
        self.cards: list[ScenarioCard] = []
        self.overlay: Overlay | None = None
        self.loading = False
        self.mode = Selector("", [("practice", ""), ("assessment", "")], app.mode, on_change=self._mode_changed)

    def t(self, key: str, **values) -> str:
        return _(key, self.lang, **values)

    def enter(self, **kwargs) -> None:
        self.rescan()

    def rescan(self) -> None:
        """List the scenarios with the trainee's record. Files not loaded yet (or changed since) are loaded
        and checked, and the logs read, in the background: the list appears when they are ready."""
        paths = find_files(self.app.scenario_sources)
        trainee = self.app.trainee
        records = self.app.records
        cached = [fresh_entry(path) for path in paths]
        if all(entry is not None for entry in cached) and self.cards:
            self._show(order(cached), {card.entry.id: card.stats for card in self.cards})  # at once, then refresh
        else:
            self._show([], {}, loading=True)

        def work():
            return order([load_entry(path) for path in paths]), (records.stats(trainee) if trainee else {})

        def failed(error):
            self.loading = False
            self.app.notify(f"{type(error).__name__}: {error}", "error")
            self.invalidate()

        self.app.background(work, lambda result: self._show(*result, keep_focus=True), failed)

    def _show(self, entries: list[Entry], stats: dict, loading: bool = False, keep_focus: bool = False) -> None:
        if self.app.screen != "picker" and not loading:
            return  # the player has moved on
        focused = self.focus.current
        focused_path = focused.entry.path if isinstance(focused, ScenarioCard) else None
        self.loading = loading
        self.entries = entries
        self.cards = [ScenarioCard(self, entry, stats.get(entry.id)) for entry in self.entries]
        self.back = Button(self.t("back"), lambda: self.app.go("back"))
        self.focus.set([self.mode, *self.cards, self.back], keep=False)
        again = next((c for c in self.cards if c.entry.path == focused_path), None) if keep_focus else None
        if keep_focus and focused is self.mode:
            again = self.mode
        self.focus.focus(again or next((c for c in self.cards if c.entry.ok), self.cards[0] if self.cards else self.back))
        if not keep_focus:
            self.flow.scroller.offset = 0
        self.invalidate()

    def _hints(self) -> str:
        """F5 (reloading the files) is a trainer's key: named only with the trainer tools on."""
        if not self.app.settings.trainer_tools:
            return self.t("hints")
        return self.t("hints_from_node" if self.from_node else "hints_trainer")

    def _mode_changed(self, mode: str) -> None:
        self.app.mode = mode if mode != "from_node" else "practice"  # from a node: practice, never logged
        self.invalidate()

    @property
    def from_node(self) -> bool:
        """The trainer's "play from here": a card opens the choice of a node instead of starting."""
        return self.mode.value == "from_node"

    def _modes(self) -> list[str]:
        """The modes on offer: "from a node" only with the trainer tools on (a trainee never sees it)."""
        return ["practice", "assessment"] + (["from_node"] if self.app.settings.trainer_tools else [])

    def layout(self) -> None:
        ui = self.ui
        self.mode.label = self.t("mode")
        value, modes = self.mode.value, self._modes()
        self.mode.options = [(mode, self.t(mode)) for mode in modes]
        self.mode.index = modes.index(value) if value in modes else modes.index(self.app.mode)
        self.back.label = self.t("back")
        flow = self.flow
        flow.clear()
        flow.widget(self.mode, gap=6)
        flow.text(self.t(self.mode.value + "_help"), "small", "muted", gap=18)
        if self.loading:
            flow.text(self.t("loading"), "body", "muted", gap=18)
        elif not self.cards:
            where = ", ".join(str(s) for s in self.app.scenario_sources)
            flow.text(self.t("none", where=where), "body", "text", gap=18)
        for card in self.cards:
            flow.widget(card, gap=12)
        flow.space(ui.s(4))
        flow.row([self.back])
        margin = self.margin()
        column = min(self.width - 2 * margin, max(ui.s(680), 720))
        self.column = pygame.Rect((self.width - column) // 2, 0, column, 0)
        top = self.header_height(self.t("title"), self._subtitle(), column)
        bottom = self.height - self.hints_height(self._hints(), self.t("hints_short"))
        flow.layout(ui, pygame.Rect(self.column.x, top, column, max(40, bottom - top)))
        if self.focus.current is not None:
            flow.show(self.focus.current)

    def _subtitle(self) -> str | None:
        return self.t("trainee", name=self.app.trainee) if self.app.trainee else None

    def start(self, entry: Entry) -> None:
        if not entry.ok:
            self.show_problems(entry)
            return
        if self.from_node and self.app.settings.trainer_tools:
            self.app.go("choose_start", scenario=entry.scenario)
            return
        self.app.start_session(entry.scenario, mode=self.app.mode)

    def show_problems(self, entry: Entry) -> None:
        lines = [str(entry.path)]
        try:
            from game.scenario.loader import load_scenario

            lines += [d.format(self.lang) for d in load_scenario(entry.path).diagnostics] or [entry.problem_message(self.lang)]
        except Exception:
            lines.append(entry.problem_message(self.lang))
        self.overlay = Overlay(self, self.t("invalid_title"), lines, tone="error", mono_from=1)

    def handle_event(self, event) -> None:
        if self.overlay is not None:
            self.overlay.handle_event(event, self.ui)
            if self.overlay.closed:
                self.overlay = None
            return
        if event.type == pygame.KEYDOWN:
            if event.key == pygame.K_ESCAPE:
                self.app.go("back")
                return
            if event.key == pygame.K_F5 and not self.loading:
                self.rescan()
                return
            if event.key == pygame.K_m and not event.mod & pygame.KMOD_CTRL:
                self.mode.step(1)
                return
        before = self.focus.current
        if self.focus.handle(event, self.ui):
            if self.focus.current is not before and self.focus.current is not None:
                self.flow.show(self.focus.current)
            return
        self.flow.handle_scroll(event, self.ui)

    def draw(self, surface: pygame.Surface) -> None:
        surface.fill(self.ui.theme.background)
        self.header(surface, self.t("title"), self._subtitle(), self.column.x + Flow.INSET, self.column.width)
        self.flow.draw(surface, self.ui)
        self.hints(surface, self._hints(), self.t("hints_short"))
        if self.overlay is not None:
            self.overlay.draw(surface, self.ui)
