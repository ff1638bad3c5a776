"""Notices of a request: the inbox flag of the side concerned and a mail from the outbox;
and reminders of the reply date (approaching, due, overdue), each sent once by the one
reminders engine (app/cases/reminders.py), scheduled when the request is sent.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.accounts.memberships import officers_with
from app.cases import deadlines
from app.cases.areas import area_of
from app.cases.reminders import Reminders
from app.extensions import db
from app.mail import queue_notice
from app.models import (
    PENDING_REPLY,
    Authority,
    AuthorityKind,
    AuthorityStatus,
    Request,
    User,
)
from app.models.accounts import UserStatus

# What happened, as the mail says it (rendered in the recipient's language).
NOTICES = {
    "new": _l("A new request has arrived for your authority."),
    "assigned": _l("A request has been assigned to you."),
    "accepted": _l("Your request has been accepted."),
    "date_agreed": _l("The requester agreed to the reply date you proposed."),
    "date_refused": _l("The requester refused the reply date you proposed."),
    "forwarded": _l("Your request has been forwarded to another authority."),
    "split": _l("Some questions of your request have been moved to another authority."),
    "info_requested": _l("The responding authority asks for more information."),
    "info_given": _l("The requester has given the information you asked for."),
    "answered": _l("Your request has been answered."),
    "further_question": _l("The requester has asked a further question."),
    "closed": _l("The requester has closed the request."),
    "withdrawn": _l("The requester has withdrawn the request."),
    "refused": _l("The responding authority has refused to execute your request."),
    "referred": _l("A disagreement on a request has been referred to you."),
    "resolved": _l("The coordinators have recorded a resolution of the disagreement."),
    "soon": _l("The reply date of a request is approaching."),
    "due": _l("A request is due for reply today."),
    "overdue": _l("A request is overdue."),
    # The same of a request sent at an urgency level (Directive 2014/67/EU Article 6(6)).
    "urgent_new": _l("An urgent request has arrived for your authority."),
    "urgent_soon": _l("The reply date of an urgent request is the next working day."),
    "urgent_due": _l("An urgent request is due for reply today."),
    "urgent_overdue": _l("An urgent request is overdue."),
}
# What an urgent request's notice says instead.
URGENT = {what: f"urgent_{what}" for what in ("new", "soon", "due", "overdue")}

SOON_WORKING_DAYS = 2
# An urgent request's deadline is days, not weeks: "soon" comes one working day before
# it, the morning after it arrived when it has two (two days before would be the day it
# arrived, when the responder was just told of it).
SOON_WORKING_DAYS_URGENT = 1


def _active(users) -> list[User]:
    return [u for u in users if u and u.status == UserStatus.ACTIVE]


def recipients(request: Request, to: str) -> list[User]:
    if to == "requester":
        return _active([db.session.get(User, request.requester_user_id)])
    if to == "handler" or (to == "responder" and request.handler_id):
        return _active([db.session.get(User, request.handler_id)])
    if to == "responder":
        return officers_with(
            request.responder_authority_id,
            "allocator",
            "handler",
            area=area_of(request.procedure_key),
        )
    if to == "coordinators":
        countries = {request.requester_authority.country, request.responder_authority.country}
        coordinators = db.session.scalars(
            select(Authority).where(
                Authority.kind == AuthorityKind.NATIONAL_COORDINATOR,
                Authority.status == AuthorityStatus.ACTIVE,
                Authority.country.in_(countries),
            )
        )
        return [u for a in coordinators for u in officers_with(a.id, "coordinator")]
    raise ValueError(to)


def notify(request: Request, to: str, what: str) -> None:
    """Flag the inbox of the side concerned and mail its officers, in the caller's
    transaction (the mail leaves after commit)."""
    if to == "requester":
        request.requester_unread = True
    elif to in ("responder", "handler"):
        request.responder_unread = True
    db.session.flush()
    if db.session.info.get("openimi_no_mail"):  # demo data is not announced
        return
    if request.urgency:
        what = URGENT.get(what, what)
    queue_notice(recipients(request, to), "request", request, NOTICES[what])
    _translate_incoming(request, to)


def _translate_incoming(request: Request, to: str) -> None:
    """The request's message and the newest event's text, into the languages of the
    receiving officers who asked for incoming text in their language."""
    from app.translation import texts as translations

    receiving = {
        "requester": request.requester_authority_id,
        "responder": request.responder_authority_id,
        "handler": request.responder_authority_id,
    }.get(to)
    if receiving is None:
        return
    latest = request.events[-1] if request.events else None
    translations.auto_translate(receiving, [("request", request), ("request_event", latest)])


def soon_working_days(request: Request) -> int:
    """How many working days before the reply date "soon" is reminded."""
    return SOON_WORKING_DAYS_URGENT if request.urgency else SOON_WORKING_DAYS


def _soon(request: Request) -> date:
    return deadlines.working_days_before(
        request.reply_due, soon_working_days(request), request.responder_authority.country
    )


def _remind(request: Request, which: str) -> None:
    notify(request, "responder", which)
    if which == "overdue":
        notify(request, "requester", which)


# The reply date: the responder is reminded two working days before it (an urgent
# request's: one), on it and after it; the requester too once it has passed.
REMINDERS = Reminders(
    "request",
    Request,
    "reply_due",
    PENDING_REPLY,
    soon=_soon,
    send=_remind,
    # Two working days: more than two days over a weekend or holidays.
    ahead=timedelta(days=7),
)
schedule_reminders = REMINDERS.schedule
remind = REMINDERS.remind
remind_all = REMINDERS.remind_all  # `flask requests remind`
