"""The actions of a request's case page, and its files. Each loads the request (404 when
the actor may not see it), checks the form, calls one action of app/cases/requests and
shows the case again: with the reason and the typed text kept when it was refused."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.blueprints import pack_forms
from app.blueprints.access import current_actor, permission
from app.blueprints.files import send_stored
from app.blueprints.requests import bp, forms
from app.blueprints.requests.page import act, case_page, done, load, refusal, refused
from app.cases import attachments, packforms, requests
from app.cases.kernel import CaseError
from app.extensions import db
from app.models import Attachment
from app.procedures.store import pinned_pack
from app.records import audit

# The case page's actions through a form: the service, called with the actor, the request
# and the form's `arguments()`, and what the user is told once it is done.
FORM_ACTIONS = {
    "ask_info": (requests.ask_info, _l("Your question has been sent.")),
    "reply_info": (requests.reply_info, _l("Your reply has been sent.")),
    "further_question": (requests.further_question, _l("Your further question has been sent.")),
    "withdraw": (requests.withdraw, _l("The request has been withdrawn.")),
    "refer": (requests.refer, _l("The disagreement has been referred to the coordinators.")),
    "resolve": (requests.resolve, _l("The resolution has been recorded.")),
    "forward": (requests.forward, _l("The request has been forwarded.")),
    "split": (requests.split, _l("The questions have been moved to a new, linked request.")),
    "assign": (requests.assign, _l("The request has been assigned.")),
}


def form_action(request_id: int, name: str, form, **more):
    """Take the action `name` on the request with what the posted `form` gives it."""
    item = load(request_id)
    service, message = FORM_ACTIONS[name]

    def call():
        return service(current_actor(), item, *form.arguments())

    return act(item, name, form, call, str(message), **more)


@bp.post(
    '/<int:request_id>/<any("ask-info", "reply-info", "further-question", withdraw, refer, resolve):action>'
)
@permission("request:act")
def text_action(request_id: int, action: str):
    """Actions that carry a text: ask for or give information, a further question,
    withdrawal, referral and its resolution."""
    name = action.replace("-", "_")
    return form_action(request_id, name, forms.TextForm(prefix=name), invalid=refusal("text"))


@bp.post("/<int:request_id>/accept")
@permission("request:act")
def accept(request_id: int):
    """Accept the request, maybe proposing a later reply date."""
    item = load(request_id)
    form = forms.AcceptForm()
    proposed = None
    if form.validate_on_submit() and form.proposed_due.data:
        try:
            proposed = date.fromisoformat(form.proposed_due.data)
        except ValueError:
            form.proposed_due.errors = [_("Enter a date like 2027-01-31.")]
            return case_page(item, status=400, accept=form)
    elif form.errors:
        return case_page(item, status=400, accept=form)
    try:
        requests.accept(current_actor(), item, proposed)
    except CaseError as error:
        return refused(item, error, accept=form)
    return done(item, _("You have accepted the request."))


@bp.post("/<int:request_id>/date")
@permission("request:act")
def decide_date(request_id: int):
    """Agree to the reply date the responder proposed, or keep the original one."""
    item = load(request_id)
    if not forms.EmptyForm().validate_on_submit():
        return case_page(item, status=400)
    agree = request.form.get("decision") == "agree"
    try:
        requests.decide_date(current_actor(), item, agree)
    except CaseError as error:
        return refused(item, error)
    return done(
        item, _("The new reply date applies.") if agree else _("The original reply date stays.")
    )


@bp.post("/<int:request_id>/forward")
@permission("request:act")
def forward(request_id: int):
    """Hand the request over to a better-placed authority."""
    form = forms.ForwardForm(prefix="forward")
    return form_action(request_id, "forward", form, to=url_for("requests.index"))


@bp.post("/<int:request_id>/split")
@permission("request:act")
def split(request_id: int):
    """Move some questions to another authority, as a new linked request."""
    return form_action(request_id, "split", forms.SplitForm(prefix="split"))


@bp.post("/<int:request_id>/assign")
@permission("request:act")
def assign(request_id: int):
    """Give the request to a handler of the responding authority."""
    return form_action(request_id, "assign", forms.AssignForm())


@bp.post("/<int:request_id>/answers")
@permission("request:act")
def answer(request_id: int):
    """Save answers (the responder may come back), or send the reply."""
    item = load(request_id)
    final = "send" in request.form
    pack = pinned_pack(item.procedure_key, item.pack_version)
    form = packforms.answers_form(pack, item.questions, request.form, sending=final)
    again = {
        "packform": form,
        "comments": {q.id: request.form.get(f"comment-{q.id}", "") for q in item.questions},
        "answer_text": request.form.get("text", ""),
    }
    if not pack_forms.posted(forms.EmptyForm(), form):
        return case_page(item, status=400, **again)
    given = form.stored()
    answers = {q.id: (given.get(q.id, ""), again["comments"][q.id]) for q in item.questions}
    try:
        missing = requests.answer(current_actor(), item, answers, again["answer_text"], final)
    except CaseError as error:
        return refused(item, error, **again)
    if missing and final:
        db.session.refresh(item)
        flash(_("Answer every required question before you send the reply."), "error")
        return case_page(item, status=400, **again)
    if final:
        return done(item, _("Your reply has been sent."))
    return done(item, _("Your answers have been saved."))


@bp.post("/<int:request_id>/<any(send, close, discard):action>")
@permission("request:act")
def button_action(request_id: int, action: str):
    """Send a draft, close an answered request, or delete a draft."""
    item = load(request_id)
    if not forms.EmptyForm().validate_on_submit():
        return case_page(item, status=400)
    actor = current_actor()
    try:
        if action == "send":
            requests.send(actor, item)
            return done(item, _("The request has been sent."))
        if action == "close":
            requests.close(actor, item)
            return done(item, _("The request is closed."))
        requests.discard(actor, item)
    except CaseError as error:
        return refused(item, error)
    flash(_("The draft has been deleted."))
    return redirect(url_for("requests.index", box="drafts"))


# --- files -------------------------------------------------------------------------------


@bp.post("/<int:request_id>/attachments")
@permission("request:act")
def attach(request_id: int):
    """Add a file to the request."""
    item = load(request_id)
    form = forms.AttachForm()
    upload = request.files.get("file")
    if not form.validate_on_submit() or upload is None or not upload.filename:
        flash(_("Choose a file."), "error")
        return case_page(item, status=400)
    try:
        requests.attach(current_actor(), item, upload.filename, upload.stream)
    except (CaseError, attachments.AttachmentError) as error:
        return refused(item, error)
    return done(item, _("The file has been added."))


@bp.get("/<int:request_id>/attachments/<int:attachment_id>")
@permission("request:view")
def download(request_id: int, attachment_id: int):
    """A file of a request, always as a download, only to the two authorities (the
    coordinators of a referral read the case, not its files)."""
    item = load(request_id)
    attachment = db.session.get(Attachment, attachment_id)
    if (
        attachment is None
        or attachment.request_id != item.id
        or requests.side_of(current_actor(), item) is None
    ):
        audit.denied(current_actor(), "request", item.id, attachment=attachment_id)
        abort(404)
    requests.record_download(current_actor(), item, attachment)
    return send_stored(attachments.download(attachment))
