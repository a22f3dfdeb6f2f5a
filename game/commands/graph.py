"""`graph SCENARIO --out FILE`: draw the scenario as SVG, PNG or DOT (Graphviz), or Mermaid (.mmd, .md)."""

from __future__ import annotations

import sys
from pathlib import Path

from game.i18n import Catalog

_ = Catalog({
    "summary": ("draw a scenario's nodes and choices as SVG, PNG, DOT or Mermaid",
                "piirrä skenaarion solmut ja valinnat SVG-, PNG-, DOT- tai Mermaid-muodossa"),
    "scenario": ("a scenario file, or the ID of a shipped one", "skenaariotiedosto tai valmiin skenaarion tunnus"),
    "out": ("the picture to write; its extension picks the format: .svg .png .dot .mmd .md",
            "kirjoitettava kuva; pääte valitsee muodon: .svg .png .dot .mmd .md"),
    "no_legend": ("leave out the legend", "jätä selite pois"),
    "cannot": ("This scenario has errors, so it cannot be drawn:", "Tässä skenaariossa on virheitä, joten sitä ei voi piirtää:"),
    "bad_format": ("Cannot write '{file}': use .svg, .png, .dot, .mmd or .md.",
                   "Tiedostoa '{file}' ei voi kirjoittaa: käytä päätettä .svg, .png, .dot, .mmd tai .md."),
    "no_dot": ("Drawing {kind} needs Graphviz's `dot` program, which was not found.\n"
               "Install Graphviz (Debian/Ubuntu: sudo apt-get install graphviz; macOS: brew install graphviz;\n"
               "Windows: winget install graphviz), or write .dot, .mmd or .md instead: they need nothing extra.",
               "{kind}-kuvan piirtäminen tarvitsee Graphvizin `dot`-ohjelman, jota ei löytynyt.\n"
               "Asenna Graphviz (Debian/Ubuntu: sudo apt-get install graphviz; macOS: brew install graphviz;\n"
               "Windows: winget install graphviz) tai kirjoita .dot-, .mmd- tai .md-tiedosto: ne eivät tarvitse mitään lisää."),
    "dot_failed": ("Graphviz could not draw the picture: {reason}", "Graphviz ei pystynyt piirtämään kuvaa: {reason}"),
    "dot_slow": ("Graphviz took longer than {seconds} s; for a scenario this big write .dot or .mmd instead.",
                 "Graphviz ei valmistunut {seconds} sekunnissa; näin isosta skenaariosta kirjoita .dot tai .mmd."),
    "write_failed": ("Cannot write '{file}': {reason}", "Tiedostoa '{file}' ei voi kirjoittaa: {reason}"),
    "written": ("Wrote {file}", "Kirjoitettiin {file}"),
})

FORMATS = {".svg": "svg", ".png": "png", ".dot": "dot", ".gv": "dot", ".mmd": "mermaid", ".md": "markdown"}
DOT_TIMEOUT = 120


def summary(lang: str) -> str:
    return _("summary", lang)


def add_arguments(parser, lang: str) -> None:
    parser.add_argument("scenario", help=_("scenario", lang))
    parser.add_argument("--out", required=True, metavar="FILE", help=_("out", lang))
    parser.add_argument("--no-legend", action="store_true", help=_("no_legend", lang))


class DrawError(Exception):
    """Drawing failed for a reason a person can act on; the message is already in their language."""


def render(dot_text: str, kind: str, lang: str) -> bytes:
    """SVG or PNG bytes from DOT text through Graphviz's `dot`."""
    import shutil
    import subprocess

    program = shutil.which("dot")
    if program is None:
        raise DrawError(_("no_dot", lang, kind=kind.upper()))
    arguments = [program, f"-T{kind}"]
    if kind == "png":
        arguments.append("-Gdpi=96")
    try:
        finished = subprocess.run(arguments, input=dot_text.encode("utf-8"), capture_output=True,
                                  timeout=DOT_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise DrawError(_("dot_slow", lang, seconds=DOT_TIMEOUT)) from None
    except OSError as error:
        raise DrawError(_("dot_failed", lang, reason=error.strerror or str(error))) from None
    if finished.returncode != 0 or not finished.stdout:
        reason = finished.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DrawError(_("dot_failed", lang, reason=reason[-1] if reason else f"exit {finished.returncode}"))
    return finished.stdout


def draw(scenario, out: Path, lang: str, legend: bool = True) -> None:
    from game.analysis import graph_export

    kind = FORMATS[out.suffix.lower()]
    unreached = graph_export.unreached_nodes(scenario)
    if kind == "mermaid":
        data = graph_export.to_mermaid(scenario, lang, unreached).encode("utf-8")
    elif kind == "markdown":
        data = graph_export.to_markdown(scenario, lang, unreached).encode("utf-8")
    else:
        dot_text = graph_export.to_dot(scenario, lang, unreached, legend=legend)
        data = dot_text.encode("utf-8") if kind == "dot" else render(dot_text, kind, lang)
    try:
        out.write_bytes(data)
    except OSError as error:
        raise DrawError(_("write_failed", lang, file=out, reason=error.strerror or str(error))) from None


def run(args) -> int:
    from game.commands.files import resolve_scenario
    from game.scenario.loader import load_scenario

    out = Path(args.out)
    if out.suffix.lower() not in FORMATS:
        print(_("bad_format", args.lang, file=out), file=sys.stderr)
        return 2
    result = load_scenario(resolve_scenario(args.scenario))
    if result.scenario is None:
        print(_("cannot", args.lang), file=sys.stderr)
        for diagnostic in result.errors:
            print(diagnostic.format(args.lang), file=sys.stderr)
        return 1
    try:
        draw(result.scenario, out, args.lang, legend=not args.no_legend)
    except DrawError as error:
        print(str(error), file=sys.stderr)
        return 1
    print(_("written", args.lang, file=out))
    return 0
