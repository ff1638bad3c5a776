"""Run the same work in parallel threads, released together, like parallel requests.

Each thread has its own app context, hence its own database session and connection,
as a request served by another worker would."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from flask import Flask

T = TypeVar("T")


def in_parallel(app: Flask, work: Callable[[], T], threads: int) -> list[T | Exception]:
    """`work()` in `threads` threads started at the same moment; each result or exception."""
    barrier = threading.Barrier(threads)
    results: list[T | Exception] = []
    lock = threading.Lock()

    def run() -> None:
        with app.app_context():
            barrier.wait()
            try:
                result: T | Exception = work()
            except Exception as error:  # noqa: BLE001 - reported to the test
                result = error
            finally:
                from app.extensions import db

                db.session.remove()
            with lock:
                results.append(result)

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    return results
