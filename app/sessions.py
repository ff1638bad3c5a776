"""Server-side sessions in the database, from the moment a session belongs to someone.

The cookie holds a random 256-bit token; the table holds its SHA-256, so a database read
does not yield usable cookies. Sessions are rotated at sign-in, destroyed at sign-out,
expire after 30 minutes idle and 12 hours in all, and every session of a user can be
ended at once (suspension, password change).

A visitor who is nobody yet costs no row (else every cookieless request would write
one): while the session holds only ANONYMOUS_KEYS it travels in the same cookie, signed
with the secret key (Flask's signed-cookie format), and can be replayed but grants
nothing. The first other key (a password step passed, a user id, an enrolment) moves it
into a row.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from functools import cache

from flask import Flask, Request, Response, current_app
from flask.sessions import SecureCookieSessionInterface, SessionInterface, SessionMixin
from itsdangerous import BadSignature
from sqlalchemy import Select, bindparam, delete, select, update
from sqlalchemy.orm import joinedload
from werkzeug.datastructures import CallbackDict

from app.extensions import db
from app.models.accounts import Membership, User, WebSession
from app.models.base import utcnow

# Write last_seen_at at most this often, so reading a page is not a write each time.
TOUCH_INTERVAL = timedelta(seconds=60)

# What an anonymous session may hold in its signed cookie: the forms' CSRF secret, the
# chosen language, flash messages, the public interface's markers (the visitor's own
# case reference; "external", which only restricts), the "your session has ended"
# notice, and Flask-Login's `_fresh: False` on a session not from a sign-in. Deny by
# default: any other key grants something or belongs to someone and lives server-side.
# What a visitor's own cookie may carry: it names only the visitor's own things (the
# reference of the case or the registration they sent, the key of the files their form
# holds), which whoever holds the cookie may see anyway.
ANONYMOUS_KEYS = frozenset(
    {
        "csrf_token",
        "language",
        "_flashes",
        "external",
        "public_sent",
        "registration_sent",
        "held_owner",
        "expired",
        "_fresh",
    }
)


class _SignedCookie(SecureCookieSessionInterface):
    """Only its signing serializer is used, with a salt of our own."""

    salt = "openimi-anonymous-session"


def cookie_signer(app: Flask):
    """Signs and reads an anonymous session's cookie."""
    return _SignedCookie().get_signing_serializer(app)


def _anonymous(session: ServerSession) -> bool:
    return session.row_id is None and set(session) <= ANONYMOUS_KEYS


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ServerSession(CallbackDict, SessionMixin):
    def __init__(self, initial=None, token: str | None = None, row_id: str | None = None):
        def on_update(_):
            self.modified = True

        super().__init__(initial, on_update)
        self.token = token
        self.row_id = row_id
        self.modified = False
        self.rotate_requested = False
        self.destroy_requested = False
        self.user_id: int | None = None
        self.touched = False
        self.in_cookie = False  # an anonymous session read from its signed cookie
        # The session's user, read with its row; held here for the request, because the
        # ORM's identity map, where the user loader finds it, holds objects weakly.
        self.user = None

    def rotate(self) -> None:
        """Issue a new token for the same data (at sign-in, against session fixation)."""
        self.rotate_requested = True
        self.modified = True

    def destroy(self) -> None:
        """Forget everything and delete the row (at sign-out)."""
        self.clear()
        self.destroy_requested = True
        self.modified = True


@cache
def _session_row() -> Select:
    """Built once: SQLAlchemy keeps a statement object's cache key, so each request skips
    building the statement and its key (about a tenth of a signed-in request's time)."""
    return (
        select(WebSession.id, WebSession.data, WebSession.last_seen_at, User)
        .outerjoin(User, User.id == WebSession.user_id)
        .options(joinedload(User.memberships).joinedload(Membership.authority))
        .where(WebSession.id == bindparam("digest"))
    )


