"""The reminders engine's rule of when (no database): each reminder from its day until
the next one's day supersedes it, once, and only while the case waits."""

from datetime import date, timedelta
from enum import Enum
from types import SimpleNamespace

import pytest

from app.cases.reminders import Reminders


class St(Enum):
    WAITING = "waiting"
    DONE = "done"


DATE = date(2027, 3, 10)
RULE = Reminders(
    "toy",
    object,
    "due_on",
    (St.WAITING,),
    soon=lambda case: case.due_on - timedelta(days=3),
    send=lambda case, which: None,
    ahead=timedelta(days=3),
)


def case(state=St.WAITING, sent=(), due_on=DATE):
    return SimpleNamespace(state=state, reminders_sent=list(sent), due_on=due_on)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (DATE - timedelta(days=4), set()),
        (DATE - timedelta(days=3), {"soon"}),
        (DATE - timedelta(days=1), {"soon"}),
        # on the date "due" supersedes "soon", and after it "overdue" supersedes "due"
        (DATE, {"due"}),
        (DATE + timedelta(days=1), {"overdue"}),
        (DATE + timedelta(days=30), {"overdue"}),
    ],
)
def test_each_reminder_is_due_from_its_day_until_the_next_ones(today, expected):
    due = {which for which in ("soon", "due", "overdue") if RULE.due(case(), which, today)}
    assert due == expected


def test_a_reminder_goes_out_once_and_only_while_the_case_waits():
    assert not RULE.due(case(sent=["overdue"]), "overdue", DATE + timedelta(days=2))
    assert not RULE.due(case(state=St.DONE), "due", DATE)
    assert not RULE.due(case(due_on=None), "overdue", DATE)
