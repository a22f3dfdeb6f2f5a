"""README.fi.md keeps the structure of README.md.

Only structure is compared, never wording, so a small edit to the English prose needs no Finnish
rewording: the same number of `## ` sections, the Quick start block byte for byte, every
`<!-- ... -->` marker (tools fill them), every command of the commands table, and the links
between the two files.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).parent.parent
ENGLISH, FINNISH = ROOT / "README.md", ROOT / "README.fi.md"

FENCE = re.compile(r"^\s*(```|~~~)")
MARKER = re.compile(r"<!--.*?-->", re.S)
KNOWN_COMMANDS = {"play", "validate", "analyze", "graph", "test", "report", "verify", "xapi"}


@lru_cache(maxsize=None)
def text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def sections(markdown: str) -> list[tuple[str, str]]:
    """(heading, body) of each `## ` section, in order; a `## ` inside a fenced code block is not a heading."""
    found: list[tuple[str, list[str]]] = []
    fenced = False
    for line in markdown.splitlines(keepends=True):
        if FENCE.match(line):
            fenced = not fenced
        elif not fenced and line.startswith("## "):
            found.append((line[3:].strip(), []))
            continue
        if found:
            found[-1][1].append(line)
    return [(heading, "".join(body)) for heading, body in found]


def section_index(markdown: str, word: str) -> int:
    """The position of the first English `## ` section whose heading contains `word`."""
    for index, (heading, _) in enumerate(sections(markdown)):
        if word.lower() in heading.lower():
            return index
    raise AssertionError(f"README.md has no '## ' section with {word!r} in its heading")


def first_sh_block(body: str) -> str:
    found = re.search(r"^```sh\n(.*?)^```$", body, re.S | re.M)
    assert found, "no ```sh block in the section"
    return found.group(1)


def table_commands(body: str) -> list[str]:
    """The command names (first word of the first cell) of the Markdown table rows in `body`."""
    names = []
    for line in body.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")] if line.lstrip().startswith("|") else []
        if cells and cells[0].startswith("`"):
            names.append(cells[0].strip("`").split()[0])
    return names


def finnish_twin(word: str) -> tuple[str, str]:
    """(English body, Finnish body) of the section found by `word` in English and at the same place in Finnish."""
    index = section_index(text(ENGLISH), word)
    finnish = sections(text(FINNISH))
    assert index < len(finnish), "README.fi.md has fewer '## ' sections than README.md"
    return sections(text(ENGLISH))[index][1], finnish[index][1]


def test_same_number_of_sections():
    english, finnish = sections(text(ENGLISH)), sections(text(FINNISH))
    assert len(finnish) == len(english), (
        f"README.md has {len(english)} '## ' sections, README.fi.md {len(finnish)}: "
        f"{[h for h, _ in english]} vs {[h for h, _ in finnish]}")


def test_quick_start_block_is_byte_identical():
    english, finnish = finnish_twin("Quick start")
    assert first_sh_block(finnish) == first_sh_block(english), (
        "copy the Quick start ```sh block of README.md into README.fi.md unchanged")


def test_every_marker_comment_is_kept():
    english, finnish = MARKER.findall(text(ENGLISH)), MARKER.findall(text(FINNISH))
    missing = [marker for marker in dict.fromkeys(english) if finnish.count(marker) < english.count(marker)]
    assert not missing, f"marker comments of README.md missing from README.fi.md: {missing}"


def test_every_command_of_the_commands_table_is_in_the_finnish_table():
    english, finnish = (table_commands(body) for body in finnish_twin("Commands"))
    assert english, "could not read the commands table of README.md"
    missing = [name for name in dict.fromkeys([*english, *sorted(KNOWN_COMMANDS)]) if name not in finnish]
    assert not missing, f"commands missing from the Finnish commands table: {missing}"


def test_each_readme_links_to_the_other():
    assert "](README.fi.md)" in text(ENGLISH)
    assert "](README.md)" in text(FINNISH)