class DatabaseSessionInterface(SessionInterface):
    def open_session(self, app: Flask, request: Request) -> ServerSession:
        token = request.cookies.get(self.get_cookie_name(app))
        if token and "." in token:  # signed data; a row's token has no dot
            return self._open_signed(app, token)
        if not token or len(token) > 100:
            return ServerSession()
        # The columns only, not an ORM object: every signed-in request reads its row. With
        # them, in the same round trip, the session's user as the user loader reads it
        # (app/blueprints/auth/routes.py: its memberships and their authorities), which
        # it then finds in the identity map.
        row = db.session.execute(_session_row(), {"digest": _digest(token)}).unique().first()
        if row is None:
            return ServerSession()
        now = utcnow()
        data = dict(row.data or {})
        if self._expired(app, row, data, now):
            db.session.execute(delete(WebSession).where(WebSession.id == row.id))
            db.session.commit()
            session = ServerSession()
            session["expired"] = bool(data.get("_user_id"))
            return session
        session = ServerSession(data, token=token, row_id=row.id)
        session.user = row.User
        session.touched = now - row.last_seen_at > TOUCH_INTERVAL
        return session

    @staticmethod
    def _open_signed(app: Flask, value: str) -> ServerSession:
        """No max_age: the data grants nothing, so it needs no lifetime besides the
        browser session's, and a clock a little behind another server's would refuse
        a cookie that server just signed (a negative age)."""
        try:
            data = cookie_signer(app).loads(value)
        except BadSignature:  # forged, or signed with another key
            return ServerSession()
        if not isinstance(data, dict) or not set(data) <= ANONYMOUS_KEYS:
            return ServerSession()
        session = ServerSession(data)
        session.in_cookie = True
        return session

    @staticmethod
    def _expired(app: Flask, row, data: dict, now: datetime) -> bool:
        if now - row.last_seen_at > app.config["SESSION_IDLE_TIMEOUT"]:
            return True
        signed_in_at = data.get("signed_in_at")
        if signed_in_at is not None:
            started = datetime.fromisoformat(signed_in_at)
            return now - started > app.config["SESSION_ABSOLUTE_TIMEOUT"]
        return False

    def save_session(self, app: Flask, session: ServerSession, response: Response) -> None:
        name = self.get_cookie_name(app)
        cookie = {
            "domain": self.get_cookie_domain(app),
            "path": self.get_cookie_path(app),
            "secure": self.get_cookie_secure(app),
            "httponly": True,
            "samesite": self.get_cookie_samesite(app),
        }
        if session.destroy_requested or not session:
            if session.row_id:
                db.session.execute(delete(WebSession).where(WebSession.id == session.row_id))
                db.session.commit()
                session.row_id = None
                response.delete_cookie(name, **cookie)
            elif session.in_cookie and not session:
                response.delete_cookie(name, **cookie)
            if not session:
                return
        if _anonymous(session):
            if session.modified:
                response.set_cookie(name, cookie_signer(app).dumps(dict(session)), **cookie)
            return
        now = utcnow()
        user_id = _user_id(session)
        if session.row_id is None or session.rotate_requested:
            if session.row_id:
                db.session.execute(delete(WebSession).where(WebSession.id == session.row_id))
            token = secrets.token_urlsafe(32)
            db.session.add(
                WebSession(id=_digest(token), user_id=user_id, data=dict(session), last_seen_at=now)
            )
            db.session.commit()
            response.set_cookie(name, token, **cookie)
            return
        if session.modified or session.touched:
            written = db.session.execute(
                update(WebSession)
                .where(WebSession.id == session.row_id)
                .values(data=dict(session), user_id=user_id, last_seen_at=now)
            )
            db.session.commit()
            if written.rowcount == 0:  # ended meanwhile (sign-out elsewhere, suspension)
                response.delete_cookie(name, **cookie)


def _user_id(session: ServerSession) -> int | None:
    """The user a session belongs to, also half-way through signing in (after the
    password, before the code or the enrolment), so that ending a user's sessions after
    a password reset or a suspension ends those too."""
    value = (
        session.get("_user_id") or session.get("pending_user_id") or session.get("enrol_user_id")
    )
    return int(value) if value is not None else None


def end_sessions_of(user_id: int) -> None:
    """End every session of a user at once; the caller commits."""
    db.session.execute(delete(WebSession).where(WebSession.user_id == user_id))


def purge_expired() -> int:
    """Delete sessions idle for longer than the idle timeout; the caller commits."""
    idle = current_app.config["SESSION_IDLE_TIMEOUT"]
    result = db.session.execute(delete(WebSession).where(WebSession.last_seen_at < utcnow() - idle))
    return result.rowcount or 0
