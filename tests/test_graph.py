"""`graph`: DOT and Mermaid text, pictures through Graphviz, and a clear message when `dot` is missing."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from game.analysis.graph_export import FILL, OPPORTUNITY_FILL, to_dot, to_markdown, to_mermaid
from game.cli import main
from game.scenario.loader import load_or_raise

FIXTURES = Path(__file__).parent / "fixtures"
HAVE_DOT = shutil.which("dot") is not None
needs_dot = pytest.mark.skipif(not HAVE_DOT and os.environ.get("CI") != "true",
                               reason="Graphviz's dot is not installed (CI installs it)")


@pytest.fixture(autouse=True)
def _home(tmp_path, monkeypatch):
    monkeypatch.setenv("KUULE_HOME", str(tmp_path / "home"))


@pytest.fixture(scope="module")
def mini():
    return load_or_raise(FIXTURES / "mini.yaml")


def test_dot_colours_nodes_by_kind_and_labels_edges(mini):
    text = to_dot(mini, "en")
    assert f'"good" [label=<<B>good</B>' in text and FILL["good"] in text and FILL["left"] in text
    assert f'"start" [label=<<B>start</B>' in text and OPPORTUNITY_FILL in text and "penwidth=3" in text
    assert '"start" -> "middle" [color="#2e7d32", fontcolor="#2e7d32", label="ask\\n[open_question]"]' in text
    assert '"start" -> "middle" [color="#c62828"' in text  # lecture costs points: red
    assert 'label="help\\n[plans_together]\\nif asked"' in text
    assert '"middle" -> "left" [style=dashed' in text and "when trust < 10" in text  # a branch
    assert '"__interrupt_walks_out" -> "left" [style=bold' in text  # an interrupt, drawn once
    assert "Legend" in text and "Selite" in to_dot(mini, "fi")
    assert "“Tämä keitin on rikki.”" in to_dot(mini, "fi")


def test_unreached_nodes_are_greyed(mini):
    assert "dashed" in to_dot(mini, "en", unreached={"bad"}).split('"bad" [', 1)[1].split("\n", 1)[0]


def test_mermaid_and_markdown(mini):
    text = to_mermaid(mini, "en")
    assert text.startswith("flowchart TD\n")
    assert '  n_start -->|"ask<br/>[open_question]"| n_middle' in text
    assert '  n_middle -.->|"when trust #lt; 10"| n_left' in text
    assert "==> n_left" in text and "class n_good good" in text and "class n_start start" in text
    markdown = to_markdown(mini, "fi")
    assert markdown.startswith("# Pieni testi\n\n```mermaid\nflowchart TD\n") and markdown.endswith("```\n")


@pytest.mark.parametrize("suffix, magic", [(".dot", b"digraph"), (".mmd", b"flowchart"), (".md", b"# A small test")])
def test_text_formats_need_no_graphviz(tmp_path, monkeypatch, capsys, suffix, magic):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    out = tmp_path / f"mini{suffix}"
    assert main(["graph", str(FIXTURES / "mini.yaml"), "--out", str(out)]) == 0
    assert out.read_bytes().startswith(magic)


@needs_dot
@pytest.mark.parametrize("suffix, magic", [(".png", b"\x89PNG"), (".svg", b"<?xml")])
def test_pictures_through_dot(tmp_path, suffix, magic):
    for scenario in [FIXTURES / "mini.yaml", FIXTURES / "engine.yaml", *sorted((FIXTURES.parent.parent / "scenarios").glob("*.yaml"))]:
        if scenario.name.endswith((".plan.yaml", "rubric.yaml")):
            continue
        out = tmp_path / (scenario.stem + suffix)
        assert main(["graph", str(scenario), "--out", str(out)]) == 0
        assert out.read_bytes().startswith(magic)


def test_missing_dot_is_a_clear_message_in_both_languages(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert main(["graph", str(FIXTURES / "mini.yaml"), "--out", str(tmp_path / "x.png")]) == 1
    err = capsys.readouterr().err
    assert "needs Graphviz's `dot` program" in err and "apt-get install graphviz" in err and "Traceback" not in err
    assert main(["graph", str(FIXTURES / "mini.yaml"), "--out", str(tmp_path / "x.svg"), "--lang", "fi"]) == 1
    assert "tarvitsee Graphvizin `dot`-ohjelman" in capsys.readouterr().err
    assert not (tmp_path / "x.png").exists()


def test_unknown_extension_and_broken_scenario(tmp_path, capsys):
    assert main(["graph", str(FIXTURES / "mini.yaml"), "--out", str(tmp_path / "x.jpg")]) == 2
    assert "use .svg, .png, .dot, .mmd or .md" in capsys.readouterr().err
    assert main(["graph", str(FIXTURES / "bad" / "endless_loop.yaml"), "--out", str(tmp_path / "x.dot")]) == 1
    assert "KU028" in capsys.readouterr().err
