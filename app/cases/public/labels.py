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
    PublicCaseState.CLOSED: lazy_pgettext("public case state", "Closed"),
}
