"""The applicants' accounts: registration with a confirmation link, sign-in, the documents
they keep, and the retention of accounts nobody uses any more.

Applicants are not officers (app/models/epc.py): they sign in here, with the officers'
password rules and hashing (app/accounts/credentials.py), into a session that names
only their account (`epc_applicant_id`). Nothing of the officers' side reads that key.

Retention: an unconfirmed account is deleted when its link expires (48 hours). A
confirmed account, with its documents, is deleted 3 years after its last use, once no
application of it is still kept (Regulation (EU) No 1024/2012, Article 14: data is
deleted 3 years after the exchange closed; the applications follow app/records/retention.py).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import asdict
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import exists, func, select

from app.accounts import credentials
from app.cases import attachments
from app.cases.epc.lifecycle import EpcError
from app.cases.epc.notices import mail
from app.extensions import db
from app.models import EpcApplicant, EpcApplication, EpcDocument
from app.models.base import utcnow
from app.records import audit

CONFIRM_HOURS = 48
MAX_DOCUMENTS = 20
KEPT_AFTER_LAST_USE = relativedelta(years=3)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def register(email: str, full_name: str, password: str, language: str) -> EpcApplicant | None:
    """A new unconfirmed account, its confirmation link mailed; None (and no mail, and the
    same answer to the visitor) when the address has an account already. Commits."""
    email = email.strip()
    taken = db.session.scalar(
        select(EpcApplicant.id).where(func.lower(EpcApplicant.email) == email.lower())
    )
    if taken is not None:
        return None
    token = secrets.token_urlsafe(16)
    applicant = EpcApplicant(
        email=email,
        full_name=full_name.strip()[:200],
        language=language,
        password_hash=credentials.hash_password(password),
        confirm_hash=_hash(token),
        confirm_expires_at=utcnow() + timedelta(hours=CONFIRM_HOURS),
    )
    db.session.add(applicant)
    db.session.flush()
    mail(email, "epc_confirm", language, token=token, hours=CONFIRM_HOURS)
    db.session.commit()
    return applicant


def confirm(token: str) -> EpcApplicant | None:
    """The account a valid confirmation token names, now confirmed (commits); else None."""
    if not token or len(token) > 64:
        return None
    applicant = db.session.scalar(
        select(EpcApplicant).where(EpcApplicant.confirm_hash == _hash(token))
    )
    if applicant is None or applicant.confirm_expires_at < utcnow():
        return None
    applicant.confirm_hash = None
    applicant.confirm_expires_at = None
    applicant.confirmed_at = applicant.active_at = utcnow()
    db.session.commit()
    return applicant


def authenticate(email: str, password: str) -> EpcApplicant | None:
    """The confirmed account of these credentials, or None (the same time either way)."""
    applicant = db.session.scalar(
        select(EpcApplicant).where(func.lower(EpcApplicant.email) == email.strip().lower())
    )
    stored = applicant.password_hash if applicant else None

    class _Holder:
        password_hash = stored

    if not credentials.check_password(_Holder() if applicant else None, password):
        return None
    if applicant is None or applicant.confirmed_at is None:
        return None
    applicant.active_at = utcnow()
    db.session.commit()
    return applicant


def get(applicant_id: int | None) -> EpcApplicant | None:
    if applicant_id is None:
        return None
    applicant = db.session.get(EpcApplicant, applicant_id)
    return applicant if applicant is not None and applicant.confirmed_at else None


def add_documents(applicant: EpcApplicant, files, limit: int | None = None) -> list[EpcDocument]:
    """Store files (FileStorage-like) in the applicant's account; EpcError names the
    first refusal, and then none is kept. The caller commits."""
    files = [f for f in files if f and getattr(f, "filename", "")]
    if len(applicant.documents) + len(files) > MAX_DOCUMENTS:
        raise EpcError("too_many")
    stored = []
    for file in files:
        try:
            stored.append(attachments.store(file.filename, file.stream, limit))
        except attachments.AttachmentError as error:
            for done in stored:
                attachments.path_for(done.storage_name).unlink(missing_ok=True)
            raise EpcError(error.code) from None
    added = [EpcDocument(**asdict(file)) for file in stored]
    applicant.documents.extend(added)
    applicant.active_at = utcnow()
    return added


def own_document(applicant: EpcApplicant, document_id: int) -> EpcDocument | None:
    """One of the applicant's own documents, or None (another's is not found)."""
    return db.session.scalar(
        select(EpcDocument).where(
            EpcDocument.id == document_id, EpcDocument.applicant_id == applicant.id
        )
    )


def deletable(applicant: EpcApplicant) -> bool:
    """Whether the applicant may delete their account now: no application of theirs is
    kept (an application is the authorities' record, kept on the retention schedule; the
    account goes with it then, by `purge`)."""
    return not db.session.scalar(select(_kept_application(applicant.id)))


def delete(applicant: EpcApplicant) -> bool:
    """The applicant deletes their account and documents (GDPR Art 17), when `deletable`.
    Commits; False (nothing changed) otherwise."""
    if not deletable(applicant):
        return False
    _delete([applicant])
    return True


def purge(as_of: datetime | None = None) -> int:
    """Delete unconfirmed accounts whose link expired, and confirmed accounts unused for
    3 years that no kept application names; their files too. Commits; how many."""
    now = as_of or utcnow()
    has_application = _kept_application(EpcApplicant.id)
    expired = db.session.scalars(
        select(EpcApplicant).where(
            (EpcApplicant.confirmed_at.is_(None) & (EpcApplicant.confirm_expires_at < now))
            | ((EpcApplicant.active_at < now - KEPT_AFTER_LAST_USE) & ~has_application)
        )
    ).all()
    _delete(expired)
    return len(expired)


def _kept_application(applicant_id):
    """EXISTS an application of the applicant (an id or a correlated column) still kept."""
    return exists().where(
        EpcApplication.applicant_id == applicant_id, EpcApplication.erased_at.is_(None)
    )


def _delete(applicants: list[EpcApplicant]) -> None:
    """Delete the accounts with their documents (rows, then files, once committed)."""
    names = [d.storage_name for a in applicants for d in a.documents]
    for applicant in applicants:
        audit.record("epc_applicant.deleted", object_type="epc_applicant", object_id=applicant.id)
        db.session.delete(applicant)
    db.session.commit()
    for name in names:
        attachments.path_for(name).unlink(missing_ok=True)
