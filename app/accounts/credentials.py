"""Passwords, TOTP second factor, recovery codes and attempt throttling."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

import pyotp
import segno
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import delete, func, select, update
from zxcvbn import zxcvbn

from app.accounts import ratelimit
from app.extensions import db
from app.models import RecoveryCode, User
from app.models.base import utcnow

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 128
RECOVERY_CODES = 10
# zxcvbn raises on longer input (its matching grows fast with length); the first
# characters of a long passphrase are enough to judge it.
GUESSABILITY_CHECKED_LENGTH = 72

# Argon2id at RFC 9106's second recommended option: 3 passes over 64 MiB, 4 lanes.
HASHER = PasswordHasher(time_cost=3, memory_cost=65536, parallelism=4)
_hasher = HASHER
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


def unused_recovery_codes(user: User, codes: list[str]) -> list[str]:
    """Those of `codes` that are the user's unused recovery codes, in their order: what a
    page showing them may hand back as a file, and nothing else."""
    unused = set(
        db.session.scalars(
            select(RecoveryCode.code_hash).where(
                RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
            )
        )
    )
    return [code for code in codes[:RECOVERY_CODES] if _code_hash(code) in unused]


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
#
# Known devices (OWASP's "device cookies"): a browser that completed a sign-in keeps a
# signed cookie naming the account (as a keyed hash) and a random device id. Its
# attempts on that account count against the device alone. So failures from its
# address (an office behind one NAT address; every user, behind a proxy without
# BEHIND_PROXY=1) or against its account never lock its user out, and guessing from
# it is still limited. Anyone else, a new browser included, gets the limits above.

DEVICE_LIFETIME = timedelta(days=180)


def _account(account: str) -> str:
    return account.strip().casefold()[:200]


def _sign_in_keys(
    account: str, address: str, device: str | None
) -> list[tuple[str, tuple[str, ...]]]:
    if device:
        return [("sign_in.device", (device,))]
    return [
        ("sign_in.account_address", (_account(account), address)),
        ("sign_in.address", (address,)),
        ("sign_in.account", (_account(account),)),
    ]


def reserve_attempt(
    account: str, address: str, device: str | None = None
) -> list[ratelimit.Use] | None:
    """Count the attempt as a failure before evaluating it; None if over a limit. Commits."""
    return ratelimit.take_all(_sign_in_keys(account, address, device))


def not_a_failure(attempt: list[ratelimit.Use]) -> None:
    """The attempt succeeded: uncount it. Commits."""
    ratelimit.give_back(attempt)


def clear_failures(account: str, address: str, device: str | None = None) -> None:
    """A success clears this address's (or device's) count for the account, not the
    global counts."""
    rule, parts = _sign_in_keys(account, address, device)[0]
    ratelimit.clear(rule, *parts)


def _devices() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="openimi-device")


def device_cookie(account: str) -> str:
    """A new known-device cookie for a browser that just signed in to `account`."""
    return _devices().dumps(
        {"account": ratelimit.key_of("device", _account(account)), "id": secrets.token_hex(16)}
    )


def known_device(cookie: str | None, account: str) -> str | None:
    """The device id of the cookie if it was given for `account`, else None."""
    try:
        data = _devices().loads(cookie or "", max_age=int(DEVICE_LIFETIME.total_seconds()))
    except BadData:
        return None
    expected = ratelimit.key_of("device", _account(account))
    if not isinstance(data, dict) or not hmac.compare_digest(str(data.get("account")), expected):
        return None
    return str(data.get("id"))
