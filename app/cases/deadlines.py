"""Reply dates in working days of the responder's country, with its public holidays
(the `holidays` package), and a record of how each date was computed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import holidays


@dataclass(frozen=True)
class Deadline:
    start: date
    working_days: int
    country: str
    due: date
    # Public holidays that fell between start and due and were not counted.
    skipped: tuple[tuple[date, str], ...]

    def basis(self) -> dict:
        return {
            "start": self.start.isoformat(),
            "working_days": self.working_days,
            "country": self.country,
            "holidays": [[day.isoformat(), name] for day, name in self.skipped],
        }


def public_holidays(country: str, years: range) -> dict[date, str]:
    """The national public holidays of an EEA country; none for the Commission ("EU")."""
    if country == "EU":
        return {}
    return dict(holidays.country_holidays(country, years=list(years), language="en_US"))


def add_working_days(start: date, working_days: int, country: str) -> Deadline:
    """The date `working_days` working days after `start` (the start day not counted):
    Saturdays, Sundays and the country's public holidays are skipped."""
    calendar = public_holidays(country, range(start.year, start.year + 2 + working_days // 200))
    day, counted, skipped = start, 0, []
    while counted < working_days:
        day += timedelta(days=1)
        if day.weekday() >= 5:
            continue
        if day in calendar:
            skipped.append((day, calendar[day]))
            continue
        counted += 1
    return Deadline(start, working_days, country, day, tuple(skipped))


def working_days_before(due: date, working_days: int, country: str) -> date:
    """The working day `working_days` before `due` (for "reply date approaching")."""
    calendar = public_holidays(country, range(due.year - 1, due.year + 1))
    day, counted = due, 0
    while counted < working_days:
        day -= timedelta(days=1)
        if day.weekday() < 5 and day not in calendar:
            counted += 1
    return day
