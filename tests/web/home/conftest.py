"""What waits for Paris: a French authority that answers requests, sends its own, gets
alerts and public cases; its coordinator; and Rome, another authority in each of the
same situations, whose cases Paris must never count.

Cases are written as rows in the state each test needs (the flows that lead there are
tested in tests/web/requests, alerts and public); one test takes the real flow."""

from __future__ import annotations

import itertools
import secrets
from dataclasses import dataclass
from datetime import timedelta

import pytest

from app.extensions import db
from app.models import (
    Alert,
    AlertDissemination,
    AlertRecipient,
    AlertState,
    Authority,
    AuthorityKind,
    AuthorityStatus,
    PublicCase,
    PublicCaseState,
    Registration,
    Request,
    RequestState,
    User,
)
from app.models.base import utcnow
from app.procedures.store import sync
from tests.factories import make_authority, make_user

REQUEST_PROCEDURE = "pq_good_standing"
ALERT_PROCEDURE = "pq_alert"
PUBLIC_PROCEDURE = "solvit_complaint"
_serial = itertools.count(1)


@dataclass
class World:
    paris: Authority
    rome: Authority
    berlin: Authority
    coordinator_fr: Authority
    coordinator_it: Authority
    users: dict[str, User]


@pytest.fixture
def world(app) -> World:
    sync()
    national = AuthorityKind.NATIONAL_COORDINATOR
    coordinator_fr, coordinator_it = (
        make_authority(c, name=f"Coordinator {c}", kind=national) for c in ("FR", "IT")
    )
    paris = make_authority("FR", name="Ordre des médecins", parent=coordinator_fr)
    rome = make_authority("IT", name="Ministero della Salute", parent=coordinator_it)
    berlin = make_authority("DE", name="Landesamt Berlin")
    users = {
        "allocator": make_user(paris, ["allocator"]),
        "handler": make_user(paris, ["handler", "alert_handler"]),
        "viewer": make_user(paris, ["viewer"]),
        "admin": make_user(paris, ["admin"]),
        "coordinator_fr": make_user(coordinator_fr, ["coordinator"]),
        "berlin": make_user(berlin, ["handler"]),
        "rome": make_user(rome, ["handler"]),
    }
    return World(paris, rome, berlin, coordinator_fr, coordinator_it, users)


def today():
    return utcnow().date()


def saved(row):
    """The row, written (as a flow would have left it)."""
    db.session.add(row)
    db.session.commit()
    return row


def _author() -> int:
    return db.session.query(User.id).order_by(User.id).limit(1).scalar()


def request_row(requester: Authority, responder: Authority, state: RequestState, **fields):
    """A request from `requester` to `responder`, in `state`, due in 20 days (`due_in`)."""
    due = today() + timedelta(days=fields.pop("due_in", 20))
    return saved(
        Request(
            procedure_key=REQUEST_PROCEDURE, pack_version=1, state=state,
            requester_authority_id=requester.id, requester_user_id=_author(),
            responder_authority_id=responder.id, requester_country=requester.country,
            responder_country=responder.country, subject="Dr. Marie Dupont",
            sent_at=utcnow(), reply_due=due, **fields,
        )
    )  # fmt: skip


def alert_row(sender: Authority, state: AlertState, **fields) -> Alert:
    return saved(
        Alert(
            procedure_key=ALERT_PROCEDURE, pack_version=1, state=state,
            sender_authority_id=sender.id, sender_user_id=_author(),
            sender_country=sender.country, sent_at=utcnow(), **fields,
        )
    )  # fmt: skip


def routed(item: Alert, coordinator: Authority, **fields) -> AlertRecipient:
    """The alert broadcast to the coordinator's country."""
    return saved(
        AlertRecipient(
            alert_id=item.id, country=coordinator.country,
            coordinator_authority_id=coordinator.id, **fields,
        )
    )  # fmt: skip


def disseminated(recipient: AlertRecipient, authority: Authority, **fields):
    return saved(
        AlertDissemination(
            recipient_id=recipient.id, alert_id=recipient.alert_id,
            authority_id=authority.id, **fields,
        )
    )  # fmt: skip


def public_row(authority: Authority, state: PublicCaseState) -> PublicCase:
    return saved(
        PublicCase(
            reference=f"PUB-HOME{next(_serial):06d}", procedure_key=PUBLIC_PROCEDURE,
            pack_version=1, country=authority.country, authority_id=authority.id,
            state=state, submitter_name="Jan Kowalski", submitter_email="jan@example.org",
            token_hash=secrets.token_hex(32), submitted_at=utcnow(),
        )
    )  # fmt: skip


def registration_row(country: str, name: str) -> Registration:
    authority = make_authority(country, name=name, status=AuthorityStatus.PENDING)
    return saved(
        Registration(
            authority_id=authority.id, applicant_name="Applicant", applicant_email="a@example.eu"
        )
    )
