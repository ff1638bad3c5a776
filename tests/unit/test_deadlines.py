"""Reply dates in working days, with each country's public holidays."""

from datetime import date

import pytest

from app.cases.deadlines import add_working_days, working_days_before


def test_weekends_do_not_count():
    # Friday + 1 working day is Monday
    assert add_working_days(date(2027, 3, 5), 1, "DE").due == date(2027, 3, 8)


@pytest.mark.parametrize(
    ("country", "start", "days", "due", "holiday"),
    [
        # Christmas Day (Friday 25 Dec 2026) is skipped in Germany
        ("DE", date(2026, 12, 21), 5, date(2026, 12, 29), date(2026, 12, 25)),
        # 1 May 2026 is a Friday: Labour Day in Poland
        ("PL", date(2026, 4, 30), 1, date(2026, 5, 4), date(2026, 5, 1)),
        # 17 May 2027 (Monday) is Norway's Constitution Day
        ("NO", date(2027, 5, 14), 1, date(2027, 5, 18), date(2027, 5, 17)),
        # 14 July 2027 (Wednesday) is the French national day
        ("FR", date(2027, 7, 13), 1, date(2027, 7, 15), date(2027, 7, 14)),
    ],
)
def test_the_responders_public_holidays_do_not_count(country, start, days, due, holiday):
    deadline = add_working_days(start, days, country)
    assert deadline.due == due
    assert holiday in [day for day, _name in deadline.skipped]
    basis = deadline.basis()
    assert basis["country"] == country and basis["working_days"] == days
    assert basis["holidays"][0][0] == holiday.isoformat()


def test_a_holiday_of_another_country_counts():
    # 14 July is a working day in Germany
    deadline = add_working_days(date(2027, 7, 13), 1, "DE")
    assert deadline.due == date(2027, 7, 14) and deadline.skipped == ()


def test_twenty_working_days_span_a_year_end():
    deadline = add_working_days(date(2026, 12, 15), 20, "AT")
    # 26 Dec 2026 is a Saturday: only the three weekday holidays are skipped
    assert [name for _day, name in deadline.skipped] == [
        "Christmas Day",
        "New Year's Day",
        "Epiphany",
    ]
    assert deadline.due == date(2027, 1, 15)


def test_the_commission_has_only_weekends():
    assert add_working_days(date(2026, 12, 24), 1, "EU").due == date(2026, 12, 25)


def test_working_days_before_skips_back_over_holidays():
    # Two working days before Tuesday 29 Dec 2026 in Germany: Monday 28, then Thursday 24
    assert working_days_before(date(2026, 12, 29), 2, "DE") == date(2026, 12, 24)
