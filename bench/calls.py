"""What each page of the officer mix costs in-process, in deterministic counts.

    python bench/calls.py [--runs 20] [--requests 4000] [--authorities 400] [--members 200]
                          [--callgrind] [--pages inbox,case,...] [--encoding "gzip, deflate, br"]

Wall-clock and even CPU time are noisy on a shared machine; counts are not. It fills a
PostgreSQL database of its own (`openimi_calls`, BENCH_DATABASE_URL as bench/inbox.py;
filled once with bench/inbox.py's fill and reused): --requests requests, --authorities
authorities, a busy authority that received most of them and sent a tenth, with
--members officers. It signs in one of them (handler and allocator) through the Flask
test client, warms every page up, then prints per request of each page of the officer
mix (bench/locustfile.py):

Every request says `Accept-Encoding: gzip, deflate, br`, as Locust's FastHttpUser does in
the load run (--encoding '' for none): the page's compression is part of its cost.

With Redis (BENCH_REDIS_URL, default redis://127.0.0.1:6379/0, prefix openimi_calls-bench)
as in production, where the inboxes' counts are kept.

- Python function calls (cProfile's total, C functions included);
- SQL statements;
- process CPU time (the fastest of 5 rounds; for information only: it is noisy);
- with --callgrind, instructions (valgrind's callgrind, counted only around the request
  loop of each page; repeatable whatever else the machine does). The process then runs
  under valgrind, about 50 times slower.

and the mix total, weighted as the Locust officer (the assign's page stands for the
assign; the PDF, 1%, is left out: WeasyPrint's time is not the web app's). "signed-in
nothing" is a route added here that only passes the permission check: what every
signed-in request costs before its own work; "empty page" shows the page shell with
nothing in it. It never fails (it is not a test).
"""

from __future__ import annotations

import argparse
import cProfile
import ctypes
import gc
import itertools
import logging
import os
import pstats
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.inbox import bench_app, fill, officer, sign_in  # noqa: E402

DATABASE = "openimi_calls"
# Each page: its weight in the officer mix (bench/locustfile.py), its URLs (the loop takes
# them in turn, so each round costs the same), and its headers.
PARTIALS = [
    "/requests?box=received&state=sent",
    "/requests?box=received&state=closed&country=FR",
    "/requests?box=received&sort=due",
    "/requests?box=sent",
    "/requests?box=received&country=PL",
]
DIRECTORY_WORDS = ["31", "42", "123", "27", "77"]
SEARCH_WORDS = ["subject", "subject 12", "closed", "4242", "diploma"]
TRIVIAL = "/bench/signed-in"
SHELL = "/bench/shell"


def pages(cases: list[int], assignable: list[int]) -> list[tuple[str, int, list[str], dict]]:
    hx = {"HX-Request": "true"}
    return [
        ("inbox", 20, ["/requests?box=received"], {}),
        ("inbox partial", 20, PARTIALS, hx),
        ("case page", 30, [f"/requests/{c}" for c in cases], {}),
        ("alert inbox", 8, ["/alerts"], {}),
        ("directory", 8, [f"/directory?q={w}" for w in DIRECTORY_WORDS], {}),
        ("case search", 8, [f"/search?q={w}" for w in SEARCH_WORDS], {}),
        ("assign page", 4, [f"/requests/{c}/assign" for c in assignable], {}),
        ("signed-in nothing", 0, [TRIVIAL], {}),
        ("empty page", 0, [SHELL], {}),
    ]


# --- the world -------------------------------------------------------------------------


def members(app, busy: int, count: int) -> None:
    """The busy authority has `count` active officers (handlers)."""
    from sqlalchemy import func, select

    from app.extensions import db
    from app.models import Membership, User
    from app.models.accounts import UserStatus

    with app.app_context():
        have = db.session.scalar(
            select(func.count(Membership.id)).where(Membership.authority_id == busy)
        )
        users = [
            User(
                email=f"member{n}@calls.bench.example.eu",
                full_name=f"Member {n}",
                language="en",
                status=UserStatus.ACTIVE,
                password_hash="x",
            )
            for n in range(have, count)
        ]
        db.session.add_all(users)
        db.session.flush()
        db.session.add_all(
            Membership(user_id=u.id, authority_id=busy, roles=["handler"]) for u in users
        )
        db.session.commit()


