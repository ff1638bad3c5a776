"""Which period of the pack applies to an application at each stage, and its due date in
the acting authority's country (app/cases/epc/deadlines.py computes the dates)."""

from __future__ import annotations

from datetime import date

from app.cases.epc import deadlines
from app.cases.epc.deadlines import Due
from app.models import EpcApplication, EpcState
from app.procedures.epc import EpcSettings, Period
from app.procedures.store import pinned_pack

TEMPORARY = "temporary"


def settings_of(case: EpcApplication) -> EpcSettings:
    return pinned_pack(case.procedure_key, case.pack_version).epc


def _day(moment) -> date:
    return moment.date()


def acknowledge_due(case: EpcApplication) -> Due:
    """One week from receipt (Art 4b(3)), in the home country."""
    period = settings_of(case).periods["acknowledge"]
    return deadlines.add(_day(case.submitted_at), period, case.home_country)


def home_period(case: EpcApplication) -> Period:
    """Three weeks to issue a temporary card (Art 4c(1)), else one month to verify and
    transfer (Art 4d(1))."""
    periods = settings_of(case).periods
    return periods["home_issue"] if case.purpose == TEMPORARY else periods["home_verify"]


def home_due(case: EpcApplication, start: date) -> Due:
    """The home period from `start`: the receipt of the missing documents or, when none
    were asked for, the end of the acknowledgement week (Arts 4c(1), 4d(1))."""
    return deadlines.add(start, home_period(case), case.home_country)


def host_period(case: EpcApplication) -> Period:
    """Two months where the host may impose compensation measures or check a service
    with implications for public health or safety (Art 4d(3)); one month otherwise
    (Art 4d(2))."""
    settings = settings_of(case)
    longer = (
        case.purpose == "temporary_public_health"
        or case.profession in settings.compensation_professions
    )
    return settings.periods["host_decide_compensation" if longer else "host_decide"]


def host_due(case: EpcApplication) -> Due:
    """The host's period from the transfer, with its extensions (Art 4d(5)), in the host
    country."""
    start = _day(case.transferred_at)
    base = deadlines.add(start, host_period(case), case.host_country)
    if not case.extensions:
        return base
    extension = settings_of(case).periods["extension"]
    return deadlines.add(base.end, extension, case.host_country, times=case.extensions)


def current(case: EpcApplication) -> tuple[str, Due | None] | None:
    """The period running now, as (who acts, its due date), or None. While documents the
    home authority listed are missing, its period has not started (due None)."""
    if case.state == EpcState.SUBMITTED:
        return "home", acknowledge_due(case)
    if case.state == EpcState.ACKNOWLEDGED:
        start = home_start(case)
        return "home", None if start is None else home_due(case, start)
    if case.state == EpcState.TRANSFERRED:
        return "host", host_due(case)
    return None


def home_start(case: EpcApplication) -> date | None:
    """When the home period started: the receipt of the documents the acknowledgement
    listed as missing (None until they came), else the end of the acknowledgement week."""
    if not case.missing_documents:
        return acknowledge_due(case).end
    added = [e.at for e in case.events if e.kind == "documents_added"]
    return _day(max(added)) if added else None
