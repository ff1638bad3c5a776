"""A request's states and timeline events in the reader's words (the case page, the
inbox, the PDF record and pages that list several kinds of case say the same)."""

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from app.models import RequestState

STATE_LABELS = {
    RequestState.DRAFT: _l("Draft"),
    RequestState.SENT: lazy_pgettext("request state", "Sent"),
    RequestState.ACCEPTED: lazy_pgettext("request state", "Accepted"),
    RequestState.INFO_REQUESTED: _l("More information requested"),
    RequestState.ANSWERED: lazy_pgettext("request state", "Answered"),
    RequestState.CLOSED: lazy_pgettext("request state", "Closed"),
    RequestState.WITHDRAWN: lazy_pgettext("request state", "Withdrawn"),
    RequestState.REFUSED: lazy_pgettext("request state", "Refused"),
}

EVENT_LABELS = {
    "sent": _l("Request sent"),
    "assigned": _l("Assigned to a handler"),
    "accepted": _l("Request accepted"),
    "date_agreed": _l("New reply date agreed"),
    "date_refused": _l("New reply date refused"),
    "forwarded": _l("Forwarded"),
    "split": _l("Questions moved to a linked request"),
    "split_from": _l("Created from questions of another request"),
    "info_requested": _l("More information requested"),
    "info_given": _l("Information given"),
    "answered": _l("Reply sent"),
    "further_question": _l("Further question"),
    "closed": _l("Closed"),
    "withdrawn": _l("Withdrawn"),
    "refused": _l("Execution refused"),
    "referred": _l("Disagreement referred to the coordinators"),
    "resolved": _l("Resolution recorded"),
    "attachment": _l("File added"),
}
