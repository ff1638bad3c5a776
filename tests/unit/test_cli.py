"""The demo data commands: `seed-demo` is idempotent and covers every role in at least
eight countries; `demo-accounts --json` lists accounts that really sign in."""

from __future__ import annotations

import html
import json
from types import SimpleNamespace

import pyotp
from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    Authority,
    AuthorityKind,
    Membership,
    Procedure,
    ProcedureAccess,
    Registration,
    Request,
    RequestState,
    User,
)
from tests.factories import post_form
from tests.snapshots import restored

KEYS = {"email", "password", "totp_secret", "authority", "country", "roles", "instance"}
ROLES = {"admin", "allocator", "handler", "alert_handler", "viewer", "coordinator"}


def _invoke(app, *args):
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result


def seed_demo(app):
    """`seed-demo --instance production` on fresh tables: the command runs once per
    worker, later tests get what it made restored (tests/snapshots.py)."""
    output = restored(
        "demo data of production",
        lambda: _invoke(app, "seed-demo", "--instance", "production").output,
    )
    return SimpleNamespace(exit_code=0, output=output)


def _counts() -> dict[str, int]:
    db.session.expire_all()
    models = (Authority, User, Membership, Procedure, ProcedureAccess, Registration, Request)
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in models
    }


def test_seed_demo_is_idempotent(app):
    first = seed_demo(app)
    after_first = _counts()
    second = _invoke(app, "seed-demo", "--instance", "production")

    assert _counts() == after_first
    assert first.output == second.output
    assert "production:" in first.output and "training" not in first.output
    assert after_first["User"] > 0 and after_first["Registration"] >= 1


def test_seed_demo_covers_eight_countries_and_every_role(app):
    seed_demo(app)

    countries = set(
        db.session.scalars(
            select(Authority.country).where(Authority.kind != AuthorityKind.COMMISSION)
        )
    )
    roles = {role for m in db.session.scalars(select(Membership)) for role in m.roles}
    kinds = set(db.session.scalars(select(Authority.kind)))

    assert len(countries) >= 8, countries
    assert roles >= ROLES
    assert {AuthorityKind.COMMISSION, AuthorityKind.NATIONAL_COORDINATOR} <= kinds


def test_seed_demo_has_requests_in_every_state_across_six_countries(app):
    seed_demo(app)

    requests = list(db.session.scalars(select(Request)))
    states = {r.state for r in requests}
    countries = {r.requester_authority.country for r in requests} | {
        r.responder_authority.country for r in requests
    }
    assert states == set(RequestState), states
    assert len(countries) >= 6, countries
    assert any(r.referral_open for r in requests)
    assert any(r.parent_id for r in requests)  # a split
    assert any(e.kind == "forwarded" for r in requests for e in r.events)
    # demo data is not announced by mail
    from app.models import OutboxMessage

    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_requests_remind_sends_what_is_due_once(app, smtp_server):
    seed_demo(app)
    overdue = [r for r in db.session.scalars(select(Request)) if r.reminders_sent == []]
    first = _invoke(app, "requests", "remind", "--instance", "production")
    again = _invoke(app, "requests", "remind", "--instance", "production")
    assert "production: 0 reminders sent" in again.output
    sent = int(first.output.split("production: ")[1].split()[0])
    assert sent >= 1 and overdue
    bad = app.test_cli_runner().invoke(args=["requests", "remind", "--as-of", "31/12/2026"])
    assert bad.exit_code == 2 and "ISO date" in bad.output


def test_seed_demo_leaves_the_other_instance_alone(app, training_app):
    seed_demo(app)
    with training_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0


def _demo_accounts(app) -> list[dict]:
    output = _invoke(app, "demo-accounts", "--json", "--instance", "production").output
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_demo_accounts_prints_one_json_object_per_line(app):
    seed_demo(app)

    accounts = _demo_accounts(app)

    assert len(accounts) == _counts()["Membership"]
    for account in accounts:
        assert set(account) == KEYS
        assert account["instance"] == "production"
        assert isinstance(account["roles"], list) and account["roles"]
        assert pyotp.TOTP(account["totp_secret"]).now().isdigit()
    assert {role for a in accounts for role in a["roles"]} >= ROLES
    assert len({a["email"] for a in accounts}) == len(accounts)


def test_a_demo_account_signs_in_through_the_web(app, client):
    seed_demo(app)
    account = next(a for a in _demo_accounts(app) if "coordinator" in a["roles"])

    step_one = post_form(
        client, "/sign-in", {"email": account["email"], "password": account["password"]}
    )
    assert step_one.headers["Location"] == "/sign-in/code"
    code = pyotp.TOTP(account["totp_secret"]).now()
    step_two = post_form(client, "/sign-in/code", {"code": code})

    assert step_two.status_code == 302
    assert client.get("/coordination/").status_code == 200
    # the home page names the authority officially, in the reader's language when it has
    # a name there, else in its own language (the demo's English name is the fallback)
    home = client.get("/").get_data(True)
    user = db.session.scalar(select(User).where(User.email == account["email"]))
    authority = db.session.scalar(select(Authority).where(Authority.name == account["authority"]))
    assert html.escape(authority.official_name(user.language)[1]) in home
