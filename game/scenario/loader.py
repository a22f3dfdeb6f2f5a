"""Loading a scenario: read safely, check against the schema, check the meaning, build the model.

Every problem of a file is collected, not just the first: the schema check and
the meaning checks both run, the latter defensively over whatever parts are
well-formed. A Scenario is built only from a file without errors.
"""

from __future__ import annotations

import gc
import hashlib
import json
import keyword
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from game.paths import SCENARIO_SCHEMA
from game.scenario import graph
from game.scenario.conditions import Condition, ConditionError, compile_condition
from game.scenario.diagnostics import Diagnostic, DiagnosticError, sort_key, suggest
from game.scenario.model import (MOOD_DEFAULTS, MOOD_DIMENSIONS, Branch, Choice, Customer, Ending, Interrupt, Node,
                                 Scenario)
from game.scenario.rubric import Rubric, load_rubric, rubric_for
from game.scenario.safe_yaml import MAX_BYTES, Map, Seq, parse_text
from game.scenario.schema import load_schema

_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}\Z")
RESERVED_NAMES = frozenset(MOOD_DIMENSIONS) | {"turn", "true", "false", "True", "False"} | frozenset(keyword.kwlist)
TEXT_FIELDS_TOP = ("title", "description")
TEXT_FIELDS_CUSTOMER = ("name", "situation", "hidden")
TEXT_FIELDS_NODE = ("line", "cue", "thought", "opportunity")
TEXT_FIELDS_CHOICE = ("text", "feedback")
TEXT_FIELDS_ENDING = ("title", "summary")


@dataclass
class LoadResult:
    path: str
    scenario: Scenario | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    @property
    def ok(self) -> bool:
        return self.scenario is not None

    @property
    def playable(self) -> Scenario | None:
        """The scenario if nothing at all is wrong with it. A path error (say, a loop with no way out)
        still builds the scenario so `analyze` and `graph` can show it, but it must not be played."""
        return self.scenario if not self.errors else None


def read_bytes(path: Path, file: str) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise DiagnosticError([Diagnostic("KU002", file, params={"size": size, "limit": MAX_BYTES},
                                              hint=("split", {}))])
        if not path.is_file():
            raise DiagnosticError([Diagnostic("KU001", file, params={"reason": "not a file"})])
        with path.open("rb") as handle:
            return handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise DiagnosticError([Diagnostic("KU001", file, params={"reason": error.strerror or type(error).__name__})]) from None


_RECENT: dict[tuple, LoadResult] = {}  # the same bytes with the same rubric load to the same result
_RECENT_LIMIT = 32


def load_scenario(path: str | Path, rubric: Rubric | None = None, display: str | None = None) -> LoadResult:
    """Load, check and build one scenario file. Never raises for a bad file."""
    path = Path(path)
    file = display or str(path)
    try:
        data = read_bytes(path, file)
    except DiagnosticError as error:
        return LoadResult(file, diagnostics=sorted(error.diagnostics, key=sort_key))
    rubric_problem = None
    if rubric is None:
        rubric_path = rubric_for(path)
        try:
            rubric = load_rubric(rubric_path)
        except DiagnosticError as error:
            rubric_problem = Diagnostic("KU040", file, params={
                "reason": f"{rubric_path} has {len(error.diagnostics)} problem(s)",
                "reason_fi": f"tiedostossa {rubric_path} on {len(error.diagnostics)} ongelma(a)"},
                hint=("validate_it", {"name": str(rubric_path)}))
    key = (hashlib.sha256(data).hexdigest(), str(path), file, id(rubric) if rubric is not None else None)
    known = _RECENT.get(key)
    if known is not None:  # e.g. `validate` checking a plan loads its scenario a second time
        return LoadResult(known.path, known.scenario, list(known.diagnostics))
    collecting = gc.isenabled()
    gc.disable()  # a big scenario is millions of small objects and no cycles: full collections only cost time
    try:
        result = _load(path, file, data, key[0], rubric, rubric_problem)
    finally:
        if collecting:
            gc.enable()
    if len(_RECENT) >= _RECENT_LIMIT:
        _RECENT.clear()
    _RECENT[key] = result
    return LoadResult(result.path, result.scenario, list(result.diagnostics))


