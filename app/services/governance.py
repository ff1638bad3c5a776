"""Registration of authorities, invitations, roles, procedure access and suspension.

Each function is one action: it changes state, writes the audit record and any mail in
the same transaction, and commits.
"""

from __future__ import annotations

import secrets

from flask import current_app
from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    Authority,
    AuthorityKind,
    AuthorityStatus,
    Invitation,
    Membership,
    ProcedureAccess,
    Registration,
    RegistrationStatus,
    User,
)
from app.models.accounts import UserStatus
from app.models.base import utcnow
from app.policy import Actor
from app.services import audit, credentials, directory
from app.services.auth import token_hash, user_by_email
from app.services.mail import queue_mail
from app.sessions import end_sessions_of
from app.text import fold

ACCESS_ROLES = ("requester", "responder", "alert_sender", "alert_receiver", "repository_editor")
GRANTABLE_ROLES = ("admin", "allocator", "handler", "alert_handler", "viewer")


class GovernanceError(Exception):
    """A refused action; the message is shown to the user."""


# --- registration ---------------------------------------------------------------------


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


def coordinators_of(country: str) -> list[User]:
    """Active users holding the coordinator role in a country's national and delegated
    coordinators (their colleagues without the role do not decide registrations)."""
    memberships = db.session.scalars(
        select(Membership)
        .join(User)
        .join(Authority)
        .where(
            Authority.country == country,
            Authority.kind.in_(
                [AuthorityKind.NATIONAL_COORDINATOR, AuthorityKind.DELEGATED_COORDINATOR]
            ),
            Authority.status == AuthorityStatus.ACTIVE,
            User.status == UserStatus.ACTIVE,
        )
    )
    users = {m.user.id: m.user for m in memberships if "coordinator" in m.roles}
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
    for coordinator in coordinators_of(authority.country):
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
    from app.policy import governs

    rows = db.session.scalars(
        select(Registration)
        .where(Registration.status == RegistrationStatus.PENDING)
        .order_by(Registration.created_at)
    )
    return [r for r in rows if governs(actor, r.authority)]


def approve_registration(actor: Actor, registration: Registration) -> Invitation | Membership:
    """The coordinator approves: the authority becomes active and its applicant is
    invited as its first local administrator (an applicant who already has an account
    simply joins: an invitation cannot make a second account for the same address)."""
    if registration.status != RegistrationStatus.PENDING:
        raise GovernanceError("decided")
    registration.status = RegistrationStatus.APPROVED
    registration.decided_at = utcnow()
    registration.decided_by_id = actor.user.id
    registration.authority.status = AuthorityStatus.ACTIVE
    existing = user_by_email(registration.applicant_email)
    result: Invitation | Membership
    if existing is not None:
        result = Membership(
            user_id=existing.id, authority_id=registration.authority_id, roles=["admin"]
        )
        db.session.add(result)
        queue_mail(
            existing.email, "membership_added", existing.language, authority=registration.authority
        )
    else:
        result = _invite(
            actor,
            registration.authority,
            registration.applicant_email,
            registration.applicant_name,
            ["admin"],
            registration.language,
            template="registration_approved",
        )
    audit.record(
        "registration.approved",
        actor_id=actor.user.id,
        authority_id=actor.authority.id,
        object_type="registration",
        object_id=registration.id,
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
    audit.record(
        "registration.rejected",
        actor_id=actor.user.id,
        authority_id=actor.authority.id,
        object_type="registration",
        object_id=registration.id,
    )
    db.session.commit()


# --- invitations and users ------------------------------------------------------------


def _invite(
    actor: Actor | None,
    authority: Authority,
    email: str,
    full_name: str,
    roles: list[str],
    language: str,
    template: str = "invitation",
) -> Invitation:
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        token_hash=token_hash(token),
        email=email.strip().lower(),
        full_name=full_name.strip(),
        authority_id=authority.id,
        roles=roles,
        invited_by_id=actor.user.id if actor else None,
        expires_at=utcnow() + current_app.config["INVITATION_LIFETIME"],
    )
    db.session.add(invitation)
    db.session.flush()
    queue_mail(
        invitation.email,
        template,
        language,
        invitation=invitation,
        token=token,
        authority=authority,
    )
    invitation.token = token  # type: ignore[attr-defined]  # for the caller and tests
    return invitation


