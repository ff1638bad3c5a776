"""Signing in (password, then TOTP), password reset and first TOTP enrolment."""

from __future__ import annotations

import hashlib
import secrets

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.exc import SQLAlchemyError

from app.accounts import credentials, ratelimit
from app.extensions import db
from app.mail import queue_mail
from app.models import PasswordReset, User
from app.models.accounts import UserStatus
from app.models.base import utcnow
from app.records import audit
from app.sessions import end_sessions_of


class Throttled(Exception):
    """Too many failed attempts from this address or for this account."""


class ThrottleUnavailable(Throttled):
    """The attempt could not be counted (the counters did not answer): it is refused,
    not evaluated. Sign-in fails closed: no password is checked without its limit."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def _reserve(account: str, address: str, device: str | None) -> list[ratelimit.Use]:
    """Count the attempt before it is evaluated (see credentials.reserve_attempt)."""
    try:
        attempt = credentials.reserve_attempt(account, address, device)
    except SQLAlchemyError:
        current_app.logger.exception("sign-in refused: its attempt could not be counted")
        db.session.rollback()
        raise ThrottleUnavailable from None
    if attempt is None:
        raise Throttled
    return attempt


def check_password_step(
    email: str, password: str, address: str, device: str | None = None
) -> User | None:
    """First factor. Returns the user, or None for any failure (no enumeration).
    `device`: the id of the browser's known-device cookie for this account, if any."""
    attempt = _reserve(email, address, device)
    user = user_by_email(email)
    ok = credentials.check_password(user, password)
    if not ok or user is None or user.status == UserStatus.SUSPENDED or not user.password_hash:
        audit.record("auth.password_failed", actor_id=user.id if user else None, address=address)
        db.session.commit()
        return None
    db.session.commit()
    credentials.not_a_failure(attempt)
    return user


def check_code_step(user: User, code: str, address: str, device: str | None = None) -> bool:
    """Second factor: a TOTP code, or one of the user's single-use recovery codes."""
    attempt = _reserve(user.email, address, device)
    ok = bool(user.totp_secret) and credentials.verify_totp(user, user.totp_secret, code)
    used_recovery = False
    if not ok and len(code.strip()) > 6:
        ok = used_recovery = credentials.use_recovery_code(user, code)
    if not ok:
        audit.record("auth.code_failed", actor_id=user.id, address=address)
        db.session.commit()
        return False
    credentials.clear_failures(user.email, address, device)
    audit.record("auth.signed_in", actor_id=user.id, address=address, recovery_code=used_recovery)
    db.session.commit()
    credentials.not_a_failure(attempt)
    return True


def request_password_reset(email: str, language: str) -> None:
    """Mail a reset link if the account exists; the caller says the same thing either way."""
    user = user_by_email(email)
    if user is None or user.status != UserStatus.ACTIVE:
        return
    token = secrets.token_urlsafe(32)
    db.session.add(
        PasswordReset(
            token_hash=token_hash(token),
            user_id=user.id,
            expires_at=utcnow() + current_app.config["PASSWORD_RESET_LIFETIME"],
        )
    )
    queue_mail(user.email, "password_reset", user.language, user=user, token=token)
    audit.record("auth.reset_requested", actor_id=user.id)
    db.session.commit()


def valid_reset(token: str) -> PasswordReset | None:
    reset = db.session.scalar(
        select(PasswordReset).where(PasswordReset.token_hash == token_hash(token))
    )
    if reset is None or reset.used_at is not None or reset.expires_at < utcnow():
        return None
    return reset


def reset_password(reset: PasswordReset, password: str) -> User:
    """Set the new password; this link and any other open link of the user stop working."""
    user = db.session.get(User, reset.user_id)
    user.password_hash = credentials.hash_password(password)
    db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
        .values(used_at=utcnow())
    )
    end_sessions_of(user.id)
    audit.record("auth.password_reset", actor_id=user.id)
    db.session.commit()
    return user


def confirm_totp(user: User, secret: str, code: str, address: str) -> list[str] | None:
    """Finish TOTP enrolment: keep the secret, activate the account, issue recovery codes."""
    attempt = _reserve(user.email, address, None)
    if not credentials.verify_totp(user, secret, code):
        db.session.commit()
        return None
    user.totp_secret = secret
    user.totp_enrolled = True
    if user.status == UserStatus.INVITED:
        user.status = UserStatus.ACTIVE
    codes = credentials.new_recovery_codes(user)
    audit.record("auth.totp_enrolled", actor_id=user.id)
    db.session.commit()
    credentials.not_a_failure(attempt)
    return codes
