"""The pygame game: menu, scenario picker, play, pause, debrief, customer's-eyes replay, settings.

Everything that touches pygame lives in this package; the engine never imports it.
Importing `game.ui` itself is cheap: pygame is loaded when `run` is called.

    from game.ui import run
    run(scenario="scenarios/small_print.yaml", lang="fi", mode="assessment")

One module per screen (menu, picker, play, pause, debrief, replay,
settings_screen), plus: app (window, loop, sessions), screens (the state
machine), scene (base class, overlay), widgets, text (fonts, cache), face (the
customer), chart (mood over the turns), theme, settings (saved choices),
records (session logs), catalogue (scenario list), harness (headless driving
for tests and benchmarks).
"""

from __future__ import annotations


class DisplayUnavailable(RuntimeError):
    """No window can be opened here (no display, no video driver)."""

    def __init__(self, reason: str, reason_fi: str | None = None):
        super().__init__(reason)
        self.reason_fi = reason_fi or reason

    def message(self, lang: str) -> str:
        """What to tell the player before falling back to the terminal."""
        if lang == "fi":
            return f"Peli-ikkunaa ei voitu avata ({self.reason_fi}). Pelataan päätteessä."
        return f"The game window could not be opened ({self}). Playing in the terminal instead."


NO_DISPLAY = ("no display was found", "näyttöä ei löytynyt")


def run(scenario=None, lang: str | None = None, seed: int | None = None, trainee: str = "",
        mode: str = "practice", **options) -> int:
    """Open the game window and play until it is closed. Raises DisplayUnavailable without a display."""
    from game.ui.app import App

    app = App(scenario=scenario, lang=lang, seed=seed, trainee=trainee, mode=mode, **options)
    return app.run()


def review(scenario, seed: int, choices, lang: str | None = None, **options) -> int:
    """Open a recorded conversation at its debrief (for a coach's replay of a session log)."""
    from game.ui.app import App

    app = App(lang=lang, review=(scenario, seed, list(choices)), **options)
    return app.run()
