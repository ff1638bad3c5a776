"""The case page of a request, and what every view of one shares: the loader (the kind's
one visibility rule, 404 otherwise), the refusals in the user's words, and the page
shown again after a refused action."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from app.blueprints.access import current_actor, permission
from app.blueprints.requests import bp
from app.blueprints.requests.forms import (
    AcceptForm,
    AssignForm,
    AttachForm,
    EmptyForm,
    ForwardForm,
    SplitForm,
    TextForm,
)
from app.cases import packforms, pages, registry, requests
from app.cases.kernel import CaseError
from app.cases.requests.labels import EVENT_LABELS, STATE_LABELS
from app.extensions import db
from app.htmx import render
from app.models import Request, User
from app.models.base import utcnow
from app.procedures import find_question
from app.procedures.store import pinned_pack
from app.records import audit
from app.translation import shown

REFUSALS = {
    "role": _l("Your role does not allow this action on this request."),
    "state": _l("This action is not possible in the request's current state."),
    "responder": _l("Choose an authority that answers requests of this procedure."),
    "forward_country": _l("Forward only to an authority of your own country."),
    "procedure": _l("Your authority has no access to send requests of this procedure."),
    "questions": _l("Choose at least one question."),
    "subject": _l("Say whom or what the request is about."),
    "details": _l("Fill in every required detail before you send the request."),
    "handler": _l("Choose a handler of your authority."),
    "reason": _l("Give the reason."),
    "text": _l("Write your text."),
    "proposed_date": _l("The proposed date must be later than the current reply date."),
    "split_questions": _l("Choose some of the questions, but not all of them."),
    "answer_type": _l("An answer does not match its question's type."),
    "too_large": _l("The file is too large."),
    "type": _l(
        "This type of file is not accepted: use PDF, an image, an office document or plain text."
    ),
    "empty": _l("The file is empty."),
}


def refusal(code: str) -> str:
    return str(REFUSALS.get(code, REFUSALS["state"]))


def load(request_id: int) -> Request:
    """The request, if the actor may see it (the kind's visibility rule); else 404."""
    item = registry.visible(current_actor(), "request", request_id)
    if item is None:
        audit.denied(current_actor(), "request", request_id)
        abort(404)
    return item


def today() -> date:
    return utcnow().date()


def case_page(item: Request, status: int = 200, **forms):
    """The case page; `forms` replace the empty ones (a refused form keeps its text)."""
    actor = current_actor()
    comments = forms.pop("comments", {})
    answer_text = forms.pop("answer_text", "")
    kept = forms.pop("kept", [])
    pack = pinned_pack(item.procedure_key, item.pack_version)
    allowed = requests.allowed_actions(actor, item)
    answers = forms.pop("packform", None)
    if answers is None and "answer" in allowed:
        answers = packforms.answers_form(pack, item.questions)
    others = [
        a
        for a in requests.responders(item.procedure_key)
        if a.id not in (item.requester_authority_id, item.responder_authority_id)
    ]
    defaults = {
        "accept": AcceptForm(formdata=None),
        "forward": ForwardForm(formdata=None, prefix="forward"),
        "split": SplitForm(formdata=None, prefix="split"),
        "assign": AssignForm(formdata=None),
        "attach": AttachForm(formdata=None),
        "buttons": EmptyForm(formdata=None),
    }
    for name in ("ask_info", "reply_info", "further_question", "withdraw", "refer", "resolve"):
        defaults[name] = TextForm(formdata=None, prefix=name)
    defaults.update(forms)
    language = str(get_locale())
    # IMI forwards within the responder's Member State; a split may go anywhere.
    defaults["forward"].authority.choices = [
        (a.id, a.choice_label(language)) for a in others if a.country == item.responder_country
    ]
    defaults["split"].authority.choices = [(a.id, a.choice_label(language)) for a in others]
    defaults["split"].questions.choices = [
        (q.id, _question_text(pack, q.question_key)) for q in item.questions
    ]
    defaults["assign"].handler.choices = [
        (u.id, u.full_name) for u in requests.handlers_of(actor.authority.id)
    ]
    # Every rendering shows the case's personal data, a refused action's too.
    requests.record_view(actor, item)
    pages.load(item)
    return render(
        "requests/case.html",
        status=status,
        item=item,
        pack=pack,
        allowed=allowed,
        forms=defaults,
        side=requests.side_of(actor, item),
        counterpart=requests.counterpart(actor, item),
        state_labels=STATE_LABELS,
        event_labels=EVENT_LABELS,
        handler=db.session.get(User, item.handler_id) if item.handler_id else None,
        today=today(),
        find_question=find_question,
        packform=answers if "answer" in allowed else None,
        comments=comments,
        answer_text=answer_text,
        kept=kept,
        max_bytes=current_app.config["ATTACHMENT_MAX_BYTES"],
        actor=actor,
        texts=shown.of_case(item),
    )


def _question_text(pack, key: str) -> str:
    found = find_question(pack, key)
    return pack.gettext(found[1].text, str(get_locale())) if found else key


def refused(item: Request, error, **forms):
    """Show the case again with the reason; text the user wrote in a form this page no
    longer offers (the state changed meanwhile) is shown back so nothing is lost."""
    db.session.rollback()
    db.session.refresh(item)
    flash(refusal(error.code), "error")
    kept = [
        value.strip()
        for name, value in request.form.items()
        if (name.endswith("text") or name.startswith("comment-")) and value.strip()
    ]
    return case_page(item, status=400, kept=kept, **forms)


def done(item: Request, message: str, to: str | None = None):
    flash(message)
    return redirect(to or url_for("requests.case", request_id=item.id))


def act(
    item: Request,
    name: str,
    form,
    action: Callable[[], object],
    message: str,
    invalid: str | None = None,
    to: str | None = None,
):
    """An action of the case page with its form: the case page again, with the form as
    posted, when the form is invalid (saying `invalid`) or the action refused; else back
    to the case (or `to`) saying `message`."""
    if not form.validate_on_submit():
        if invalid:
            flash(invalid, "error")
        return case_page(item, status=400, **{name: form})
    try:
        action()
    except CaseError as error:
        return refused(item, error, **{name: form})
    return done(item, message, to)


@bp.get("/<int:request_id>")
@permission("request:view")
def case(request_id: int):
    """A request: its state and dates, questions and answers, timeline and files."""
    return case_page(load(request_id))
