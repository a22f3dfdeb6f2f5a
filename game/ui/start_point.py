"""A trainer's "play from here": choose the node a practice conversation starts at, and its flags and mood.

Reached from the scenario list with the trainer tools on (Mode: From a node). Two steps on one screen:
the nodes, each with the author's ID and the start of its line, narrowed by typing; then the chosen
node's line with the scenario's flags and mood to set. The conversation that follows is practice and
is never logged, as with `play --from` in the terminal. Everything works by keyboard alone.
"""

from __future__ import annotations

import pygame

from game.i18n import Catalog, pick
from game.scenario.model import COUNTER_MAX, COUNTER_MIN, MOOD_DIMENSIONS
from game.ui.records import StartPoint
from game.ui.scene import Flow, Scene, panel
from game.ui.widgets import ACTIVATE_KEYS, Button, FocusGroup, Selector, Stepper, TextField

_ = Catalog({
    "title": ("Play from a node", "Pelaa solmusta"),
    "subtitle": ("{scenario} · for trainers: practice, never logged", "{scenario} · kouluttajille: harjoittelua, ei kirjata"),
    "search": ("Find a node: type part of its ID or its line", "Etsi solmu: kirjoita osa sen tunnuksesta tai repliikistä"),
    "search_placeholder": ("e.g. {example}", "esim. {example}"),
    "count": ("{total} nodes", "{total} solmua"),
    "count_found": ("{found} of {total} nodes match", "Hakuun sopii {found}/{total} solmua"),
    "count_listed": ("{text} · the first {shown} are listed", "{text} · listassa ensimmäiset {shown}"),
    "no_match": ("No node matches “{text}”.", "Mikään solmu ei vastaa hakua ”{text}”."),
    "more": ("{n} more nodes match: type more to narrow the list.", "Hakuun sopii vielä {n} solmua: tarkenna hakua."),
    "first": ("the scenario starts here", "skenaario alkaa tästä"),
    "starts_at": ("Starts at {node}", "Alkaa solmusta {node}"),
    "play": ("Play from {node}", "Pelaa solmusta {node}"),
    "other_node": ("Choose another node", "Valitse toinen solmu"),
    "reset": ("Start values", "Alkuarvot"),
    "reset_done": ("The flags and mood are back at the scenario's start values.",
                   "Liput ja mieliala ovat taas skenaarion alkuarvoissa."),
    "flags": ("Flags", "Liput"),
    "flags_help": ("As at the start of the scenario unless you change them.",
                   "Kuten skenaarion alussa, ellet muuta niitä."),
    "no_flags": ("This scenario has no flags.", "Tässä skenaariossa ei ole lippuja."),
    "mood": ("Mood", "Mieliala"),
    "mood_help": ("0–100: ← → or − + change it by 5. What you do not change starts as in a real session "
                  "(with the mood of the customer's trait, if one is drawn).",
                  "0–100: ← → tai − + muuttaa 5 kerrallaan. Mitä et muuta, alkaa kuten oikeassa istunnossa "
                  "(arvotun piirteen vaikutus mukaan lukien)."),
    "trust": ("Trust", "Luottamus"),
    "distress": ("Distress", "Ahdistus"),
    "heard": ("Feels heard", "Kokee tulleensa kuulluksi"),
    "yes": ("Yes (true)", "Kyllä (true)"),
    "no": ("No (false)", "Ei (false)"),
    "changed": ("{label}  ·  start value {value}", "{label}  ·  alkuarvo {value}"),
    "practice_note": ("Practice only: nothing of this conversation is logged, and it never counts as an assessment.",
                      "Vain harjoittelua: tästä keskustelusta ei kirjata mitään, eikä sitä koskaan lasketa arvioinniksi."),
    "back": ("Back", "Takaisin"),
    "caption": ("{caption} · from node '{node}', not logged", "{caption} · solmusta '{node}', ei kirjata"),
    "hints_nodes": ("Type to search  ·  ↑ ↓ moves  ·  Enter chooses the node  ·  Esc goes back",
                    "Kirjoita hakeaksesi  ·  ↑ ↓ siirtää  ·  Enter valitsee solmun  ·  Esc palaa"),
    "hints_nodes_short": ("Type to search  ·  Enter chooses  ·  Esc back", "Kirjoita hakeaksesi  ·  Enter valitsee  ·  Esc palaa"),
    "hints_values": ("↑ ↓ moves  ·  ← → changes  ·  Enter plays  ·  Esc chooses another node",
                     "↑ ↓ siirtää  ·  ← → muuttaa  ·  Enter pelaa  ·  Esc valitsee toisen solmun"),
    "hints_values_short": ("← → changes  ·  Enter plays  ·  Esc back", "← → muuttaa  ·  Enter pelaa  ·  Esc palaa"),
})

