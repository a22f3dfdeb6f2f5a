"""Scenarios: the format, safe loading, checking and the immutable model the engine plays.

The names below are imported on first use, so a command that needs only a part
(e.g. `validate` answering from its cache) does not pay for loading the rest.
"""

from importlib import import_module

_EXPORTS = {
    "Diagnostic": "game.scenario.diagnostics", "DiagnosticError": "game.scenario.diagnostics",
    "LoadResult": "game.scenario.loader", "load_or_raise": "game.scenario.loader",
    "load_scenario": "game.scenario.loader", "Choice": "game.scenario.model", "Node": "game.scenario.model",
    "Scenario": "game.scenario.model", "Rubric": "game.scenario.rubric", "load_rubric": "game.scenario.rubric",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'game.scenario' has no attribute {name!r}")
