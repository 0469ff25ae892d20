"""A heartbeat on stderr for any command that runs longer than a few seconds.

Commands with stages show their own bars (``insight analyse``, ``insight demo``: tqdm per stage);
every other command gets this line after ``DELAY`` seconds, so a long ingest, report or topic fit
never sits silent: on a terminal one line rewritten each second, elsewhere (logs, CI) one line
every ``LOG_EVERY`` seconds. Long-running services (serve, worker, alerts run) log instead.
"""

from __future__ import annotations

import sys
import threading
import time
from types import TracebackType
from typing import TextIO

DELAY = 3.0
LOG_EVERY = 30.0
SERVICES = frozenset({"serve", "worker", "run"})
GROUPS = frozenset({"triage", "topics", "stories", "db", "experiments", "keys", "alerts", "taxonomy"})


class Heartbeat:
    def __init__(self, label: str, stream: TextIO | None = None, delay: float = DELAY) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.delay = delay
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name="insight-heartbeat", daemon=True)
        self._wrote = False

    def _beat(self) -> None:
        started = time.monotonic()
        if self._stop.wait(self.delay):
            return
        tty = self.stream.isatty()
        while not self._stop.is_set():
            elapsed = time.monotonic() - started
            if tty:
                self.stream.write(f"\r{self.label}: working... {elapsed:.0f} s")
            else:
                self.stream.write(f"{self.label}: working... {elapsed:.0f} s\n")
            self.stream.flush()
            self._wrote = True
            self._stop.wait(1.0 if tty else LOG_EVERY)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        if self._wrote and self.stream.isatty():
            self.stream.write("\n")
            self.stream.flush()


def label(argv: list[str]) -> str | None:
    """``insight <command words>`` for the heartbeat, or None where none belongs (help, services, bars)."""
    words = [a for a in argv if not a.startswith("-")][:2]
    if not words or "--help" in argv or "-h" in argv or set(words) & SERVICES or words[0] in ("analyse", "demo"):
        return None
    return "insight " + " ".join(words if words[0] in GROUPS else words[:1])
