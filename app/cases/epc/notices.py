"""What the applicant and the officers of an EPC application are told. Mails go to the
outbox inside the change's transaction and leave once it commits; none holds details of
the application (the reader signs in to see them)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.accounts.memberships import officers_with
from app.extensions import db
from app.mail import queue_mail
from app.models import EpcApplication

NOTICES = {
    "transferred": _l("An application for a European Professional Card has been transferred to your authority for a decision."),
    "tacit": _l("Your authority did not decide within the legal period: the European Professional Card has been issued by law."),
    "documents_added": _l("The applicant has added documents to an application for a European Professional Card."),
    "new": _l("A new application for a European Professional Card has arrived for your authority."),
}  # fmt: skip


def mail(recipient: str, template: str, language: str, **context) -> None:
    if db.session.info.get("openimi_no_mail"):  # demo data is not announced
        return
    queue_mail(recipient, template, language, **context)


def notify_officers(authority_id: int, case: EpcApplication, notice: str) -> None:
    for user in officers_with(authority_id, "handler", "allocator"):
        mail(
            user.email,
            "epc_notice",
            user.language,
            notice=NOTICES[notice],
            reference=case.reference,
            case_id=case.id,
        )


def notify(case: EpcApplication, to: str, what: str) -> None:
    """The lifecycle's notices: the applicant is told that something changed; the home
    or host authority's officers what happened."""
    if to == "applicant":
        applicant = case.applicant
        mail(
            applicant.email,
            "epc_update",
            applicant.language,
            reference=case.reference,
            application_id=case.id,
        )
    elif to == "home":
        notify_officers(case.home_authority_id, case, what)
    else:
        notify_officers(case.host_authority_id, case, what)
