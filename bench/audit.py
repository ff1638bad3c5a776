"""Audited reads per second, before and after issue 17 (the read audit without a global lock).

    python bench/audit.py [--threads 1 4 8 16] [--seconds 4]

Needs PostgreSQL (BENCH_DATABASE_URL, default postgresql+psycopg://postgres@127.0.0.1:5432);
it creates a database `openimi_bench_audit`, migrates it and drops it at the end. For each
number of threads, every thread runs audited reads back to back, one transaction each,
as many request threads would; the figure is committed audit rows per second:

- before: the schema of migration 0014 and the statements record() ran then: the global
  advisory lock, the newest hash, the INSERT of a chained row, the commit;
- after: the schema at head and record()'s statements now: one INSERT (the trigger marks
  the transaction in flight and draws the id) and the commit, while the sealer runs every
  second beside them, as the worker would.

It also prints the most lock waiters seen in its database, the sealer's own rate, and the load average.
It prints figures only; it never fails (it is not a test).
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NAME = "openimi_bench_audit"
INSERT = (
    "INSERT INTO audit_event (at, actor_id, authority_id, action, object_type, object_id,"
    " details, {columns}) VALUES (:at, :actor_id, :authority_id, :action, :object_type,"
    " :object_id, CAST(:details AS JSON), {values}) RETURNING id"
)


def recreate(base: str) -> str:
    from sqlalchemy import create_engine, text

    admin = create_engine(f"{base.rstrip('/')}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{NAME}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{NAME}"'))
    admin.dispose()
    return f"{base.rstrip('/')}/{NAME}"


def drop(base: str) -> None:
    from sqlalchemy import create_engine, text

    admin = create_engine(f"{base.rstrip('/')}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{NAME}" WITH (FORCE)'))
    admin.dispose()


class Read:
    """One audited read's row, as record() builds it."""

    def __init__(self, officer: int, case: int):
        self.at = datetime.now(UTC)
        self.actor_id = officer
        self.authority_id = 2
        self.action = "request.viewed"
        self.object_type = "request"
        self.object_id = str(case)
        self.details = {"purpose": "case handling"}
        self.prev_hash = None

    def params(self) -> dict:
        import json

        return {
            "at": self.at, "actor_id": self.actor_id, "authority_id": self.authority_id,
            "action": self.action, "object_type": self.object_type,
            "object_id": self.object_id, "details": json.dumps(self.details),
        }  # fmt: skip


def read_before(connection, officer: int, case: int) -> None:
    from sqlalchemy import text

    from app.records.sealing import GENESIS, legacy_hash

    with connection.begin():
        connection.execute(text("SELECT pg_advisory_xact_lock(727274)"))
        last = connection.scalar(text("SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1"))
        row = Read(officer, case)
        row.prev_hash = last or GENESIS
        connection.execute(
            text(INSERT.format(columns="prev_hash, hash", values=":prev_hash, :hash")),
            {**row.params(), "prev_hash": row.prev_hash, "hash": legacy_hash(row)},
        )


def read_after(connection, officer: int, case: int) -> None:
    from sqlalchemy import text

    from app.records.sealing import content_digest

    with connection.begin():
        row = Read(officer, case)
        connection.execute(
            text(INSERT.format(columns="digest", values=":digest")),
            {**row.params(), "digest": content_digest(row)},
        )


def run(engine, work, threads: int, seconds: float) -> tuple[int, int]:
    """Rows committed by `threads` threads in `seconds`, and the most lock waiters seen."""
    from sqlalchemy import text

    stop = threading.Event()
    counts = [0] * threads
    barrier = threading.Barrier(threads + 1)

    def officer(n: int) -> None:
        with engine.connect() as connection:
            barrier.wait()
            case = 0
            while not stop.is_set():
                case += 1
                work(connection, n, case)
                counts[n] += 1

    pool = [threading.Thread(target=officer, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    barrier.wait()
    waiters = 0
    deadline = time.monotonic() + seconds
    with engine.connect() as probe:
        while time.monotonic() < deadline:
            with probe.begin():
                seen = probe.scalar(
                    text(
                        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                        " AND NOT granted AND database ="
                        " (SELECT oid FROM pg_database WHERE datname = current_database())"
                    )
                )
            waiters = max(waiters, seen)
            time.sleep(0.05)
    stop.set()
    for thread in pool:
        thread.join()
    return sum(counts), waiters


class Sealer(threading.Thread):
    """The worker's job, every second, on its own connection."""

    def __init__(self, engine):
        super().__init__(daemon=True)
        self.engine, self.stop, self.sealed, self.busy_seconds = engine, threading.Event(), 0, 0.0

    def run(self) -> None:
        from app.records.sealing import seal_on

        while not self.stop.wait(1.0):
            self.once(seal_on)

    def once(self, seal_on) -> int:
        started = time.monotonic()
        with self.engine.connect() as connection, connection.begin():
            sealed = seal_on(connection, 2.0, 1000, 10_000_000).sealed
        self.busy_seconds += time.monotonic() - started
        self.sealed += sealed
        return sealed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 4, 8, 16])
    parser.add_argument("--seconds", type=float, default=4.0)
    args = parser.parse_args()
    base = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432")

    from sqlalchemy import create_engine, text

    from app.migrate import upgrade_database
    from app.records.sealing import seal_on

    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'threads':>7} {'before/s':>10} {'waiters':>8} {'after/s':>10} {'waiters':>8}")
    results = []
    try:
        for threads in args.threads:
            row = [threads]
            for revision, work in (("0014", read_before), ("head", read_after)):
                url = recreate(base)
                upgrade_database(url, revision)
                engine = create_engine(url, pool_size=threads + 2)
                sealer = Sealer(engine)
                if work is read_after:
                    sealer.start()
                rows, waiters = run(engine, work, threads, args.seconds)
                sealer.stop.set()
                if work is read_after:
                    sealer.join()
                    sealer.once(seal_on)  # what the last second left
                    results.append((sealer.sealed, sealer.busy_seconds))
                    with engine.connect() as connection:
                        unsealed = connection.scalar(
                            text("SELECT count(*) FROM audit_event WHERE hash IS NULL")
                        )
                    assert unsealed == 0, unsealed
                engine.dispose()
                row += [rows / args.seconds, waiters]
            print(f"{row[0]:>7} {row[1]:>10.0f} {row[2]:>8} {row[3]:>10.0f} {row[4]:>8}")
    finally:
        drop(base)
    sealed = sum(r[0] for r in results)
    busy = sum(r[1] for r in results)
    if busy:
        print(f"sealer: {sealed} rows in {busy:.2f} s of its own time ({sealed / busy:.0f} rows/s)")
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
