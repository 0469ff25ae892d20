"""Failed-attempt counting per client, in memory: the login page refuses a client that failed too
often in the last minute (``[api] login_failures_per_minute``), so keys cannot be guessed at speed.

Per process: behind several workers each counts its own share, which still bounds the rate.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque


class FailureThrottle:
    """At most ``limit`` failures per ``window`` seconds per key (a client address)."""

    def __init__(self, limit: int, window: float = 60.0) -> None:
        self.limit = limit
        self.window = window
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures[key]
        while times and times[0] <= now - self.window:
            times.popleft()
        return times

    def wait_seconds(self, key: str, now: float | None = None) -> int:
        """0 when ``key`` may try now; else the seconds until its oldest counted failure expires."""
        now = time.monotonic() if now is None else now
        with self._lock:
            times = self._recent(key, now)
            if len(times) < self.limit:
                return 0
            return max(1, int(times[0] + self.window - now + 0.999))

    def failed(self, key: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            self._recent(key, now).append(now)
            if len(self._failures) > 10_000:  # forget idle clients so memory stays bounded
                for stale in [k for k, v in self._failures.items() if not v]:
                    del self._failures[stale]
