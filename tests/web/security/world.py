"""A small world of authorities, people and applications for the security tests.

Authority A (DE) has one user per role; Germany and France each have a national
coordinator; the Commission coordinates the coordinators. France has an authority with
a user, a suspended authority and a pending application; Germany has a pending
application too. Everything is made through the factories and the services.
"""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass, field

from flask import current_app

from app.accounts import memberships, registrations
from app.accounts.auth import token_hash
from app.extensions import db
from app.models import (
    AuthorityKind,
    AuthorityStatus,
    Membership,
    PasswordReset,
    Registration,
    Request,
    User,
)
from app.models.base import utcnow
from app.policy import Actor
from tests.factories import make_authority, make_user
from tests.snapshots import restored
from tests.web.security import world_public

MISSING_ID = 999999


# The principals of the matrix, in the order of its columns.
PRINCIPALS = (
    "anonymous",
    "viewer",
    "handler",
    "allocator",
    "alert_handler",
    "admin",
    "coordinator_de",
    "coordinator_fr",
    "coordinator_eu",
    "suspended",
)


@dataclass
class World:
    users: dict[str, User] = field(default_factory=dict)
    ids: dict[str, object] = field(default_factory=dict)
    # Text of objects that a refused request must not show (names of foreign objects).
    canaries: list[str] = field(default_factory=list)

    def url(self, template: str) -> str:
        return template.format(**self.ids)


def _application(country: str, name: str) -> int:
    registration = registrations.apply_for_registration(
        {
            "country": country,
            "name": name,
            "local_language": "en",
            "local_name": "",
            "street": "Street 1",
            "city": "City",
            "email": "office@example.eu",
            "competences": "Recognition of qualifications",
            "applicant_name": "Applicant Person",
            "applicant_email": f"applicant.{country.lower()}@example.eu",
        },
        "en",
    )
    return registration.id


def actor_of(user: User) -> Actor:
    """The user acting for their first authority, as a view would see them."""
    membership = db.session.query(Membership).filter_by(user_id=user.id).one()
    return Actor(user, membership)


def build_world() -> World:
    """The world, built through the services once per worker and restored for every
    later test (tests/snapshots.py): the same rows, files and mails as a new build."""
    return restored("security world", _build_world)


def _build_world() -> World:
    world = World()
    commission = make_authority("EU", name="European Commission", kind=AuthorityKind.COMMISSION)
    coordinator_de = make_authority(
        "DE", name="Coordinator Germany", kind=AuthorityKind.NATIONAL_COORDINATOR
    )
    coordinator_fr = make_authority(
        "FR", name="Coordinator France", kind=AuthorityKind.NATIONAL_COORDINATOR
    )
    authority_a = make_authority("DE", name="Authority A Berlin", parent=coordinator_de)
    authority_fr = make_authority("FR", name="Autorité de Paris", parent=coordinator_fr)
    suspended_fr = make_authority("FR", name="Autorité suspendue", status=AuthorityStatus.SUSPENDED)

    users = world.users
    for role in ("viewer", "handler", "allocator", "alert_handler", "admin"):
        users[role] = make_user(authority_a, [role])
    users["coordinator_de"] = make_user(coordinator_de, ["coordinator", "admin"])
    users["coordinator_fr"] = make_user(coordinator_fr, ["coordinator", "admin"])
    users["coordinator_eu"] = make_user(commission, ["coordinator", "admin"])
    users["suspended"] = make_user(authority_a, ["handler"])
    user_fr = make_user(authority_fr, ["admin", "handler"])

    registration_de = _application("DE", "Chamber of Crafts Berlin")
    registration_fr = _application("FR", "Chambre des métiers de Lyon")
    pending_de_authority = db.session.get(Registration, registration_de).authority_id

    invitation = memberships.invite_colleague(
        actor_of(users["admin"]), "new.colleague@example.eu", "New Colleague", ["viewer"], "en"
    )
    # The French authority invites authority A's viewer, who has an account: it joins
    # only signed in as itself.
    join_invitation = memberships.invite_colleague(
        actor_of(user_fr), users["viewer"].email, "Viewer", ["viewer"], "en"
    )
    reset_token = secrets.token_urlsafe(32)
    db.session.add(
        PasswordReset(
            token_hash=token_hash(reset_token),
            user_id=users["handler"].id,
            expires_at=utcnow() + current_app.config["PASSWORD_RESET_LIFETIME"],
        )
    )
    db.session.commit()

    ids = _requests(users, authority_a, authority_fr, user_fr)
    public_ids, public_canaries = world_public.build(authority_a, authority_fr)
    ids.update(public_ids)
    world.canaries += public_canaries
    from tests.web.security.world_repositories import add_repository_records

    repository_ids, repository_canaries = add_repository_records(
        actor_of, users, authority_a, authority_fr, user_fr, coordinator_de
    )
    ids.update(repository_ids)
    world.canaries += repository_canaries
    from tests.web.security import world_alerts

    alert_ids, alert_canaries = world_alerts.build(actor_of, users, authority_a, authority_fr)
    ids.update(alert_ids)
    world.canaries += alert_canaries
    from tests.web.security import world_notifications

    notification_ids, notification_canaries = world_notifications.build(
        actor_of, users, authority_a, authority_fr, commission
    )
    ids.update(notification_ids)
    world.canaries += notification_canaries
    # a PDF of a request prepared for authority A (in-process: no Redis in this world)
    from app.records import pdf

    exported = db.session.get(Request, ids["request_sent"])
    ids["pdf_export"] = pdf.prepare(actor_of(users["handler"]), "request", exported, "en").id
    ids["translated_copy"] = _translated_copy(
        "request", ids["request_sent"], ids["attachment_sent"]
    )
    ids["alert_translated_copy"] = _translated_copy(
        "alert", ids["alert_sent"], ids["alert_attachment_sent"]
    )
    ids["public_translated_copy"] = _translated_copy(
        "public_case", ids["public_case"], ids["public_document"]
    )

    world.canaries += [
        "Signora Foreign Rossi",
        "Autorité de Paris",
        "Autorité suspendue",
        "Chambre des métiers de Lyon",
        "Chamber of Crafts Berlin",
        user_fr.full_name,
        user_fr.email,
    ]
    world.ids.update(
        commission=commission.id,
        coordinator_de=coordinator_de.id,
        coordinator_fr=coordinator_fr.id,
        authority_a=authority_a.id,
        authority_fr=authority_fr.id,
        suspended_fr=suspended_fr.id,
        pending_de_authority=pending_de_authority,
        registration_de=registration_de,
        registration_fr=registration_fr,
        viewer_a=users["viewer"].id,
        coordinator_de_user=users["coordinator_de"].id,
        user_fr=user_fr.id,
        invitation_token=invitation.token,
        invitation_id=invitation.id,
        join_token=join_invitation.token,
        reset_token=reset_token,
        bad_token=secrets.token_urlsafe(32),
        missing=MISSING_ID,
        text_kind="request",
        **ids,
    )
    return world


