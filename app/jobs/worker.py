"""The worker `flask worker` runs: RQ's forking Worker, except that the work horse of a
job from a capped queue (the PDF queue) may grow its address space by a set amount only.
A runaway rendering then fails its own job with MemoryError; the worker and the host go
on (security note PDF-2). The job timeout bounds its time in the same way."""

from __future__ import annotations

import logging
import resource
from collections.abc import Callable
from pathlib import Path

from rq import Worker
from rq.job import Job
from rq.queue import Queue

STATM = Path("/proc/self/statm")
log = logging.getLogger(__name__)


def cap_address_space(extra_bytes: int) -> bool:
    """Let this process grow by `extra_bytes` of address space at most; False where the
    system does not say how large the process is (not Linux): then nothing is capped."""
    if not STATM.exists():
        return False
    current = int(STATM.read_text().split()[0]) * resource.getpagesize()
    limit = current + extra_bytes
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    return True


class CappedWorker(Worker):
    def __init__(
        self,
        *args,
        memory_caps: dict[str, int] | None = None,
        maintenance: Callable[[], None] | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        # queue name -> bytes a work horse of that queue may grow by
        self.memory_caps = memory_caps or {}
        # Run at each of RQ's maintenance rounds: books the periodic jobs again.
        self.maintenance = maintenance

    def run_maintenance_tasks(self):
        super().run_maintenance_tasks()
        if self.maintenance is not None:
            try:
                self.maintenance()
            except Exception:  # Redis gone again: the next round tries
                log.exception("worker maintenance: could not book the periodic jobs")

    def main_work_horse(self, job: Job, queue: Queue):
        cap = self.memory_caps.get(queue.name)
        if cap:
            cap_address_space(cap)
        super().main_work_horse(job, queue)
