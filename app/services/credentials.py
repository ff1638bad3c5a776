"""Passwords, TOTP second factor, recovery codes and attempt throttling."""

from __future__ import annotations

import hashlib
import hmac
import secrets

import pyotp
import segno
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update
from zxcvbn import zxcvbn

from app.extensions import db
from app.models import RecoveryCode, User
from app.models.base import utcnow
from app.services import ratelimit

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 128
RECOVERY_CODES = 10
# zxcvbn raises on longer input (its matching grows fast with length); the first
# characters of a long passphrase are enough to judge it.
GUESSABILITY_CHECKED_LENGTH = 72

_hasher = PasswordHasher()
# Verified against when the account does not exist, so both paths take the same time.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(user: User | None, password: str) -> bool:
    stored = user.password_hash if user and user.password_hash else _DUMMY_HASH
    try:
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False
    if user is None or not user.password_hash:
        return False
    if _hasher.check_needs_rehash(stored):
        user.password_hash = _hasher.hash(password)
    return True


def password_problem(password: str, *, hints: tuple[str, ...] = ()) -> str | None:
    """Why a new password is refused, or None. Length first, then guessability
    (zxcvbn's lists hold the most common passwords, names and words)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return str(_l("Use at least 12 characters."))
    if len(password) > MAX_PASSWORD_LENGTH:
        return str(_l("Use at most 128 characters."))
    checked = password[:GUESSABILITY_CHECKED_LENGTH]
    if zxcvbn(checked, user_inputs=[h for h in hints if h])["score"] < 3:
        return str(
            _l("This password is too common or too easy to guess. Try a few unrelated words.")
        )
    return None


# --- TOTP -----------------------------------------------------------------------------

ISSUER = "OpenIMI"


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(user: User, secret: str, training: bool = False) -> str:
    issuer = f"{ISSUER} training" if training else ISSUER
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=issuer)


def totp_qr_data_uri(uri: str) -> str:
    """The QR code as an SVG data URI: shown with <img>, no JavaScript, no inline markup."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def verify_totp(user: User, secret: str, code: str) -> bool:
    """Accept the current code or one step either side, and never the same step twice."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return False
    totp = pyotp.TOTP(secret)
    now = utcnow()
    current = totp.timecode(now)
    for step in (current - 1, current, current + 1):
        if step <= user.totp_last_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            return _claim_step(user, step)
    return False


def _claim_step(user: User, step: int) -> bool:
    """Record the step as used, if no parallel request did first. One conditional UPDATE
    and its row count decide, on both databases: the database serializes the two writes
    and the second finds the condition false (FOR UPDATE would do nothing on SQLite)."""
    claimed = db.session.execute(
        update(User)
        .where(User.id == user.id, User.totp_last_step < step)
        .values(totp_last_step=step)
    )
    return claimed.rowcount == 1


# --- recovery codes -------------------------------------------------------------------


def _code_hash(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").strip().lower().encode()).hexdigest()


def new_recovery_codes(user: User) -> list[str]:
    """Replace a user's recovery codes with 10 new single-use ones, shown once."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = secrets.token_hex(5)
        codes.append(f"{raw[:5]}-{raw[5:]}")
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_code_hash(raw)))
    return codes


def use_recovery_code(user: User, code: str) -> bool:
    """Spend one unused recovery code; a conditional UPDATE, like _claim_step: the same
    code sent twice in parallel is spent once."""
    spent = db.session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _code_hash(code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
    )
    return spent.rowcount == 1


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(
        select(func.count()).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )


# --- throttling -----------------------------------------------------------------------
# Limits per window (ratelimit.RULES). A guesser from one address is stopped after a few
# tries; one account attacked from many addresses is slowed, but only for the window,
# and the per-account limit sits well above what the per-address limit lets one address
# do, so an attacker cannot lock the real user out for long (ASVS 6.1.1: no lockout DoS).
# Each attempt is reserved before it is evaluated (counting after let parallel guesses
# through); an attempt that was not a failure is given back.


def _sign_in_keys(account: str, address: str) -> list[tuple[str, tuple[str, ...]]]:
    account = account.strip().casefold()[:200]
    return [
        ("sign_in.account_address", (account, address)),
        ("sign_in.address", (address,)),
        ("sign_in.account", (account,)),
    ]


def reserve_attempt(account: str, address: str) -> list[ratelimit.Use] | None:
    """Count the attempt as a failure before evaluating it; None if over a limit. Commits."""
    return ratelimit.take_all(_sign_in_keys(account, address))


def not_a_failure(attempt: list[ratelimit.Use]) -> None:
    """The attempt succeeded: uncount it. Commits."""
    ratelimit.give_back(attempt)


def clear_failures(account: str, address: str) -> None:
    """A success clears this address's count for the account (not the global counts)."""
    rule, parts = _sign_in_keys(account, address)[0]
    ratelimit.clear(rule, *parts)
