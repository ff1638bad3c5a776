"""Public cases: what external actors (citizens, companies) submit through the public
interface, and how officers handle it.

Routing: the competent authority is the first active authority, by name, of the chosen
country that holds `responder` access to the procedure (coordinators decide who holds
that access). A country without one cannot be chosen.

Tokens: the submitter confirms with a single-use token mailed to them (valid 48 hours);
the case is then followed through a private tracking link holding a 128-bit random
token. Only SHA-256 hashes are stored, so every mail that carries a link carries a new
token, and the newest mail always holds a link that works:
- A mail the case's own course sends (confirmation, an officer's action) replaces the
  link at once: the previous link stops working.
- A lost-link mail, which anyone who knows the submitter's address can ask for, must not
  cut the submitter off. Its token waits as pending: the current link keeps working
  until the new one is first opened, and from then on only the new one works. A newer
  lost-link request replaces the pending token; a mail of the case's course drops it.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from app.accounts import ratelimit
from app.cases import attachments
from app.cases.paging import Keyset
from app.cases.requests import RequestError, responders, validate_answer
from app.cases.requests.notices import _members_with
from app.extensions import db
from app.mail import queue_mail
from app.models import (
    Authority,
    PublicCase,
    PublicCaseEvent,
    PublicCaseState,
    PublicDocument,
)
from app.models.base import utcnow
from app.policy import Actor
from app.procedures import Pack, registry
from app.procedures.store import pin_version, pinned_pack
from app.records import audit, retention
from app.translation import languages

CONFIRM_HOURS = 48
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
# Limits of every public form.
MAX_TEXT = 10000
MAX_FIELD = 2000
MAX_NAME = 200
MAX_DOCUMENTS = 5
# What happened, as the officers' notice says it.
NOTICES = {
    "new": _l("A new public case has arrived for your authority."),
    "submitter_replied": _l("The submitter of a public case has written to you."),
}


class PublicError(Exception):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def _mail(recipient: str, template: str, language: str, **context) -> None:
    if db.session.info.get("openimi_no_mail"):  # demo data is not announced
        return
    queue_mail(recipient, template, language, **context)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(16)  # 16 bytes = 128 bits
    return token, hash_token(token)


def _new_reference() -> str:
    while True:
        reference = "PUB-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(10))
        if (
            db.session.scalar(select(PublicCase.id).where(PublicCase.reference == reference))
            is None
        ):
            return reference


# --- procedures and routing -----------------------------------------------------------


def public_packs() -> list[Pack]:
    packs = registry(current_app).values()
    return sorted((p for p in packs if p.kind == "public"), key=lambda p: p.key)


def public_pack(key: str) -> Pack | None:
    pack = registry(current_app).get(key)
    return pack if pack is not None and pack.kind == "public" else None


def competent_authority(procedure_key: str, country: str) -> Authority | None:
    candidates = [a for a in responders(procedure_key) if a.country == country]
    return min(candidates, key=lambda a: (a.name, a.id)) if candidates else None


def countries_for(procedure_key: str) -> list[str]:
    return sorted({a.country for a in responders(procedure_key)})


def typed_fields(pack: Pack, values: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """The pack's fields typed, and an error code per field ("type" or "required")."""
    details, errors = {}, {}
    for field in pack.fields:
        try:
            typed = validate_answer(field, values.get(field.key, "")[:MAX_FIELD])
        except RequestError:
            errors[field.key] = "type"
            continue
        if typed is None:
            if field.required:
                errors[field.key] = "required"
        else:
            details[field.key] = typed
    return details, errors


# --- the submitter's side -------------------------------------------------------------


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


