"""What the alert views share: loading an alert through the kind's one visibility rule,
and the words for a refused action."""

from __future__ import annotations

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField

from app.blueprints.access import current_actor
from app.cases import registry
from app.forms import Form
from app.models import Alert
from app.records import audit

REFUSALS = {
    "role": _l("Your role does not allow this action on this alert."),
    "state": _l("This action is not possible in the alert's current state."),
    "procedure": _l("Your authority has no access to send alerts of this procedure."),
    "fields": _l("Fill in every required field before you send the alert."),
    "answer_type": _l("The value does not match the field's type."),
    "recipients": _l("Choose at least one recipient country or the Commission."),
    "validator": _l("Your country has no national coordinator to validate the alert."),
    "no_coordinator": _l("A recipient country has no alert coordinator."),
    "authorities": _l("Choose at least one competent authority."),
    "reason": _l("Give the reason."),
    "text": _l("Write your text."),
    "empty": _l("The file is empty."),
    "too_large": _l("The file is too large."),
    "type": _l(
        "This type of file is not accepted: use PDF, an image, an office document or plain text."
    ),
    "unchanged": _l("Nothing has changed: change a field or the text to update the alert."),
}

EXPIRED = _l("The form has expired: please submit it again.")


class CsrfForm(Form):
    """Only the CSRF token: the action forms' values are read from request.form."""


class ComposeForm(CsrfForm):
    """The compose page's own fields (the pack's are a pack form): its files."""

    files = MultipleFileField(_l("Files (optional)"))


def refusal(code: str) -> str:
    """A refused action's code (an AlertError's, a refused file's) in the user's words."""
    return str(REFUSALS.get(code, REFUSALS["state"]))


def visible(alert_id: int) -> Alert:
    """The alert if the acting authority may see it; else 404, and the denial recorded."""
    actor = current_actor()
    alert = registry.visible(actor, "alert", alert_id)
    if alert is None:
        audit.denied(actor, "alert", alert_id)
        abort(404)
    return alert