def _load(path: Path, file: str, data: bytes, content_hash: str, rubric: Rubric | None,
          rubric_problem: Diagnostic | None) -> LoadResult:
    result = LoadResult(file)
    try:
        document = parse_text(data, file)
    except DiagnosticError as error:
        result.diagnostics = sorted(error.diagnostics, key=sort_key)
        return result
    problems = load_schema(str(SCENARIO_SCHEMA)).check(document, file)
    if rubric_problem is not None:
        problems.append(rubric_problem)
    checker = _Checker(document, rubric, file)  # with rubric None, tag checks are skipped
    problems += checker.run()
    result.diagnostics = sorted(_unique(problems), key=sort_key)
    if not result.errors and rubric is not None:
        result.scenario = _build(document, rubric, checker, str(path), content_hash)
        result.diagnostics = sorted(result.diagnostics + _path_problems(result.scenario, file), key=sort_key)
    return result


def _unique(problems: list[Diagnostic]) -> list[Diagnostic]:
    """The problems without exact repeats (same code, place and message)."""
    seen = {}
    for problem in problems:
        seen.setdefault((problem.code, problem.line, problem.col, problem.message()), problem)
    return list(seen.values())


def _path_problems(scenario: Scenario, file: str) -> list[Diagnostic]:
    """Loops that never end, endings the conditions rule out, stuck states (game/analysis/findings.py).

    Exploring states takes a moment, so the answer is kept on disk, keyed by the scenario's
    bytes, the rubric's bytes and the source of the code that works it out.
    """
    key = _path_check_key(scenario)
    cached = _read_cached_problems(key, file) if key else None
    if cached is not None:
        return cached
    from game.analysis import findings

    found = findings.path_problems(scenario, file)
    if key:
        _write_cached_problems(key, found)
    return found


_PATH_CHECK_SOURCES = ("analysis/findings.py", "engine/paths.py", "engine/rules.py", "scenario/conditions.py",
                       "scenario/model.py")


def _path_check_key(scenario: Scenario) -> str | None:
    digest = hashlib.sha256(scenario.content_hash.encode())
    try:
        digest.update(Path(scenario.rubric.path).read_bytes() if scenario.rubric.path else b"")
        package = Path(__file__).resolve().parent.parent
        for name in _PATH_CHECK_SOURCES:
            digest.update((package / name).read_bytes())
    except OSError:
        return None
    return digest.hexdigest()


def _cache_file(key: str) -> Path:
    from game.paths import user_cache_dir

    return user_cache_dir() / "path-checks" / f"{key}.json"


def _read_cached_problems(key: str, file: str) -> list[Diagnostic] | None:
    try:
        entries = json.loads(_cache_file(key).read_text(encoding="utf-8"))
        return [Diagnostic(e["code"], file, e["line"], e["col"], e["params"],
                           tuple(e["hint"]) if e["hint"] else None) for e in entries]
    except (OSError, ValueError, KeyError, TypeError):
        return None  # no cache yet, or one we cannot read: work it out again


def _write_cached_problems(key: str, problems: list[Diagnostic]) -> None:
    entries = [{"code": d.code, "line": d.line, "col": d.col, "params": d.params,
                "hint": list(d.hint) if d.hint else None} for d in problems]
    target = _cache_file(key)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, target)  # readers see the whole file or none
    except (OSError, TypeError, ValueError):
        pass  # a cache that cannot be written only costs time


def load_or_raise(path: str | Path, rubric: Rubric | None = None) -> Scenario:
    """Load a scenario that must be valid; raises DiagnosticError with every problem otherwise."""
    result = load_scenario(path, rubric)
    if result.scenario is None:
        raise DiagnosticError(result.errors)
    return result.scenario


