"""Drawing a scenario: Graphviz DOT (for SVG/PNG through `dot`) or Mermaid text.

Nodes are coloured by kind: the start (thick border), endings by outcome
(good green, mixed amber, bad red, left purple), empathic opportunities (blue),
and, when the analysis is given, nodes the conditions never let the
conversation reach (grey, dashed). Choice edges carry the choice ID, its tags,
and its `if:`/`once`, coloured by what the move earns (green), costs (red) or
neither (grey); branches are dashed blue with their condition; each interrupt
is its own hexagon, since it can happen after any choice.
"""

from __future__ import annotations

import textwrap

from game.i18n import pick
from game.scenario.model import Scenario

FILL = {"good": "#b7e4c7", "mixed": "#ffe8a3", "bad": "#f4a6a6", "left": "#d9c8ec"}
OPPORTUNITY_FILL = "#cfe3ff"
PLAIN_FILL = "#ffffff"
UNREACHED_FILL = "#eeeeee"
EDGE_GOOD, EDGE_BAD, EDGE_NEUTRAL, EDGE_BRANCH, EDGE_INTERRUPT = "#2e7d32", "#c62828", "#616161", "#1565c0", "#8e24aa"
WRAP = 30
MAX_LINE = 90

WORDS = {
    "start": ("start", "alku"),
    "opportunity": ("opportunity", "empatian paikka"),
    "interrupt": ("interrupt", "keskeytys"),
    "after_any": ("after any choice", "minkä tahansa valinnan jälkeen"),
    "always": ("always", "aina"),
    "never_reached": ("never reached", "ei tavoitettavissa"),
    "legend": ("Legend", "Selite"),
    "choice": ("choice", "valinta"),
    "branch": ("branch", "haara"),
    "earns": ("earns points", "tuo pisteitä"),
    "costs": ("costs points", "vie pisteitä"),
    "normal": ("node", "solmu"),
    "good": ("good", "hyvä"),
    "mixed": ("mixed", "puolinainen"),
    "bad": ("bad", "huono"),
    "left": ("left", "lähti"),
    "when": ("when", "kun"),
}


def word(key: str, lang: str) -> str:
    return WORDS[key][1 if lang == "fi" else 0]


def _short(text: str, limit: int = MAX_LINE) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _wrap(text: str, width: int = WRAP) -> list[str]:
    return textwrap.wrap(text, width) or [""]


def _kind(scenario: Scenario, node) -> str:
    if node.is_ending:
        return node.ending.outcome
    if node.opportunity is not None:
        return "opportunity"
    return "plain"


def _edge_colour(scenario: Scenario, choice) -> str:
    rubric = scenario.rubric
    if rubric.is_harmful(choice.code):
        return EDGE_BAD
    if any(value > 0 for value in rubric.points(choice.code).values()):
        return EDGE_GOOD
    return EDGE_NEUTRAL


def _choice_label(choice) -> list[str]:
    lines = [choice.id]
    if choice.tags:
        lines += _wrap("[" + ", ".join(choice.tags) + "]", WRAP)
    if choice.condition is not None:
        lines += _wrap("if " + choice.condition.source, WRAP)
    if choice.once:
        lines.append("once")
    return lines


def unreached_nodes(scenario: Scenario) -> set[str]:
    """Nodes the conditions never let the conversation reach, when a quick exploration can tell."""
    from game.analysis.findings import find
    from game.engine.paths import CHECK_LIMIT

    findings = find(scenario, CHECK_LIMIT)
    if not findings.graph.complete:
        return set()
    return set(scenario.nodes) - findings.reached_nodes


