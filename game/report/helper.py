"""A second process for the report: it reads a share of the logs and draws the charts.

Reading ten thousand logs, importing matplotlib and drawing a dozen charts each take a
second or so, and on a machine with a second CPU they need not wait for one another
(even for a few logs, importing matplotlib is most of the wait).
The helper starts before the logs are read: it imports matplotlib at once, then takes
logs to read from the same queue as this process (chunk by chunk, so whichever process
is freer reads more), then draws the charts asked for while this process writes the page.

Nothing depends on the helper: anything it was given and did not deliver (it could not
start, died, hung) is done here instead, and the report is the same either way.
"""

from __future__ import annotations

import sys

_shared = None  # in the helper: [logs handed out so far, chunks the helper took], with a lock (see Helper.take)
_queue = None  # in the helper: where what it reads goes to the report, a chunk at a time (see Helper.receive)


def _start(shared, queue) -> None:
    global _shared, _queue
    _shared, _queue = shared, queue


def deliver(item) -> None:
    """In the helper: hand `item` to the report (at once: it is sent while the helper goes on)."""
    _queue.put(item)


def take(count: int, total: int) -> int:
    """In the helper: where the next `count` of `total` logs to read start (from the count shared with the report)."""
    with _shared.get_lock():
        start = _shared[0]
        _shared[0] = start + count
        if start < total:
            _shared[1] += 1
    return start


class Helper:
    """One helper process (a one-worker pool), or nothing when none can be had."""

    def __init__(self):
        self._pool = self._shared = self._queue = None
        try:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # fork starts at once with everything imported so far; elsewhere (macOS, Windows) it is unsafe or absent
            context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
            self._shared = context.Array("q", 2)
            self._queue = context.Queue()
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=_start,
                                             initargs=(self._shared, self._queue))
            from game.report.charts import get_ready

            self._pool.submit(get_ready)  # starts the process now: matplotlib is imported while logs are read
        except Exception:  # noqa: BLE001 - no processes, no semaphores...: everything is done here
            self.stop(kill=True)

    @property
    def alive(self) -> bool:
        return self._pool is not None

    def submit(self, function, *args, **kwargs):
        """A Future for function(*args, **kwargs) run in the helper, or None (then do it here)."""
        if self._pool is None:
            return None
        try:
            return self._pool.submit(function, *args, **kwargs)
        except Exception:  # noqa: BLE001 - a broken pool
            self.stop(kill=True)
            return None

    def take(self, count: int, total: int) -> int:
        """Here: where the next `count` of `total` logs to read start (the helper takes from the same count)."""
        with self._shared.get_lock():
            start = self._shared[0]
            self._shared[0] = start + count
        return start

    def took(self) -> int:
        """How many chunks the helper has taken (once this process has taken the last, no more will be)."""
        with self._shared.get_lock():
            return self._shared[1]

    def drain(self) -> list:
        """What the helper has delivered so far (see `deliver`), without waiting."""
        import queue

        items = []
        while self._pool is not None:
            try:
                items.append(self._queue.get_nowait())
            except queue.Empty:
                break
            except Exception:  # noqa: BLE001 - a broken queue: whatever is missing is done here
                self.stop(kill=True)
        return items

    def receive(self, timeout: float = 300):
        """The next item the helper delivers, or None if none comes (the helper is stopped then)."""
        if self._pool is None:
            return None
        try:
            return self._queue.get(timeout=timeout)
        except Exception:  # noqa: BLE001 - died, hung or broke: whatever it had is done here instead
            self.stop(kill=True)
            return None

    def result(self, future, timeout: float = 300):
        """The future's result, or None if the helper failed (it is stopped then)."""
        if future is None:
            return None
        try:
            return future.result(timeout=timeout)
        except Exception:  # noqa: BLE001 - died, hung or broke: whatever it had is done here instead
            self.stop(kill=True)
            return None

    def stop(self, kill: bool = False) -> None:
        """Let the helper go: at the end (it is idle by then), or at once when it failed (`kill`)."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        if not kill:
            pool.shutdown(wait=True, cancel_futures=True)
            return
        try:  # a hung helper would keep this process from exiting
            if hasattr(pool, "terminate_workers"):  # Python 3.14
                pool.terminate_workers()
                return
            processes = list((getattr(pool, "_processes", None) or {}).values())  # gone after shutdown
            pool.shutdown(wait=False, cancel_futures=True)
            for process in processes:
                process.terminate()
        except Exception:  # noqa: BLE001 - gone already
            pass
