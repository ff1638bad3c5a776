"""Who may see and do what: the pure rules.

No request, session or response here: the web side (the acting user, the permission each
view declares, deny by default, and the loaders that answer 404) is
app/blueprints/access.py. What one kind of case lets each side do is its lifecycle
(app/cases/kernel.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.models import Authority, AuthorityKind, Membership, User

PUBLIC = "public"
SIGNED_IN = "signed_in"

# Registrations and procedure access: the coordinators, and the access managers a national
# coordinator appointed to do this for it (and nothing else).
ACCESS_MANAGING = ("coordinator", "access_manager")

# permission -> the role required in the acting membership, or one of several roles
# (None: any signed-in officer)
ROLE_PERMISSIONS: dict[str, str | tuple[str, ...] | None] = {
    SIGNED_IN: None,
    "directory:authority:view": None,
    "account:profile:edit": None,
    "admin:user:manage": "admin",
    "admin:authority:edit": "admin",
    "coordination:registration:decide": ACCESS_MANAGING,
    "coordination:access:grant": ACCESS_MANAGING,
    # Appointing access managers: national coordinators (app/accounts/access_managers.py).
    "coordination:access_manager:appoint": "coordinator",
    "coordination:authority:suspend": "coordinator",
    # Where an authority is (its NUTS region), which decides its delegated coordinators.
    "coordination:authority:region": "coordinator",
    "coordination:user:view": "coordinator",
    "coordination:user:suspend": "coordinator",
    # Counterpart ratings of the replies of the authorities a coordinator governs
    # (app/cases/requests/ratings.py decides each row).
    "coordination:rating:view": "coordinator",
    # The procedure packs as their forms look, drafts included: coordinators of a
    # coordinator authority and the Commission's officers (`may_preview_packs` decides).
    "coordination:procedure:preview": None,
    # Blocked cases (retention): only through the audited proof of exchange.
    "case:proof:view": "coordinator",
    # Requests: every officer reads the inbox and the requests of their authority; the
    # services check each action's role and state (app/cases/requests).
    "request:view": None,
    "request:compose": "handler",
    "request:act": None,
    "request:referral:resolve": "coordinator",
    # Alerts: the services check the procedure access, the role and the state.
    "alert:view": None,
    "alert:compose": "alert_handler",
    "alert:act": None,
    # Notifications: the services check the procedure access, the side, role and state.
    "notification:view": None,
    "notification:compose": "handler",
    "notification:act": None,
    # Repositories: readers and editors are the authorities the pack's access names.
    "repository:view": None,
    "repository:edit": None,
    # Search of the cases of one's own authority (scoped in app/cases/search.py).
    "case:search": None,
    # Free text in the reader's language: the text's case decides who may read it.
    "translation:view": None,
    "translation:request": None,
    # A corrected translation is the officer's own wording, shown to the other side.
    "translation:correct": None,
    # Translated copies of a case's files: read by whoever reads the original; asked for
    # by the officers who act on the case (app/translation/files.py `may_ask`: not a viewer).
    "file:translation:view": None,
    "file:translation:request": None,
    # Public cases in the officers' interface (handled like requests).
    "public_case:view": None,
    "public_case:act": None,
    # The audit trail: national coordinators, for their country (app/records/audit_trail.py
    # refuses every other coordinator).
    "audit:trail:view": "coordinator",
    # Data-subject reports: national coordinators (their country's cases) and local
    # administrators (their authority's); app/records/subject_report.py refuses the rest.
    "audit:subject:report": None,
    # European Professional Card applications: the home and the host authority's officers
    # read them; the lifecycle checks each action's side, role and state (app/cases/epc).
    "epc:view": None,
    "epc:act": None,
    # Case records as PDF: whoever sees the case (app/records/pdf.py `visible`).
    "case:pdf:export": None,
}

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# Permissions whose POST changes nothing shared: one's own account, and reads that are
# posted (a PDF or a machine translation of what one sees, searches that keep names out
# of URLs). A viewer ("reads only") may post these and nothing else.
READS = frozenset(
    {
        "account:profile:edit",
        "translation:request",
        "case:pdf:export",
        "audit:subject:report",
        "case:proof:view",
    }
)


@dataclass(frozen=True)
class Actor:
    """The signed-in user acting for one of their authorities.

    Roles are held per legislative area (the policy area of a procedure pack): a membership
    holds each role in all areas or in some (Membership.role_areas). Whatever checks a role
    on a case asks `has_role(role, area)` with the area of the case's procedure (the kernel
    does: app/cases/kernel.py; app/cases/areas.py gives a procedure's area), and lists of
    cases keep to `areas()`.
    """

    user: User
    membership: Membership

    @property
    def authority(self) -> Authority:
        return self.membership.authority

    def has(self, role: str) -> bool:
        """Whether the actor holds the role in some area (or for the whole authority)."""
        return role in self.membership.roles

    def roles_in(self, area: str | None) -> frozenset[str]:
        """The roles the actor holds in a legislative area. None, an area nobody knows
        (a procedure without its pack), counts only the roles held in all areas."""
        return roles_in(self.membership.roles, self.membership.role_areas, area)

    def has_role(self, role: str, area: str | None) -> bool:
        """Whether the actor holds the role in the area (see `roles_in`)."""
        return role in self.roles_in(area)

    def areas(self, roles: Iterable[str] | None = None) -> frozenset[str] | None:
        """The areas where the actor holds one of `roles` (None: any role): None when it
        is all of them (a role held in all areas), else the set, perhaps empty."""
        limited = self.membership.role_areas or {}
        held = [r for r in self.membership.roles if roles is None or r in roles]
        if any(role not in limited for role in held):
            return None
        return frozenset(area for role in held for area in limited[role])

    @property
    def read_only(self) -> bool:
        """A viewer and nothing more: reads, and changes nothing anywhere."""
        return set(self.membership.roles) <= {"viewer"}


def roles_in(roles: list[str], role_areas: dict | None, area: str | None) -> frozenset[str]:
    """The roles of a membership (its `roles` and `role_areas`) held in `area`: those not
    limited to areas, and those limited to areas among which it is."""
    limited = role_areas or {}
    return frozenset(
        role
        for role in roles
        if role not in limited or (area is not None and area in limited[role])
    )


# --- scoped loaders -------------------------------------------------------------------


def permits(actor: Actor, permission: str) -> bool:
    """Whether the actor holds the role a permission needs (one of them, for several)."""
    needed = ROLE_PERMISSIONS[permission]
    if needed is None:
        return True
    return any(actor.has(role) for role in ((needed,) if isinstance(needed, str) else needed))


def may_preview_packs(actor: Actor) -> bool:
    """Whether the actor may see every procedure pack, drafts included, as its forms look
    (before a pack is turned on): a coordinator of a national or delegated coordinator
    authority, or any officer of the Commission. No one else."""
    kind = actor.authority.kind
    if kind == AuthorityKind.COMMISSION:
        return True
    coordinating = (AuthorityKind.NATIONAL_COORDINATOR, AuthorityKind.DELEGATED_COORDINATOR)
    return kind in coordinating and actor.has("coordinator")


def coordinates_procedure(actor: Actor, procedure_key: str) -> bool:
    """Whether the actor's coordinator authority coordinates a procedure: a delegated
    coordinator only those delegated to it (none listed: all of its national
    coordinator's, that is all); every other coordinator all of them."""
    own = actor.authority
    scope = own.coordinated_procedures
    return own.kind != AuthorityKind.DELEGATED_COORDINATOR or not scope or procedure_key in scope


def governs(actor: Actor, authority: Authority) -> bool:
    """A coordinator governs the authorities of its country (the Commission: coordinators;
    a delegated coordinator: the ordinary authorities of its country that take part in
    one of its procedures, so a new authority, with none yet, is its national
    coordinator's to approve)."""
    if not actor.has("coordinator"):
        return False
    own = actor.authority
    if own.kind == AuthorityKind.COMMISSION:
        return authority.kind in (AuthorityKind.NATIONAL_COORDINATOR, AuthorityKind.COMMISSION) or (
            authority.id == own.id
        )
    if own.kind == AuthorityKind.NATIONAL_COORDINATOR:
        return authority.country == own.country and authority.kind != AuthorityKind.COMMISSION
    if own.kind == AuthorityKind.DELEGATED_COORDINATOR:
        # Not its national coordinator nor the other delegated ones: it works under them.
        if authority.id == own.id:
            return True
        return (
            authority.country == own.country
            and authority.kind == AuthorityKind.AUTHORITY
            and in_region(authority, own.coordinated_region)
            and (
                not own.coordinated_procedures
                or any(a.procedure_key in own.coordinated_procedures for a in authority.access)
            )
        )
    return False


def in_region(authority: Authority, region: str) -> bool:
    """Whether an authority lies in a region (a NUTS code; "" is the whole country). NUTS
    codes nest by prefix: DE212 (Munich) lies in DE21 (Upper Bavaria), in DE2 (Bavaria).
    An authority whose region nobody gave lies in no region but the whole country."""
    return not region or (authority.region or "").upper().startswith(region.upper())


def manages_access(actor: Actor, authority: Authority) -> bool:
    """Registrations and procedure access of an authority: the coordinators who govern
    it, and the access managers its country's national coordinator appointed, for the
    ordinary authorities of that country (they coordinate nothing: not the coordinators'
    own authorities, not cases, not accounts)."""
    if governs(actor, authority):
        return True
    own = actor.authority
    return (
        actor.has("access_manager")
        and own.kind != AuthorityKind.COMMISSION
        and authority.kind == AuthorityKind.AUTHORITY
        and authority.country == own.country
    )


def governs_case(actor: Actor, procedure_key: str, parties: list[Authority]) -> bool:
    """A coordinator reaches a case (a referral, the proof of exchange) when it governs
    one of the case's authorities and coordinates the case's procedure: a delegated
    coordinator of diplomas governs a chamber, not the chamber's other exchanges."""
    return coordinates_procedure(actor, procedure_key) and any(
        governs(actor, authority) for authority in parties
    )


def governs_account(actor: Actor, user: User) -> bool:
    """The whole account (its sign-in) is for the coordinators who govern every authority
    it belongs to: one country's coordinator must not lock a person out of another's."""
    return bool(user.memberships) and all(governs(actor, m.authority) for m in user.memberships)
