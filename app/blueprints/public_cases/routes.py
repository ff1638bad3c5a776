"""Public cases in the officers' interface: the inbox of the cases routed to the acting
authority, the case page and its actions. Only the routed authority sees a case: any
other officer gets a 404."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from wtforms import SelectField, TextAreaField

from app.blueprints.access import current_actor, permission
from app.blueprints.files import send_stored
from app.blueprints.public.routes import ERRORS
from app.blueprints.public_cases import bp
from app.blueprints.public_cases import solvit as solvit_pages
from app.cases import attachments, pages, registry
from app.cases import public as service
from app.cases.kernel import CaseError
from app.cases.public.labels import OUTCOME_LABELS, STATE_LABELS
from app.extensions import db
from app.forms import BUTTONS, STALE, Carries, CaseForm, already, current, max_length, stamp
from app.htmx import render
from app.models.base import utcnow
from app.records import audit
from app.template_gettext import resolved
from app.translation import files as translated_files
from app.translation import shown

PAGE = 50

REFUSALS = {
    "role": _l("Your role does not allow this action on this case."),
    "state": _l("This action is not possible in the case's current state."),
    "text": _l("Write your message to the submitter or add a document"),
    **{code: solvit_pages.REFUSALS[code] for code in ("outcome", "lead", "desk")},
    "close_text": _l("Write the reason the applicant reads."),
}

# What each action's form carries, for the words of a stale refusal (app/forms.py
# Carries): the message to the submitter; documents cannot be kept, nor a button's press.
CARRIES = {
    "accept": BUTTONS,
    "ask": Carries(texts=("text",)),
    "reply": Carries(texts=("text",)),
    "close": Carries(texts=("text",)),  # an optional note
}

# Refusals of the documents (the codes of attachments.store() and the quota).
DOCUMENT_REFUSALS = {
    "type": ERRORS["file_type"],
    **{code: ERRORS[code] for code in ("too_many", "too_large", "empty", "storage")},
}

DONE = {
    "accept": _l("The case has been accepted."),
    "ask": _l("Your question has been sent to the submitter."),
    "reply": _l("Your reply has been sent to the submitter."),
    "close": _l("The case has been closed."),
}


class ActionForm(CaseForm):
    text = TextAreaField(_l("Message to the submitter"), validators=[max_length(10000)])
    documents = MultipleFileField(_l("Add documents (optional)"))


class CloseForm(CaseForm):
    """Closing: a note to the submitter and documents (a decision letter), both optional;
    a SOLVIT case's outcome (app/cases/public/solvit.py)."""

    outcome = SelectField(_l("Outcome"), choices=[], validate_choice=False)
    text = TextAreaField(_l("Closing note (optional)"), validators=[max_length(10000)])
    documents = MultipleFileField(_l("Add documents (optional)"))


def _visible(case_id: int):
    case = registry.visible(current_actor(), "public_case", case_id)
    if case is None:
        audit.denied(current_actor(), "public_case", case_id)
        abort(404)
    return case


@bp.get("")
@permission("public_case:view")
def index():
    """The inbox; htmx swaps the list."""
    actor = current_actor()
    state = request.args.get("state", "open")[:40]
    after = request.args.get("after", "")[:80]
    rows = db.session.scalars(service.officer_cases(actor, state, after).limit(PAGE + 1)).all()
    cases = rows[:PAGE]
    audit.listed(actor, "public_case.list_viewed", "public_case", [c.id for c in cases])
    return render(
        "public_cases/inbox.html",
        block="inbox",
        cases=cases,
        state=state,
        state_labels=resolved(STATE_LABELS),
        next_after=service.cursor_of(cases[-1]) if len(rows) > PAGE else None,
        own=actor.authority.id,
        today=utcnow().date(),
    )


def _case_page(case, form: ActionForm | None = None, status: int = 200, problems=(), posted=None):
    pages.load(case)
    form = form or ActionForm(formdata=None)
    accept_form = CaseForm(formdata=None)
    actions = service.LIFECYCLE.allowed(current_actor(), case)
    solvit = solvit_pages.page_context(case, actions, posted)
    stamp(case, [form, accept_form, *solvit.get("solvit_forms", {}).values()])
    return render(
        "public_cases/case.html",
        status=status,
        case=case,
        pack=service.pack_of(case),
        form=form,
        accept_form=accept_form,
        problems=problems,
        state_labels=STATE_LABELS,
        actions=actions,
        texts=shown.of_case(case),
        translated=translated_files.shown(current_actor(), "public_case", case, case.documents),
        own=current_actor().authority.id,
        error_form=posted[1] if posted else form,
        **solvit,
    )


