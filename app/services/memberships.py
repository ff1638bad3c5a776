"""Users of an authority: invitations, roles and suspension, by its local administrator."""

from __future__ import annotations

import secrets

from flask import current_app
from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    Authority,
    AuthorityStatus,
    Invitation,
    Membership,
    User,
)
from app.models.accounts import UserStatus
from app.models.base import utcnow
from app.policy import Actor
from app.services import audit, credentials
from app.services.auth import token_hash, user_by_email
from app.services.governance import GovernanceError, _record
from app.services.mail import queue_mail
from app.sessions import end_sessions_of

GRANTABLE_ROLES = ("admin", "allocator", "handler", "alert_handler", "viewer")


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
        _record(
            actor,
            "user.joined",
            "user",
            existing.id,
            roles=roles,
        )
        db.session.commit()
        return membership
    invitation = _invite(actor, actor.authority, email, full_name, roles, language)
    _record(
        actor,
        "user.invited",
        "invitation",
        invitation.id,
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
    _record(
        actor,
        "user.roles_changed",
        "user",
        membership.user_id,
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
    _record(
        actor,
        "user.suspended" if suspended else "user.reactivated",
        "user",
        user.id,
    )
    db.session.commit()
