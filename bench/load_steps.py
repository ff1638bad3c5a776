"""One step of bench/load.py: Locust run headless for a number of users, the gunicorn
workers' CPU and memory sampled meanwhile, and the figures printed."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent


class Sampler(threading.Thread):
    """CPU seconds and peak RSS of each gunicorn worker (workers are replaced after
    max_requests: each pid counts while it lives), of Locust, and of the PostgreSQL
    backends serving the app (the database's share of each request)."""

    def __init__(self, master: psutil.Process, locust: psutil.Process):
        super().__init__(daemon=True)
        self.master, self.locust = master, locust
        self.cpu: dict[int, tuple[float, float]] = {}  # pid: (first, last) CPU seconds
        self.rss: dict[int, int] = {}
        self.locust_cpu = (0.0, 0.0)
        self.postgres: dict[int, tuple[float, float]] = {}
        self.done = threading.Event()

    def postgres_seconds(self) -> float:
        return sum(last - first for first, last in self.postgres.values())

    def _sample_postgres(self) -> None:
        """The backends of the bench's databases (their title names the database): the
        machine's other databases, tests of a session working meanwhile, do not count."""
        for process in psutil.process_iter(["name", "cmdline"]):
            title = " ".join(process.info["cmdline"] or ())
            if process.info["name"] != "postgres" or " openimi_bench" not in title:
                continue
            try:
                spent = self.seconds(process)
            except psutil.Error:
                continue
            first = self.postgres.get(process.pid, (spent, spent))[0]
            self.postgres[process.pid] = (first, spent)

    @staticmethod
    def seconds(process: psutil.Process) -> float:
        times = process.cpu_times()
        return times.user + times.system

    def run(self) -> None:
        psutil.cpu_percent()
        self._sample_postgres()
        while not self.done.wait(1.0):
            self._sample_postgres()
            for worker in self.master.children():
                try:
                    spent, rss = self.seconds(worker), worker.memory_info().rss
                except psutil.Error:
                    continue
                first = self.cpu.get(worker.pid, (spent, spent))[0]
                self.cpu[worker.pid] = (first, spent)
                self.rss[worker.pid] = max(self.rss.get(worker.pid, 0), rss)
            try:
                spent = self.seconds(self.locust)
                self.locust_cpu = (self.locust_cpu[0] or spent, spent)
            except psutil.Error:
                pass
        self.machine = psutil.cpu_percent()


def locust(
    plan_path: Path, folder: Path, host: str, users: int, seconds: int, kind: str, master
) -> tuple[list[dict], Sampler, float, tuple]:
    prefix = folder / f"{kind}-{users}"
    command = [
        sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"),
        "--headless", "--users", str(users), "--spawn-rate", str(max(5, users // 5)),
        "--run-time", f"{seconds}s", "--host", host, "--csv", str(prefix), "--reset-stats",
        "--only-summary", "--stop-timeout", "10", "--loglevel", "WARNING", kind,
    ]  # fmt: skip
    env = {**os.environ, "LOAD_PLAN": str(plan_path)}
    started = time.monotonic()
    process = subprocess.Popen(  # noqa: S603 (Locust, ours)
        command, env=env, stdout=subprocess.DEVNULL, stderr=(folder / f"{kind}.log").open("ab")
    )
    sampler = Sampler(master, psutil.Process(process.pid))
    sampler.start()
    process.wait()
    sampler.done.set()
    sampler.join()
    elapsed = time.monotonic() - started
    with open(f"{prefix}_stats.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return rows, sampler, elapsed, os.getloadavg()


def report(title: str, rows: list[dict], sampler: Sampler, elapsed: float, load) -> dict:
    print(f"\n{title}")
    header = (
        f"  {'endpoint':<26} {'requests':>8} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6}"
        f" {'errors':>6}"
    )
    print(header + "   (ms)")
    print("  " + "-" * (len(header) - 2))
    total = {}
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "all"
        line = (
            f"  {name:<26} {int(row['Request Count']):>8} {float(row['Requests/s']):7.1f}"
            f" {row['50%']:>6} {row['95%']:>6} {row['99%']:>6} {int(row['Failure Count']):>6}"
        )
        print(line)
        if row["Name"] == "Aggregated":
            total = row
    workers = ", ".join(
        f"pid {pid}: {(last - first) / elapsed * 100:.0f}% CPU, {sampler.rss[pid] / 2**20:.0f} MB"
        for pid, (first, last) in sorted(sampler.cpu.items())
    )
    locust_cpu = (sampler.locust_cpu[1] - sampler.locust_cpu[0]) / elapsed * 100
    print(f"  gunicorn workers: {workers}")
    rate = float(total.get("Requests/s") or 0)
    if rate:
        # CPU per request: what the goals need, whatever the machine's load (a step's
        # CPU over its whole run, by the throughput after every user started)
        per = {
            "gunicorn workers": sum(last - first for first, last in sampler.cpu.values()),
            "PostgreSQL": sampler.postgres_seconds(),
            "Locust": sampler.locust_cpu[1] - sampler.locust_cpu[0],
        }
        print(
            "  CPU per request: "
            + ", ".join(
                f"{name} {spent / elapsed / rate * 1000:.1f} ms" for name, spent in per.items()
            )
        )
    print(
        f"  machine CPU {getattr(sampler, 'machine', 0):.0f}% of {psutil.cpu_count()} cores;"
        f" Locust {locust_cpu:.0f}% of one; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    return total
