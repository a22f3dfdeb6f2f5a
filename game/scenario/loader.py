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
from game.scenario.model import (COUNTER_MAX, COUNTER_MIN, MOOD_DEFAULTS, MOOD_DIMENSIONS, Branch, Choice, Customer,
                                 Draw, Ending, Interrupt, Node, Scenario, Speaker, Variant)
from game.scenario.rubric import Rubric, load_rubric, rubric_for
from game.scenario.safe_yaml import MAX_BYTES, Map, Seq, parse_text
from game.scenario.schema import load_schema
from game.scenario.templates import TemplateError, has_template
from game.scenario.templates import parse as parse_template

FREEZE_FROM = 1_000  # nodes
_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}\Z")
RESERVED_NAMES = frozenset(MOOD_DIMENSIONS) | {"turn", "true", "false", "True", "False"} | frozenset(keyword.kwlist)
TEXT_FIELDS_TOP = ("title", "description")
TEXT_FIELDS_CUSTOMER = ("name", "situation", "hidden")
TEXT_FIELDS_NODE = ("line", "cue", "thought", "opportunity")
TEXT_FIELDS_CHOICE = ("text", "feedback")
TEXT_FIELDS_ENDING = ("title", "summary")
TEXT_FIELDS_VARIANT = ("line", "cue", "thought", "title", "summary")
TEXT_FIELDS_DRAW = ("label", "hidden")
# An answer counts as "clearly the longest" when it is this much longer than every other answer.
LONGEST_BY = 1.3
LONGEST_MARGIN = 15  # ...and at least this many characters longer (a few words)


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
                "reason_fi": f"tiedostossa {rubric_path} on ongelmia: {len(error.diagnostics)}"},
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
    if result.scenario is not None and len(result.scenario.nodes) >= FREEZE_FROM:
        # A big scenario stays for the whole session: move it out of the collector's way, or every full
        # collection during play walks it again (a 10,000-node one made each answer some 200 µs slower).
        gc.freeze()
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
        self.format = int(self.doc.get("format")) if self.doc.get("format") in (1, 2) else 2
        self.traits = self._draws("traits")
        self.stakes = self._draws("stakes")
        self.variables = set(MOOD_DIMENSIONS) | {"turn"} | set(self.flags) | set(self.traits) | set(self.stakes)
        nodes = self.doc.get("nodes")
        self.nodes = [n for n in nodes if isinstance(n, Map)] if isinstance(nodes, Seq) else []
        self.node_ids: dict[str, Map] = {}

    def emit(self, code, where, params=None, hint=None):
        self.found.append(Diagnostic(code, self.file, where[0], where[1], params or {}, hint))

    def _draws(self, key: str) -> dict[str, Map]:
        draws = self.doc.get(key)
        return {k: v for k, v in draws.items() if isinstance(k, str)} if isinstance(draws, Map) else {}

    def run(self) -> list[Diagnostic]:
        self.check_flags()
        self.check_draws()
        self.check_ids()
        self.check_texts()
        self.check_choices_and_targets()
        self.check_answers()
        self.check_templates()
        self.check_speakers()
        self.check_graph()
        return self.found

    # -- Speakers -----------------------------------------------------------------------------------
    def check_speakers(self):
        speakers = self.doc.get("speakers")
        known = {name for name in speakers if isinstance(name, str)} if isinstance(speakers, Map) else set()
        used = set()
        for node in self.nodes:
            speaker = node.get("speaker")
            if isinstance(speaker, str):
                used.add(speaker)
                if speaker not in known:
                    self.emit("KU056", node.where("speaker"), {"name": speaker},
                              suggest(speaker, known) or ("add_speaker", {"name": speaker}))
        if isinstance(speakers, Map):
            for name, entry in speakers.items():
                if not isinstance(name, str) or not isinstance(entry, Map):
                    continue
                self._texts(entry, ("name", "role"), f"speakers › {name} › ")
                if "look" not in entry:
                    self.emit("KU057", speakers.where_key(name), {"name": name}, ("add_look", {}))
                if name not in used:
                    self.emit("KU058", speakers.where_key(name), {"name": name}, ("use_speaker", {"name": name}))

    # -- {variables} and {condition: fragments} in texts -------------------------------------------
    def check_templates(self):
        texts = self.doc.get("texts")
        known = self.variables | {"customer"} | (set(texts) if isinstance(texts, Map) else set())

        def check(container, names):
            for name in names:
                value = container.get(name) if isinstance(container, Map) else None
                values = [value] if isinstance(value, str) else list(value.values()) if isinstance(value, Map) else []
                for text in values:
                    if not isinstance(text, str) or not has_template(text):
                        continue
                    try:
                        template = parse_template(text)
                    except TemplateError as error:
                        hint = ("condition_fix", {"fix": error.fix}) if error.fix else ("template_syntax", {})
                        self.emit("KU049", container.where(name), {"reason": error.reason, "reason_fi": error.reason_fi},
                                  hint)
                        continue
                    for unknown in sorted(template.names - known):
                        self.emit("KU059", container.where(name), {"name": unknown},
                                  suggest(unknown, known) or ("known_names", {"names": ", ".join(sorted(known))}))

        check(self.doc, ("description",))  # the scenario list and the briefing fill it in
        check(self.doc.get("customer"), ("situation", "hidden"))  # the briefing and the debrief fill them in
        stakes = self.doc.get("stakes")
        for stake in stakes.values() if isinstance(stakes, Map) else ():
            check(stake, ("hidden",))
        for node in self.nodes:
            check(node, TEXT_FIELDS_NODE)
            for variant in self._list(node, "variants"):
                check(variant, TEXT_FIELDS_VARIANT)
            if isinstance(node.get("ending"), Map):
                check(node["ending"], TEXT_FIELDS_ENDING)
            for choice in self._choices(node):
                check(choice, TEXT_FIELDS_CHOICE)

    # -- Traits and stakes ------------------------------------------------------------------------
    def check_draws(self):
        """Trait and stake names become true/false variables: they must not clash with flags, each other,
        or the reserved words, and each should make a difference somewhere."""
        seen: dict[str, str] = {name: "flags" for name in self.flags}
        mentioned = self._condition_sources()
        for key in ("traits", "stakes"):
            container = self.doc.get(key)
            if not isinstance(container, Map):
                continue
            for name, entry in container.items():
                if not isinstance(name, str):
                    continue
                if name in RESERVED_NAMES or name in seen:
                    self.emit("KU044", container.where_key(name), {"name": name, "other": seen.get(name, "reserved")},
                              ("rename_draw", {}))
                    continue
                seen[name] = key
                changes_mood = isinstance(entry, Map) and isinstance(entry.get("mood"), Map) and any(
                    entry["mood"].values())
                used = any(re.search(rf"\b{re.escape(name)}\b", source) for source in mentioned)
                if not used and not changes_mood and key == "traits":
                    self.emit("KU046", container.where_key(name), {"name": name}, ("use_draw", {"name": name}))

    def _condition_sources(self) -> list[str]:
        sources = [i.get("when") for i in self._list(self.doc, "interrupts")]
        for node in self.nodes:
            sources += [v.get("if") for v in self._list(node, "variants")]
            sources += [b.get("when") for b in self._list(node, "branches")]
            sources += [c.get("if") for c in self._choices(node)]
        return [source for source in sources if isinstance(source, str)]

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
        texts = self.doc.get("texts")
        if isinstance(texts, Map):
            self._texts(texts, [name for name in texts if isinstance(name, str)], "texts › ")
        customer = self.doc.get("customer")
        if isinstance(customer, Map):
            self._texts(customer, TEXT_FIELDS_CUSTOMER, "customer › ")
        for key in ("traits", "stakes"):
            for name, entry in self._draws(key).items():
                if isinstance(entry, Map):
                    self._texts(entry, TEXT_FIELDS_DRAW, f"{key} › {name} › ")
        for node in self.nodes:
            label = f"{node.get('id', '?')} › "
            self._texts(node, TEXT_FIELDS_NODE, label)
            for index, variant in enumerate(self._list(node, "variants"), 1):
                self._texts(variant, TEXT_FIELDS_VARIANT, f"{label}variants › {index} › ")
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
            hint = ("condition_fix", {"fix": compiled.fix}) if compiled.fix else ("condition_syntax", {})
            self.emit("KU031", where, {"expr": source, "reason": compiled.reason, "reason_fi": compiled.reason_fi}, hint)
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
        tags_used = (dict(self.rubric.tags) | dict(self.rubric.codes)) if self.rubric else None
        for node in self.nodes:
            node_id = node.get("id", "?")
            is_ending = "ending" in node
            for variant in self._list(node, "variants"):
                self.condition(variant.get("if"), variant.where("if"))
                if not is_ending and ("title" in variant or "summary" in variant):
                    what = "title" if "title" in variant else "summary"
                    self.emit("KU045", variant.where_key(what), {"id": node_id, "field": what}, ("variant_ending", {}))
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
                self.check_counters(choice)
                code = self.check_code(choice)
                if "opportunity" in node and self.rubric is not None:
                    known = [t for t in tags if isinstance(t, str)] if isinstance(tags, list) else []
                    explicit = choice.get("eccs") if isinstance(choice.get("eccs"), int) else None
                    if self.rubric.eccs_level(code, known, explicit) is None:
                        self.emit("KU034", choice.where_key("id"), {"id": choice.get("id", "?")}, ("add_eccs", {}))

    def check_counters(self, choice: Map):
        """`add:` counts whole-number flags up or down, within COUNTER_MIN–COUNTER_MAX."""
        adds = choice.get("add")
        if not isinstance(adds, Map):
            return
        for name in adds:
            if name not in self.flags:
                self.emit("KU033", adds.where_key(name), {"name": name},
                          suggest(name, self.flags) or ("known_names", {"names": ", ".join(self.flags) or "-"}))
                continue
            start = self.flags[name]
            if isinstance(start, bool) or not isinstance(start, int):
                self.emit("KU047", adds.where_key(name), {"name": name}, ("counter_number", {"name": name}))
            elif not COUNTER_MIN <= start <= COUNTER_MAX:
                flags = self.doc.get("flags")
                self.emit("KU048", flags.where(name), {"name": name, "value": start, "low": COUNTER_MIN,
                                                       "high": COUNTER_MAX}, ("counter_range", {}))

    def code_of(self, choice: Map) -> str | None:
        """The choice's main behaviour code: its `code:`, or (format 1) the one its tags give."""
        if self.rubric is None:
            return None
        code = choice.get("code")
        if isinstance(code, str):
            return code if code in self.rubric.codes else None
        tags = choice.get("tags")
        return self.rubric.main_code([t for t in tags if isinstance(t, str)]) if isinstance(tags, list) else None

    def check_code(self, choice: Map) -> str | None:
        if self.rubric is None:
            return None
        code = choice.get("code")
        if isinstance(code, str):
            if code not in self.rubric.codes:
                self.emit("KU039", choice.where("code"), {"code": code},
                          suggest(code, self.rubric.codes) or ("known_names", {"names": ", ".join(self.rubric.codes)}))
                return None
            return code
        if self.format >= 2:
            self.emit("KU035", choice.where_key("id"), {"id": choice.get("id", "?")}, ("add_code", {}))
            return None
        derived = self.code_of(choice)
        tags = choice.get("tags")
        known = isinstance(tags, list) and all(isinstance(t, str) and t in self.rubric.tags for t in tags)
        if derived is None and tags and known:  # no tags at all scored nothing in format 1 either; unknown ones are KU030
            self.emit("KU041", choice.where_key("id"), {"id": choice.get("id", "?")}, ("migrate", {}))
        return derived

    # -- Answers a trainee could tell apart without reading ----------------------------------------
    def check_answers(self):
        """Warn where the answers cannot be told apart by their scores, and where the best one gives itself
        away by its length (a test-wise trainee picks the longest answer without reading)."""
        if self.rubric is None:
            return
        for node in self.nodes:
            choices = [c for c in self._choices(node) if isinstance(c.get("id"), str)]
            if len(choices) < 2:
                continue
            codes = [self.code_of(c) for c in choices]
            if None in codes:
                continue  # an answer without a code is reported on its own (or scored nothing in format 1)
            values = {c["id"]: sum(self.rubric.points(code).values()) for c, code in zip(choices, codes)}
            best = max(values.values())
            best_ids = [cid for cid, value in values.items() if value == best]
            if len(set(values.values())) == 1:
                self.emit("KU043", node.where_key("id"), {"id": node.get("id", "?")}, ("vary_codes", {}))
                continue
            if len(best_ids) != 1:
                continue
            for lang in self.languages or [None]:
                lengths = {c["id"]: len(_pick_text(c.get("text"), lang)) for c in choices}
                if not all(lengths.values()):
                    break  # a text that is missing or not text is reported already
                others = [length for cid, length in lengths.items() if cid != best_ids[0]]
                longest = lengths[best_ids[0]]
                if others and longest >= LONGEST_BY * max(others) and longest - max(others) >= LONGEST_MARGIN:
                    choice = next(c for c in choices if c["id"] == best_ids[0])
                    self.emit("KU042", choice.where_key("id"),
                              {"id": best_ids[0], "node": node.get("id", "?"), "chars": lengths[best_ids[0]],
                               "next": max(others), "lang": lang or "-"}, ("length_giveaway", {}))
                    break

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
                target = choice.get("goto")
                if "if" in choice or choice.get("once") is True or not isinstance(target, str):
                    continue
                if component_of.get(target) != component_of[node_id]:
                    continue
                points = self.rubric.points(self.code_of(choice))
                if any(value > 0 for value in points.values()):
                    self.emit("KU038", choice.where_key("id"), {"id": choice.get("id", "?")}, ("add_once", {}))

    # -- helpers ----------------------------------------------------------------------------------
    @staticmethod
    def _list(container: Map, key: str) -> list[Map]:
        items = container.get(key)
        return [item for item in items if isinstance(item, Map)] if isinstance(items, Seq) else []

    def _choices(self, node: Map) -> list[Map]:
        return self._list(node, "choices")


