"""The states of a public case in the officers' words: the case page, the inbox, the PDF
and the pages that list several kinds say the same; so do SOLVIT's outcomes and clocks."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from app.models import PublicCaseState

STATE_LABELS = {
    PublicCaseState.SUBMITTED: lazy_pgettext("public case state", "New"),
    PublicCaseState.IN_PROGRESS: _l("In progress"),
    PublicCaseState.AWAITING_SUBMITTER: _l("Waiting for the submitter"),
    # SOLVIT (app/cases/public/solvit.py)
    PublicCaseState.WITH_LEAD: _l("Waiting for the lead centre's acceptance"),
    PublicCaseState.LEAD_WORKING: _l("With the lead centre"),
    PublicCaseState.CLOSED: lazy_pgettext("public case state", "Closed"),
}

# SOLVIT (app/cases/public/solvit.py)
OUTCOME_LABELS = {
    "resolved": _l("Resolved"),
    "unresolved": _l("Unresolved"),
    "not_within_scope": _l("Not within SOLVIT's scope"),
    "structural_problem": _l("Structural problem"),
}
CLOCK_LABELS = {
    "contact": _l("Contact the applicant (7 days from receipt)"),
    "submit": _l("Submit the case to the lead centre (30 days from receipt)"),
    "accept": _l("Accept or reject the case (1 week from submission)"),
    "solve": _l("Solve the case (10 weeks from acceptance)"),
}
