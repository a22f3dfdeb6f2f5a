"""Scenarios: the format, safe loading, checking and the immutable model the engine plays."""

from game.scenario.diagnostics import Diagnostic, DiagnosticError
from game.scenario.loader import LoadResult, load_or_raise, load_scenario
from game.scenario.model import Choice, Node, Scenario
from game.scenario.rubric import Rubric, load_rubric

__all__ = ["Choice", "Diagnostic", "DiagnosticError", "LoadResult", "Node", "Rubric", "Scenario",
           "load_or_raise", "load_rubric", "load_scenario"]
