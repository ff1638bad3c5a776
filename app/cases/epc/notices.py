"""What the applicant and the officers of an EPC application are told. Mails go to the
outbox inside the change's transaction and leave once it commits; none holds details of
the application (the reader signs in to see them)."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import lazy_gettext as _l

from app.accounts.memberships import officers_with
from app.cases.reminders import Reminders
from app.extensions import db
from app.mail import queue_mail
from app.models import EpcApplication, EpcState

NOTICES = {
    "transferred": _l("An application for a European Professional Card has been transferred to your authority for a decision."),
    "tacit": _l("Your authority did not decide within the legal period: the European Professional Card has been issued by law."),
    "documents_added": _l("The applicant has added documents to an application for a European Professional Card."),
    "new": _l("A new application for a European Professional Card has arrived for your authority."),
    # Reminders of the period that runs (app/cases/epc/periods.py)
    "reminder_soon": _l("The period of your authority for an application for a European Professional Card ends in three days."),
    "reminder_due": _l("The period of your authority for an application for a European Professional Card ends today."),
    "reminder_overdue": _l("The period of your authority for an application for a European Professional Card has ended."),
    "host_reminder_soon": _l("The period for deciding on an application for a European Professional Card ends in three days: without a decision, the card is issued by law."),
    "host_reminder_due": _l("The period for deciding on an application for a European Professional Card ends today: without a decision, the card is issued by law."),
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


def _remind(case: EpcApplication, which: str) -> None:
    """The authority whose period runs: the host authority's ends in tacit recognition
    (the day after, the card is issued by law, so it gets no "overdue")."""
    if case.state == EpcState.TRANSFERRED:
        if which != "overdue":  # the tacit recognition's own notice says it
            notify_officers(case.host_authority_id, case, f"host_reminder_{which}")
    else:
        notify_officers(case.home_authority_id, case, f"reminder_{which}")


# The end of the home or host authority's period: three days before, on it and the day
# after, while the application waits for that authority.
REMINDERS = Reminders(
    "epc_application",
    EpcApplication,
    "due_on",
    (EpcState.SUBMITTED, EpcState.ACKNOWLEDGED, EpcState.TRANSFERRED),
    soon=lambda case: case.due_on - timedelta(days=3),
    send=_remind,
    ahead=timedelta(days=3),
)


def period(case: EpcApplication) -> tuple[bool, object]:
    """The period that runs: the host's or the home's, and its end."""
    return case.state == EpcState.TRANSFERRED, case.due_on


def new_period(case: EpcApplication, before: tuple[bool, object]) -> None:
    """After a change of the case (`before`: its period before): when another period
    runs, none of its reminders is sent yet, and its reminders are queued."""
    if period(case) != before:
        case.reminders_sent = []
        REMINDERS.schedule(case)
