"""What the alert views share: loading an alert through the kind's one visibility rule,
and the words for a refused action."""

from __future__ import annotations

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from wtforms import TextAreaField

from app.blueprints.access import current_actor
from app.cases import registry
from app.forms import BUTTONS, STALE, WRITING, Carries, CaseForm, max_length, required
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
    "storage": _l("The file could not be saved. Please try again later."),
    "empty": _l("The file is empty."),
    "too_large": _l("The file is too large."),
    "type": _l(
        "This type of file is not accepted: use PDF, an image, an office document or plain text."
    ),
    "unchanged": _l("Nothing has changed: change a field or the text to update the alert."),
    "stale": STALE,  # a form of text's; an action's is worded by CARRIES
}


class CsrfForm(CaseForm):
    """Only the CSRF token and the alert's version (a form rendered before another
    officer changed the alert is refused): the action forms' values are read from
    request.form."""


class ComposeForm(CsrfForm):
    """The compose page's own fields (the pack's are a pack form): its files."""

    files = MultipleFileField(_l("Files (optional)"))


# The alert page's forms with a text. The kernel decides whether a text is needed (it
# words the refusal by its code); the forms keep what was typed and carry its message.
class CommentForm(CaseForm):
    text = TextAreaField(_l("Comment"), id="comment-text", validators=[max_length(20000)])


class ReturnForm(CaseForm):
    reason = TextAreaField(
        _l("Reason for returning the alert"), id="return-reason", validators=[max_length(20000)]
    )


class WithdrawForm(CaseForm):
    reason = TextAreaField(
        _l("Reason for withdrawing the alert"),
        validators=[required(_l("Give the reason for withdrawing the alert")), max_length(20000)],
    )


class CloseForm(CaseForm):
    text = TextAreaField(_l("Closing note (optional)"), validators=[max_length(20000)])


# A refusal about a field, by action and code: the field's name and its message.
FIELD_REFUSALS = {
    ("return", "reason"): ("reason", _l("Give the reason for returning the alert")),
    ("comment", "text"): ("text", _l("Write your comment")),
    ("withdraw", "reason"): ("reason", _l("Give the reason for withdrawing the alert")),
}


# What each action's form carries, for the words of a stale refusal (app/forms.py
# Carries): a button says nothing can be kept; a file neither (it is chosen again).
CARRIES = {
    "send": BUTTONS,
    "discard": BUTTONS,
    "approve": BUTTONS,
    "handle": BUTTONS,
    "acknowledge": BUTTONS,
    "attach": BUTTONS,
    "disseminate": Carries(choices=("authorities",)),
    "return": Carries(texts=("reason",)),
    "comment": Carries(texts=("text",)),
    "withdraw": Carries(texts=("reason",)),
    "close": Carries(texts=("text",)),  # an optional note: without it, a button
    "compose": WRITING,  # the draft's fields, its message (its files are held)
    "update": WRITING,
}


def refusal(code: str, action: str = "", form=None, shown: bool = True) -> str:
    """A refused action's code (an AlertError's, a refused file's) in the user's words: a
    stale `action`'s by what its `form` carried (`shown`: the page offers it again)."""
    if code == "stale" and action:
        return CARRIES[action].stale(form, shown)
    return str(REFUSALS.get(code, REFUSALS["state"]))


def visible(alert_id: int) -> Alert:
    """The alert if the acting authority may see it; else 404, and the denial recorded."""
    actor = current_actor()
    alert = registry.visible(actor, "alert", alert_id)
    if alert is None:
        audit.denied(actor, "alert", alert_id)
        abort(404)
    return alert
