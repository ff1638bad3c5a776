"""The periods of an EPC application as dates, and how each was computed.

The Directive counts in calendar weeks and months (Arts 4b(3), 4c(1), 4d), not in
working days: a period ends on the same day of the week or of the month as the day it
starts from. A period whose last day is a Saturday, a Sunday or a public holiday of the
acting authority's country ends at the end of its next working day (Regulation (EEC,
Euratom) No 1182/71, Article 3(4)). The page shows this computation as it was done.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from app.cases.deadlines import public_holidays
from app.procedures.epc import Period

# The rule that moves a period's end off a non-working day.
ROLL_BASIS = "Regulation (EEC, Euratom) No 1182/71, Article 3(4)"


@dataclass(frozen=True)
class Due:
    """A due date: `period` counted from `start`, ending on `end` in the calendar, moved
    to `due` if `end` is not a working day in `country` (`skipped` says why)."""

    start: date
    period: Period
    country: str
    end: date
    due: date
    skipped: tuple[tuple[date, str], ...]


def add(start: date, period: Period, country: str, times: int = 1) -> Due:
    """`times` the period after `start`, in `country`'s calendar."""
    step = (
        relativedelta(months=period.amount * times)
        if period.unit == "months"
        else relativedelta(weeks=period.amount * times)
    )
    end = start + step
    return roll(start, period, country, end)


def roll(start: date, period: Period, country: str, end: date) -> Due:
    calendar = public_holidays(country, range(end.year, end.year + 2))
    day, skipped = end, []
    while day.weekday() >= 5 or day in calendar:
        skipped.append((day, calendar.get(day, "")))
        day += timedelta(days=1)
    return Due(start, period, country, end, day, tuple(skipped))
