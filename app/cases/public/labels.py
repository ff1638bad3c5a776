"""The states of a public case in the officers' words: the case page, the inbox, the PDF
and the pages that list several kinds say the same."""

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
