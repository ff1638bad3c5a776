"""What the submitter and the officers of a public case are told, and the tokens the
submitter's mails carry (see the package docstring on tokens).

Only SHA-256 hashes of tokens are stored, so every mail that carries a link carries a new
token. Mails go to the outbox inside the change's transaction, and leave once it commits.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask_babel import lazy_gettext as _l

from app.accounts.memberships import officers_with
from app.cases import reminders
from app.cases.areas import area_of
from app.cases.public import solvit
from app.extensions import db
from app.mail import queue_mail
from app.models import PublicCase, PublicCaseState

# What happened, as the officers' notice says it.
NOTICES = {
    "new": _l("A new public case has arrived for your authority."),
    "submitter_replied": _l("The submitter of a public case has written to you."),
    # SOLVIT: what one centre tells the other, and the desk.
    "lead_submitted": _l("A SOLVIT centre has submitted a case to your centre as lead centre."),
    "lead_accepted": _l("The lead centre has accepted a SOLVIT case of your centre."),
    "lead_rejected": _l("The lead centre has rejected a SOLVIT case of your centre."),
    "centre_message": _l("The other SOLVIT centre has written to you on a case."),
    "handed_over": _l("A SOLVIT centre has handed a structural problem to the Commission."),
    "reminder_soon": _l("The deadline of a SOLVIT case of your centre is near."),
    "reminder_due": _l("The deadline of a SOLVIT case of your centre is today."),
    "reminder_overdue": _l("A SOLVIT case of your centre is overdue."),
}
# The submitter's mail for each notice of the lifecycle.
SUBMITTER_MAILS = {"update": "public_update"}


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(16)  # 16 bytes = 128 bits
    return token, hash_token(token)


def mail(recipient: str, template: str, language: str, **context) -> None:
    if db.session.info.get("openimi_no_mail"):  # demo data is not announced
        return
    queue_mail(recipient, template, language, **context)


def mail_link(case: PublicCase, template: str = "public_link", pending: bool = False) -> str:
    """A new tracking token, mailed; returned, for the page of the submitter who caused
    it. It replaces the link at once, or, `pending` (a lost-link mail), when it is first
    opened."""
    token, digest = new_token()
    if pending:
        case.pending_token_hash = digest
    else:
        case.token_hash, case.pending_token_hash = digest, None
    mail(case.submitter_email, template, case.language, reference=case.reference, token=token)
    return token


def notify_officers(case: PublicCase, notice: str, authority_id: int | None = None) -> None:
    """The handlers of the routed authority (or of `authority_id`), or its allocators
    where it has no handler, holding their role in the case's area."""
    area = area_of(case.procedure_key)
    for user in officers_with(authority_id or case.authority_id, "handler", "allocator", area=area):
        mail(
            user.email,
            "public_notice",
            user.language,
            notice=NOTICES[notice],
            reference=case.reference,
            case_id=case.id,
        )


def notify(case: PublicCase, to: str, what: str) -> None:
    """The lifecycle's notices: to the "submitter" a mail with a new link, to the
    "officers" a notice without details of the case."""
    if to == "submitter":
        mail_link(case, SUBMITTER_MAILS[what])
    elif to == "lead":
        notify_officers(case, what, case.lead_authority_id)
        case.lead_unread = True
    elif to == "desk":
        notify_officers(case, what, case.desk_id)
    else:
        notify_officers(case, what)
        case.unread = True


def _remind(case: PublicCase, which: str) -> None:
    """A SOLVIT clock's reminder, to the centre it binds."""
    notify_officers(case, f"reminder_{which}", solvit.clock_owner(case))


# The SOLVIT clocks' reminders: two days before the date, on it and the day after.
REMINDERS = reminders.Reminders(
    "public_case",
    PublicCase,
    "due_on",
    (
        PublicCaseState.SUBMITTED,
        PublicCaseState.IN_PROGRESS,
        PublicCaseState.AWAITING_SUBMITTER,
        PublicCaseState.WITH_LEAD,
        PublicCaseState.LEAD_WORKING,
    ),
    soon=lambda case: case.due_on - timedelta(days=2),
    send=_remind,
    ahead=timedelta(days=2),
)


def reschedule(case: PublicCase) -> None:
    """The lifecycle's scheduler: a SOLVIT case's clock follows its state, and a new
    clock has its reminders queued."""
    if solvit.set_clock(case):
        REMINDERS.schedule(case)