SHOWN_AT_MOST = 80  # rows listed at once; typing narrows the rest
MOOD_STEP = 5
LINE_START = 90  # characters of a line shown in the list


def mode_caption(session, caption: str, lang: str) -> str:
    """The mode as the play screen and the debrief name it, with "from node X" for a trainer's session, so
    nobody takes it for a real run."""
    point = getattr(session, "start_point", None)
    return caption if point is None else _("caption", lang, caption=caption, node=point.node)


def _start_of(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= LINE_START else text[:LINE_START - 1].rstrip() + "…"


class StartPointScene(Scene):
    name = "start_point"

    def __init__(self, app):
        super().__init__(app)
        self.flow = Flow()
        self.focus = FocusGroup()
        self.scenario = None
        self.node_id: str | None = None  # None: choosing the node; else setting the values for it
        self.flags: dict = {}
        self.mood: dict = {}
        self.rows: list[Button] = []
        self.hidden = 0  # matching nodes not listed
        self.search = TextField("", max_length=60, on_change=lambda _text: self._list_nodes(),
                                on_submit=self._choose_first)
        self.back = Button("", lambda: self.app.go("back"))
        self.play = Button("", self.start, kind="primary")
        self.other = Button("", self.choose_other)
        self.reset = Button("", self.reset_values)
        self.values: list[Selector] = []
        self._kept: dict = {}  # scenario id -> (search, node, flags, mood): the last choice, for the next time

    def t(self, key: str, **values) -> str:
        return _(key, self.lang, **values)

    # -- entering ---------------------------------------------------------------------------------
    def enter(self, scenario=None, **kwargs) -> None:
        if scenario is not None:
            self.scenario = scenario
            search, node, flags, mood = self._kept.get(scenario.id, ("", None, {}, {}))
            self.search.value, self.search.caret = search, len(search)
            self.flags = {name: flags.get(name, value) for name, value in scenario.flags.items()}
            self.mood = {name: mood.get(name, scenario.mood.get(name, 0)) for name in MOOD_DIMENSIONS}
            self.node_id = None
            self.flow.scroller.offset = 0
            self._list_nodes(focus=node)
        try:
            pygame.key.start_text_input()
        except pygame.error:
            pass
        self.invalidate()

    def leave(self) -> None:
        if self.scenario is not None:
            self._kept[self.scenario.id] = (self.search.value, self.node_id, dict(self.flags), dict(self.mood))

    # -- step 1: the node -------------------------------------------------------------------------
    def startable(self) -> list:
        """The nodes a conversation can start at (not endings), in the order of the file."""
        return [node for node in self.scenario.nodes.values() if not node.is_ending]

    def matching(self) -> list:
        words = self.search.value.casefold().split()
        nodes = self.startable()
        if not words:
            return nodes

        def haystack(node) -> str:
            line = node.line if isinstance(node.line, str) else " ".join(node.line.values())
            return f"{node.id} {line}".casefold()

        return [node for node in nodes if all(word in haystack(node) for word in words)]

    def _list_nodes(self, focus: str | None = None) -> None:
        found = self.matching()
        shown = found[:SHOWN_AT_MOST]
        self.hidden = len(found) - len(shown)
        start = self.scenario.start
        self.rows = []
        for node in shown:
            label = node.id if node.id != start else f"{node.id}  ·  {self.t('first')}"
            line = _start_of(pick(node.line, self.lang))
            self.rows.append(Button(label, (lambda n=node.id: self.choose(n)), kind="choice",
                                    note=f"“{line}”" if self.lang != "fi" else f"”{line}”", data=node.id))
        current = self.focus.current
        self.focus.set([self.search, *self.rows, self.back], keep=False)
        again = next((row for row in self.rows if row.data == focus), None)
        self.focus.focus(again or (current if current is self.search or current is self.back else self.search))
        if again is None:
            self.flow.scroller.offset = 0
        self.invalidate()

    def _choose_first(self) -> None:
        if self.rows:
            self.choose(self.rows[0].data)

    def choose(self, node_id: str) -> None:
        """The node is chosen: show its line and the values it starts with."""
        self.node_id = node_id
        self.flow.scroller.offset = 0
        self._build_values()
        self.focus.focus(self.play)

    def choose_other(self) -> None:
        node = self.node_id
        self.node_id = None
        self._list_nodes(focus=node)

    # -- step 2: the values -----------------------------------------------------------------------
    def _build_values(self) -> None:
        scenario, t = self.scenario, self.t
        self.values = []
        for name, start in scenario.flags.items():
            if isinstance(start, bool):
                widget = Selector(name, [(False, t("no")), (True, t("yes"))], self.flags[name])
            else:
                numbers = sorted(set(range(COUNTER_MIN, COUNTER_MAX + 1)) | {start, self.flags[name]})
                widget = Stepper(name, [(n, str(n)) for n in numbers], self.flags[name])
            widget.on_change = (lambda value, n=name: self._set_flag(n, value))
            widget.data = ("flag", name)
            self.values.append(widget)
        for name in MOOD_DIMENSIONS:
            start = scenario.mood.get(name, 0)
            steps = sorted(set(range(0, 101, MOOD_STEP)) | {start, self.mood[name]})
            widget = Stepper(name, [(n, str(n)) for n in steps], self.mood[name])
            widget.on_change = (lambda value, n=name: self._set_mood(n, value))
            widget.data = ("mood", name)
            self.values.append(widget)
        self._label_values()
        current = self.focus.current
        self.focus.set([self.play, self.other, self.reset, *self.values, self.back], keep=False)
        if current in self.focus.widgets:
            self.focus.focus(current)
        self.invalidate()

    def _label_values(self) -> None:
        """Each value's name, and its start value beside it when it has been changed."""
        scenario, t = self.scenario, self.t
        for widget in self.values:
            kind, name = widget.data
            if kind == "flag":
                label, start, now = name, scenario.flags[name], self.flags[name]
                shown = t("yes" if start else "no") if isinstance(start, bool) else str(start)
            else:
                label, start, now = f"{t(name)} ({name})", scenario.mood.get(name, 0), self.mood[name]
                shown = str(start)
            widget.label = label if now == start else t("changed", label=label, value=shown)

    def _set_flag(self, name: str, value) -> None:
        self.flags[name] = value
        self._label_values()
        self.invalidate()

    def _set_mood(self, name: str, value: int) -> None:
        self.mood[name] = value
        self._label_values()
        self.invalidate()

    def reset_values(self) -> None:
        self.flags = dict(self.scenario.flags)
        self.mood = {name: self.scenario.mood.get(name, 0) for name in MOOD_DIMENSIONS}
        self._build_values()
        self.app.notify(self.t("reset_done"), "info", 3)

    def start(self) -> None:
        if self.node_id is None:
            return
        # only what the trainer changed: the rest starts as in a real session (a drawn trait's mood included)
        scenario = self.scenario
        flags = {name: value for name, value in self.flags.items() if value != scenario.flags[name]}
        mood = {name: value for name, value in self.mood.items() if value != scenario.mood.get(name, 0)}
        point = StartPoint(self.node_id, flags, mood)
        self.app.start_from_here(self.scenario, point)

    # -- layout -----------------------------------------------------------------------------------
    def _subtitle(self) -> str:
        return self.t("subtitle", scenario=pick(self.scenario.title, self.lang))

    def _hints(self) -> tuple[str, str]:
        step = "values" if self.node_id is not None else "nodes"
        return self.t(f"hints_{step}"), self.t(f"hints_{step}_short")

    def layout(self) -> None:
        ui = self.ui
        t = self.t
        self.back.label = t("back")
        margin = self.margin()
        column = min(self.width - 2 * margin, max(ui.s(720), 760))
        self.column = pygame.Rect((self.width - column) // 2, 0, column, 0)
        top = self.header_height(t("title"), self._subtitle(), column)
        bottom = self.height - self.hints_height(*self._hints())
        flow = self.flow
        flow.clear()
        if self.node_id is None:
            self.search.placeholder = t("search_placeholder", example=self.scenario.start)
            label_height = ui.text.height(t("search"), "small_bold", column - 2 * Flow.INSET)
            field_height = self.search.measure(ui, column)
            self._search_label_y = top
            self.search.rect = pygame.Rect(self.column.x + Flow.INSET, top + label_height + ui.s(4),
                                           column - 2 * Flow.INSET - ui.s(14), field_height)
            self.search.clip = None
            top = self.search.rect.bottom + ui.s(10)
            total, found = len(self.startable()), len(self.rows) + self.hidden
            if not self.rows:
                flow.text(t("no_match", text=self.search.value.strip()), "body", "muted", gap=12)
            else:
                count = t("count_found", found=found, total=total) if self.search.value.strip() else t("count", total=total)
                if self.hidden:
                    count = t("count_listed", text=count, shown=len(self.rows))
                flow.text(count, "small", "muted", gap=8)
            for row in self.rows:
                flow.widget(row, gap=8)
            if self.hidden:
                flow.text(t("more", n=self.hidden), "small", "muted", gap=8)
            flow.space(ui.s(4))
            flow.row([self.back], align="left")
        else:
            node = self.scenario.nodes[self.node_id]
            self.play.label = t("play", node=self.node_id)
            self.other.label, self.reset.label = t("other_node"), t("reset")
            flow.text(t("starts_at", node=self.node_id), "heading", "text", gap=6)
            flow.custom(lambda width: self._measure_line(node, width),
                        lambda surface, x, y, width: self._draw_line(surface, node, x, y, width), gap=10)
            flow.text(t("practice_note"), "small", "muted", gap=12)
            flow.row([self.play, self.other, self.reset], align="left", gap=18)
            flow.text(t("flags"), "heading", "text", gap=2)
            flags = [w for w in self.values if w.data[0] == "flag"]
            flow.text(t("flags_help") if flags else t("no_flags"), "small", "muted", gap=8)
            for widget in flags:
                flow.widget(widget, gap=8)
            flow.space(ui.s(8))
            flow.text(t("mood"), "heading", "text", gap=2)
            flow.text(t("mood_help"), "small", "muted", gap=8)
            for widget in self.values:
                if widget.data[0] == "mood":
                    flow.widget(widget, gap=8)
            flow.space(ui.s(4))
            flow.row([self.back], align="left")
        flow.layout(ui, pygame.Rect(self.column.x, top, column, max(40, bottom - top)))
        if self.focus.current is not None and self.focus.current is not self.search:
            flow.show(self.focus.current)

    def _line_texts(self, node) -> tuple[str, str]:
        line = pick(node.line, self.lang)
        quote = ("”", "”") if self.lang == "fi" else ("“", "”")
        return f"{quote[0]}{line}{quote[1]}", pick(node.cue, self.lang)

    def _measure_line(self, node, width: int) -> int:
        ui = self.ui
        line, cue = self._line_texts(node)
        inner = width - 2 * ui.s(16)
        height = ui.text.height(line, "line", inner)
        if cue:
            height += ui.s(6) + ui.text.height(cue, "small_italic", inner)
        return height + 2 * ui.s(14)

    def _draw_line(self, surface, node, x: int, y: int, width: int) -> None:
        ui = self.ui
        line, cue = self._line_texts(node)
        panel(surface, ui, pygame.Rect(x, y, width, self._measure_line(node, width)))
        inner = width - 2 * ui.s(16)
        y += ui.s(14)
        y += ui.text.draw(surface, line, "line", ui.theme.text, x + ui.s(16), y, inner)
        if cue:
            ui.text.draw(surface, cue, "small_italic", ui.theme.muted, x + ui.s(16), y + ui.s(6), inner)

    # -- events -----------------------------------------------------------------------------------
    def handle_event(self, event) -> None:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            if self.node_id is not None:
                self.choose_other()
            else:
                self.app.go("back")
            return
        if self.node_id is None and self.focus.current is not self.search:
            # typing anywhere in the list searches
            typing = event.type == pygame.TEXTINPUT or (event.type == pygame.KEYDOWN and event.key == pygame.K_BACKSPACE)
            if typing:
                self.focus.focus(self.search)
                self.search.handle(event, self.ui)
                return
        if (self.node_id is not None and event.type == pygame.KEYDOWN and event.key in ACTIVATE_KEYS
                and event.key != pygame.K_SPACE and not isinstance(self.focus.current, Button)):
            self.start()  # Enter on a value plays; the buttons do what they say
            return
        before = self.focus.current
        if self.focus.handle(event, self.ui):
            if self.focus.current is not before and self.focus.current not in (None, self.search):
                self.flow.show(self.focus.current)
            return
        self.flow.handle_scroll(event, self.ui)

    # -- drawing ----------------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        ui = self.ui
        surface.fill(ui.theme.background)
        self.header(surface, self.t("title"), self._subtitle(), self.column.x + Flow.INSET, self.column.width)
        if self.node_id is None:
            ui.text.draw(surface, self.t("search"), "small_bold", ui.theme.text, self.search.rect.x, self._search_label_y,
                         self.search.rect.width)
            self.search.draw(surface, ui)
        self.flow.draw(surface, ui)
        self.hints(surface, *self._hints())
