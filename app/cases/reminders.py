"""Reminders of a case's date (a request's reply date, an alert's send-by date): what is
due to whom, and when, written once for every kind.

Three reminders lead up to the date: "soon" (on a day the kind chooses, before it), "due"
(on it) and "overdue" (the day after). Each goes out once (the case's `reminders_sent`),
while the case still waits in one of the kind's pending states, and only until the next
one's day: a reminder that comes late is superseded by the next one ("soon" is not sent
on the date itself, "due" not after it).

Reminders are RQ jobs scheduled for their day (the worker runs with the scheduler), and
`remind_all` sends whatever is due as well (cron, or the embedded mode that has no
scheduler). Both go through `remind`, which is idempotent: a reminder already sent, or
no longer due (the case moved on, its date changed), is not sent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import Enum
from typing import Any

from rq import Retry
from sqlalchemy import select

from app.extensions import db

KINDS = ("soon", "due", "overdue")
# Reminders go out in the morning, Central European time being UTC+1 or +2.
HOUR_UTC = 6


@dataclass(frozen=True)
class Reminders:
    """The reminders of one kind of case.

    kind: the kind's name in the registry (app/cases/registry.py).
    model: the case's table; it has `state` and `reminders_sent`.
    date: the name of the date column the reminders lead up to.
    pending: the states in which the date still binds.
    soon: the day of the "soon" reminder of a case, before its date.
    send: the notices of one reminder ("soon", "due", "overdue"), in the caller's
        transaction.
    ahead: "soon" comes at most this long before the date (bounds `remind_all`).
    """

    kind: str
    model: type
    date: str
    pending: tuple[Enum, ...]
    soon: Callable[[Any], date]
    send: Callable[[Any, str], None]
    ahead: timedelta

    def deadline(self, case: Any) -> date | None:
        return getattr(case, self.date)

    def day(self, case: Any, which: str) -> date:
        """The day a reminder is due."""
        if which == "soon":
            return self.soon(case)
        deadline = self.deadline(case)
        return deadline if which == "due" else deadline + timedelta(days=1)

    def due(self, case: Any, which: str, today: date) -> bool:
        """Whether the reminder goes out `today`: pending, not yet sent, its day come and
        the next reminder's day not yet."""
        if (
            case.state not in self.pending
            or self.deadline(case) is None
            or which in case.reminders_sent
            or today < self.day(case, which)
        ):
            return False
        later = KINDS[KINDS.index(which) + 1 :]
        return not later or today < self.day(case, later[0])

    def schedule(self, case: Any) -> None:
        """Queue the reminders of the case's current date, for their day, after commit."""
        from app.jobs import schedule_after_commit
        from app.jobs.reminders import remind_job

        if self.deadline(case) is None:
            return
        for which in KINDS:
            at = datetime.combine(self.day(case, which), time(HOUR_UTC), UTC)
            schedule_after_commit(
                remind_job,
                at,
                self.kind,
                case.id,
                which,
                retry=Retry(max=3, interval=[60, 600, 3600]),
            )

    def remind(self, case_id: int, which: str, today: date) -> bool:
        """Send one reminder if it is due and not yet sent; True when sent. Commits."""
        case = db.session.get(self.model, case_id, with_for_update=True)
        if case is None or not self.due(case, which, today):
            db.session.rollback()
            return False
        case.reminders_sent = [*case.reminders_sent, which]
        self.send(case, which)
        db.session.commit()
        return True

    def remind_all(self, today: date) -> int:
        """Every reminder of the kind due `today` that has not gone out yet."""
        column = getattr(self.model, self.date)
        ids = list(
            db.session.scalars(
                select(self.model.id).where(
                    self.model.state.in_(self.pending),
                    column.is_not(None),
                    column <= today + self.ahead,
                )
            )
        )
        return sum(self.remind(case_id, which, today) for case_id in ids for which in KINDS)


def of_kind(name: str) -> Reminders | None:
    from app.cases import registry

    entry = registry.kind(name)
    return entry.reminders if entry is not None else None


def remind(kind: str, case_id: int, which: str, today: date) -> bool:
    """One reminder of a case of any kind (the reminder job)."""
    reminders = of_kind(kind)
    return reminders is not None and reminders.remind(case_id, which, today)


def remind_all(today: date) -> int:
    """Every kind's reminders due `today` that have not gone out yet."""
    from app.cases import registry

    return sum(
        entry.reminders.remind_all(today)
        for entry in registry.kinds().values()
        if entry.reminders is not None
    )
