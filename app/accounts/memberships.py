"""Users of an authority: invitations, roles and the suspension of a membership, by its
local administrator; the suspension of a whole account, by the coordinators who govern
every authority it belongs to."""

from __future__ import annotations

import secrets

from flask import current_app
from sqlalchemy import delete, func, select
from sqlalchemy.orm import contains_eager

from app.accounts import credentials
from app.accounts.auth import token_hash, user_by_email
from app.directory.governance import GovernanceError
from app.extensions import db
from app.mail import queue_mail
from app.models import (
    Authority,
    AuthorityStatus,
    Invitation,
    Membership,
    User,
)
from app.models.accounts import AREA_ROLES, UserStatus
from app.models.base import utcnow
from app.policy import Actor, governs_account, roles_in
from app.procedures import registry
from app.records import audit
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
    """Make and mail an invitation link, replacing any open one for the same address and
    authority (the newest link is the only one that works). An address that already has
    an account is invited to join, signed in, in its own language: nobody becomes a
    member of an authority by someone else's decision alone."""
    email = email.strip().lower()
    db.session.execute(
        delete(Invitation).where(
            Invitation.email == email,
            Invitation.authority_id == authority.id,
            Invitation.accepted_at.is_(None),
        )
    )
    account = _account(email)
    if account is not None:
        template, language = "invitation_join", account.language
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        token_hash=token_hash(token),
        email=email,
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


def _account(email: str) -> User | None:
    """The account behind an address, if it has one a person signs in to (an account
    still choosing its password through an earlier link does not count: that link's
    flow goes on)."""
    user = user_by_email(email)
    return user if user is not None and user.status != UserStatus.INVITED else None


def membership_in(user_id: int, authority_id: int) -> Membership | None:
    return db.session.scalar(
        select(Membership).where(
            Membership.user_id == user_id, Membership.authority_id == authority_id
        )
    )


def invite_colleague(
    actor: Actor,
    email: str,
    full_name: str,
    roles: list[str],
    language: str,
    areas: dict[str, list[str]] | None = None,
) -> Invitation:
    """An admin invites someone by e-mail, with roles each in all legislative areas but
    those `areas` limits (as set_roles). The reply is the same whether the address has
    an account or not (one invitation, one mail), so it tells nothing about accounts."""
    roles = [r for r in roles if r in GRANTABLE_ROLES]
    limited = _limited(roles, areas)
    existing = user_by_email(email)
    if existing is not None and membership_in(existing.id, actor.authority.id) is not None:
        raise GovernanceError("member")
    invitation = _invite(actor, actor.authority, email, full_name, roles, language)
    invitation.role_areas = limited
    audit.by_actor(actor, "user.invited", "invitation", invitation.id, roles=roles, areas=limited)
    db.session.commit()
    return invitation


def cancel_invitation(actor: Actor, invitation: Invitation) -> None:
    """Withdraw an open invitation (loaded by open_invitation_of): its link stops working."""
    audit.by_actor(actor, "user.invitation_cancelled", "invitation", invitation.id)
    db.session.delete(invitation)
    db.session.commit()


def open_invitation_of(actor: Actor, invitation_id: int) -> Invitation | None:
    """An open invitation of the actor's own authority, or None."""
    invitation = db.session.get(Invitation, invitation_id)
    if (
        invitation is None
        or invitation.authority_id != actor.authority.id
        or invitation.accepted_at is not None
    ):
        return None
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


def invited_account(invitation: Invitation) -> User | None:
    """The existing account an invitation is for: it joins signed in, never through a
    password chosen with the link."""
    return _account(invitation.email)


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
    _accept(invitation, user)
    return user


def join(invitation: Invitation, user: User) -> Membership:
    """The signed-in owner of the invited address accepts: they become a member."""
    if user.email.strip().lower() != invitation.email:  # invitations keep it lower-case
        raise GovernanceError("other_account")
    return _accept(invitation, user)


def _accept(invitation: Invitation, user: User) -> Membership:
    """Use up the invitation: one membership per authority, with the roles of every
    invitation accepted for it."""
    membership = membership_in(user.id, invitation.authority_id)
    if membership is None:
        membership = Membership(
            user_id=user.id,
            authority_id=invitation.authority_id,
            roles=invitation.roles,
            role_areas=dict(invitation.role_areas or {}),
        )
        db.session.add(membership)
    else:  # the roles held keep their areas; those added come with the invitation's
        added = [r for r in invitation.roles if r not in membership.roles]
        membership.roles = membership.roles + added
        membership.role_areas = {
            **(membership.role_areas or {}),
            **{r: a for r, a in (invitation.role_areas or {}).items() if r in added},
        }
    invitation.accepted_at = utcnow()
    audit.record(
        "user.invitation_accepted",
        actor_id=user.id,
        authority_id=invitation.authority_id,
        object_type="invitation",
        object_id=invitation.id,
    )
    db.session.commit()
    return membership


