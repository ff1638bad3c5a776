"""The web side of the policy: the acting user of a request, the permission every view
declares (deny by default), and loaders that answer 404 for what the actor may not see.
The rules themselves are pure, in app/policy.py."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.extensions import db
from app.models import Authority, AuthorityStatus, Membership, User
from app.policy import (
    PUBLIC,
    READS,
    ROLE_PERMISSIONS,
    SAFE_METHODS,
    Actor,
    governs,
    manages_access,
    permits,
)


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
                if not permits(actor, name):
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
    title = _("No authority to act for")
    message = _(
        "You are signed in, but you cannot act for any authority at the moment: your "
        "access has been suspended, or your authority is not active. Ask your local "
        "administrator or your national coordinator."
    )
    return render_template("errors/error.html", title=title, message=message, status=403), 403


def visible_authority(actor: Actor, authority_id: int) -> Authority:
    """Directory profiles: active authorities are visible to every officer; pending and
    suspended ones only to the coordinators who govern them."""
    authority = db.session.get(Authority, authority_id)
    if authority is None:
        abort(404)
    if authority.status != AuthorityStatus.ACTIVE and not governs(actor, authority):
        abort(404)
    return authority


def governed_authority(actor: Actor, authority_id: int) -> Authority:
    authority = db.session.get(Authority, authority_id)
    if authority is None or not governs(actor, authority):
        abort(404)
    return authority


def access_managed_authority(actor: Actor, authority_id: int) -> Authority:
    """An authority whose registration and procedure access the actor manages
    (a coordinator governing it, or an access manager of its country)."""
    authority = db.session.get(Authority, authority_id)
    if authority is None or not manages_access(actor, authority):
        abort(404)
    return authority


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
