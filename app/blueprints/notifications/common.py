"""What the notification views share: loading a notification through the kind's one
visibility rule, its forms, and the words for a refused action."""

from __future__ import annotations

from flask import abort
from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField

from app.blueprints.access import current_actor
from app.cases import registry
from app.forms import BUTTONS, STALE, WRITING, Carries, CaseForm, max_length
from app.models import Notification
from app.records import audit

REFUSALS = {
    "role": _l("Your role does not allow this action on this notification."),
    "state": _l("This action is not possible in the notification's current state."),
    "procedure": _l("Your authority has no access to notify under this procedure."),
    "fields": _l("Fill in every required field before you send the notification."),
    "answer_type": _l("The value does not match the field's type."),
    "establishment": _l("Choose the Member State of establishment."),
    "urgency": _l("Give the reasons for urgency."),
    "validator": _l("Your country has no national coordinator to validate the notification."),
    "no_recipient": _l("The Member State of establishment has no authority to receive it."),
    "no_desk": _l("No Commission desk assesses notifications of this procedure."),
    "repository": _l("The repository of this procedure is not available."),
    "reason": _l("Give the reason."),
    "text": _l("Write your text."),
    "stale": STALE,
}


class CsrfForm(CaseForm):
    """Only the CSRF token and the notification's version."""


def _text(label, name: str):
    return TextAreaField(label, id=name, validators=[max_length(20000)])


class ReplyForm(CaseForm):
    text = _text(_l("Measures taken or envisaged, or why none"), "reply-text")


class CommentForm(CaseForm):
    text = _text(_l("Comment"), "comment-text")


class ConcludeForm(CaseForm):
    text = _text(_l("Note (optional)"), "conclude-text")


class ReturnForm(CaseForm):
    reason = _text(_l("Reasons for returning the notification"), "return-reason")


class ObjectForm(CaseForm):
    reason = _text(_l("Reasons for the objection"), "object-reason")


class WithdrawForm(CaseForm):
    reason = _text(_l("Reasons for withdrawing the notification"), "withdraw-reason")


FIELD_REFUSALS = {
    "text": ("text", _l("Write your text")),
    "reason": ("reason", _l("Give the reasons")),
}

CARRIES = {
    "compose": WRITING,
    "ask": BUTTONS,
    "send": BUTTONS,
    "approve": BUTTONS,
    "discard": BUTTONS,
    "conclude": Carries(texts=("text",)),
    "reply": Carries(texts=("text",)),
    "comment": Carries(texts=("text",)),
    "return": Carries(texts=("reason",)),
    "object": Carries(texts=("reason",)),
    "withdraw": Carries(texts=("reason",)),
}


def refusal(code: str, action: str = "", form=None, shown: bool = True) -> str:
    if code == "stale" and action in CARRIES:
        return CARRIES[action].stale(form, shown)
    return str(REFUSALS.get(code, REFUSALS["state"]))


def visible(notification_id: int) -> Notification:
    """The notification if the acting authority may see it; else 404, the denial recorded."""
    actor = current_actor()
    item = registry.visible(actor, "notification", notification_id)
    if item is None:
        audit.denied(actor, "notification", notification_id)
        abort(404)
    return item
