"""A local HTTP receiver on 127.0.0.1 for alert tests: records every request, answers as told.

``answers`` is a list of status codes used in turn (the last one repeats); ``hold`` makes the
next request wait (unanswered) until ``release()``, which is how a test catches a notifier
mid-delivery. Deliveries are deduplicated by ``X-Insight-Delivery``, as a real receiver would.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    at: float  # time.monotonic() when it arrived


class Receiver:
    def __init__(self, answers: list[int] | None = None) -> None:
        self.answers = list(answers or [200])
        self.requests: list[Received] = []
        self.accepted: dict[str, Received] = {}  # delivery id -> first request answered 2xx
        self._held = threading.Event()
        self._release = threading.Event()
        self._release.set()
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                got = Received(self.path, dict(self.headers.items()), body, time.monotonic())
                status = receiver._record(got)
                if not receiver._release.is_set():
                    receiver._held.set()
                    receiver._release.wait(60)
                    status = 503  # whoever sent it is gone by now; the answer goes nowhere
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except OSError:
                    pass

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _record(self, got: Received) -> int:
        with self._lock:
            self.requests.append(got)
            status = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
            delivery = got.headers.get("X-Insight-Delivery", "")
            if 200 <= status < 300 and self._release.is_set():
                self.accepted.setdefault(delivery, got)
            return status

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def hold(self) -> None:
        """Leave the next request unanswered until ``release``."""
        self._held.clear()
        self._release.clear()

    def wait_held(self, timeout: float) -> bool:
        return self._held.wait(timeout)

    def release(self) -> None:
        self._release.set()

    def wait_for(self, count: int, timeout: float) -> bool:
        """Wait until ``count`` deliveries were accepted (2xx)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.accepted) >= count:
                return True
            time.sleep(0.05)
        return len(self.accepted) >= count

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
        self.server.shutdown()
        self.server.server_close()
