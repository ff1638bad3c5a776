"""The words of the home page's tasks and of the waiting list (app/cases/waiting.py).

Each task has a name for the task list ("Requests to accept", shown with "none" when
nothing waits) and its count in words ("3 requests to accept", what a screen reader
reads), one plural-aware string per task: the noun decides the plural forms.
"""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext, pgettext

from app.cases.public.labels import STATE_LABELS as PUBLIC_STATES
from app.cases.requests.labels import STATE_LABELS as REQUEST_STATES
from app.models import PublicCaseState, RequestState

LABELS = {
    "request_accept": _l("Requests to accept"),
    "request_allocate": _l("Requests not assigned yet"),
    "request_answer": _l("Requests to answer"),
    "request_overdue": _l("Overdue requests"),
    "request_info": _l("Requests waiting for your information"),
    "request_date": _l("New reply dates to decide"),
    "request_answered": _l("Answered requests to close"),
    "request_referral": _l("Disagreements referred to you"),
    "alert_validate": _l("Alerts to validate"),
    "alert_disseminate": _l("Alerts to disseminate"),
    "alert_acknowledge": _l("Alerts to acknowledge"),
    "public_new": _l("New public cases to accept"),
    "public_open": _l("Public cases in progress"),
    "registrations": _l("Registrations to decide"),
}

COUNTED: dict[str, Callable[[int], str]] = {
    "request_accept": lambda n: ngettext(
        "%(num)s request to accept", "%(num)s requests to accept", n
    ),
    "request_allocate": lambda n: ngettext(
        "%(num)s request not assigned yet", "%(num)s requests not assigned yet", n
    ),
    "request_answer": lambda n: ngettext(
        "%(num)s request to answer", "%(num)s requests to answer", n
    ),
    "request_overdue": lambda n: ngettext("%(num)s overdue request", "%(num)s overdue requests", n),
    "request_info": lambda n: ngettext(
        "%(num)s request waiting for your information",
        "%(num)s requests waiting for your information",
        n,
    ),
    "request_date": lambda n: ngettext(
        "%(num)s new reply date to decide", "%(num)s new reply dates to decide", n
    ),
    "request_answered": lambda n: ngettext(
        "%(num)s answered request to close", "%(num)s answered requests to close", n
    ),
    "request_referral": lambda n: ngettext(
        "%(num)s disagreement referred to you", "%(num)s disagreements referred to you", n
    ),
    "alert_validate": lambda n: ngettext(
        "%(num)s alert to validate", "%(num)s alerts to validate", n
    ),
    "alert_disseminate": lambda n: ngettext(
        "%(num)s alert to disseminate", "%(num)s alerts to disseminate", n
    ),
    "alert_acknowledge": lambda n: ngettext(
        "%(num)s alert to acknowledge", "%(num)s alerts to acknowledge", n
    ),
    "public_new": lambda n: ngettext(
        "%(num)s new public case to accept", "%(num)s new public cases to accept", n
    ),
    "public_open": lambda n: ngettext(
        "%(num)s public case in progress", "%(num)s public cases in progress", n
    ),
    "registrations": lambda n: ngettext(
        "%(num)s registration to decide", "%(num)s registrations to decide", n
    ),
}

# Why a case waits, in the waiting list.
REASONS = {
    "request_accept": _l("To accept"),
    "request_answer": _l("To answer"),
    "request_info": REQUEST_STATES[RequestState.INFO_REQUESTED],
    "request_date": _l("New reply date proposed"),
    "request_answered": _l("Answer received"),
    "request_referral": _l("Disagreement referred to you"),
    "alert_validate": _l("To validate"),
    "alert_disseminate": _l("To disseminate"),
    "alert_acknowledge": _l("To acknowledge"),
    "public_new": _l("To accept"),
    "public_open": PUBLIC_STATES[PublicCaseState.IN_PROGRESS],
}


def counted(name: str, count: int) -> str:
    return COUNTED[name](count)


def none() -> str:
    # Translators: shown beside a task (such as "Requests to accept") when no case waits.
    return pgettext("nothing waiting", "none")
