"""The labelled replies the coder learns from and is measured on: `<lang>.tsv`, columns split, code, text.

The split column is fixed in the files (every fourth reply of each code is `test`); training reads only
`train`, the benchmark reports on `test`. An empty text is a reply of silence.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

FOLDER = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Row:
    split: str
    code: str
    text: str
    line: int


def load_corpus(lang: str) -> list[Row]:
    rows = []
    path = FOLDER / f"{lang}.tsv"
    with open(path, encoding="utf-8") as handle:
        header = handle.readline().rstrip("\n").split("\t")
        if header != ["split", "code", "text"]:
            raise ValueError(f"{path}:1: expected the columns split, code, text")
        for number, line in enumerate(handle, 2):
            line = line.rstrip("\n")
            if not line:
                continue
            split, code, text = (line.split("\t", 2) + ["", ""])[:3]
            rows.append(Row(split, code, text, number))
    return rows
