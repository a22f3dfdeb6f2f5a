"""Putting measured figures into the READMEs, between marker comments, so no figure is typed by hand."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READMES = (("README.md", "en"), ("README.fi.md", "fi"))


def fill(marker: str, body_for) -> None:
    """Replace what stands between <!-- MARKER:start --> and <!-- MARKER:end --> with body_for(lang)."""
    start, end = f"<!-- {marker}:start -->", f"<!-- {marker}:end -->"
    for name, lang in READMES:
        path = ROOT / name
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8")
        if start not in text or end not in text:
            continue
        head, rest = text.split(start, 1)
        _, tail = rest.split(end, 1)
        path.write_text(f"{head}{start}\n{body_for(lang).rstrip()}\n{end}{tail}", encoding="utf-8")
