"""The submitter's side of a public case: submitting, confirming the address, following
the case through the private link, replying, asking for a lost link; and the purge of
cases never confirmed.

The submitter has no account. Their confirmation and replies still go through the
lifecycle, as the side "submitter" with no actor (see lifecycle.py): a closed case refuses
their reply and documents there, as it refuses an officer's.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import func, or_, select

from app.accounts import ratelimit
from app.cases import attachments, fields
from app.cases.public import documents
from app.cases.public.lifecycle import LIFECYCLE, MAX_FIELD, MAX_NAME, MAX_TEXT, PublicError
from app.cases.public.notices import hash_token, mail, mail_link, new_token
from app.cases.public.routing import competent_authority, public_pack
from app.extensions import db
from app.models import PublicCase, PublicCaseState
from app.models.base import utcnow
from app.procedures.store import pin_version
from app.records import retention
from app.translation import languages

CONFIRM_HOURS = 48
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass
class Submission:
    procedure_key: str
    country: str
    name: str
    email: str
    language: str
    details: dict[str, str]
    description: str
    files: list  # FileStorage objects
    # Files held while the form came back with an error (app/cases/held.py).
    held: list = field(default_factory=list)


def _new_reference() -> str:
    while True:
        reference = "PUB-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(10))
        if (
            db.session.scalar(select(PublicCase.id).where(PublicCase.reference == reference))
            is None
        ):
            return reference


def submit(submission: Submission) -> PublicCase:
    """Create the unconfirmed case and mail the confirmation link; commits."""
    pack = public_pack(submission.procedure_key)
    if pack is None:
        raise PublicError("procedure")
    authority = competent_authority(pack.key, submission.country)
    if authority is None:
        raise PublicError("country")
    # The web form has typed the details and asked for the required ones already; this
    # keeps any other caller from storing a value of the wrong type.
    details, errors = fields.typed_fields(pack.fields, submission.details, MAX_FIELD)
    if "type" in errors.values():
        raise PublicError("details")
    pin_version(pack)
    confirm, confirm_hash = new_token()
    _unused, token_hash = new_token()
    case = PublicCase(
        reference=_new_reference(),
        procedure_key=pack.key,
        pack_version=pack.version,
        country=submission.country,
        authority_id=authority.id,
        submitter_name=submission.name[:MAX_NAME],
        submitter_email=submission.email,
        language=submission.language,
        details=details,
        description=submission.description[:MAX_TEXT],
        token_hash=token_hash,
        confirm_hash=confirm_hash,
        confirm_expires_at=utcnow() + timedelta(hours=CONFIRM_HOURS),
    )
    db.session.add(case)
    try:
        documents.store(case, submission.files)
        documents.adopt(case, submission.held)
    except PublicError:
        db.session.rollback()
        raise
    db.session.flush()
    mail(
        case.submitter_email,
        "public_confirm",
        case.language,
        reference=case.reference,
        token=confirm,
        hours=CONFIRM_HOURS,
    )
    db.session.commit()
    return case


def unconfirmed(token: str) -> PublicCase | None:
    case = db.session.scalar(select(PublicCase).where(PublicCase.confirm_hash == hash_token(token)))
    if case is None or case.state != PublicCaseState.UNCONFIRMED:
        return None
    if case.confirm_expires_at is None or case.confirm_expires_at < utcnow():
        return None
    return case


def _as_submitter(case: PublicCase, action: str, text: str = "", data: dict | None = None):
    """The submitter's action, checked already: the lifecycle's change, in the case's
    language (the submitter has no account to tell how to read their text), left unread
    for the officers; commits."""
    event = LIFECYCLE.perform(None, case, action, text, data=data, checked=True, commit=False)
    event.language = languages.detect(event.text, case.language)
    case.unread = True
    db.session.commit()


def confirm(case: PublicCase) -> str:
    """The submitter confirmed their address: route the case, mail the tracking link;
    returns the link's token, for the page that follows to link to the case (commits)."""
    LIFECYCLE.require(None, case, "confirm")
    case.confirm_hash = None
    case.confirm_expires_at = None
    case.submitted_at = utcnow()
    token = mail_link(case)
    _as_submitter(case, "confirm")
    return token


def by_token(token: str) -> PublicCase | None:
    """The confirmed case of a tracking token, or None (wrong, replaced or unconfirmed).
    The first use of a lost-link mail's token makes it the link (commits)."""
    if not token or len(token) > 64:
        return None
    digest = hash_token(token)
    case = db.session.scalar(
        select(PublicCase).where(
            or_(PublicCase.token_hash == digest, PublicCase.pending_token_hash == digest)
        )
    )
    if case is None or case.state == PublicCaseState.UNCONFIRMED or retention.is_blocked(case):
        return None
    if case.pending_token_hash == digest:
        case.token_hash, case.pending_token_hash = digest, None
        db.session.commit()
    return case


def submitter_reply(case: PublicCase, text: str, files) -> None:
    """The submitter's message and documents, while the case is open; commits."""
    LIFECYCLE.require(None, case, "submitter_reply")
    text = text.strip()[:MAX_TEXT]
    files = documents.chosen(files)
    if not text and not files:
        raise PublicError("text")
    before = len(case.documents)
    try:
        documents.store(case, files)
    except PublicError:
        db.session.rollback()
        raise
    _as_submitter(case, "submitter_reply", text, {"documents": len(case.documents) - before})


def record_submitter_read(case: PublicCase, action: str, **details) -> None:
    """A read through the private link: no account, so no actor; the case says whose."""
    LIFECYCLE.audit(None, case, action, **details)
    db.session.commit()


def lost_link(email: str) -> None:
    """Mail a new link to every confirmed case of `email` (nothing if there is none); the
    current links keep working until the new ones are opened."""
    email = email.strip()
    cases = db.session.scalars(
        select(PublicCase).where(
            func.lower(PublicCase.submitter_email) == email.lower(),
            PublicCase.state != PublicCaseState.UNCONFIRMED,
            retention.live(PublicCase),
        )
    )
    for case in cases:
        mail_link(case, pending=True)
    db.session.commit()


def purge_unconfirmed() -> int:
    """Delete the cases whose confirmation expired, their files and expired rate-limit
    counters; commits. Returns how many cases were deleted."""
    now = utcnow()
    expired = db.session.scalars(
        select(PublicCase).where(
            PublicCase.state == PublicCaseState.UNCONFIRMED,
            PublicCase.confirm_expires_at < now,
        )
    ).all()
    names = [d.storage_name for case in expired for d in case.documents]
    for case in expired:
        db.session.delete(case)
    ratelimit.purge()
    db.session.commit()
    for name in names:
        attachments.path_for(name).unlink(missing_ok=True)
    return len(expired)
