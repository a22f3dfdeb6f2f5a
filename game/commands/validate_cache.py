"""What `validate` found in files that have not changed since, kept on disk.

A trainer runs `validate` again and again while editing one file of a folder;
the others give the same answer as last time. Each answer is kept with the
files it depended on (the file, its scenario for a plan, the rubrics that could
apply) and their hashes, and with a hash of the checking code and schemas, so an
answer is reused only while every one of those is byte for byte the same. A
rubric.yaml that appears beside a scenario later is noticed too: absent files
are recorded as absent. A cache that cannot be read or written only costs time.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from game.paths import SCENARIOS_DIR, user_cache_dir

_PACKAGE = Path(__file__).resolve().parent.parent
_CODE = ("scenario", "analysis", "engine")  # the folders of game/ whose code decides the diagnostics
_code_key: str | None = None


def code_key() -> str:
    """A hash of everything that decides what a check finds: the checking code and the schemas."""
    global _code_key
    if _code_key is None:
        digest = hashlib.sha256()
        files = [path for folder in _CODE for path in sorted((_PACKAGE / folder).glob("*.py"))]
        files += [_PACKAGE / "commands" / "validate.py", Path(__file__)]
        files += sorted(SCENARIOS_DIR.glob("*.schema.json"))
        for path in files:
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
        _code_key = digest.hexdigest()
    return _code_key


def _file_hash(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None  # absent (or unreadable): recorded as such


def _entry_path(kind: str, path: Path, display: str) -> Path:
    key = hashlib.sha256("\0".join((code_key(), kind, str(path.resolve()), display)).encode()).hexdigest()
    return user_cache_dir() / "validate" / f"{key}.json"


def recall(kind: str, path: Path, display: str):
    """The diagnostics found last time, if nothing they depend on has changed; else None."""
    from game.scenario.diagnostics import Diagnostic

    try:
        entry = json.loads(_entry_path(kind, path, display).read_text(encoding="utf-8"))
        if any(_file_hash(Path(name)) != digest for name, digest in entry["depends"].items()):
            return None
        return [Diagnostic(d["code"], d["file"], d["line"], d["col"], d["params"], tuple(d["hint"]) if d["hint"] else None)
                for d in entry["diagnostics"]]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def remember(kind: str, path: Path, display: str, depends: list[Path], diagnostics) -> None:
    entry = {"depends": {str(Path(p).resolve()): _file_hash(Path(p)) for p in depends},
             "diagnostics": [{"code": d.code, "file": d.file, "line": d.line, "col": d.col, "params": d.params,
                              "hint": list(d.hint) if d.hint else None} for d in diagnostics]}
    try:
        target = _entry_path(kind, path, display)
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, target)  # readers see the whole entry or none
    except (OSError, TypeError, ValueError):
        pass