def _requests(users, authority_a, authority_fr, user_fr) -> dict:
    """Requests between A (DE) and the French authority, and one between France and Italy
    that A never sees; files on two of them."""
    import io

    from app.cases import attachments, requests
    from app.models import ProcedureAccess
    from app.procedures.store import sync

    sync()
    italy = make_authority("IT", name="Autorità italiana")
    for authority in (authority_a, authority_fr, italy):
        db.session.add(
            ProcedureAccess(
                authority_id=authority.id,
                procedure_key="pq_good_standing",
                roles=["requester", "responder"],
            )
        )
    db.session.commit()
    handler_a, french = actor_of(users["handler"]), actor_of(user_fr)

    def draft(actor, responder, subject):
        return requests.save_draft(
            actor,
            requests.Draft(
                "pq_good_standing",
                responder.id,
                subject,
                f"Please confirm that {subject} may practise.",
                ["legally_established"],
                {"profession": "Doctor of medicine", "date_of_birth": "1980-01-01"},
            ),
        )

    def attach(actor, item):
        attachments.add(actor, item, "diploma.pdf", io.BytesIO(b"%PDF-1.4\n%%EOF\n"))
        db.session.commit()
        return item.attachments[0].id

    sent = draft(handler_a, authority_fr, "Dr. Ada Example")
    requests.send(handler_a, sent)
    referred = draft(handler_a, authority_fr, "Dr. Bea Example")
    requests.send(handler_a, referred)
    requests.refer(handler_a, referred, "The reply date cannot be met.")
    own_draft = draft(handler_a, authority_fr, "Dr. Cem Example")
    foreign = draft(french, italy, "Signora Foreign Rossi")
    requests.send(french, foreign)
    return {
        "request_sent": sent.id,
        "request_referred": referred.id,
        "request_draft": own_draft.id,
        "request_foreign": foreign.id,
        "attachment_sent": attach(handler_a, sent),
        "attachment_foreign": attach(french, foreign),
        "attachment_referred": attach(handler_a, referred),
    }


def _translated_copy(kind: str, case_id: int, file_id: int) -> int:
    """A machine-translated copy of a case's file, made and stored."""
    from app.cases import attachments
    from app.models import JobStatus, TranslatedFile

    stored = attachments.store("diploma (fr).txt", io.BytesIO(b"[fr] diplome"))
    copy = TranslatedFile(
        kind=kind,
        case_id=case_id,
        file_id=file_id,
        source_sha256="0" * 64,
        source_language="de",
        target_language="fr",
        status=JobStatus.DONE,
        engine="apertium",
        filename=stored.filename,
        content_type=stored.content_type,
        size=stored.size,
        sha256=stored.sha256,
        storage_name=stored.storage_name,
    )
    db.session.add(copy)
    db.session.commit()
    return copy.id


def suspend(world: World, name: str) -> None:
    """The German coordinator suspends a user's account through the service (sessions
    end)."""
    coordinator = actor_of(world.users["coordinator_de"])
    memberships.set_account_suspended(coordinator, world.users[name], True)
