"""Inbox speed and weight at scale, against the budgets of DESIGN.md section 4.

    python bench/inbox.py [--requests 1000000] [--authorities 50000] [--runs 200]

Needs PostgreSQL (BENCH_DATABASE_URL, default postgresql+psycopg://postgres@127.0.0.1:5432;
a database `openimi_bench` is created there, filled once and reused while its size
matches). It inserts the authorities and requests with generate_series in the database
(minutes, once), then signs in an officer of a busy authority (about 20,000 received and
5,000 sent requests) through the Flask test client and times, over --runs requests each:

- the inbox page (received box, whole page), the htmx partial of the inbox, a filtered
  partial (state + country) and the second page (keyset cursor);

It prints p50/p95 in milliseconds (server time in-process: routing, queries, rendering)
and the gzip-compressed bytes of each, with OK/OVER against the budgets (p95 <= 50 ms,
partial <= 3 KB, later page <= 8 KB). It never fails (it is not a test).
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KB = 1024
BUDGET_MS = 50
BUDGET_PARTIAL = 3 * KB
BUDGET_LATER = 8 * KB
PASSWORD = "bench harbour lantern violet"
BUSY_RECEIVED = 20_000
BUSY_SENT = 5_000


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def database_url(base: str, name: str) -> str:
    return f"{base.rstrip('/')}/{name}"


def ensure_database(base: str, name: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url(base, "postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        exists = connection.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
        )
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()


FILL = """
SELECT setseed(0.42);

INSERT INTO authority (kind, status, country, name, local_names, street, postcode, city, email,
    phone, website, competences, search_text, coordinated_procedures, created_at)
SELECT 'authority', 'active', (ARRAY['AT','BE','BG','HR','CY','CZ','DK','EE','FI','FR','DE','GR',
    'HU','IE','IT','LV','LT','LU','MT','NL','PL','PT','RO','SK','SI','ES','SE','IS','LI','NO'])[1 + g % 30],
    'Bench authority ' || g, '{}', '', '', 'City ' || (g % 500), '', '', '', '', 'bench authority ' || g,
    '[]', now()
FROM generate_series(1, :authorities) AS g;

INSERT INTO request (procedure_key, pack_version, state, requester_authority_id,
    requester_country, requester_user_id, responder_authority_id, responder_country, subject,
    details, message, language, created_at, updated_at, sent_at, reply_due, due_basis,
    reminders_sent, requester_unread, responder_unread, referral_open)
SELECT (ARRAY['pq_good_standing','pq_diploma_authenticity','services_establishment',
        'posting_genuine_establishment','healthcare_right_to_practise'])[1 + floor(random() * 5)::int],
    1,
    (ARRAY['sent','accepted','info_requested','answered','closed','closed','closed','withdrawn'])[1 + floor(random() * 8)::int],
    asker, (SELECT country FROM authority WHERE id = asker), :user_id,
    answerer, (SELECT country FROM authority WHERE id = answerer),
    'Subject ' || g, '{}', '', 'en', sent, sent + random() * interval '60 days', sent,
    (sent + interval '28 days')::date, '{}', '[]', random() < 0.3, random() < 0.2, false
FROM (SELECT g, now() - random() * interval '900 days' AS sent,
             1 + floor(random() * :authorities)::int AS asker,
             1 + floor(random() * :authorities)::int AS answerer
      FROM generate_series(1, :requests) AS g) AS generated;
