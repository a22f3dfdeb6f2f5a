"""Test plans: choice sequences with what must hold after them, run through the real engine.

A plan is `NAME.plan.yaml` next to `NAME.yaml` (or it names its scenario with
`scenario:`); scenarios/plan.schema.json is the one definition of the format:

    # yaml-language-server: $schema=plan.schema.json
    format: 1
    cases:
      - name: listening first earns the good ending
        choices: [start.ask, middle.help]      # choice IDs, or node.choice as `analyze` prints them
        ending: good                           # or `ended: false`, `at: NODE`, `outcome: good`
        listening: {min: 0.9}                  # shares of the best the scenario allows, 0-1
        empathy: {min: 0.5, max: 1}
        mood: {trust: {min: 50}}
        available: [help]                      # choices at the end of the sequence:
        unavailable: []                        #   offered / greyed out / not shown
        hidden: [again]

`load_plan` reads and checks a plan (schema, then every ID against the
scenario) into located diagnostics; `run_plan` plays each case through a
`Conversation` and says, in both languages, what did not hold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from game.paths import PLAN_SCHEMA
from game.scenario.diagnostics import Diagnostic, DiagnosticError, sort_key, suggest
from game.scenario.model import MOOD_DIMENSIONS, Scenario

PLAN_SUFFIXES = (".plan.yaml", ".plan.yml")
SCORE_KEYS = ("listening", "empathy", "overall")
CHOICE_LISTS = ("available", "unavailable", "hidden")
Bilingual = tuple[str, str]


@dataclass
class Step:
    choice: str
    node: str | None
    line: int
    col: int

    @property
    def text(self) -> str:
        return f"{self.node}.{self.choice}" if self.node else self.choice


@dataclass
class Case:
    name: str
    line: int
    steps: list[Step]
    ending: str | None = None
    outcome: str | None = None
    ended: bool | None = None
    at: str | None = None
    scores: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)
    mood: dict[str, tuple[int | None, int | None]] = field(default_factory=dict)
    choices: dict[str, list[str]] = field(default_factory=dict)  # available/unavailable/hidden -> IDs
    customer: dict[str, str] = field(default_factory=dict)  # the trait and stake to meet (default: seed 0's)
    broken: list[Diagnostic] = field(default_factory=list)  # misspelt steps: this case fails, the others run


@dataclass
class Plan:
    path: str
    scenario: Scenario
    cases: list[Case]


@dataclass
class PlanLoad:
    path: str
    plan: Plan | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    scenario_path: Path | None = None  # the scenario file the plan names, once known

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]


@dataclass
class CaseResult:
    case: Case
    failures: list[Bilingual]

    @property
    def passed(self) -> bool:
        return not self.failures


def is_plan(path: Path) -> bool:
    return path.name.lower().endswith(PLAN_SUFFIXES)


def plan_for(scenario_path: Path) -> Path | None:
    """The plan beside a scenario file, if there is one."""
    for suffix in PLAN_SUFFIXES:
        candidate = scenario_path.with_name(scenario_path.name.rsplit(".", 1)[0] + suffix)
        if candidate.is_file():
            return candidate
    return None


def scenario_path_for(plan_path: Path, named: str | None) -> Path:
    if named:
        return (plan_path.parent / named)
    name = plan_path.name
    for suffix in PLAN_SUFFIXES:
        if name.lower().endswith(suffix):
            stem = name[: -len(suffix)]
            for extension in (".yaml", ".yml"):
                candidate = plan_path.with_name(stem + extension)
                if candidate.exists():
                    return candidate
            return plan_path.with_name(stem + ".yaml")
    return plan_path


def _inside_folder(plan_path: Path, named: str) -> bool:
    """Whether `scenario:` names a file in the plan's folder or below it, symbolic links followed.

    A plan travels with its scenario; a path out of the folder (`..`, absolute, a link
    pointing elsewhere) would let a plan read any file on the machine."""
    relative = Path(named)
    if not named.isprintable() or relative.is_absolute() or relative.drive or ".." in relative.parts:
        return False
    try:
        folder = plan_path.parent.resolve()
        return (folder / relative).resolve().is_relative_to(folder)
    except (OSError, ValueError, RuntimeError):
        return False


def load_plan(path: str | Path, display: str | None = None) -> PlanLoad:
    """Read and check a plan and load its scenario; never raises for a bad file."""
    from game.scenario.loader import load_scenario
    from game.scenario.safe_yaml import Map, read_file
    from game.scenario.schema import load_schema

    path = Path(path)
    file = display or str(path)
    result = PlanLoad(file)
    try:
        document = read_file(path, file)
    except DiagnosticError as error:
        result.diagnostics = sorted(error.diagnostics, key=sort_key)
        return result
    problems = load_schema(str(PLAN_SCHEMA)).check(document, file)
    if problems or not isinstance(document, Map):
        result.diagnostics = sorted(set(problems), key=sort_key)
        return result
    named = document.get("scenario")
    where = document.where("scenario") if named else (1, 1)
    if named and not _inside_folder(path, named):
        shown = named if named.isprintable() else named.encode("unicode_escape").decode("ascii")
        result.diagnostics = [Diagnostic("KU079", file, where[0], where[1], {"name": shown}, ("plan_scenario_inside", {}))]
        return result
    scenario_path = result.scenario_path = scenario_path_for(path, named)
    if not scenario_path.is_file():
        result.diagnostics = [Diagnostic("KU070", file, where[0], where[1], {"name": str(scenario_path)},
                                         ("plan_scenario", {}))]
        return result
    loaded = load_scenario(scenario_path)
    if loaded.scenario is None or loaded.errors:
        result.diagnostics = [Diagnostic("KU071", file, where[0], where[1], {"name": str(scenario_path)},
                                         ("validate_it", {"name": str(scenario_path)}))]
        return result
    scenario = loaded.scenario
    checker = _Checker(scenario, file)
    cases = [checker.case(raw) for raw in document["cases"]]
    checker.coverage(cases, document)
    result.diagnostics = sorted(checker.found, key=sort_key)
    case_local = {id(d) for case in cases for d in case.broken}
    if not [d for d in result.errors if id(d) not in case_local]:
        result.plan = Plan(file, scenario, cases)
    return result


class _Checker:
    """Every ID a plan names must exist in its scenario, and no case may ask the impossible."""

    def __init__(self, scenario: Scenario, file: str):
        self.scenario = scenario
        self.file = file
        self.found: list[Diagnostic] = []
        self.choice_ids = {choice.id for node in scenario.nodes.values() for choice in node.choices}
        self.names: dict[str, int] = {}

    def emit(self, code, where, params, hint=None):
        self.found.append(Diagnostic(code, self.file, where[0], where[1], params, hint))

    def case(self, raw) -> Case:
        nodes = self.scenario.nodes
        name = raw["name"]
        if name in self.names:
            self.emit("KU075", raw.where("name"), {"name": name, "first_line": self.names[name]})
        else:
            self.names[name] = raw.where("name")[0]
        steps = []
        before = len(self.found)
        sequence = raw["choices"]
        for index, text in enumerate(sequence):
            where = sequence.where(index)
            node_id, _, choice_id = text.rpartition(".")
            step = Step(choice_id, node_id or None, *where)
            steps.append(step)
            if step.node is not None:
                if step.node not in nodes:
                    self.emit("KU073", where, {"id": step.node}, suggest(step.node, nodes))
                elif nodes[step.node].choice(choice_id) is None:
                    self.emit("KU078", where, {"node": step.node, "id": choice_id},
                              suggest(choice_id, [c.id for c in nodes[step.node].choices]))
            elif choice_id not in self.choice_ids:
                self.emit("KU072", where, {"id": choice_id}, suggest(choice_id, self.choice_ids))
        customer = raw.get("customer") or {}
        for kind, options in (("trait", self.scenario.traits), ("stake", self.scenario.stakes)):
            named = customer.get(kind)
            if named is not None and named not in options:
                self.emit("KU080", customer.where(kind), {"kind": kind, "id": named},
                          suggest(named, options) or ("known_names", {"names": ", ".join(options) or "-"}))
        case = Case(name=name, line=raw.pos[0], steps=steps, ending=raw.get("ending"), outcome=raw.get("outcome"),
                    ended=raw.get("ended"), at=raw.get("at"), customer=dict(customer))
        case.broken = self.found[before:]  # a misspelt step or customer fails this case; the rest of the plan runs
        endings = {node.id for node in self.scenario.endings}
        if case.ending is not None and case.ending not in endings:
            self.emit("KU074", raw.where("ending"), {"id": case.ending}, suggest(case.ending, endings))
        if case.at is not None and case.at not in nodes:
            self.emit("KU073", raw.where("at"), {"id": case.at}, suggest(case.at, nodes))
        clashes = []
        if case.ended is False and (case.ending or case.outcome):
            clashes.append(("`ended: false`", "`ending`/`outcome`"))
        if case.ending in endings and case.outcome and nodes[case.ending].ending.outcome != case.outcome:
            clashes.append((f"`ending: {case.ending}` ({nodes[case.ending].ending.outcome})", f"`outcome: {case.outcome}`"))
        if case.ending and case.at and case.at != case.ending:
            clashes.append((f"`ending: {case.ending}`", f"`at: {case.at}`"))
        for first, second in clashes:
            self.emit("KU077", raw.pos, {"what": f"{first} and {second}", "what_fi": f"{first} ja {second}"})
        for key in SCORE_KEYS:
            if key in raw:
                low, high = raw[key].get("min"), raw[key].get("max")
                case.scores[key] = (low, high)
                if low is not None and high is not None and low > high:
                    self.emit("KU077", raw[key].pos, {"what": f"{key} min {low} and max {high}",
                                                      "what_fi": f"{key} min {low} ja max {high}"})
        for dimension in MOOD_DIMENSIONS:
            mood = raw.get("mood") or {}
            if dimension in mood:
                low, high = mood[dimension].get("min"), mood[dimension].get("max")
                case.mood[dimension] = (low, high)
                if low is not None and high is not None and low > high:
                    self.emit("KU077", mood[dimension].pos, {"what": f"{dimension} min {low} and max {high}",
                                                             "what_fi": f"{dimension} min {low} ja max {high}"})
        lists_of: dict[str, str] = {}
        for key in CHOICE_LISTS:
            values = raw.get(key)
            if not values:
                continue
            case.choices[key] = list(values)
            for index, choice_id in enumerate(values):
                if choice_id not in self.choice_ids:
                    self.emit("KU072", values.where(index), {"id": choice_id}, suggest(choice_id, self.choice_ids))
                if choice_id in lists_of:
                    self.emit("KU077", values.where(index), {
                        "what": f"`{lists_of[choice_id]}` and `{key}` for '{choice_id}'",
                        "what_fi": f"`{lists_of[choice_id]}` ja `{key}` valinnalle '{choice_id}'"})
                lists_of[choice_id] = key
        return case

    def coverage(self, cases: list[Case], document):
        """A warning for each ending no case expects (endings proven impossible are left out)."""
        from game.engine.paths import _GRAPHS

        expected = {case.ending for case in cases if case.ending}
        graph = _GRAPHS.get(self.scenario)
        impossible = set()
        if graph is not None and graph.complete:
            reached = {state.node for state in graph.states}
            impossible = {node.id for node in self.scenario.endings if node.id not in reached}
        for node in self.scenario.endings:
            if node.id not in expected and node.id not in impossible:
                self.emit("KU076", document.where_key("cases"), {"id": node.id}, ("cover_ending", {}))


# -- running --------------------------------------------------------------------------------------------
def _share(value: float) -> str:
    return f"{value * 100:.0f} %"


def _range(low, high, show) -> str:
    if low is not None and high is not None:
        return f"{show(low)}–{show(high)}"
    if low is not None:
        return f"≥ {show(low)}"
    return f"≤ {show(high)}"


def _outside(value, low, high) -> bool:
    epsilon = 1e-9
    return (low is not None and value < low - epsilon) or (high is not None and value > high + epsilon)


def run_case(scenario: Scenario, case: Case, seed: int = 0) -> CaseResult:
    """Play the case's choices through a Conversation and check every expectation."""
    from game.engine import ChoiceUnavailable, Conversation, ConversationOver, UnknownChoice
    from game.engine.rules import is_hidden

    failures: list[Bilingual] = [(d.format("en"), d.format("fi")) for d in case.broken if d.is_error]
    if failures:
        return CaseResult(case, failures)
    drawn = None
    if case.customer:
        from game.engine.rules import draw

        drawn = {**draw(scenario, seed), **case.customer}
    conversation = Conversation(scenario, seed=seed, drawn=drawn)
    for number, step in enumerate(case.steps, 1):
        label_en, label_fi = f"step {number} '{step.text}'", f"askel {number} '{step.text}'"
        here = conversation.node.id
        if conversation.ended:
            failures.append((f"{label_en}: the conversation had already ended in '{here}'",
                             f"{label_fi}: keskustelu oli jo päättynyt loppuun '{here}'"))
            return CaseResult(case, failures)
        if step.node is not None and step.node != here:
            failures.append((f"{label_en}: the conversation is at '{here}', not at '{step.node}'",
                             f"{label_fi}: keskustelu on solmussa '{here}' eikä solmussa '{step.node}'"))
            return CaseResult(case, failures)
        try:
            conversation.choose(step.choice)
        except UnknownChoice as error:
            offered = ", ".join(error.offered) or "-"
            failures.append((f"{label_en}: node '{here}' offers no choice '{step.choice}' (it offers: {offered})",
                             f"{label_fi}: solmussa '{here}' ei ole valintaa '{step.choice}' (tarjolla: {offered})"))
            return CaseResult(case, failures)
        except ChoiceUnavailable:
            choice = conversation.node.choice(step.choice)
            condition = choice.condition.source if choice is not None and choice.condition else "?"
            values = ", ".join(f"{name} = {str(value).lower() if isinstance(value, bool) else value}"
                               for name, value in sorted(conversation.state.variables().items())
                               if choice is not None and choice.condition and name in choice.condition.names)
            failures.append((f"{label_en}: not available in '{here}': `{condition}` does not hold ({values})",
                             f"{label_fi}: ei valittavissa solmussa '{here}': `{condition}` ei päde ({values})"))
            return CaseResult(case, failures)
        except ConversationOver:  # pragma: no cover - caught above
            return CaseResult(case, failures)
    node = conversation.node
    result = conversation.result
    if case.ending is not None and node.id != case.ending:
        actual_en = f"it ended in '{node.id}'" if conversation.ended else f"it is still going, at '{node.id}'"
        actual_fi = f"se päättyi loppuun '{node.id}'" if conversation.ended else f"se jatkuu yhä, solmussa '{node.id}'"
        failures.append((f"expected the ending '{case.ending}', but {actual_en}",
                         f"odotettiin loppua '{case.ending}', mutta {actual_fi}"))
    if case.outcome is not None and (not conversation.ended or node.ending.outcome != case.outcome):
        actual = node.ending.outcome if conversation.ended else "-"
        failures.append((f"expected the outcome '{case.outcome}', got '{actual}'",
                         f"odotettiin lopputulosta '{case.outcome}', saatiin '{actual}'"))
    if case.ended is not None and conversation.ended != case.ended:
        failures.append((f"expected the conversation {'to have ended' if case.ended else 'still to be going'}, "
                         f"but it {'ended in' if conversation.ended else 'is still at'} '{node.id}'",
                         f"odotettiin keskustelun {'päättyneen' if case.ended else 'jatkuvan'}, mutta se "
                         f"{'päättyi loppuun' if conversation.ended else 'on yhä solmussa'} '{node.id}'"))
    if case.at is not None and node.id != case.at:
        failures.append((f"expected to be at '{case.at}', but the conversation is at '{node.id}'",
                         f"odotettiin solmua '{case.at}', mutta keskustelu on solmussa '{node.id}'"))
    shares = {"listening": result.listening.share, "empathy": result.empathy.share, "overall": result.overall}
    names_fi = {"listening": "kuuntelun", "empathy": "empatian", "overall": "kokonaisuuden"}
    for key, (low, high) in case.scores.items():
        if _outside(shares[key], low, high):
            wanted = _range(low, high, _share)
            article = "an" if key[0] in "aeiou" else "a"
            failures.append((f"expected {article} {key} share of {wanted}, got {_share(shares[key])}",
                             f"odotettiin {names_fi[key]} osuudeksi {wanted}, saatiin {_share(shares[key])}"))
    for dimension, (low, high) in case.mood.items():
        value = getattr(conversation.mood, dimension)
        if _outside(value, low, high):
            wanted = _range(low, high, str)
            failures.append((f"expected {dimension} {wanted}, got {value}", f"odotettiin {dimension} {wanted}, saatiin {value}"))
    views = {view.id: view for view in conversation.choices}
    for key, ids in case.choices.items():
        for choice_id in ids:
            choice = node.choice(choice_id)
            if choice is None or is_hidden(conversation.state, node, choice):
                actual = ("hidden", "piilossa")
            elif views.get(choice_id) is not None and views[choice_id].available:
                actual = ("available", "valittavissa")
            else:
                actual = ("unavailable", "harmaana")
            if actual[0] != key:
                wanted_fi = {"available": "valittavissa", "unavailable": "harmaana", "hidden": "piilossa"}[key]
                failures.append((f"expected '{choice_id}' to be {key} in '{node.id}', but it is {actual[0]}",
                                 f"odotettiin, että '{choice_id}' on {wanted_fi} solmussa '{node.id}', mutta se on {actual[1]}"))
    return CaseResult(case, failures)


def run_plan(plan: Plan) -> list[CaseResult]:
    return [run_case(plan.scenario, case) for case in plan.cases]


def collect(paths: list[str]) -> tuple[list[Path], list[str]]:
    """Plan files named or found: a plan itself, the plan beside a named scenario, every plan under a folder."""
    found: list[Path] = []
    missing: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            plans = sorted(p for p in path.rglob("*") if p.is_file() and is_plan(p))
            if not plans:
                missing.append(raw)
            found.extend(plans)
        elif is_plan(path):
            found.append(path)
        elif path.is_file() and plan_for(path) is not None:
            found.append(plan_for(path))
        else:
            missing.append(raw)
    unique = []
    for path in found:
        if path not in unique:
            unique.append(path)
    return unique, missing