def cases_of(app, busy: int) -> tuple[list[int], list[int]]:
    """Ten cases of the busy authority (received and sent), and five it may assign."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Request
    from app.models.requests import PENDING_REPLY

    with app.app_context():
        received = db.session.scalars(
            select(Request.id).where(Request.responder_authority_id == busy).order_by(Request.id)
        ).all()
        sent = db.session.scalars(
            select(Request.id).where(Request.requester_authority_id == busy).order_by(Request.id)
        ).all()
        pending = db.session.scalars(
            select(Request.id)
            .where(Request.responder_authority_id == busy, Request.state.in_(PENDING_REPLY))
            .order_by(Request.id)
        ).all()
    return received[::97][:7] + sent[::31][:3], pending[::53][:5]


def add_trivial_routes(app) -> None:
    """A route that only passes the permission check, and one that shows an empty page
    (the page shell: header, navigation, language menu, footer)."""
    from flask import render_template

    from app.blueprints.access import permission
    from app.policy import SIGNED_IN

    @permission(SIGNED_IN)
    def signed_in_nothing():
        return "ok"

    @permission(SIGNED_IN)
    def empty_page():
        return render_template("layouts/page.html", heading="Bench")

    app.add_url_rule(TRIVIAL, "bench_signed_in", signed_in_nothing)
    app.add_url_rule(SHELL, "bench_shell", empty_page)


# --- the counts ------------------------------------------------------------------------


class Callgrind:
    """valgrind's client requests, from a small library built here (gcc and valgrind's
    headers): instrumentation on around each page's loop only, one dump per page."""

    SOURCE = r"""
    #include <valgrind/callgrind.h>
    void bench_start(void) { CALLGRIND_START_INSTRUMENTATION; CALLGRIND_ZERO_STATS; }
    void bench_stop(const char *name) {
        CALLGRIND_DUMP_STATS_AT(name); CALLGRIND_STOP_INSTRUMENTATION; }
    """

    def __init__(self, folder: Path):
        source, library = folder / "cg.c", folder / "cg.so"
        source.write_text(self.SOURCE)
        subprocess.run(["gcc", "-O1", "-shared", "-fPIC", "-o", library, source], check=True)
        self.library = ctypes.CDLL(str(library))

    def start(self) -> None:
        self.library.bench_start()

    def stop(self, name: str) -> None:
        self.library.bench_stop(name.encode())


def instructions(folder: Path) -> dict[str, int]:
    """Instructions per dump, by the name given to bench_stop."""
    found = {}
    for path in folder.glob("callgrind.out*"):
        text = path.read_text(errors="replace")
        trigger = re.search(r"^desc: Trigger: Client Request: (.+)$", text, re.M)
        total = re.search(r"^(?:summary|totals): (\d+)", text, re.M)
        if trigger and total:
            found[trigger.group(1).strip()] = int(total.group(1))
    return found


