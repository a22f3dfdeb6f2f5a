"""Putting measured figures into the READMEs, between marker comments, so no figure is typed by hand."""

from __future__ import annotations

import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READMES = (("README.md", "en"), ("README.fi.md", "fi"))


def fill(marker: str, body_for) -> list[str]:
    """Replace what stands between <!-- MARKER:start --> and <!-- MARKER:end --> with body_for(lang).

    Returns the names of the files written; says on stderr which README has no such markers.
    """
    start, end = f"<!-- {marker}:start -->", f"<!-- {marker}:end -->"
    written = []
    for name, lang in READMES:
        path = ROOT / name
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8")
        if start not in text or end not in text:
            print(f"{name} has no {start} … {end} markers: nothing written there "
                  "(its figures come from `python -m bench --readme` and `python -m bench reliability --readme`)",
                  file=sys.stderr)
            continue
        head, rest = text.split(start, 1)
        _, tail = rest.split(end, 1)
        path.write_text(f"{head}{start}\n{body_for(lang).rstrip()}\n{end}{tail}", encoding="utf-8")
        written.append(name)
    return written


# -- numbers as each language writes them --------------------------------------------------------

def number(value: float, lang: str, decimals: int = 0) -> str:
    """1,234.5 in English; 1 234,5 in Finnish (a space between thousands, a decimal comma)."""
    text = f"{value:,.{decimals}f}"
    if lang == "fi":
        text = text.replace(",", " ").replace(".", ",")
    return text


def seconds(value: float, lang: str) -> str:
    if value < 1e-3:
        return f"{number(value * 1e6, lang, 1)} µs"
    if value < 1:
        return f"{number(value * 1e3, lang, 1 if value < 0.1 else 0)} ms"
    return f"{number(value, lang, 2)} s"


# -- the machine ----------------------------------------------------------------------------------

def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines():
            if line.lower().startswith(("model name", "hardware", "cpu model")):
                return " ".join(line.split(":", 1)[1].split())
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 2**20
    except (OSError, ValueError, IndexError):
        pass
    return None


def _system() -> str:
    try:
        release = platform.freedesktop_os_release().get("PRETTY_NAME", "")
    except OSError:
        release = ""
    kernel = f"{platform.system()} {platform.release()}"
    return f"{release}, {kernel}" if release else kernel


def machine(lang: str) -> str:
    """One line describing where the figures were measured: CPU, cores, memory, system, Python, date."""
    memory = _memory_gib()
    cores = os.cpu_count() or 1
    python = f"{platform.python_implementation()} {platform.python_version()}"
    if lang == "fi":
        ram = f", {number(memory, lang, 1)} GiB muistia" if memory else ""
        return (f"Mitattu: {_cpu_model()}, {cores} ydintä{ram}, {_system()}, {python}, "
                f"{time.strftime('%-d.%-m.%Y')}.")
    ram = f", {number(memory, lang, 1)} GiB RAM" if memory else ""
    return f"Measured on: {_cpu_model()}, {cores} cores{ram}, {_system()}, {python}, {time.strftime('%Y-%m-%d')}."