def _pick_text(value, lang) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        text = value.get(lang) if lang else next(iter(value.values()), "")
        return text if isinstance(text, str) else ""
    return ""


def _whole(mapping) -> dict:
    return {k: int(v) if isinstance(v, float) else v for k, v in mapping.items()}


def _text(value):
    return value  # a str, or the parsed mapping itself (copying a million of them is measurable)


def _build(doc: Map, rubric: Rubric, checker: _Checker, path: str, content_hash: str) -> Scenario:
    conditions = checker.conditions

    def condition(source):
        return conditions[source] if source is not None else None

    def variant(v):
        return Variant(condition=conditions[v["if"]], line=_text(v.get("line")), cue=_text(v.get("cue")),
                       thought=_text(v.get("thought")), expression=v.get("expression"),
                       intensity=float(v["intensity"]) if "intensity" in v else None, title=_text(v.get("title")),
                       summary=_text(v.get("summary")), source_line=v.pos[0])

    def draws(key):
        return {name: Draw(id=name, label=_text(entry["label"]), weight=int(entry.get("weight", 1)),
                           mood=_whole(entry.get("mood", {})), hidden=_text(entry.get("hidden")))
                for name, entry in doc.get(key, {}).items()}

    nodes = {}
    for raw in doc["nodes"]:
        choices = tuple(
            Choice(id=c["id"], text=_text(c["text"]), goto=c["goto"], code=checker.code_of(c), tags=tuple(c.get("tags", ())),
                   mood=_whole(c.get("mood", {})), sets=_whole(c.get("set", {})), adds=_whole(c.get("add", {})),
                   feedback=_text(c.get("feedback")),
                   condition=condition(c.get("if")), once=bool(c.get("once", False)), eccs=int(c["eccs"]) if "eccs" in c else None,
                   line=c.pos[0], col=c.pos[1])
            for c in raw.get("choices", ()))
        branches = tuple(Branch(goto=b["goto"], condition=condition(b.get("when")), line=b.pos[0], col=b.pos[1])
                         for b in raw.get("branches", ()))
        ending = raw.get("ending")
        nodes[raw["id"]] = Node(
            id=raw["id"], line=_text(raw["line"]), cue=_text(raw.get("cue")), thought=_text(raw.get("thought")),
            opportunity=_text(raw.get("opportunity")), expression=raw.get("expression"),
            intensity=float(raw["intensity"]) if "intensity" in raw else None,
            variants=tuple(variant(v) for v in raw.get("variants", ())), speaker=raw.get("speaker"),
            branches=branches, choices=choices,
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
        shuffle_choices=doc.get("shuffle_choices", True), path=path, content_hash=content_hash,
        format=checker.format, channel=doc.get("channel", "counter"), traits=draws("traits"), stakes=draws("stakes"),
        texts={name: _text(value) for name, value in doc.get("texts", {}).items()},
        speakers={name: Speaker(id=name, name=_text(entry["name"]), role=_text(entry.get("role")),
                                age=int(entry["age"]) if "age" in entry else None, look=dict(entry.get("look", {})))
                  for name, entry in doc.get("speakers", {}).items()})