def measure(app, client, name, urls, headers, runs, callgrind=None, profile=0) -> dict:
    from sqlalchemy import event

    from app.extensions import db

    loop = [urls[i % len(urls)] for i in range(runs)]

    def run() -> None:
        for url in loop:
            response = client.get(url, headers=headers)
            if response.status_code != 200:
                raise SystemExit(f"bench: {url} answered {response.status_code}")

    for _ in range(2):  # warm: templates compiled, statement caches, the session's row
        for url in urls:
            client.get(url, headers=headers)
    # Everything alive now is left out of the collector's full passes: one falling in a
    # page's loop would add the whole heap's walk to that page alone.
    gc.collect()
    gc.freeze()
    if callgrind is not None:
        callgrind.start()
        run()
        callgrind.stop(name)
        return {}
    seen = []

    def note(*_args) -> None:
        seen.append(1)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", note)
    profiler = cProfile.Profile()
    profiler.enable()
    run()
    profiler.disable()
    calls = pstats.Stats(profiler).total_calls
    if profile:
        # Its clock counts the profiler's events (about two per call): "time" is then
        # calls, of the function's own and in all, and as repeatable as the counts.
        counting = cProfile.Profile(itertools.count().__next__, 1e-6)
        counting.enable()
        run()
        counting.disable()
        stats = pstats.Stats(counting)
        print(f"\n--- {name}: profiler events (ms = 1,000 events), own and in all")
        stats.sort_stats("tottime").print_stats(profile)
        stats.sort_stats("cumulative").print_stats(profile)
    cpu = []
    for _ in range(5):
        started = time.process_time()
        run()
        cpu.append(time.process_time() - started)
    return {
        "calls": calls / runs,
        "statements": len(seen) / runs,
        "cpu_ms": min(cpu) / runs * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="Requests per page and round.")
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--authorities", type=int, default=400)
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--callgrind", action="store_true", help="Count instructions too.")
    parser.add_argument("--pages", default="", help="Only these pages (comma-separated).")
    parser.add_argument(
        "--profile", type=int, default=0, help="Print this many functions of each profile."
    )
    parser.add_argument(
        "--encoding",
        default="gzip, deflate, br",
        help="Accept-Encoding of every request ('' for none).",
    )
    parser.add_argument("--inside", help=argparse.SUPPRESS)  # the run under valgrind
    args = parser.parse_args()
    if args.callgrind and not args.inside:
        counted = counts(args)
        folder = Path(tempfile.mkdtemp(prefix="openimi-callgrind-"))
        command = [
            "valgrind",
            "--tool=callgrind",
            "--instr-atstart=no",
            f"--callgrind-out-file={folder}/callgrind.out.%p",
            sys.executable,
            __file__,
            *sys.argv[1:],
            "--inside",
            str(folder),
        ]
        run = subprocess.run(command, stderr=subprocess.PIPE, text=True)
        if run.returncode:
            raise SystemExit(f"bench: the run under valgrind failed:\n{run.stderr[-3000:]}")
        found = instructions(folder)
        for name, figures in counted.items():
            if name in found:
                figures["instructions"] = found[name] / args.runs
        report(counted, args)
        return
    counted = counts(args)
    if not args.inside:
        report(counted, args)


def counts(args) -> dict[str, dict]:
    folder = tempfile.mkdtemp(prefix="openimi-bench-calls-")
    # Redis as in production: the inbox's counts are kept there (app/cases/counters.py)
    app = bench_app(folder, DATABASE, os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"))
    busy = fill(
        app,
        args.authorities,
        args.requests,
        received=args.requests * 8 // 10,
        sent=args.requests // 10,
    )
    email, secret = officer(app, busy)
    members(app, busy, args.members)
    cases, assignable = cases_of(app, busy)
    add_trivial_routes(app)
    for handler in logging.getLogger().handlers:  # the lines are written, to nowhere
        handler.setStream(open(os.devnull, "w"))  # noqa: SIM115
    client = app.test_client()
    sign_in(client, email, secret)
    callgrind = Callgrind(Path(args.inside)) if args.inside else None
    only = set(filter(None, args.pages.split(",")))
    figures = {}
    for name, weight, urls, headers in pages(cases, assignable):
        if only and name not in only:
            continue
        if args.encoding:
            headers = {"Accept-Encoding": args.encoding, **headers}
        figures[name] = {"weight": weight} | measure(
            app, client, name, urls, headers, args.runs, callgrind, args.profile
        )
    return figures


def report(figures: dict[str, dict], args) -> None:
    instructions = any("instructions" in f for f in figures.values())
    print()
    print(
        f"OpenIMI per request, in-process (PostgreSQL: {args.requests:,} requests, "
        f"{args.members} officers in the busy authority; {args.runs} requests per page)"
    )
    header = f"  {'page':<18} {'weight':>6} {'calls':>8} {'SQL':>5} {'CPU ms':>7}"
    if instructions:
        header += f" {'instructions':>13}"
    print(header)
    print("  " + "-" * (len(header) - 2))
    mix = {"calls": 0.0, "statements": 0.0, "cpu_ms": 0.0, "instructions": 0.0}
    weights = sum(f["weight"] for f in figures.values())
    for name, f in figures.items():
        line = f"  {name:<18} {f['weight']:>6} {f['calls']:8.0f} {f['statements']:5.1f} {f['cpu_ms']:7.2f}"
        if instructions:
            line += f" {f.get('instructions', 0):13,.0f}"
        print(line)
        for key in mix:
            mix[key] += f["weight"] * f.get(key, 0) / (weights or 1)
    line = f"  {'mix (weighted)':<18} {weights:>6} {mix['calls']:8.0f} {mix['statements']:5.1f} {mix['cpu_ms']:7.2f}"
    if instructions:
        line += f" {mix['instructions']:13,.0f}"
    print(line)


if __name__ == "__main__":
    main()