# -- DOT ---------------------------------------------------------------------------------------------
def _dot_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return '"' + escaped + '"'


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def to_dot(scenario: Scenario, lang: str = "en", unreached: set[str] = frozenset(), legend: bool = True) -> str:
    big = len(scenario.nodes) > 400  # no texts on huge graphs: they would only be unreadable
    out = [
        f"digraph {_dot_string(scenario.id)} {{",
        f'  graph [rankdir=TB, fontname="Helvetica", fontsize=16, labelloc=t, nodesep=0.35, ranksep=0.55, '
        f'label={_dot_string(pick(scenario.title, lang))}, pad=0.3];',
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11, margin="0.12,0.06", '
        'color="#424242", penwidth=1.2];',
        '  edge [fontname="Helvetica", fontsize=9, arrowsize=0.7, penwidth=1.1];',
    ]
    for node in scenario.nodes.values():
        kind = _kind(scenario, node)
        fill = FILL.get(kind, OPPORTUNITY_FILL if kind == "opportunity" else PLAIN_FILL)
        rows = [f"<B>{_html(node.id)}</B>"]
        if not big:
            rows += [_html(part) for part in _wrap("“" + _short(pick(node.line, lang)) + "”")]
            if node.is_ending:
                rows.append(f"<I>{_html(word(node.ending.outcome, lang))}</I>")
            elif node.opportunity is not None:
                rows.append(f"<I>{_html(word('opportunity', lang))}: {_html(_short(pick(node.opportunity, lang), 40))}</I>")
        attributes = [f"label=<{'<BR/>'.join(rows)}>", f'fillcolor="{fill}"']
        if node.is_ending:
            attributes.append("shape=box, style=\"filled,bold\", penwidth=2")
        if node.id == scenario.start:
            attributes.append('penwidth=3, color="#000000"')
        if node.id in unreached:
            attributes.append(f'style="rounded,filled,dashed", fillcolor="{UNREACHED_FILL}", fontcolor="#757575"')
        out.append(f"  {_dot_string(node.id)} [{', '.join(attributes)}];")
    out.append(f'  "__start__" [shape=circle, width=0.25, style=filled, fillcolor="#000000", label=""];')
    out.append(f'  "__start__" -> {_dot_string(scenario.start)} [penwidth=2];')
    for node in scenario.nodes.values():
        for branch in node.branches:
            label = (word("when", lang) + " " + branch.condition.source) if branch.condition is not None else word("always", lang)
            out.append(f"  {_dot_string(node.id)} -> {_dot_string(branch.goto)} [style=dashed, color=\"{EDGE_BRANCH}\", "
                       f"fontcolor=\"{EDGE_BRANCH}\", label={_dot_string(chr(10).join(_wrap(label)))}];")
        for choice in node.choices:
            colour = _edge_colour(scenario, choice)
            label = "" if big else chr(10).join(_choice_label(choice))
            out.append(f"  {_dot_string(node.id)} -> {_dot_string(choice.goto)} [color=\"{colour}\", "
                       f"fontcolor=\"{colour}\", label={_dot_string(label)}];")
    for interrupt in scenario.interrupts:
        name = f"__interrupt_{interrupt.id}"
        rows = [f"<B>{_html(word('interrupt', lang))}: {_html(interrupt.id)}</B>",
                _html(word("when", lang) + " " + interrupt.condition.source), f"<I>{_html(word('after_any', lang))}</I>"]
        out.append(f"  {_dot_string(name)} [shape=hexagon, style=filled, fillcolor=\"#f3e5f5\", color=\"{EDGE_INTERRUPT}\", "
                   f"label=<{'<BR/>'.join(rows)}>];")
        out.append(f"  {_dot_string(name)} -> {_dot_string(interrupt.goto)} [style=bold, color=\"{EDGE_INTERRUPT}\"];")
    if legend and not big:
        out += _dot_legend(lang)
    out.append("}")
    return "\n".join(out) + "\n"


def _dot_legend(lang: str) -> list[str]:
    """One compact table: node colours, then edge colours."""
    swatches = [(word("start", lang), PLAIN_FILL), (word("opportunity", lang), OPPORTUNITY_FILL),
                (word("good", lang), FILL["good"]), (word("mixed", lang), FILL["mixed"]),
                (word("bad", lang), FILL["bad"]), (word("left", lang), FILL["left"]),
                (word("never_reached", lang), UNREACHED_FILL)]
    rows = [f'<TR><TD COLSPAN="2"><B>{_html(word("legend", lang))}</B></TD></TR>']
    for text, fill in swatches:
        rows.append(f'<TR><TD BGCOLOR="{fill}" WIDTH="28"> </TD><TD ALIGN="LEFT">{_html(text)}</TD></TR>')
    for text, colour in ((word("earns", lang), EDGE_GOOD), (word("costs", lang), EDGE_BAD),
                         (word("choice", lang) + " (0)", EDGE_NEUTRAL), (word("branch", lang) + " - - -", EDGE_BRANCH),
                         (word("interrupt", lang), EDGE_INTERRUPT)):
        rows.append(f'<TR><TD><FONT COLOR="{colour}"><B>→</B></FONT></TD>'
                    f'<TD ALIGN="LEFT"><FONT COLOR="{colour}">{_html(text)}</FONT></TD></TR>')
    table = '<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="4">' + "".join(rows) + "</TABLE>"
    return [f'  "__legend__" [shape=plain, style="", fontsize=10, label=<{table}>];',
            '  { rank=min; "__legend__"; "__start__"; }']


