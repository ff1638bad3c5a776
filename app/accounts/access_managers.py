"""Access managers: users a national coordinator appoints to register authorities and
grant procedure access in its country for it, and to do nothing else (IMI's "access
managers", to whom a national coordinator delegates access management).

The role sits on the appointed user's membership of an authority of the coordinator's
country (its own, or an ordinary authority); what it allows is the policy's
(app/policy.py `manages_access`, and the permissions that name ACCESS_MANAGING).
"""

from __future__ import annotations

from app.directory.governance import GovernanceError
from app.extensions import db
from app.models import AuthorityKind, Membership
from app.policy import Actor, governs
from app.records import audit

ROLE = "access_manager"


def may_appoint(actor: Actor, membership: Membership) -> bool:
    """A national coordinator appoints the members of the authorities it governs (its own
    and its country's ordinary ones; not delegated coordinators', nor another country's),
    never itself."""
    own = actor.authority
    return (
        actor.has("coordinator")
        and own.kind == AuthorityKind.NATIONAL_COORDINATOR
        and membership.authority.kind
        in (AuthorityKind.AUTHORITY, AuthorityKind.NATIONAL_COORDINATOR)
        and governs(actor, membership.authority)
        and membership.user_id != actor.user.id
    )


def set_access_manager(actor: Actor, membership: Membership, appointed: bool) -> None:
    """Appoint the member an access manager, or end the appointment."""
    if not may_appoint(actor, membership):
        raise GovernanceError("scope")
    roles = [r for r in membership.roles if r != ROLE]
    membership.roles = [*roles, ROLE] if appointed else roles
    audit.by_actor(
        actor,
        "user.access_manager_appointed" if appointed else "user.access_manager_revoked",
        "user",
        membership.user_id,
        authority=membership.authority_id,
    )
    db.session.commit()
