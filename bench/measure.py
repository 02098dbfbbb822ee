"""Wall time and peak RSS of the whole process tree (this process and every child, e.g. dbt)."""
from __future__ import annotations

import threading
import time
from contextlib import contextmanager

import psutil


class TreeRss:
    """Samples the summed RSS of this process and all its descendants every `interval` seconds."""

    def __init__(self, interval: float = 0.05) -> None:
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._me = psutil.Process()
        self._thread = threading.Thread(target=self._run, daemon=True, name="rss-sampler")

    def sample(self) -> int:
        total = 0
        try:
            procs = [self._me, *self._me.children(recursive=True)]
        except psutil.Error:
            procs = [self._me]
        for proc in procs:
            try:
                total += proc.memory_info().rss
            except psutil.Error:
                continue  # a child that ended between listing and reading
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.sample())
            self._stop.wait(self.interval)

    def reset(self) -> None:
        self.peak = self.sample()

    def __enter__(self) -> "TreeRss":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


@contextmanager
def timed(sampler: TreeRss, into: dict):
    """Fill `into` with seconds and peak_rss_bytes of the block."""
    sampler.reset()
    started = time.perf_counter()
    try:
        yield into
    finally:
        into["seconds"] = round(time.perf_counter() - started, 3)
        into["peak_rss_bytes"] = max(sampler.peak, sampler.sample())