class _Checker:
    """The checks a schema cannot express: IDs, targets, reachability, tags, conditions, languages."""

    def __init__(self, document, rubric: Rubric, file: str):
        self.doc = document if isinstance(document, Map) else Map()
        self.rubric = rubric
        self.file = file
        self.found: list[Diagnostic] = []
        self.conditions: dict[str, Condition | ConditionError] = {}
        languages = self.doc.get("languages")
        self.languages = [lang for lang in languages if isinstance(lang, str)] if isinstance(languages, list) else []
        flags = self.doc.get("flags")
        self.flags = {k: v for k, v in flags.items()} if isinstance(flags, dict) else {}
        self.variables = set(MOOD_DIMENSIONS) | {"turn"} | set(self.flags)
        nodes = self.doc.get("nodes")
        self.nodes = [n for n in nodes if isinstance(n, Map)] if isinstance(nodes, Seq) else []
        self.node_ids: dict[str, Map] = {}

    def emit(self, code, where, params=None, hint=None):
        self.found.append(Diagnostic(code, self.file, where[0], where[1], params or {}, hint))

    def run(self) -> list[Diagnostic]:
        self.check_flags()
        self.check_ids()
        self.check_texts()
        self.check_choices_and_targets()
        self.check_graph()
        return self.found

    # -- Flags -------------------------------------------------------------------------------
    def check_flags(self):
        flags = self.doc.get("flags")
        if isinstance(flags, Map):
            for name in flags:
                if name in RESERVED_NAMES:
                    self.emit("KU037", flags.where_key(name), {"name": name}, ("rename_flag", {}))

    # -- IDs ----------------------------------------------------------------------------------
    def check_ids(self):
        for node in self.nodes:
            node_id = node.get("id")
            if not isinstance(node_id, str):
                continue
            if node_id in self.node_ids:
                first = self.node_ids[node_id].where("id")[0]
                self.emit("KU020", node.where("id"), {"id": node_id, "first_line": first}, ("rename", {}))
            else:
                self.node_ids[node_id] = node
            seen: dict[str, int] = {}
            for choice in self._choices(node):
                choice_id = choice.get("id")
                if not isinstance(choice_id, str):
                    continue
                if choice_id in seen:
                    self.emit("KU021", choice.where("id"), {"id": choice_id, "node": node_id,
                                                            "first_line": seen[choice_id]}, ("rename", {}))
                else:
                    seen[choice_id] = choice.where("id")[0]

    # -- Languages ------------------------------------------------------------------------------
    def check_texts(self):
        if not self.languages:
            return
        self._texts(self.doc, TEXT_FIELDS_TOP, "")
        customer = self.doc.get("customer")
        if isinstance(customer, Map):
            self._texts(customer, TEXT_FIELDS_CUSTOMER, "customer › ")
        for node in self.nodes:
            label = f"{node.get('id', '?')} › "
            self._texts(node, TEXT_FIELDS_NODE, label)
            ending = node.get("ending")
            if isinstance(ending, Map):
                self._texts(ending, TEXT_FIELDS_ENDING, label + "ending › ")
            for choice in self._choices(node):
                self._texts(choice, TEXT_FIELDS_CHOICE, f"{label}{choice.get('id', '?')} › ")

    def _texts(self, container: Map, names, prefix: str):
        for name in names:
            text = container.get(name)
            if not isinstance(text, Map):
                continue  # a plain string serves every language
            for lang in self.languages:
                if lang not in text:
                    self.emit("KU014", container.where(name), {"where": prefix + name, "lang": lang},
                              ("add_language", {"lang": lang}))
            for lang in text:
                if lang not in self.languages and _LANGUAGE_CODE.match(lang):
                    self.emit("KU015", text.where_key(lang), {"where": prefix + name, "lang": lang},
                              ("declare_language", {"lang": lang}))

    # -- Choices, conditions, tags, targets -------------------------------------------------------
    def condition(self, source, where) -> Condition | None:
        if not isinstance(source, str):
            return None
        compiled = self.conditions.get(source)
        if compiled is None:
            try:
                compiled = compile_condition(source)
            except ConditionError as error:
                compiled = error
            self.conditions[source] = compiled
        if isinstance(compiled, ConditionError):
            self.emit("KU031", where, {"expr": source, "reason": compiled.reason, "reason_fi": compiled.reason_fi},
                      ("condition_syntax", {}))
            return None
        for name in sorted(compiled.names - self.variables):
            self.emit("KU032", where, {"expr": source, "name": name},
                      suggest(name, self.variables) or ("known_names", {"names": ", ".join(sorted(self.variables))}))
        return compiled

    def target(self, container: Map, key="goto"):
        target = container.get(key)
        if isinstance(target, str) and target not in self.node_ids:
            code = "KU023" if key == "start" else "KU022"
            self.emit(code, container.where(key), {"target": target}, suggest(target, self.node_ids))

    def check_choices_and_targets(self):
        if "start" in self.doc:
            self.target(self.doc, "start")
        for interrupt in self._list(self.doc, "interrupts"):
            self.condition(interrupt.get("when"), interrupt.where("when"))
            self.target(interrupt)
        tags_used = self.rubric.tags if self.rubric else None
        for node in self.nodes:
            node_id = node.get("id", "?")
            is_ending = "ending" in node
            for branch in self._list(node, "branches"):
                if "when" in branch:
                    self.condition(branch.get("when"), branch.where("when"))
                self.target(branch)
            choices = self._choices(node)
            if is_ending and choices:
                self.emit("KU027", node.where_key("choices"), {"id": node_id, "what": "choices", "what_fi": "valintoja"},
                          ("move_choices", {}))
            if is_ending and self._list(node, "branches"):
                self.emit("KU027", node.where_key("branches"), {"id": node_id, "what": "branches", "what_fi": "haaroja"},
                          ("move_choices", {}))
            always_moves_on = any("when" not in b for b in self._list(node, "branches"))
            if not is_ending and not always_moves_on:
                for name in ("cue", "thought"):
                    if name not in node:
                        self.emit("KU036", node.where_key("id"), {"id": node_id, "field": name},
                                  ("add_field", {"field": name}))
            for choice in choices:
                self.target(choice)
                if "if" in choice:
                    self.condition(choice.get("if"), choice.where("if"))
                tags = choice.get("tags")
                if isinstance(tags, Seq) and tags_used is not None:
                    for index, tag in enumerate(tags):
                        if isinstance(tag, str) and tag not in tags_used:
                            self.emit("KU030", tags.where(index), {"tag": tag}, suggest(tag, tags_used))
                flags = choice.get("set")
                if isinstance(flags, Map):
                    for name in flags:
                        if name not in self.flags:
                            self.emit("KU033", flags.where_key(name), {"name": name},
                                      suggest(name, self.flags) or ("known_names", {"names": ", ".join(self.flags) or "-"}))
                if "opportunity" in node and self.rubric is not None:
                    known = [t for t in tags if isinstance(t, str)] if isinstance(tags, list) else []
                    explicit = choice.get("eccs") if isinstance(choice.get("eccs"), int) else None
                    if self.rubric.eccs_level(known, explicit) is None:
                        self.emit("KU034", choice.where_key("id"), {"id": choice.get("id", "?")}, ("add_eccs", {}))

    # -- The graph ------------------------------------------------------------------------------
    def check_graph(self):
        if not self.node_ids:
            return
        nodes = self.node_ids
        endings = {node_id for node_id, node in nodes.items() if "ending" in node}
        if not endings:
            self.emit("KU029", self.doc.where_key("nodes"), {}, ("add_ending", {}))
        interrupt_targets = [i.get("goto") for i in self._list(self.doc, "interrupts") if isinstance(i.get("goto"), str)]
        edges: dict[str, list[str]] = {}
        for node_id, node in nodes.items():
            targets = [b.get("goto") for b in self._list(node, "branches")]
            choices = self._choices(node)
            targets += [c.get("goto") for c in choices]
            if choices:
                targets += interrupt_targets
            edges[node_id] = [t for t in targets if isinstance(t, str) and t in nodes]
        start = self.doc.get("start") if "start" in self.doc else self.nodes[0].get("id")
        if not isinstance(start, str) or start not in nodes:
            return  # an unknown or malformed start is reported already; reachability would only add noise
        reachable = graph.reachable([start], edges)
        for node_id, node in nodes.items():
            if node_id not in reachable:
                self.emit("KU024", node.where("id"), {"id": node_id}, ("link_it", {}))
        dead_ends = set()
        for node_id, node in nodes.items():
            if node_id in endings:
                continue
            choices, branches = self._choices(node), self._list(node, "branches")
            if not choices and not branches:
                dead_ends.add(node_id)
                self.emit("KU025", node.where("id"), {"id": node_id}, ("add_way_out", {}))
        if endings:
            can_finish = graph.reachable(endings, graph.reverse(edges))
            for node_id in reachable - can_finish - dead_ends:
                self.emit("KU028", nodes[node_id].where("id"), {"id": node_id}, ("add_exit", {}))
        on_cycle = graph.nodes_on_cycles(edges)
        if endings:  # without an ending every loop is endless anyway (KU029 says so)
            self.check_repeatable_points()
        for node_id, node in nodes.items():
            choices = self._choices(node)
            if node_id in endings or not choices:
                continue
            if any("when" not in b for b in self._list(node, "branches")):
                continue
            revisited = node_id in on_cycle
            if all("if" in c or (c.get("once") is True and revisited) for c in choices):
                self.emit("KU026", node.where("id"), {"id": node_id}, ("add_fallback", {}))

    def check_repeatable_points(self):
        """A point-earning choice on a loop that nothing gates can be taken on every lap.

        Only ungated steps count: choices without `if:` or `once:`, and branches without
        `when:`. A loop closed by any condition is left alone, so there are no false alarms.
        (Interrupts are left out too: they only ever lead out of a loop.)
        """
        if self.rubric is None:
            return
        free: dict[str, list[str]] = {}
        for node_id, node in self.node_ids.items():
            steps = [b.get("goto") for b in self._list(node, "branches") if "when" not in b]
            steps += [c.get("goto") for c in self._choices(node) if "if" not in c and c.get("once") is not True]
            free[node_id] = [t for t in steps if isinstance(t, str) and t in self.node_ids]
        component_of: dict[str, int] = {}
        for index, component in enumerate(graph.strongly_connected(free)):
            if len(component) > 1 or component[0] in free[component[0]]:
                for node_id in component:
                    component_of[node_id] = index
        for node_id, node in self.node_ids.items():
            if node_id not in component_of:
                continue
            for choice in self._choices(node):
                target, tags = choice.get("goto"), choice.get("tags")
                if "if" in choice or choice.get("once") is True or not isinstance(tags, list) \
                        or not isinstance(target, str):  # a goto of the wrong type is reported elsewhere
                    continue
                if component_of.get(target) != component_of[node_id]:
                    continue
                points = self.rubric.points([t for t in tags if isinstance(t, str)])
                if any(value > 0 for value in points.values()):
                    self.emit("KU038", choice.where_key("id"), {"id": choice.get("id", "?")}, ("add_once", {}))

    # -- helpers ----------------------------------------------------------------------------------
    @staticmethod
    def _list(container: Map, key: str) -> list[Map]:
        items = container.get(key)
        return [item for item in items if isinstance(item, Map)] if isinstance(items, Seq) else []

    def _choices(self, node: Map) -> list[Map]:
        return self._list(node, "choices")


