"""A notification's states and timeline events in the reader's words: its page, the PDF
record and the audit trail say the same."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from app.models import NotificationState

S = NotificationState

STATE_LABELS = {
    S.DRAFT: _l("Draft"),
    S.ASKED: _l("Member State of establishment asked to act"),
    S.AWAITING_VALIDATION: _l("Awaiting validation"),
    S.NOTIFIED: lazy_pgettext("notification state", "Notified"),
    S.ASSESSED: _l("Assessment concluded"),
    S.OBJECTED: _l("Objected to by the Commission"),
    S.WITHDRAWN: lazy_pgettext("notification state", "Withdrawn"),
}

EVENT_LABELS = {
    "asked": _l("Member State of establishment asked to act"),
    "replied": _l("Reply of the Member State of establishment"),
    "submitted": _l("Submitted for validation"),
    "validated": _l("Validated"),
    "returned": _l("Returned by the validating coordinator"),
    "notified": _l("Notified to the Commission and the Member States"),
    "comment": _l("Comment"),
    "concluded": _l("Assessment concluded"),
    "objected": _l("Objected to by the Commission"),
    "withdrawn": _l("Notification withdrawn"),
}
