"""Who may see and do what.

Every view declares one permission with @permission("scope:resource:action"); a view
without one is refused (deny by default) and a test walks the URL map for markers.
Object-level scoping lives in the loaders below: they take the acting user and return
only what that user may see, so a foreign id in a URL finds nothing (404).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from flask import abort, g, redirect, request, session, url_for
from flask_login import current_user
from sqlalchemy import select

from app.extensions import db
from app.models import Authority, AuthorityKind, AuthorityStatus, Membership, User

PUBLIC = "public"
SIGNED_IN = "signed_in"

# permission -> role required in the acting membership (None: any signed-in officer)
ROLE_PERMISSIONS: dict[str, str | None] = {
    SIGNED_IN: None,
    "directory:authority:view": None,
    "account:profile:edit": None,
    "admin:user:manage": "admin",
    "admin:authority:edit": "admin",
    "coordination:registration:decide": "coordinator",
    "coordination:access:grant": "coordinator",
    "coordination:authority:suspend": "coordinator",
    "coordination:user:view": "coordinator",
    "coordination:user:suspend": "coordinator",
    # Blocked cases (retention): only through the audited proof of exchange.
    "case:proof:view": "coordinator",
    # Requests: every officer reads the inbox and the requests of their authority; the
    # services check each action's role and state (app/services/requests.py ACTIONS).
    "request:view": None,
    "request:compose": "handler",
    "request:act": None,
    "request:referral:resolve": "coordinator",
    # Alerts: the services check the procedure access, the role and the state.
    "alert:view": None,
    "alert:compose": "alert_handler",
    "alert:act": None,
    # Repositories: readers and editors are the authorities the pack's access names.
    "repository:view": None,
    "repository:edit": None,
    # Search of the cases of one's own authority (scoped in app/services/case_search.py).
    "case:search": None,
    # Free text in the reader's language: the text's case decides who may read it.
    "translation:view": None,
    "translation:request": None,
    # A corrected translation is the officer's own wording, shown to the other side.
    "translation:correct": None,
    # Public cases in the officers' interface (handled like requests).
    "public_case:view": None,
    "public_case:act": None,
    # The audit trail: national coordinators, for their country (app/services/audit_trail.py
    # refuses every other coordinator).
    "audit:trail:view": "coordinator",
    # Data-subject reports: national coordinators (their country's cases) and local
    # administrators (their authority's); app/services/subject_report.py refuses the rest.
    "audit:subject:report": None,
    # Case records as PDF: whoever sees the case (app/services/pdf.py `visible`).
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
    """The signed-in user acting for one of their authorities."""

    user: User
    membership: Membership

    @property
    def authority(self) -> Authority:
        return self.membership.authority

    def has(self, role: str) -> bool:
        return role in self.membership.roles

    @property
    def read_only(self) -> bool:
        """A viewer and nothing more: reads, and changes nothing anywhere."""
        return set(self.membership.roles) <= {"viewer"}


def current_actor() -> Actor | None:
    if "actor" not in g:
        g.actor = _load_actor()
    return g.actor


def _load_actor() -> Actor | None:
    if not current_user.is_authenticated:
        return None
    # A suspended membership (or authority) gives no access: a session acting for it
    # loses it at its next request.
    memberships = [m for m in current_user.memberships if m.is_active]
    if not memberships:
        return None
    chosen = session.get("authority_id")
    membership = next((m for m in memberships if m.authority_id == chosen), memberships[0])
    return Actor(current_user._get_current_object(), membership)


def permission(name: str) -> Callable:
    """Declare and enforce the permission a view needs."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            if name != PUBLIC:
                actor = current_actor()
                if actor is None:
                    if current_user.is_authenticated:
                        return _no_authority()
                    # script_root: the training instance lives under /training
                    back = request.script_root + request.full_path
                    return redirect(url_for("auth.sign_in", next=back))
                role = ROLE_PERMISSIONS[name]
                if role is not None and not actor.has(role):
                    abort(403)
                if actor.read_only and request.method not in SAFE_METHODS and name not in READS:
                    abort(403)
            return view(*args, **kwargs)

        wrapper.permission = name  # type: ignore[attr-defined]
        return wrapper

    if name != PUBLIC and name not in ROLE_PERMISSIONS:
        raise KeyError(f"unknown permission {name!r}")
    return decorator


def _no_authority():
    """Signed in, but no membership to act for (each suspended, or its authority not
    active): say so, rather than a bare "not allowed" on every page."""
    from flask import render_template
    from flask_babel import gettext as _

    title = _("No authority to act for")
    message = _(
        "You are signed in, but you cannot act for any authority at the moment: your "
        "access has been suspended, or your authority is not active. Ask your local "
        "administrator or your national coordinator."
    )
    return render_template("errors/error.html", title=title, message=message, status=403), 403


# --- scoped loaders -------------------------------------------------------------------


def visible_authority(actor: Actor, authority_id: int) -> Authority:
    """Directory profiles: active authorities are visible to every officer; pending and
    suspended ones only to the coordinators who govern them."""
    authority = db.session.get(Authority, authority_id)
    if authority is None:
        abort(404)
    if authority.status != AuthorityStatus.ACTIVE and not governs(actor, authority):
        abort(404)
    return authority


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
            and (
                not own.coordinated_procedures
                or any(a.procedure_key in own.coordinated_procedures for a in authority.access)
            )
        )
    return False


def governs_case(actor: Actor, procedure_key: str, parties: list[Authority]) -> bool:
    """A coordinator reaches a case (a referral, the proof of exchange) when it governs
    one of the case's authorities and coordinates the case's procedure: a delegated
    coordinator of diplomas governs a chamber, not the chamber's other exchanges."""
    return coordinates_procedure(actor, procedure_key) and any(
        governs(actor, authority) for authority in parties
    )


def governed_authority(actor: Actor, authority_id: int) -> Authority:
    authority = db.session.get(Authority, authority_id)
    if authority is None or not governs(actor, authority):
        abort(404)
    return authority


def governs_account(actor: Actor, user: User) -> bool:
    """The whole account (its sign-in) is for the coordinators who govern every authority
    it belongs to: one country's coordinator must not lock a person out of another's."""
    return bool(user.memberships) and all(governs(actor, m.authority) for m in user.memberships)


def governed_user(actor: Actor, user_id: int) -> User:
    """A user a coordinator may look at: a member of at least one authority it governs."""
    user = db.session.get(User, user_id)
    if user is None or not any(governs(actor, m.authority) for m in user.memberships):
        abort(404)
    return user


def member_of_own_authority(actor: Actor, user_id: int) -> Membership:
    """A local administrator reaches only the members of their own authority."""
    membership = db.session.scalar(
        select(Membership).where(
            Membership.user_id == user_id, Membership.authority_id == actor.authority.id
        )
    )
    if membership is None:
        abort(404)
    return membership