def invite_colleague(
    actor: Actor, email: str, full_name: str, roles: list[str], language: str
) -> Invitation | Membership:
    """An admin invites someone; a person who already has an account simply joins."""
    roles = [r for r in roles if r in GRANTABLE_ROLES]
    existing = user_by_email(email)
    if existing is not None:
        membership = db.session.scalar(
            select(Membership).where(
                Membership.user_id == existing.id, Membership.authority_id == actor.authority.id
            )
        )
        if membership is not None:
            raise GovernanceError("member")
        membership = Membership(user_id=existing.id, authority_id=actor.authority.id, roles=roles)
        db.session.add(membership)
        queue_mail(existing.email, "membership_added", existing.language, authority=actor.authority)
        audit.record(
            "user.joined",
            actor_id=actor.user.id,
            authority_id=actor.authority.id,
            object_type="user",
            object_id=existing.id,
            roles=roles,
        )
        db.session.commit()
        return membership
    invitation = _invite(actor, actor.authority, email, full_name, roles, language)
    audit.record(
        "user.invited",
        actor_id=actor.user.id,
        authority_id=actor.authority.id,
        object_type="invitation",
        object_id=invitation.id,
        roles=roles,
    )
    db.session.commit()
    return invitation


def valid_invitation(token: str) -> Invitation | None:
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.token_hash == token_hash(token))
    )
    if (
        invitation is None
        or invitation.accepted_at is not None
        or invitation.expires_at < utcnow()
        or invitation.authority.status != AuthorityStatus.ACTIVE
    ):
        return None
    return invitation


def accept_invitation(invitation: Invitation, full_name: str, password: str, language: str) -> User:
    """Create the account (still without second factor) and its membership."""
    user = user_by_email(invitation.email)
    if user is None:
        user = User(email=invitation.email, full_name=full_name.strip(), language=language)
        db.session.add(user)
    elif user.status != UserStatus.INVITED:
        raise GovernanceError("exists")
    user.full_name = full_name.strip()
    user.password_hash = credentials.hash_password(password)
    db.session.flush()
    membership = db.session.scalar(
        select(Membership).where(
            Membership.user_id == user.id, Membership.authority_id == invitation.authority_id
        )
    )
    if membership is None:
        db.session.add(
            Membership(
                user_id=user.id, authority_id=invitation.authority_id, roles=invitation.roles
            )
        )
    else:  # invited twice, the first link used already: one membership, all the roles
        membership.roles = membership.roles + [
            r for r in invitation.roles if r not in membership.roles
        ]
    invitation.accepted_at = utcnow()
    audit.record(
        "user.invitation_accepted",
        actor_id=user.id,
        authority_id=invitation.authority_id,
        object_type="invitation",
        object_id=invitation.id,
    )
    db.session.commit()
    return user


def members(authority: Authority) -> list[Membership]:
    return list(
        db.session.scalars(
            select(Membership)
            .join(User)
            .where(Membership.authority_id == authority.id)
            .order_by(func.lower(User.full_name))
        )
    )


def open_invitations(authority: Authority) -> list[Invitation]:
    return list(
        db.session.scalars(
            select(Invitation)
            .where(
                Invitation.authority_id == authority.id,
                Invitation.accepted_at.is_(None),
                Invitation.expires_at > utcnow(),
            )
            .order_by(Invitation.created_at)
        )
    )


def set_roles(actor: Actor, membership: Membership, roles: list[str]) -> None:
    roles = [r for r in roles if r in GRANTABLE_ROLES]
    # Coordinator power is not a local administrator's to give or take.
    if "coordinator" in membership.roles:
        roles.append("coordinator")
    if membership.user_id == actor.user.id and "admin" not in roles:
        raise GovernanceError("last_admin")
    membership.roles = roles
    audit.record(
        "user.roles_changed",
        actor_id=actor.user.id,
        authority_id=actor.authority.id,
        object_type="user",
        object_id=membership.user_id,
        roles=roles,
    )
    db.session.commit()


