"""SOLVIT as it works: two centres, four clocks, four outcomes.

A SOLVIT complaint is a public case with a second centre. The applicant writes to the
SOLVIT centre of their own country, the home centre (the case's routed authority): it
contacts them within 7 days, checks that the problem is within SOLVIT's scope (if not,
it closes the case as "not within scope", with a reason the applicant reads), prepares
the case and submits it within 30 days of receipt to the lead centre, the SOLVIT centre
of the country where the problem arose. The lead centre accepts or rejects it within one
week (a rejection, with its reason, sends the case back to the home centre) and aims to
solve it within 10 weeks of accepting it. The two centres write to each other on the
case; the applicant talks only to the home centre and never reads those messages. The
home centre closes the case with its outcome, and may hand a structural problem to the
Commission's SOLVIT desk with a summary.

Why not a kind of its own: a SOLVIT case is submitted, confirmed, followed and answered
exactly as every public case (tokens, documents, retention, search, PDF): only the
officers' side has more steps. They are rows of the public lifecycle's table, which a
guard keeps to SOLVIT procedures (`is_solvit`), and the columns they need are on
public_case.

Where the centres are: a country's SOLVIT centre is the active authority holding
responder access to the SOLVIT procedure, an authority marked in the directory with the
competence "area.solvit" first (the demo marks them so). The Commission's SOLVIT desk is
the active Commission authority (AuthorityKind.COMMISSION) marked with the same
competence: it sees only the summaries handed to it, never the case.

The clocks are calendar days: neither source counts working days. The Commission's
SOLVIT pages (https://ec.europa.eu/solvit/how-solvit-works/) say the home centre
contacts the applicant "within a week" and the lead centre confirms "within a week"
whether it accepts, and the target is "10 weeks from when the lead SOLVIT centre
accepts"; the Single Market Scoreboard's SOLVIT indicators (https://ec.europa.eu/
internal_market/scoreboard/performance_by_governance_tool/solvit/) set the home
centre's first reply within 7 days and submission within 30 days. The principles
are Commission Recommendation 2013/461/EU (the pack cites both).
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import exists, select

from app.extensions import db
from app.models import (
    Authority,
    AuthorityCompetence,
    AuthorityKind,
    AuthorityStatus,
    PublicCase,
)
from app.models import PublicCaseState as S
from app.models.base import utcnow

PROCEDURES = frozenset({"solvit_complaint"})
CENTRE_CONCEPT = "area.solvit"

# clock -> calendar days (see above); the lead centre's clocks bind the lead centre.
CLOCKS = {
    "contact": 7,
    "submit": 30,
    "accept": 7,
    "solve": 70,
}
LEAD_CLOCKS = frozenset({"accept", "solve"})

# Outcomes, and the states the home centre may close with each.
HOME_STAGE = (S.SUBMITTED, S.IN_PROGRESS, S.AWAITING_SUBMITTER)
OUTCOMES = {
    "resolved": (S.LEAD_WORKING,),
    "unresolved": (S.LEAD_WORKING,),
    "not_within_scope": HOME_STAGE,
    "structural_problem": (S.LEAD_WORKING,),
}
# Outcomes whose closing note the applicant must get (the reason).
NEEDS_REASON = frozenset({"not_within_scope"})

# Timeline events the applicant never sees: the centres' exchanges.
INTERNAL_EVENTS = frozenset(
    {"sent_to_lead", "lead_accepted", "lead_rejected", "centre_message", "handed_over"}
)


def is_solvit(case: PublicCase) -> bool:
    return case.procedure_key in PROCEDURES


def may_hand_over(_actor, case: PublicCase) -> bool:
    return is_solvit(case) and case.outcome == "structural_problem" and case.desk_id is None


def solvit_guard(_actor, case: PublicCase) -> bool:
    return is_solvit(case)


# --- the centres ----------------------------------------------------------------------


def marked():
    """SQL: the authority is marked in the directory as a SOLVIT centre (or desk)."""
    return exists().where(
        AuthorityCompetence.authority_id == Authority.id,
        AuthorityCompetence.concept_key == CENTRE_CONCEPT,
    )


def desk() -> Authority | None:
    """The Commission's SOLVIT desk."""
    return db.session.scalar(
        select(Authority)
        .where(
            Authority.kind == AuthorityKind.COMMISSION,
            Authority.status == AuthorityStatus.ACTIVE,
            marked(),
        )
        .order_by(Authority.name, Authority.id)
        .limit(1)
    )


# --- the clocks -----------------------------------------------------------------------


def _day(at) -> date:
    return at.date() if at is not None else utcnow().date()


def clock_of(case: PublicCase) -> tuple[str | None, date | None]:
    """The clock that runs in the case's state, and its date."""
    if case.state == S.SUBMITTED:
        return "contact", _day(case.submitted_at) + timedelta(days=CLOCKS["contact"])
    if case.state in (S.IN_PROGRESS, S.AWAITING_SUBMITTER):
        return "submit", _day(case.submitted_at) + timedelta(days=CLOCKS["submit"])
    if case.state == S.WITH_LEAD:
        return "accept", _day(case.sent_to_lead_at) + timedelta(days=CLOCKS["accept"])
    if case.state == S.LEAD_WORKING:
        return "solve", _day(case.lead_accepted_at) + timedelta(days=CLOCKS["solve"])
    return None, None


def set_clock(case: PublicCase) -> bool:
    """Start the clock of the case's state (its reminders not yet sent); True when it
    changed."""
    if not is_solvit(case):
        return False
    found = clock_of(case)
    if found == (case.clock, case.due_on):
        return False
    case.clock, case.due_on = found
    case.reminders_sent = []
    return True


def overdue(case: PublicCase, today: date | None = None) -> bool:
    return case.due_on is not None and case.is_open and case.due_on < (today or utcnow().date())


def clock_owner(case: PublicCase) -> int | None:
    """The authority the running clock binds: the lead centre's clocks, else the home
    centre's."""
    return case.lead_authority_id if case.clock in LEAD_CLOCKS else case.authority_id