def _store_documents(case: PublicCase, files, user_id: int | None = None) -> None:
    files = [f for f in files if f and f.filename]
    # Each side has its own quota: the authority's files never use up the submitter's.
    same_side = [d for d in case.documents if (d.uploaded_by_id is None) == (user_id is None)]
    if len(same_side) + len(files) > MAX_DOCUMENTS:
        raise PublicError("too_many")
    limit = current_app.config.get("PUBLIC_DOCUMENT_MAX_BYTES")
    stored = []
    for file in files:
        try:
            stored.append(attachments.store(file.filename, file.stream, limit))
        except attachments.AttachmentError as error:
            for done in stored:
                attachments.path_for(done.storage_name).unlink(missing_ok=True)
            raise PublicError(error.code) from None
    for s in stored:
        case.documents.append(
            PublicDocument(
                filename=s.filename,
                content_type=s.content_type,
                size=s.size,
                sha256=s.sha256,
                storage_name=s.storage_name,
                uploaded_by_id=user_id,
            )
        )


def submit(submission: Submission) -> PublicCase:
    """Create the unconfirmed case and mail the confirmation link; commits."""
    pack = public_pack(submission.procedure_key)
    if pack is None:
        raise PublicError("procedure")
    authority = competent_authority(pack.key, submission.country)
    if authority is None:
        raise PublicError("country")
    pin_version(pack)
    confirm, confirm_hash = _new_token()
    _unused, token_hash = _new_token()
    case = PublicCase(
        reference=_new_reference(),
        procedure_key=pack.key,
        pack_version=pack.version,
        country=submission.country,
        authority_id=authority.id,
        submitter_name=submission.name[:MAX_NAME],
        submitter_email=submission.email,
        language=submission.language,
        details=submission.details,
        description=submission.description[:MAX_TEXT],
        token_hash=token_hash,
        confirm_hash=confirm_hash,
        confirm_expires_at=utcnow() + timedelta(hours=CONFIRM_HOURS),
    )
    db.session.add(case)
    try:
        _store_documents(case, submission.files)
    except PublicError:
        db.session.rollback()
        raise
    db.session.flush()
    _mail(
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


def _mail_link(case: PublicCase, template: str = "public_link", pending: bool = False) -> None:
    """A new tracking token, mailed. It replaces the link at once, or, `pending` (a
    lost-link mail), when it is first opened (see the module docstring)."""
    token, digest = _new_token()
    if pending:
        case.pending_token_hash = digest
    else:
        case.token_hash, case.pending_token_hash = digest, None
    _mail(case.submitter_email, template, case.language, reference=case.reference, token=token)


def _notify_officers(case: PublicCase, notice: str) -> None:
    authority = case.authority_id
    for user in _members_with(authority, "handler") or _members_with(authority, "allocator"):
        _mail(
            user.email,
            "public_notice",
            user.language,
            notice=NOTICES[notice],
            reference=case.reference,
            case_id=case.id,
        )


def confirm(case: PublicCase) -> None:
    """The submitter confirmed their address: route the case, mail the tracking link."""
    now = utcnow()
    case.state = PublicCaseState.SUBMITTED
    case.confirm_hash = None
    case.confirm_expires_at = None
    case.submitted_at = case.updated_at = now
    case.unread = True
    case.events.append(PublicCaseEvent(kind="submitted", language=case.language))
    _mail_link(case)
    _notify_officers(case, "new")
    db.session.commit()


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
    text = text.strip()[:MAX_TEXT]
    files = [f for f in files if f and f.filename]
    if case.state == PublicCaseState.CLOSED:
        raise PublicError("state")
    if not text and not files:
        raise PublicError("text")
    before = len(case.documents)
    try:
        _store_documents(case, files)
    except PublicError:
        db.session.rollback()
        raise
    case.events.append(
        PublicCaseEvent(
            kind="submitter_message",
            text=text,
            language=languages.detect(text, case.language),
            data={"documents": len(case.documents) - before},
        )
    )
    if case.state == PublicCaseState.AWAITING_SUBMITTER:
        case.state = PublicCaseState.IN_PROGRESS
    case.updated_at = utcnow()
    case.unread = True
    _notify_officers(case, "submitter_replied")
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
        _mail_link(case, pending=True)
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


# --- the officers' side ---------------------------------------------------------------


# The officers' inbox: newest activity first.
OFFICER_ORDER = Keyset(PublicCase.id, PublicCase.updated_at)


def officer_cases(actor: Actor, state: str | None = None, after: str = ""):
    """The query of the cases routed to the actor's authority, newest activity first;
    `after` ("<ISO time>_<id>", the last row of the previous page) pages by keyset."""
    query = select(PublicCase).where(
        PublicCase.authority_id == actor.authority.id,
        PublicCase.state != PublicCaseState.UNCONFIRMED,
        retention.live(PublicCase),
    )
    if state == "open":
        query = query.where(PublicCase.state != PublicCaseState.CLOSED)
    elif state in {s.value for s in PublicCaseState}:
        query = query.where(PublicCase.state == PublicCaseState(state))
    return OFFICER_ORDER.query(query, after)


def cursor_of(case: PublicCase) -> str:
    return OFFICER_ORDER.encode(case)


def visible(actor: Actor, case_id: int) -> PublicCase | None:
    case = db.session.get(PublicCase, case_id)
    if (
        case is None
        or case.authority_id != actor.authority.id
        or case.state == PublicCaseState.UNCONFIRMED
        or retention.is_blocked(case)
    ):
        return None
    return case


def _audit(actor: Actor, case: PublicCase, action: str, **details) -> None:
    audit.by_actor(actor, f"public_case.{action}", "public_case", case.id, **details)


def record_view(actor: Actor, case: PublicCase) -> None:
    _audit(actor, case, "viewed")
    if case.unread:
        case.unread = False
    audit.commit_read()


# action -> states it is possible in
ACTIONS = {
    "accept": (PublicCaseState.SUBMITTED,),
    "ask": (PublicCaseState.SUBMITTED, PublicCaseState.IN_PROGRESS),
    "reply": (
        PublicCaseState.SUBMITTED,
        PublicCaseState.IN_PROGRESS,
        PublicCaseState.AWAITING_SUBMITTER,
    ),
    "close": (
        PublicCaseState.SUBMITTED,
        PublicCaseState.IN_PROGRESS,
        PublicCaseState.AWAITING_SUBMITTER,
    ),
}
ROLE = "handler"


def act(actor: Actor, case: PublicCase, action: str, text: str = "", files=()) -> None:
    """An officer's action; documents (e.g. a decision letter) go with any of them."""
    if not (actor.has(ROLE) or actor.has("allocator")):
        raise PublicError("role")
    if case.state not in ACTIONS[action]:
        raise PublicError("state")
    text = text.strip()[:MAX_TEXT]
    files = [f for f in files if f and f.filename]
    if action in ("ask", "reply") and not text and not files:
        raise PublicError("text")
    _store_documents(case, files, actor.user.id)
    case.state = {
        "accept": PublicCaseState.IN_PROGRESS,
        "ask": PublicCaseState.AWAITING_SUBMITTER,
        "reply": case.state
        if case.state != PublicCaseState.SUBMITTED
        else PublicCaseState.IN_PROGRESS,
        "close": PublicCaseState.CLOSED,
    }[action]
    now = utcnow()
    case.updated_at = now
    if action == "close":
        case.closed_at = now
    case.events.append(
        PublicCaseEvent(
            kind={
                "accept": "accepted",
                "ask": "info_requested",
                "reply": "officer_message",
                "close": "closed",
            }[action],
            user_id=actor.user.id,
            text=text,
            language=languages.detect(text, actor.user.language),
        )
    )
    _audit(actor, case, action)
    _mail_link(case, "public_update")
    db.session.commit()


def record_submitter_read(case: PublicCase, action: str, **details) -> None:
    """A read through the private link: no account, so no actor; the case says whose."""
    audit.record(f"public_case.{action}", object_type="public_case", object_id=case.id, **details)
    db.session.commit()


def record_download(actor: Actor, case: PublicCase, document: PublicDocument) -> None:
    _audit(actor, case, "document_downloaded", document=document.id, sha256=document.sha256)
    db.session.commit()


def pack_of(case: PublicCase) -> Pack:
    return pinned_pack(case.procedure_key, case.pack_version)