def _whole(mapping) -> dict:
    return {k: int(v) if isinstance(v, float) else v for k, v in mapping.items()}


def _text(value):
    return value  # a str, or the parsed mapping itself (copying a million of them is measurable)


def _build(doc: Map, rubric: Rubric, checker: _Checker, path: str, content_hash: str) -> Scenario:
    conditions = checker.conditions

    def condition(source):
        return conditions[source] if source is not None else None

    nodes = {}
    for raw in doc["nodes"]:
        choices = tuple(
            Choice(id=c["id"], text=_text(c["text"]), goto=c["goto"], tags=tuple(c.get("tags", ())),
                   mood=_whole(c.get("mood", {})), sets=_whole(c.get("set", {})), feedback=_text(c.get("feedback")),
                   condition=condition(c.get("if")), once=bool(c.get("once", False)), eccs=int(c["eccs"]) if "eccs" in c else None,
                   line=c.pos[0], col=c.pos[1])
            for c in raw.get("choices", ()))
        branches = tuple(Branch(goto=b["goto"], condition=condition(b.get("when")), line=b.pos[0], col=b.pos[1])
                         for b in raw.get("branches", ()))
        ending = raw.get("ending")
        nodes[raw["id"]] = Node(
            id=raw["id"], line=_text(raw["line"]), cue=_text(raw.get("cue")), thought=_text(raw.get("thought")),
            opportunity=_text(raw.get("opportunity")), branches=branches, choices=choices,
            ending=Ending(ending["outcome"], _text(ending.get("title")), _text(ending.get("summary"))) if ending else None,
            source_line=raw.pos[0], source_col=raw.pos[1])
    customer = doc["customer"]
    mood = dict(MOOD_DEFAULTS)
    mood.update(_whole(doc.get("mood", {})))
    return Scenario(
        id=doc["id"], title=_text(doc["title"]), languages=tuple(doc["languages"]),
        customer=Customer(name=_text(customer["name"]), situation=_text(customer["situation"]),
                          hidden=_text(customer["hidden"]), age=int(customer["age"]) if "age" in customer else None, look=dict(customer.get("look", {}))),
        nodes=nodes, start=doc.get("start", doc["nodes"][0]["id"]), mood=mood, flags=_whole(doc.get("flags", {})),
        interrupts=tuple(Interrupt(i["id"], conditions[i["when"]], i["goto"], i.pos[0], i.pos[1]) for i in doc.get("interrupts", ())),
        rubric=rubric, description=_text(doc.get("description")), difficulty=doc.get("difficulty", "medium"),
        shuffle_choices=doc.get("shuffle_choices", True), path=path, content_hash=content_hash)
