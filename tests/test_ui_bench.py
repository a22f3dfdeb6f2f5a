"""The UI benchmark runs (a few frames only: the figures themselves come from `python -m bench.ui`)."""

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

from bench import ui as bench  # noqa: E402


def test_frame_benchmark_runs_and_reports(monkeypatch, tmp_path):
    monkeypatch.setenv("KUULE_HOME", str(tmp_path))
    frames = bench.frame_times(frames=40)
    churn = bench.frame_times(frames=40, churn=True)
    for run in (frames, churn):
        assert run["frames"] == 40 and run["typing_share"] > 0.9
        assert run["mean_ms"] > 0 and run["p99_ms"] >= run["median_ms"] and run["baseline_mean_ms"] > 0
    start = {"seconds": 0.3, "baseline_seconds": 0.1, "runs": 1,
             "phases": {"python": 0.02, "ui_import": 0.1, "cli": 0.1, "window": 0.08}}
    text = bench.table(frames, churn, start)
    assert "frame p99 (ms)" in text and "start-up to first menu frame" in text