"""

BUSY = """
UPDATE request SET responder_authority_id = :busy, responder_country = 'DE'
WHERE id IN (SELECT id FROM request ORDER BY random() LIMIT :received);
UPDATE request SET requester_authority_id = :busy, requester_country = 'DE'
WHERE id IN (SELECT id FROM request WHERE responder_authority_id <> :busy ORDER BY random() LIMIT :sent);
"""


def fill(
    app,
    authorities: int,
    requests: int,
    refill: bool = False,
    received: int = BUSY_RECEIVED,
    sent: int = BUSY_SENT,
) -> int:
    """Fill the bench database once; the busy authority's id (it has `received` requests
    received and `sent` sent)."""
    from sqlalchemy import func, select, text

    from app.extensions import db
    from app.models import Authority, Request
    from app.procedures.store import sync

    with app.app_context():
        have = db.session.scalar(select(func.count(Request.id)))
        have_authorities = db.session.scalar(select(func.count(Authority.id)))
        if have == requests and have_authorities == authorities + 1 and not refill:
            print(f"reusing {have:,} requests already in the bench database")
            return db.session.scalar(
                select(Authority.id).where(Authority.name == "Busy bench authority")
            )
        db.session.execute(
            text(
                "TRUNCATE request, request_question, request_event, attachment, "
                'membership, authority, "user" RESTART IDENTITY CASCADE'
            )
        )
        db.session.commit()
        sync()
        started = time.perf_counter()
        params = {"authorities": authorities, "requests": requests, "user_id": 1}
        # a placeholder user that sends the generated requests
        from app.models import User

        db.session.add(
            User(
                email="sender@bench.example.eu",
                full_name="Sender",
                password_hash="x",
                totp_secret="A" * 32,
                totp_enrolled=True,
            )
        )
        db.session.commit()
        for statement in FILL.split(";\n"):
            if statement.strip():
                db.session.execute(text(statement), params)
        busy = Authority(
            country="DE", name="Busy bench authority", status="active", kind="authority"
        )
        db.session.add(busy)
        db.session.flush()
        for statement in BUSY.split(";\n"):
            if statement.strip():
                db.session.execute(
                    text(statement),
                    {
                        "busy": busy.id,
                        "requests": requests,
                        "received": received,
                        "sent": sent,
                    },
                )
        db.session.commit()
        # what autovacuum does in production: statistics, and the visibility map that lets
        # the counters be answered from the indexes
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
        print(
            f"filled {authorities:,} authorities and {requests:,} requests in "
            f"{time.perf_counter() - started:.0f} s"
        )
        return busy.id


def officer(app, busy_id: int):
    import pyotp
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Authority, Membership, User
    from app.models.accounts import UserStatus

    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "officer@bench.example.eu"))
        if user is None:
            from app.accounts import credentials

            user = User(
                email="officer@bench.example.eu",
                full_name="Bench Officer",
                language="en",
                status=UserStatus.ACTIVE,
                password_hash=credentials.hash_password(PASSWORD),
                totp_secret=pyotp.random_base32(),
                totp_enrolled=True,
            )
            db.session.add(user)
            db.session.flush()
            db.session.add(
                Membership(user_id=user.id, authority_id=busy_id, roles=["handler", "allocator"])
            )
        user.status = UserStatus.ACTIVE
        # a fresh second factor each run: a code is never accepted twice
        user.totp_secret, user.totp_last_step = pyotp.random_base32(), 0
        db.session.commit()
        assert db.session.get(Authority, busy_id) is not None
        return user.email, user.totp_secret


def csrf_token(body: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', body).group(1)


def sign_in(client, email: str, secret: str) -> None:
    import pyotp

    page = client.get("/sign-in").get_data(True)
    response = client.post(
        "/sign-in", data={"csrf_token": csrf_token(page), "email": email, "password": PASSWORD}
    )
    if response.status_code != 302:
        message = re.findall(r"error-message[^>]*>(.*?)</p>", response.get_data(True))
        raise SystemExit(f"bench: password step failed: {message}")
    page = client.get("/sign-in/code").get_data(True)
    response = client.post(
        "/sign-in/code", data={"csrf_token": csrf_token(page), "code": pyotp.TOTP(secret).now()}
    )
    if response.status_code != 302:
        raise SystemExit("bench: sign-in failed")


def time_url(client, url: str, runs: int, **headers) -> tuple[float, float, int, int]:
    timings = []
    body = b""
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url, headers=headers)
        body = response.get_data()
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"bench: {url} answered {response.status_code}")
    timings.sort()
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    rows = body.decode().count("<tr") - 1
    return statistics.median(timings), p95, gz(body), rows


def bench_base() -> str:
    return os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432")


def bench_app(folder: str, name: str = "openimi_bench", redis_url: str | None = None):
    """The app on the bench database `name` (created if missing, migrated), in-process;
    with Redis at `redis_url` (under a key prefix of its own) if given."""
    base = bench_base()
    ensure_database(base, name)
    os.environ.update(
        OPENIMI_INSTANCE_DIR=folder,
        OPENIMI_ENV="development",
        DATABASE_URL=database_url(base, name),
    )
    for variable in ("REDIS_URL", "MAIL_SERVER", "TRAINING_DATABASE_URL"):
        os.environ.pop(variable, None)
    if redis_url:
        os.environ.update(REDIS_URL=redis_url, REDIS_PREFIX=f"{name}-bench")

    from app import create_app
    from app.migrate import upgrade

    app = create_app("production")
    upgrade(app)
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--authorities", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--refill", action="store_true", help="Fill the database again.")
    args = parser.parse_args()
    app = bench_app(tempfile.mkdtemp(prefix="openimi-bench-inbox-"))
    busy_id = fill(app, args.authorities, args.requests, args.refill)
    email, secret = officer(app, busy_id)
    client = app.test_client()
    sign_in(client, email, secret)

    first = client.get("/requests?box=received").get_data(True)
    if "after=" not in first:
        raise SystemExit("bench: no next page in the inbox: " + first[-3000:])
    cursor = re.search(r"after=([^&\"]+)", first).group(1)
    cases = [
        ("inbox page, received", "/requests?box=received", {}, BUDGET_LATER),
        (
            "inbox partial, received",
            "/requests?box=received",
            {"HX-Request": "true"},
            BUDGET_PARTIAL,
        ),
        (
            "partial, state+country filter",
            "/requests?box=received&state=closed&country=FR",
            {"HX-Request": "true"},
            BUDGET_PARTIAL,
        ),
        (
            "partial, page 2 (keyset)",
            f"/requests?box=received&after={cursor}",
            {"HX-Request": "true"},
            BUDGET_PARTIAL,
        ),
        (
            "partial, sent, by reply date",
            "/requests?box=sent&sort=due",
            {"HX-Request": "true"},
            BUDGET_PARTIAL,
        ),
    ]
    print()
    print(
        f"OpenIMI inbox on PostgreSQL: {args.requests:,} requests, {args.authorities:,} "
        f"authorities; the officer's authority has ~{BUSY_RECEIVED:,} received and "
        f"~{BUSY_SENT:,} sent; {args.runs} runs each, in-process server time"
    )
    header = f"  {'what':<32} {'rows':>4} {'p50 ms':>8} {'p95 ms':>8} {'gzip':>9} {'budget':>16}  verdict"
    print(header)
    print("  " + "-" * (len(header) - 2))
    for label, url, headers, size_budget in cases:
        p50, p95, size, rows = time_url(client, url, args.runs, **headers)
        ok = p95 <= BUDGET_MS and size <= size_budget
        print(
            f"  {label:<32} {rows:>4} {p50:8.1f} {p95:8.1f} {size / KB:7.1f} KB "
            f"{BUDGET_MS:>4} ms/{size_budget / KB:.0f} KB  {'OK' if ok else 'OVER'}"
        )


if __name__ == "__main__":
    main()
