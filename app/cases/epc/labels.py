"""The states and timeline events of an EPC application in the readers' words: the case
page, the applicant's page and the PDF say the same."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from app.models import EpcState

STATE_LABELS = {
    EpcState.SUBMITTED: _l("Waiting for acknowledgement by the home authority"),
    EpcState.ACKNOWLEDGED: _l("Being verified by the home authority"),
    EpcState.TRANSFERRED: _l("Waiting for the host authority's decision"),
    EpcState.ISSUED: _l("Card issued"),
    EpcState.REFUSED: lazy_pgettext("epc", "Refused"),
    EpcState.REVOKED: _l("Card revoked"),
    EpcState.EXPIRED: _l("Card expired"),
}

EVENT_LABELS = {
    "submitted": _l("Application submitted"),
    "acknowledged": _l("Receipt acknowledged"),
    "transferred": _l("Transferred to the host authority"),
    "issued": _l("Card issued"),
    "issued_tacitly": _l("Card issued by law: no decision within the legal period"),
    "refused": lazy_pgettext("epc", "Refused"),
    "extended": _l("Period extended by the host authority"),
    "revoked": _l("Card revoked"),
    "expired": _l("Card expired"),
    "alert_linked": _l("Alert linked to the card"),
    "documents_added": _l("Documents added by the applicant"),
}

PURPOSE_LABELS = {
    "temporary": _l("Temporary and occasional provision of services"),
    "temporary_public_health": _l("Temporary provision of services with implications for public health or safety"),
    "establishment": _l("Establishment"),
}  # fmt: skip