@bp.get("/<int:case_id>")
@permission("public_case:view")
def case(case_id: int):
    item = _visible(case_id)
    service.record_view(current_actor(), item)
    return _case_page(item)


def _perform(item, action: str, form) -> bool:
    """The action through the kernel; False with the refusal on its field (a form
    rendered before another officer changed the case is refused as stale)."""
    try:
        with current(item, form):
            service.act(
                current_actor(),
                item,
                action,
                form.text.data or "",
                form.documents.data or [],
                outcome=(form.outcome.data or "") if "outcome" in form else "",
            )
    except CaseError as error:
        db.session.rollback()
        if error.code in DOCUMENT_REFUSALS:
            form.documents.errors = [str(DOCUMENT_REFUSALS[error.code])]
        elif error.code == "outcome":
            form.outcome.errors = [str(REFUSALS["outcome"])]
        elif error.code == "text" and action == "close":
            form.text.errors = [str(REFUSALS["close_text"])]
        elif error.code == "stale":  # on the text when there is one, else about the page
            message = CARRIES[action].stale(form)
            if message == str(STALE):
                form.text.errors = [message]
            else:
                form.form_errors.append(message)
        else:
            form.text.errors = [str(REFUSALS.get(error.code, REFUSALS["state"]))]
        return False
    flash(str(DONE[action]), "success")
    return True


@bp.post("/<int:case_id>/<any(accept, ask, reply):action>")
@permission("public_case:act")
def act(case_id: int, action: str):
    item = _visible(case_id)
    form = ActionForm()
    to = url_for("public_cases.case", case_id=item.id)
    valid = form.validate()
    if valid and already(form, to) is not None:
        return redirect(to)
    if valid and _perform(item, action, form):
        return redirect(to)
    # The refused form shows the case again: a read like the case page.
    service.record_view(current_actor(), item)
    return _case_page(item, form, status=400)


@bp.route("/<int:case_id>/close", methods=["GET", "POST"])
@permission("public_case:act")
def close(case_id: int):
    """Closing, after a confirmation: GET asks (and changes nothing), POST closes with the
    optional note and documents; a case that may not be closed shows its page (400), or,
    asked by a GET (a stale link), is where the officer is sent back to, with the reason."""
    actor = current_actor()
    item = _visible(case_id)
    form = CloseForm()
    to = url_for("public_cases.case", case_id=item.id)
    sent = form.validate_on_submit()
    if sent and already(form, to) is not None:  # sent twice: closed once
        return redirect(to)
    try:
        service.LIFECYCLE.require(actor, item, "close")
    except service.PublicError as error:
        if request.method == "GET":  # a stale link: back to the case, which says why
            flash(str(REFUSALS.get(error.code, REFUSALS["state"])), "error")
            return redirect(to)
        db.session.rollback()  # the form's key stays free
        service.record_view(actor, item)
        return _case_page(
            item, status=400, problems=[str(REFUSALS.get(error.code, REFUSALS["state"]))]
        )
    solvit = service.solvit.is_solvit(item)
    if solvit:
        form.outcome.choices = [
            ("", _("Choose")),
            *(
                (key, str(label))
                for key, label in OUTCOME_LABELS.items()
                if item.state in service.solvit.OUTCOMES[key]
            ),
        ]
    if sent and _perform(item, "close", form):
        return redirect(to)
    stamp(item, [form])
    return render(
        "components/confirm.html",
        status=400 if form.errors else 200,
        form=form,
        fields=["outcome", "text", "documents"] if solvit else ["text", "documents"],
        multipart=True,
        heading=_("Close public case %(reference)s?", reference=item.reference),
        explanation=_(
            "The submitter is told that the case is closed, with your note and documents. "
            "A closed case takes no more messages."
        ),
        action=url_for("public_cases.close", case_id=item.id),
        button=_("Close the case"),
        button_name="confirm",
        button_value="close",
        back=url_for("public_cases.case", case_id=item.id),
    )


@bp.get("/<int:case_id>/documents/<int:document_id>")
@permission("public_case:view")
def document(case_id: int, document_id: int):
    item = _visible(case_id)
    found = next((d for d in item.documents if d.id == document_id), None)
    if found is None:
        audit.denied(current_actor(), "public_case", item.id, document=document_id)
        abort(404)
    service.record_download(current_actor(), item, found)
    return send_stored(attachments.download(found))
