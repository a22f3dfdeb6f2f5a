"""A trainee's record per scenario, for menus: how many attempts, and the best score.

Only each log's first and last lines are read, so this stays quick with thousands of logs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from game.session.log import SUFFIX, resolve_log_dir
from game.session.reader import MAX_LINE, LogError, check_header, open_fd, read_last_record, record_of


@dataclass(frozen=True)
class Stats:
    attempts: int  # sessions started (finished, unfinished or abandoned)
    best: float | None  # best overall share 0..1 of the finished sessions; None if none finished
    finished: int = 0


def _first_record(path) -> dict | None:
    try:
        with os.fdopen(open_fd(path), "rb") as handle:  # a regular file: a pipe named *.jsonl never waits
            raw = handle.readline(MAX_LINE)
        return check_header(path, record_of(raw))
    except (OSError, LogError):
        return None


def trainee_stats(trainee: str, log_dir: str | os.PathLike | None = None) -> dict[str, Stats]:
    """{scenario_id: Stats} for the trainee (names compared ignoring case and surrounding spaces)."""
    folder = resolve_log_dir(log_dir)
    if not folder.is_dir():
        return {}
    wanted = str(trainee).strip().casefold()
    attempts: dict[str, int] = {}
    finished: dict[str, int] = {}
    best: dict[str, float] = {}
    for path in folder.glob(f"*{SUFFIX}"):
        header = _first_record(path)
        if header is None or str(header.get("trainee", "")).strip().casefold() != wanted:
            continue
        scenario = header["scenario_id"]
        attempts[scenario] = attempts.get(scenario, 0) + 1
        try:
            last = read_last_record(path)
        except LogError:
            continue
        if last and last.get("kind") == "end":
            overall = (last.get("result") or {}).get("overall")
            finished[scenario] = finished.get(scenario, 0) + 1
            if isinstance(overall, (int, float)):
                best[scenario] = max(best.get(scenario, 0.0), float(overall))
    return {scenario: Stats(count, best.get(scenario), finished.get(scenario, 0))
            for scenario, count in sorted(attempts.items())}