def _active_officers(authority_id: int) -> tuple:
    """Active accounts whose membership of the authority is not suspended."""
    return (
        Membership.authority_id == authority_id,
        Membership.suspended_at.is_(None),
        User.status == UserStatus.ACTIVE,
    )


# The area of `officers_with` and `officer_names` when any area will do (the role held
# somewhere), as opposed to None, an area nobody knows.
ANY_AREA = "*"


def _first_role(members, roles: tuple[str, ...], person, area: str | None) -> list:
    def holding(m, role: str) -> bool:
        if area == ANY_AREA:
            return role in m.roles
        return role in roles_in(m.roles, m.role_areas, area)

    for role in roles:
        found = [person(m) for m in members if holding(m, role)]
        if found:
            return found
    return []


def officers_with(authority_id: int, *roles: str, area: str | None = ANY_AREA) -> list[User]:
    """The officers of an authority holding the first of `roles` that any of them holds
    (its handlers, else its allocators...) in `area` (a case's legislative area), counting
    only active accounts whose membership is not suspended: whom the authority's work and
    notices go to."""
    found = db.session.scalars(
        select(Membership)
        .join(Membership.user)
        .options(contains_eager(Membership.user))
        .where(*_active_officers(authority_id))
    ).all()
    return _first_role(found, roles, lambda m: m.user, area)


def officer_names(authority_id: int, *roles: str, area: str | None = ANY_AREA) -> list:
    """`officers_with`'s officers as rows of their id and full name only, by name, for a
    list to choose from: an authority of 200 officers costs two columns each, not 200
    accounts."""
    found = db.session.execute(
        select(User.id, User.full_name, Membership.roles, Membership.role_areas)
        .join(Membership, Membership.user_id == User.id)
        .where(*_active_officers(authority_id))
        .order_by(func.lower(User.full_name), User.id)
    ).all()
    return _first_role(found, roles, lambda row: row, area)


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


def set_roles(
    actor: Actor,
    membership: Membership,
    roles: list[str],
    areas: dict[str, list[str]] | None = None,
) -> None:
    """Give a member `roles`, each in all legislative areas but those `areas` limits
    (role -> its areas; only the roles that act on cases, AREA_ROLES, may be limited,
    and to areas some procedure has)."""
    roles = [r for r in roles if r in GRANTABLE_ROLES]
    if not roles:
        raise GovernanceError("no_role")
    limited = _limited(roles, areas)
    # Coordinator power, and the access management a national coordinator appoints, are
    # not a local administrator's to give or take.
    roles += [r for r in ("coordinator", "access_manager") if r in membership.roles]
    if membership.user_id == actor.user.id and "admin" not in roles:
        raise GovernanceError("last_admin")
    membership.roles = roles
    membership.role_areas = limited
    audit.by_actor(
        actor,
        "user.roles_changed",
        "user",
        membership.user_id,
        roles=roles,
        areas=limited,
    )
    db.session.commit()


def _limited(roles: list[str], areas: dict[str, list[str]] | None) -> dict[str, list[str]]:
    """role -> its areas, for the roles of `roles` that act on cases (AREA_ROLES) and that
    `areas` limits, to areas some procedure has; none left for a role is refused."""
    known = set(policy_areas())
    limited = {
        role: sorted(set(wanted) & known)
        for role, wanted in (areas or {}).items()
        if role in roles and role in AREA_ROLES and wanted is not None
    }
    if any(not chosen for chosen in limited.values()):
        raise GovernanceError("no_area")
    return limited


def policy_areas() -> list[str]:
    """The legislative areas of the procedures the app knows, sorted."""
    return sorted({pack.policy_area for pack in registry(current_app).values()})


def set_membership_suspended(actor: Actor, membership: Membership, suspended: bool) -> None:
    """A local administrator suspends or reactivates a member's access to their own
    authority. The account, its sign-in and its other authorities are not theirs: the
    coordinators of all of them decide those (set_account_suspended)."""
    if membership.authority_id != actor.authority.id:
        raise GovernanceError("scope")
    if membership.user_id == actor.user.id:
        raise GovernanceError("self")
    if suspended and membership.suspended_at is None:
        membership.suspended_at = utcnow()
    elif not suspended:
        membership.suspended_at = None
    audit.by_actor(
        actor,
        "membership.suspended" if suspended else "membership.reactivated",
        "user",
        membership.user_id,
    )
    db.session.commit()


def set_account_suspended(actor: Actor, user: User, suspended: bool) -> None:
    """Suspend a whole account (every session ends at once, sign-in is refused) or
    reactivate it: only for coordinators who govern every authority it belongs to."""
    if not governs_account(actor, user):
        raise GovernanceError("scope")
    if user.id == actor.user.id:
        raise GovernanceError("self")
    if suspended:
        user.status = UserStatus.SUSPENDED
        end_sessions_of(user.id)
    elif user.status == UserStatus.SUSPENDED:
        user.status = UserStatus.ACTIVE if user.totp_enrolled else UserStatus.INVITED
    audit.by_actor(
        actor,
        "user.suspended" if suspended else "user.reactivated",
        "user",
        user.id,
    )
    db.session.commit()
