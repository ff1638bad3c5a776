"""Registration of authorities: the public application and the coordinator's decision."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import directory
from app.accounts.memberships import _invite
from app.directory.governance import GovernanceError
from app.extensions import db
from app.mail import queue_mail
from app.models import (
    Authority,
    AuthorityKind,
    AuthorityStatus,
    Invitation,
    Membership,
    Registration,
    RegistrationStatus,
    User,
)
from app.models.accounts import UserStatus
from app.models.base import utcnow
from app.policy import Actor, governs, manages_access
from app.records import audit
from app.text import fold


def duplicate_authority(country: str, name: str) -> Authority | None:
    """An authority of the same country whose name folds to the same text."""
    folded = fold(name)
    for candidate in db.session.scalars(
        select(Authority).where(
            Authority.country == country, Authority.status != AuthorityStatus.REJECTED
        )
    ):
        if fold(candidate.name) == folded or folded in map(fold, candidate.local_names.values()):
            return candidate
    return None


def coordinators_of(authority: Authority) -> list[User]:
    """Active users who may decide the authority's application: those holding the
    coordinator role in a coordinator authority that governs it (their colleagues
    without the role, and delegated coordinators of some procedures only, do not)."""
    memberships = db.session.scalars(
        select(Membership)
        .join(User)
        .join(Authority)
        .where(
            Authority.country == authority.country,
            Authority.kind.in_(
                [AuthorityKind.NATIONAL_COORDINATOR, AuthorityKind.DELEGATED_COORDINATOR]
            ),
            Authority.status == AuthorityStatus.ACTIVE,
            User.status == UserStatus.ACTIVE,
        )
    )
    users = {
        m.user.id: m.user
        for m in memberships
        if m.is_active and "coordinator" in m.roles and governs(Actor(m.user, m), authority)
    }
    return list(users.values())


def apply_for_registration(data: dict, language: str) -> Registration:
    """A public application: a pending authority, then mail to applicant and coordinators."""
    authority = Authority(
        kind=AuthorityKind.AUTHORITY,
        status=AuthorityStatus.PENDING,
        country=data["country"],
        name=data["name"].strip(),
        local_names={data["local_language"]: data["local_name"].strip()}
        if data.get("local_name")
        else {},
        street=data.get("street", ""),
        postcode=data.get("postcode", ""),
        city=data.get("city", ""),
        email=data.get("email", ""),
        phone=data.get("phone", ""),
        website=data.get("website", ""),
        competences=data.get("competences", ""),
    )
    directory.index_text(authority)
    db.session.add(authority)
    db.session.flush()
    registration = Registration(
        authority_id=authority.id,
        applicant_name=data["applicant_name"].strip(),
        applicant_email=data["applicant_email"].strip().lower(),
        message=data.get("message", ""),
        language=language,
    )
    db.session.add(registration)
    db.session.flush()
    queue_mail(
        registration.applicant_email, "registration_received", language, registration=registration
    )
    for coordinator in coordinators_of(authority):
        queue_mail(
            coordinator.email, "registration_new", coordinator.language, registration=registration
        )
    audit.record(
        "registration.applied",
        authority_id=authority.id,
        object_type="registration",
        object_id=registration.id,
    )
    db.session.commit()
    return registration


def pending_registrations(actor: Actor) -> list[Registration]:
    rows = db.session.scalars(
        select(Registration)
        .where(Registration.status == RegistrationStatus.PENDING)
        .order_by(Registration.created_at)
        .options(selectinload(Registration.authority).selectinload(Authority.access))
    )
    return [r for r in rows if manages_access(actor, r.authority)]


def approve_registration(actor: Actor, registration: Registration) -> Invitation:
    """The coordinator approves: the authority becomes active and its applicant is
    invited as its first local administrator (an applicant who already has an account
    is invited to join it signed in: anyone may type any address into the public form)."""
    if registration.status != RegistrationStatus.PENDING:
        raise GovernanceError("decided")
    registration.status = RegistrationStatus.APPROVED
    registration.decided_at = utcnow()
    registration.decided_by_id = actor.user.id
    registration.authority.status = AuthorityStatus.ACTIVE
    result = _invite(
        actor,
        registration.authority,
        registration.applicant_email,
        registration.applicant_name,
        ["admin"],
        registration.language,
        template="registration_approved",
    )
    audit.by_actor(
        actor,
        "registration.approved",
        "registration",
        registration.id,
    )
    db.session.commit()
    return result


def reject_registration(actor: Actor, registration: Registration, reason: str) -> None:
    if registration.status != RegistrationStatus.PENDING:
        raise GovernanceError("decided")
    registration.status = RegistrationStatus.REJECTED
    registration.reason = reason
    registration.decided_at = utcnow()
    registration.decided_by_id = actor.user.id
    registration.authority.status = AuthorityStatus.REJECTED
    queue_mail(
        registration.applicant_email,
        "registration_rejected",
        registration.language,
        registration=registration,
    )
    audit.by_actor(
        actor,
        "registration.rejected",
        "registration",
        registration.id,
    )
    db.session.commit()
