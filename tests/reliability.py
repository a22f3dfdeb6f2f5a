"""What the reliability suites (fuzzing, soak, crash safety) exercised, for the README's *Reliability*.

Each of those tests calls `tally(key, count)` with how many inputs, playthroughs or kills it
ran. When KUULE_RELIABILITY_OUT names a file, the counts are added to it (JSON, key -> total);
`python -m bench reliability` runs the suites with it set and writes the README section from it.
Otherwise `tally` does nothing.

Counts default to what keeps CI well inside its time; `python -m pytest --stress N` (or
KUULE_STRESS=N) multiplies them by N for a longer run.
"""

from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path


def stress() -> int:
    """The multiplier for the suites' counts (1 unless asked for more)."""
    try:
        return max(1, int(os.environ.get("KUULE_STRESS", "1")))
    except ValueError:
        return 1


def scaled(count: int) -> int:
    return count * stress()


def tally(key: str, count: int = 1) -> None:
    """Add `count` to `key` in the file KUULE_RELIABILITY_OUT names (safe across processes)."""
    target = os.environ.get("KUULE_RELIABILITY_OUT")
    if not target:
        return
    path = Path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        text = handle.read()
        counts = json.loads(text) if text.strip() else {}
        counts[key] = counts.get(key, 0) + count
        handle.seek(0)
        handle.truncate()
        json.dump(counts, handle, indent=1, sort_keys=True)
