"""Conditions: a tiny, safe expression language for `if:`, `when:` and interrupts.

    trust >= 60 and not asked_about_price
    distress - trust > 40 or walked_out_once

Text is parsed with Python's `ast` (never evaluated) and only this whitelist
is accepted: names, whole numbers, true/false, comparisons (chains too),
and/or/not, unary minus, + and -. Calls, attributes, subscripts, `**`, strings
and everything else are refused. Length and size are bounded, so a condition
cannot be slow. Each condition is compiled once, at load time, into nested
closures that read a dict of variables.
"""

from __future__ import annotations

import ast
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass

MAX_LENGTH = 200
MAX_NODES = 60
MAX_NUMBER = 1_000_000

_COMPARE = {
    ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt,
    ast.GtE: operator.ge, ast.Eq: operator.eq, ast.NotEq: operator.ne,
}
_ARITH = {ast.Add: operator.add, ast.Sub: operator.sub}
_CONSTANT_NAMES = {"true": True, "false": False, "True": True, "False": False}


_REFUSED_NAMES = {
    "Subscript": ("indexing with [ ]", "hakasulkeilla indeksointi"),
    "IfExp": ("'… if … else …'", "'… if … else …'"),
    "Lambda": ("lambda", "lambda"),
    "NamedExpr": ("':='", "':='"),
    "JoinedStr": ("an f-string", "f-merkkijono"),
    "List": ("a list", "luettelo"), "Tuple": ("a tuple", "monikko"), "Set": ("a set", "joukko"),
    "Dict": ("a mapping", "sanakirja"),
    "ListComp": ("a comprehension", "koostelauseke"), "SetComp": ("a comprehension", "koostelauseke"),
    "DictComp": ("a comprehension", "koostelauseke"), "GeneratorExp": ("a comprehension", "koostelauseke"),
    "Starred": ("'*'", "'*'"), "Await": ("await", "await"), "Yield": ("yield", "yield"),
}


class ConditionError(ValueError):
    """A condition that cannot be used; `reason` and `reason_fi` say why, `fix` is the condition as it was
    probably meant, when a common slip explains the error (`=` for `==`, `||` for `or`, `ja` for `and`…)."""

    def __init__(self, reason: str, reason_fi: str, fix: str | None = None):
        super().__init__(reason)
        self.reason, self.reason_fi, self.fix = reason, reason_fi, fix


# Slips trainers make, from other languages (spreadsheets, C, SQL) and from Finnish, with what they meant.
# Each is a regular expression over the condition's text; strings of digits and names stay as they are.
_SLIPS = (
    (re.compile(r"=>"), ">="), (re.compile(r"=<"), "<="), (re.compile(r"<>"), "!="),
    (re.compile(r"(?<![=!<>])=(?!=)"), "=="),
    (re.compile(r"\|\|"), " or "), (re.compile(r"&&"), " and "), (re.compile(r"!(?!=)"), " not "),
    (re.compile(r"\bAND\b"), "and"), (re.compile(r"\bOR\b"), "or"), (re.compile(r"\bNOT\b"), "not"),
    (re.compile(r"\bja\b"), "and"), (re.compile(r"\btai\b"), "or"), (re.compile(r"\bei\b"), "not"),
    (re.compile(r"\bTRUE\b|\btosi\b"), "true"), (re.compile(r"\bFALSE\b|\bepätosi\b"), "false"),
)


def _probable_fix(source: str) -> str | None:
    """The condition with every common slip mended, if that makes it a valid condition."""
    fixed = source
    for pattern, replacement in _SLIPS:
        fixed = pattern.sub(replacement, fixed)
    fixed = " ".join(fixed.split())
    if fixed == " ".join(source.split()):
        return None
    try:
        _compile(ast.parse(fixed, mode="eval").body, set())
    except (SyntaxError, ValueError, ConditionError, RecursionError, MemoryError):
        return None
    return fixed


@dataclass(frozen=True)
class Condition:
    source: str
    names: frozenset[str]
    test: Callable[[dict], bool]

    def __call__(self, variables: dict) -> bool:
        return bool(self.test(variables))


