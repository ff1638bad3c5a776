"""Where a notification goes: the packs an authority may notify under, the Commission desk
that assesses it, the authority that receives it in a Member State, and the coordinator
that validates it.

The Commission desks: authorities of kind COMMISSION, one per policy area, each holding
`notification_assessor` for the procedures of its area (granted like any procedure
access); a notification goes to the desk holding it for its procedure, and no other
desk sees it. In a Member State it goes to the authority holding
`notification_receiver` for the procedure (the lowest id, coordinators included), else to
the national coordinator. It is validated by the country's coordinator holding
`notification_coordinator` for the procedure, else by its national coordinator.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.cases.deadlines import add_working_days, public_holidays
from app.cases.notifications.lifecycle import NotificationError
from app.cases.packs import Opening, holders
from app.extensions import db
from app.models import COMMISSION, Authority, AuthorityKind, AuthorityStatus
from app.policy import Actor
from app.procedures import Pack

COORDINATOR_KINDS = (AuthorityKind.NATIONAL_COORDINATOR, AuthorityKind.DELEGATED_COORDINATOR)

OPENING = Opening(
    "notification", officer_role="handler", access_role="notifier", error=NotificationError
)


def notifiable_packs(actor: Actor) -> list[Pack]:
    """The notification procedures the actor's authority may notify under."""
    return OPENING.packs(actor)


def national_coordinator(country: str) -> Authority | None:
    return db.session.scalars(
        select(Authority)
        .where(
            Authority.kind == AuthorityKind.NATIONAL_COORDINATOR,
            Authority.status == AuthorityStatus.ACTIVE,
            Authority.country == country,
        )
        .order_by(Authority.id)
    ).first()


def commission_desk(procedure_key: str) -> Authority | None:
    """The Commission desk that assesses notifications of the procedure."""
    found = holders(
        procedure_key,
        "notification_assessor",
        Authority.kind == AuthorityKind.COMMISSION,
        order_by=(Authority.id,),
    )
    return found[0] if found else None


def receiving_authority(procedure_key: str, country: str) -> Authority | None:
    if country == COMMISSION:
        return None
    found = holders(
        procedure_key,
        "notification_receiver",
        Authority.country == country,
        Authority.kind != AuthorityKind.COMMISSION,
        order_by=(Authority.id,),
    )
    return found[0] if found else national_coordinator(country)


def validator(procedure_key: str, country: str) -> Authority | None:
    found = holders(
        procedure_key,
        "notification_coordinator",
        Authority.country == country,
        Authority.kind.in_(COORDINATOR_KINDS),
        order_by=(Authority.kind, Authority.id),
    )
    return found[0] if found else national_coordinator(country)


# --- deadlines ------------------------------------------------------------------------------


def months_after(start: date, months: int, country: str = COMMISSION) -> tuple[date, date]:
    """The last day of a period of `months` months from `start` (Regulation 1182/71 Art
    3(2)(c): the same date `months` later, the month's last day where it has none), and
    the day it ends on: the next working day when that falls on a Saturday, a Sunday or a
    public holiday (Art 3(4)). Returns (the period's date, the day it ends)."""
    month = start.month - 1 + months
    year, month = start.year + month // 12, month % 12 + 1
    day = start.day
    while True:
        try:
            end = date(year, month, day)
            break
        except ValueError:
            day -= 1
    calendar = public_holidays(country, range(end.year, end.year + 2))
    due = end
    while due.weekday() >= 5 or due in calendar:
        due += timedelta(days=1)
    return end, due


def fix_deadlines(item, rules, today: date) -> None:
    """The dates the act sets from the notification, and how each was computed."""
    basis: dict = {}
    if rules is not None and rules.assessment_months:
        end, due = months_after(today, rules.assessment_months)
        item.assess_by = due
        basis["assessment"] = {
            "start": today.isoformat(),
            "months": rules.assessment_months,
            "period_end": end.isoformat(),
            "moved": end != due,
        }
    if rules is not None and rules.standstill_working_days and not item.urgent:
        deadline = add_working_days(today, rules.standstill_working_days, item.notifier_country)
        item.measures_from = deadline.due
        basis["standstill"] = deadline.basis()
    item.deadline_basis = basis
