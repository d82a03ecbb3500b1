"""Where a request's time goes, told in its own answer: a ``Server-Timing`` header (W3C Server
Timing; a browser's developer tools show it under the request) with the server's wall time,
the CPU time of the thread that served it, the time and number of its SQL queries and the
time Python's garbage collector paused it.

On only when ``KRING_SERVER_TIMING`` says so (it tells a client how long the server worked,
which is nobody's business on a public server): for an operator looking at a slow page, and
for ``benchmarks/load``, which reads it to split a page's time between waiting for a thread
and being served."""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable
from typing import Any

from django.db import connections
from django.http import HttpRequest, HttpResponse


class _Paused(threading.local):
    """Per thread: the collector's pause being timed, and the pauses summed."""

    started: float | None = None
    total: float = 0.0


_PAUSED = _Paused()
_installed = False
_install_lock = threading.Lock()


def _on_collect(phase: str, info: dict[str, Any]) -> None:
    # The collector runs in the thread whose allocation set it off, with the GIL held:
    # the pause belongs to that thread's request.
    if phase == "start":
        _PAUSED.started = time.perf_counter()
    elif _PAUSED.started is not None:
        _PAUSED.total += time.perf_counter() - _PAUSED.started
        _PAUSED.started = None


def _install_gc_callback() -> None:
    global _installed
    with _install_lock:
        if not _installed:
            gc.callbacks.append(_on_collect)
            _installed = True


class _Queries:
    """An execute wrapper that sums the time and number of a request's queries."""

    def __init__(self) -> None:
        self.count = 0
        self.seconds = 0.0

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start
            self.count += 1


class ServerTimingMiddleware:
    """First in the chain, so that every other middleware's work is counted."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        _install_gc_callback()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        queries = _Queries()
        paused_before = _PAUSED.total
        cpu_start = time.thread_time()
        start = time.perf_counter()
        with connections["default"].execute_wrapper(queries):
            response = self.get_response(request)
        wall = time.perf_counter() - start
        cpu = time.thread_time() - cpu_start
        paused = _PAUSED.total - paused_before
        response["Server-Timing"] = server_timing(
            wall=wall, cpu=cpu, db=queries.seconds, queries=queries.count, gc=paused
        )
        return response


def server_timing(*, wall: float, cpu: float, db: float, queries: int, gc: float) -> str:
    """The header's value, durations in milliseconds as the standard wants."""
    return (
        f"app;dur={wall * 1000:.1f}, cpu;dur={cpu * 1000:.1f}, "
        f'db;dur={db * 1000:.1f};desc="{queries} queries", gc;dur={gc * 1000:.1f}'
    )