def set_user_suspended(actor: Actor, membership: Membership, suspended: bool) -> None:
    """Suspend (ending every session at once) or reactivate a member's account."""
    user = membership.user
    if user.id == actor.user.id:
        raise GovernanceError("self")
    if suspended:
        user.status = UserStatus.SUSPENDED
        end_sessions_of(user.id)
    elif user.status == UserStatus.SUSPENDED:
        user.status = UserStatus.ACTIVE if user.totp_enrolled else UserStatus.INVITED
    audit.record(
        "user.suspended" if suspended else "user.reactivated",
        actor_id=actor.user.id,
        authority_id=actor.authority.id,
        object_type="user",
        object_id=user.id,
    )
    db.session.commit()


# --- coordinators: authorities and procedure access -----------------------------------


def set_authority_suspended(actor: Actor, authority: Authority, suspended: bool) -> None:
    if authority.id == actor.authority.id:
        raise GovernanceError("self")
    if suspended:
        authority.status = AuthorityStatus.SUSPENDED
        for membership in members(authority):
            end_sessions_of(membership.user_id)
    elif authority.status == AuthorityStatus.SUSPENDED:
        authority.status = AuthorityStatus.ACTIVE
    audit.record(
        "authority.suspended" if suspended else "authority.reactivated",
        actor_id=actor.user.id,
        authority_id=actor.authority.id,
        object_type="authority",
        object_id=authority.id,
    )
    db.session.commit()


def may_grant(actor: Actor, procedure_key: str) -> bool:
    scope = actor.authority.coordinated_procedures
    return not scope or procedure_key in scope


def grant_access(actor: Actor, authority: Authority, procedure_key: str, roles: list[str]) -> None:
    if not may_grant(actor, procedure_key):
        raise GovernanceError("scope")
    roles = [r for r in roles if r in ACCESS_ROLES]
    access = db.session.scalar(
        select(ProcedureAccess).where(
            ProcedureAccess.authority_id == authority.id,
            ProcedureAccess.procedure_key == procedure_key,
        )
    )
    if not roles:
        if access is not None:
            db.session.delete(access)
    elif access is None:
        db.session.add(
            ProcedureAccess(
                authority_id=authority.id,
                procedure_key=procedure_key,
                roles=roles,
                granted_by_id=actor.user.id,
            )
        )
    else:
        access.roles = roles
        access.granted_by_id = actor.user.id
        access.granted_at = utcnow()
    audit.record(
        "access.granted" if roles else "access.revoked",
        actor_id=actor.user.id,
        authority_id=actor.authority.id,
        object_type="authority",
        object_id=authority.id,
        procedure=procedure_key,
        roles=roles,
    )
    db.session.commit()


def governed_authorities(actor: Actor) -> list[Authority]:
    from app.policy import governs

    rows = db.session.scalars(
        select(Authority)
        .where(Authority.status.in_([AuthorityStatus.ACTIVE, AuthorityStatus.SUSPENDED]))
        .where(
            Authority.country == actor.authority.country
            if actor.authority.kind != AuthorityKind.COMMISSION
            else Authority.kind != AuthorityKind.AUTHORITY
        )
        .order_by(Authority.name)
    )
    return [a for a in rows if governs(actor, a)]


AUTHORITY_FIELDS = ("street", "postcode", "city", "email", "phone", "website", "competences")


def update_authority(actor: Actor, data: dict) -> None:
    """A local administrator edits the contact data of their own authority (only the
    fields listed: never its country, status or kind)."""
    authority = actor.authority
    changed = {}
    for name in AUTHORITY_FIELDS:
        value = (data.get(name) or "").strip()
        if getattr(authority, name) != value:
            changed[name] = value
            setattr(authority, name, value)
    directory.index_text(authority)
    audit.record(
        "authority.updated",
        actor_id=actor.user.id,
        authority_id=authority.id,
        object_type="authority",
        object_id=authority.id,
        fields=sorted(changed),
    )
    db.session.commit()
