"""Which screen is showing: a `transitions` state machine over the game's screens.

    menu ──pick_scenario──▶ picker ──start──▶ play ──finish──▶ debrief ──customer_eyes──▶ replay
      │  ◀────── back ──────┘        │ ▲                    │  ▲ │                          │
      │                         pause│ │resume         start│  │ └──────── back ◀──────────┘
      │                              ▼ │                    ▼  │
      ├──open_settings──▶ settings ◀── pause ── to_menu ──▶ menu
      └──start (resume a session) / review (a recorded session) ──▶ play / debrief

    picker ──choose_start──▶ start_point ──start──▶ play      (start_point ──back──▶ picker)

Settings is reached from the menu and from pause, and `back` returns to where
it came from. The start point (a trainer's "play from here": a node, flags and
mood) is offered by the picker only with the trainer tools on. Entering a state
calls the app, which hands the trigger's keyword arguments (e.g. the session to
play) to that screen's scene.
"""

from __future__ import annotations

from transitions import Machine

SCREENS = ("menu", "picker", "play", "pause", "debrief", "replay", "settings", "start_point")

TRANSITIONS = [
    {"trigger": "pick_scenario", "source": "menu", "dest": "picker"},
    {"trigger": "choose_start", "source": "picker", "dest": "start_point"},
    {"trigger": "start", "source": ["menu", "picker", "debrief", "pause", "start_point"], "dest": "play"},
    {"trigger": "pause", "source": "play", "dest": "pause"},
    {"trigger": "resume", "source": "pause", "dest": "play"},
    {"trigger": "finish", "source": "play", "dest": "debrief"},
    {"trigger": "review", "source": "menu", "dest": "debrief"},
    {"trigger": "customer_eyes", "source": "debrief", "dest": "replay"},
    {"trigger": "back", "source": "replay", "dest": "debrief"},
    {"trigger": "back", "source": "picker", "dest": "menu"},
    {"trigger": "back", "source": "start_point", "dest": "picker"},
    {"trigger": "open_settings", "source": ["menu", "pause"], "dest": "settings", "before": "remember_origin"},
    {"trigger": "back", "source": "settings", "dest": "menu", "conditions": "came_from_menu"},
    {"trigger": "back", "source": "settings", "dest": "pause", "unless": "came_from_menu"},
    {"trigger": "to_menu", "source": ["picker", "play", "pause", "debrief", "replay", "settings", "start_point"],
     "dest": "menu"},
]


class Screens:
    """The model the Machine moves; `state` is the screen showing."""

    def __init__(self, app, initial: str = "menu"):
        self.app = app
        self.settings_origin = "menu"
        self.machine = Machine(model=self, states=list(SCREENS), transitions=TRANSITIONS, initial=initial,
                               auto_transitions=False, send_event=True,
                               before_state_change="leaving", after_state_change="entered")

    def remember_origin(self, event) -> None:
        self.settings_origin = event.transition.source

    def came_from_menu(self, event) -> bool:
        return self.settings_origin == "menu"

    def leaving(self, event) -> None:
        self.app.leave_screen(event.transition.source, event.transition.dest)

    def entered(self, event) -> None:
        self.app.enter_screen(event.transition.dest, event.kwargs)

    def can(self, trigger: str) -> bool:
        return trigger in self.machine.get_triggers(self.state)