def compile_condition(source: str) -> Condition:
    """Parse and compile `source`, or raise ConditionError."""
    if not isinstance(source, str) or not source.strip():
        raise ConditionError("it is empty", "se on tyhjä")
    if len(source) > MAX_LENGTH:
        raise ConditionError(f"it is longer than {MAX_LENGTH} characters", f"se on yli {MAX_LENGTH} merkkiä pitkä")
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        raise ConditionError("it is not a valid expression", "se ei ole kelvollinen lauseke",
                             _probable_fix(source)) from None
    if sum(1 for _ in ast.walk(tree)) > MAX_NODES:
        raise ConditionError("it is too complex; split it up", "se on liian monimutkainen; jaa se osiin")
    names: set[str] = set()
    try:
        test = _compile(tree.body, names)
    except ConditionError as error:
        error.fix = _probable_fix(source)
        raise
    slip = _probable_fix(source) if names & _FINNISH_WORDS else None
    if slip is not None:  # `trust > 5 ja asked` parses only as a comparison chain with a name `ja`
        raise ConditionError("'ja', 'tai' and 'ei' are not words of the condition language",
                             "'ja', 'tai' ja 'ei' eivät ole ehtokielen sanoja", slip)
    return Condition(source, frozenset(names), test)


_FINNISH_WORDS = {"ja", "tai", "ei"}


def _refuse(what: str, what_fi: str):
    raise ConditionError(f"{what} is not allowed in conditions", f"{what_fi} ei ole sallittu ehdoissa")


def _compile(node: ast.AST, names: set[str]) -> Callable[[dict], object]:
    if isinstance(node, ast.BoolOp):
        parts = [_compile(value, names) for value in node.values]
        if isinstance(node.op, ast.And):
            return lambda env: all(part(env) for part in parts)
        return lambda env: any(part(env) for part in parts)
    if isinstance(node, ast.UnaryOp):
        operand = _compile(node.operand, names)
        if isinstance(node.op, ast.Not):
            return lambda env: not operand(env)
        if isinstance(node.op, ast.USub):
            return lambda env: -operand(env)
        _refuse("this operator", "tämä operaattori")
    if isinstance(node, ast.Compare):
        first = _compile(node.left, names)
        rest = []
        for op, right in zip(node.ops, node.comparators):
            if type(op) not in _COMPARE:
                _refuse("the operator 'in' or 'is'", "operaattori 'in' tai 'is'")
            rest.append((_COMPARE[type(op)], _compile(right, names)))

        def compare(env):
            left = first(env)
            for function, right in rest:
                value = right(env)
                if not function(left, value):
                    return False
                left = value
            return True
        return compare
    if isinstance(node, ast.BinOp):
        if type(node.op) not in _ARITH:
            _refuse("this arithmetic (only + and -)", "tämä laskutoimitus (vain + ja -)")
        function = _ARITH[type(node.op)]
        left, right = _compile(node.left, names), _compile(node.right, names)
        return lambda env: function(left(env), right(env))
    if isinstance(node, ast.Name):
        if node.id in _CONSTANT_NAMES:
            constant = _CONSTANT_NAMES[node.id]
            return lambda env: constant
        name = node.id
        names.add(name)
        return lambda env: env[name]
    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool):
            return lambda env: value
        if not isinstance(value, int):
            _refuse("this value (only whole numbers and true/false)", "tämä arvo (vain kokonaisluvut ja true/false)")
        if abs(value) > MAX_NUMBER:
            _refuse(f"a number over {MAX_NUMBER}", f"yli {MAX_NUMBER}:n luku")
        return lambda env: value
    if isinstance(node, ast.Call):
        _refuse("calling functions", "funktion kutsuminen")
    if isinstance(node, ast.Attribute):
        _refuse("'.' (attributes)", "'.' (attribuutit)")
    english, finnish = _REFUSED_NAMES.get(type(node).__name__, ("this kind of expression", "tällainen lauseke"))
    _refuse(english, finnish)