# -- Mermaid -----------------------------------------------------------------------------------------
def _mermaid_id(node_id: str) -> str:
    return "n_" + node_id  # Mermaid reserves words such as `end`


def _mermaid_text(text: str) -> str:
    return text.replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;").replace("|", "#124;")


def to_mermaid(scenario: Scenario, lang: str = "en", unreached: set[str] = frozenset()) -> str:
    out = ["flowchart TD"]
    for node in scenario.nodes.values():
        rows = [f"<b>{_mermaid_text(node.id)}</b>"]
        rows += [_mermaid_text(part) for part in _wrap(_short(pick(node.line, lang), 60))]
        if node.opportunity is not None and not node.is_ending:
            rows.append(f"<i>{_mermaid_text(word('opportunity', lang))}</i>")
        text = "<br/>".join(rows)
        shape = f'(["{text}"])' if node.is_ending else f'["{text}"]'
        out.append(f"  {_mermaid_id(node.id)}{shape}")
    out.append("  __start__((" + word("start", lang) + f")) --> {_mermaid_id(scenario.start)}")
    for node in scenario.nodes.values():
        for branch in node.branches:
            label = (word("when", lang) + " " + branch.condition.source) if branch.condition is not None else word("always", lang)
            out.append(f'  {_mermaid_id(node.id)} -.->|"{_mermaid_text(label)}"| {_mermaid_id(branch.goto)}')
        for choice in node.choices:
            label = "<br/>".join(_mermaid_text(part) for part in _choice_label(choice))
            out.append(f'  {_mermaid_id(node.id)} -->|"{label}"| {_mermaid_id(choice.goto)}')
    for interrupt in scenario.interrupts:
        name = f"i_{interrupt.id}"
        text = f"{word('interrupt', lang)}: {interrupt.id}<br/>when {interrupt.condition.source}<br/>{word('after_any', lang)}"
        out.append(f'  {name}{{{{"{_mermaid_text(text)}"}}}} ==> {_mermaid_id(interrupt.goto)}')
        out.append(f"  class {name} interrupt")
    out += [f"  classDef good fill:{FILL['good']},stroke:#333,stroke-width:2px",
            f"  classDef mixed fill:{FILL['mixed']},stroke:#333,stroke-width:2px",
            f"  classDef bad fill:{FILL['bad']},stroke:#333,stroke-width:2px",
            f"  classDef left fill:{FILL['left']},stroke:#333,stroke-width:2px",
            f"  classDef opportunity fill:{OPPORTUNITY_FILL},stroke:#333",
            "  classDef start stroke:#000,stroke-width:4px",
            f"  classDef unreached fill:{UNREACHED_FILL},stroke:#999,stroke-dasharray:4 3,color:#777",
            "  classDef interrupt fill:#f3e5f5,stroke:#8e24aa"]
    for node in scenario.nodes.values():
        kind = _kind(scenario, node)
        if kind != "plain":
            out.append(f"  class {_mermaid_id(node.id)} {kind}")
        if node.id in unreached:
            out.append(f"  class {_mermaid_id(node.id)} unreached")
    out.append(f"  class {_mermaid_id(scenario.start)} start")
    index = 0
    for node in scenario.nodes.values():
        index += len(node.branches)
        for choice in node.choices:
            colour = _edge_colour(scenario, choice)
            out.append(f"  linkStyle {index + 1} stroke:{colour},color:{colour}")
            index += 1
    return "\n".join(out) + "\n"


def to_markdown(scenario: Scenario, lang: str = "en", unreached: set[str] = frozenset()) -> str:
    return f"# {pick(scenario.title, lang)}\n\n```mermaid\n{to_mermaid(scenario, lang, unreached)}```\n"
