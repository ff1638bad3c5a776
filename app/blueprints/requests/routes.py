"""Requests: the inbox, composing, the case page and its actions, attachments.

Every route loads the request through `_visible`, which finds only what the acting
authority may see (404 otherwise). The services decide whether an action is allowed in
the request's state and to the actor's role; a refusal is shown on the case page with
the text the user typed kept in the form.
"""

from __future__ import annotations

from datetime import date

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.blueprints.access import current_actor, permission
from app.blueprints.requests import bp
from app.blueprints.requests.forms import (
    AcceptForm,
    AssignForm,
    AttachForm,
    ComposeForm,
    EmptyForm,
    ForwardForm,
    SplitForm,
    TextForm,
)
from app.cases import attachments, inbox, pages, requests
from app.extensions import db
from app.forms import REQUIRED
from app.htmx import render
from app.models import Attachment, Request, RequestState, User
from app.models.base import utcnow
from app.procedures import find_question, registry
from app.procedures.store import pinned_pack
from app.records import audit
from app.reference import COUNTRIES, sorted_countries
from app.translation import shown

REFUSALS = {
    "role": _l("Your role does not allow this action on this request."),
    "state": _l("This action is not possible in the request's current state."),
    "responder": _l("Choose an authority that answers requests of this procedure."),
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

STATE_LABELS = {
    RequestState.DRAFT: _l("Draft"),
    RequestState.SENT: _l("Sent"),
    RequestState.ACCEPTED: _l("Accepted"),
    RequestState.INFO_REQUESTED: _l("More information requested"),
    RequestState.ANSWERED: _l("Answered"),
    RequestState.CLOSED: _l("Closed"),
    RequestState.WITHDRAWN: _l("Withdrawn"),
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
    "referred": _l("Disagreement referred to the coordinators"),
    "resolved": _l("Resolution recorded"),
    "attachment": _l("File added"),
}


def _visible(request_id: int) -> Request:
    item = db.session.get(Request, request_id)
    if item is None or not requests.may_view(current_actor(), item):
        audit.denied(current_actor(), "request", request_id)
        abort(404)
    return item


def _today() -> date:
    return utcnow().date()


# --- inbox -------------------------------------------------------------------------------


@bp.get("")
@permission("request:view")
def index():
    """The inbox; htmx swaps the list and the counters together."""
    actor = current_actor()
    args = request.args
    filters = inbox.Filters(
        box=args.get("box", "received"),
        state=args.get("state", ""),
        procedure=args.get("procedure", "")[:80],
        country=args.get("country", "")[:2],
        overdue=args.get("overdue") == "1",
        sort=args.get("sort", "activity"),
        after=args.get("after", "")[:80],
    )
    today = _today()
    page = inbox.page(actor, filters, today)
    audit.listed(
        actor, "request.list_viewed", "request", [r.id for r in page.items], box=filters.box
    )
    return render(
        "requests/inbox.html",
        block="inbox",
        filters=filters,
        page=page,
        counts=inbox.counts(actor, today),
        today=today,
        packs=sorted(
            (p for p in registry(current_app).values() if p.kind == "request"), key=lambda p: p.key
        ),
        countries=sorted_countries(str(get_locale())),
        state_labels=STATE_LABELS,
        actor=actor,
    )


# --- composing ---------------------------------------------------------------------------


def _country_filter() -> str:
    country = request.values.get("country", "")
    return country if country in COUNTRIES else ""


def _compose_form(actor, pack, draft: Request | None = None) -> ComposeForm:
    """The compose form; the responding authorities of one country when one is chosen
    (a procedure may have thousands of them)."""
    form = ComposeForm(obj=draft)
    country = _country_filter()
    form.responder.choices = [
        (a.id, f"{a.name} ({a.country})")
        for a in requests.responders(pack.key, exclude_country=None)
        if a.id != actor.authority.id
        and (not country or a.country == country or a.id == form.responder.data)
    ]
    if draft is not None and request.method == "GET":
        form.responder.data = draft.responder_authority_id
        form.questions.data = [q.question_key for q in draft.questions]
    return form


@bp.route("/new", methods=["GET", "POST"])
@permission("request:compose")
def compose():
    """Step 1: choose the procedure; step 2: the responding authority and questions."""
    actor = current_actor()
    packs = requests.requestable_packs(actor)
    key = request.values.get("procedure", "")
    pack = next((p for p in packs if p.key == key), None)
    if pack is None:
        if key:
            flash(str(REFUSALS["procedure"]), "error")
        return render("requests/choose.html", packs=packs)
    form = _compose_form(actor, pack)
    details, errors = _details_from_form(pack)
    if form.validate_on_submit() and not errors:
        saved = _save_and_maybe_send(actor, form, pack, None, details)
        if saved is not None:
            return saved
    return _compose_page(form, pack, None, details, errors)


@bp.route("/<int:request_id>/edit", methods=["GET", "POST"])
@permission("request:compose")
def edit(request_id: int):
    actor = current_actor()
    item = _visible(request_id)
    if not requests.may(actor, item, "edit"):
        flash(str(REFUSALS["state"]), "error")
        return redirect(url_for("requests.case", request_id=item.id))
    pack = pinned_pack(item.procedure_key, item.pack_version)
    if request.method == "GET":
        audit.read(actor, "request.viewed", "request", item.id, page="edit")
    form = _compose_form(actor, pack, item)
    details, errors = _details_from_form(pack, item)
    if form.validate_on_submit() and not errors:
        saved = _save_and_maybe_send(actor, form, pack, item, details)
        if saved is not None:
            return saved
    return _compose_page(form, pack, item, details, errors)


def _details_from_form(pack, draft: Request | None = None) -> tuple[dict, dict]:
    """The request fields as typed (or as saved in the draft), and an error message per
    field whose value does not fit its type. Required ones are checked on sending."""
    if request.method != "POST":
        return dict(draft.details if draft else {}), {}
    values, errors = {}, {}
    for f in pack.request_fields:
        value = request.form.get(f"detail-{f.key}", "")[:2000]
        values[f.key] = value
        try:
            requests.validate_answer(f, value)
        except requests.RequestError:
            errors[f.key] = (
                _("Enter a date like 2027-01-31.")
                if f.type == "date"
                else str(REFUSALS["answer_type"])
            )
    if "send" in request.form:
        for key in requests.missing_details(pack, {k: v.strip() for k, v in values.items()}):
            errors.setdefault(key, str(REQUIRED))
    return values, errors


def _compose_page(form: ComposeForm, pack, draft, details: dict, errors: dict):
    if errors:
        form.form_errors.append(str(REFUSALS["details"]))
    return render(
        "requests/compose.html",
        status=400 if errors else 200,
        form=form,
        pack=pack,
        draft=draft,
        details=details,
        details_errors=errors,
        country=_country_filter(),
        countries=sorted_countries(str(get_locale())),
    )


def _save_and_maybe_send(actor, form: ComposeForm, pack, item: Request | None, details: dict):
    """Save the draft, then send it if asked: a redirect to the case, or None with the
    reason on the form. A draft that saved but could not be sent stays a draft."""
    try:
        item = requests.save_draft(actor, _draft_from(form, pack.key, details), item)
    except requests.RequestError as error:
        db.session.rollback()
        _form_error(form, error)
        return None
    if "send" not in request.form:
        flash(_("The draft has been saved."))
        return redirect(url_for("requests.case", request_id=item.id))
    try:
        requests.send(actor, item)
    except requests.RequestError as error:
        db.session.rollback()
        flash(str(REFUSALS.get(error.code, REFUSALS["state"])), "error")
        flash(_("The draft has been saved."))
        return redirect(url_for("requests.edit", request_id=item.id))
    flash(_("The request has been sent."))
    return redirect(url_for("requests.case", request_id=item.id))


def _draft_from(form: ComposeForm, procedure_key: str, details: dict) -> requests.Draft:
    return requests.Draft(
        procedure_key=procedure_key,
        responder_id=form.responder.data or 0,
        subject=form.subject.data or "",
        message=form.message.data or "",
        question_keys=form.questions.data or [],
        details=details,
    )


def _form_error(form, error: requests.RequestError) -> None:
    field = {"responder": "responder", "questions": "questions", "subject": "subject"}.get(
        error.code
    )
    target = getattr(form, field) if field and hasattr(form, field) else None
    message = str(REFUSALS.get(error.code, REFUSALS["state"]))
    if target is not None:
        target.errors = [*target.errors, message]
    else:
        form.form_errors.append(message)


# --- the case page -----------------------------------------------------------------------


def _case_page(item: Request, status: int = 200, **forms):
    actor = current_actor()
    answers = forms.pop("answers", {})
    answer_errors = forms.pop("answer_errors", set())
    answer_text = forms.pop("answer_text", "")
    kept = forms.pop("kept", [])
    pack = pinned_pack(item.procedure_key, item.pack_version)
    allowed = requests.allowed_actions(actor, item)
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
    for name in ("forward", "split"):
        defaults[name].authority.choices = [(a.id, f"{a.name} ({a.country})") for a in others]
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
        today=_today(),
        find_question=find_question,
        answers=answers,
        answer_errors=answer_errors,
        answer_text=answer_text,
        kept=kept,
        max_bytes=current_app.config["ATTACHMENT_MAX_BYTES"],
        actor=actor,
        texts=shown.of_case(item),
    )


def _question_text(pack, key: str) -> str:
    found = find_question(pack, key)
    return pack.gettext(found[1].text, str(get_locale())) if found else key


@bp.get("/<int:request_id>")
@permission("request:view")
def case(request_id: int):
    """A request: its state and dates, questions and answers, timeline and files."""
    return _case_page(_visible(request_id))


def _refused(item: Request, error, **forms):
    """Show the case again with the reason; text the user wrote in a form this page no
    longer offers (the state changed meanwhile) is shown back so nothing is lost."""
    db.session.rollback()
    db.session.refresh(item)
    flash(str(REFUSALS.get(error.code, REFUSALS["state"])), "error")
    kept = [
        value.strip()
        for name, value in request.form.items()
        if (name.endswith("text") or name.startswith("comment-")) and value.strip()
    ]
    return _case_page(item, status=400, kept=kept, **forms)


def _done(item: Request, message: str):
    flash(message)
    return redirect(url_for("requests.case", request_id=item.id))


TEXT_ACTIONS = {
    "ask-info": ("ask_info", requests.ask_info, _l("Your question has been sent.")),
    "reply-info": ("reply_info", requests.reply_info, _l("Your reply has been sent.")),
    "further-question": (
        "further_question",
        requests.further_question,
        _l("Your further question has been sent."),
    ),
    "withdraw": ("withdraw", requests.withdraw, _l("The request has been withdrawn.")),
    "refer": (
        "refer",
        requests.refer,
        _l("The disagreement has been referred to the coordinators."),
    ),
    "resolve": ("resolve", requests.resolve, _l("The resolution has been recorded.")),
}


@bp.post(
    '/<int:request_id>/<any("ask-info", "reply-info", "further-question", withdraw, refer, resolve):action>'
)
@permission("request:act")
def text_action(request_id: int, action: str):
    """Actions that carry a text: ask for or give information, a further question,
    withdrawal, referral and its resolution."""
    item = _visible(request_id)
    name, service, done = TEXT_ACTIONS[action]
    form = TextForm(prefix=name)
    if not form.validate_on_submit():
        flash(str(REFUSALS["text"]), "error")
        return _case_page(item, status=400, **{name: form})
    try:
        service(current_actor(), item, form.text.data)
    except requests.RequestError as error:
        return _refused(item, error, **{name: form})
    return _done(item, str(done))


@bp.post("/<int:request_id>/accept")
@permission("request:act")
def accept(request_id: int):
    item = _visible(request_id)
    form = AcceptForm()
    proposed = None
    if form.validate_on_submit() and form.proposed_due.data:
        try:
            proposed = date.fromisoformat(form.proposed_due.data)
        except ValueError:
            form.proposed_due.errors = [_("Enter a date like 2027-01-31.")]
            return _case_page(item, status=400, accept=form)
    elif form.errors:
        return _case_page(item, status=400, accept=form)
    try:
        requests.accept(current_actor(), item, proposed)
    except requests.RequestError as error:
        return _refused(item, error, accept=form)
    return _done(item, _("You have accepted the request."))


@bp.post("/<int:request_id>/date")
@permission("request:act")
def decide_date(request_id: int):
    item = _visible(request_id)
    if not EmptyForm().validate_on_submit():
        return _case_page(item, status=400)
    agree = request.form.get("decision") == "agree"
    try:
        requests.decide_date(current_actor(), item, agree)
    except requests.RequestError as error:
        return _refused(item, error)
    return _done(
        item, _("The new reply date applies.") if agree else _("The original reply date stays.")
    )


@bp.post("/<int:request_id>/forward")
@permission("request:act")
def forward(request_id: int):
    item = _visible(request_id)
    form = ForwardForm(prefix="forward")
    if not form.validate_on_submit():
        return _case_page(item, status=400, forward=form)
    try:
        requests.forward(current_actor(), item, form.authority.data or 0, form.text.data)
    except requests.RequestError as error:
        return _refused(item, error, forward=form)
    flash(_("The request has been forwarded."))
    return redirect(url_for("requests.index"))


@bp.post("/<int:request_id>/split")
@permission("request:act")
def split(request_id: int):
    item = _visible(request_id)
    form = SplitForm(prefix="split")
    if not form.validate_on_submit():
        return _case_page(item, status=400, split=form)
    try:
        requests.split(
            current_actor(),
            item,
            form.questions.data or [],
            form.authority.data or 0,
            form.text.data,
        )
    except requests.RequestError as error:
        return _refused(item, error, split=form)
    return _done(item, _("The questions have been moved to a new, linked request."))


@bp.post("/<int:request_id>/assign")
@permission("request:act")
def assign(request_id: int):
    item = _visible(request_id)
    form = AssignForm()
    if not form.validate_on_submit():
        return _case_page(item, status=400, assign=form)
    try:
        requests.assign(current_actor(), item, form.handler.data or 0)
    except requests.RequestError as error:
        return _refused(item, error, assign=form)
    return _done(item, _("The request has been assigned."))


@bp.post("/<int:request_id>/answers")
@permission("request:act")
def answer(request_id: int):
    """Save answers (the responder may come back), or send the reply."""
    item = _visible(request_id)
    answers = {
        q.id: (request.form.get(f"answer-{q.id}", ""), request.form.get(f"comment-{q.id}", ""))
        for q in item.questions
    }
    text = request.form.get("text", "")
    if not EmptyForm().validate_on_submit():
        return _case_page(item, status=400, answers=answers, answer_text=text)
    final = "send" in request.form
    try:
        missing = requests.answer(current_actor(), item, answers, text, final)
    except requests.RequestError as error:
        return _refused(item, error, answers=answers, answer_text=text)
    if missing and final:
        db.session.refresh(item)
        flash(_("Answer every required question before you send the reply."), "error")
        return _case_page(
            item, status=400, answers=answers, answer_errors=set(missing), answer_text=text
        )
    if final:
        return _done(item, _("Your reply has been sent."))
    return _done(item, _("Your answers have been saved."))


@bp.post("/<int:request_id>/<any(send, close, discard):action>")
@permission("request:act")
def button_action(request_id: int, action: str):
    item = _visible(request_id)
    if not EmptyForm().validate_on_submit():
        return _case_page(item, status=400)
    actor = current_actor()
    try:
        if action == "send":
            requests.send(actor, item)
            return _done(item, _("The request has been sent."))
        if action == "close":
            requests.close(actor, item)
            return _done(item, _("The request is closed."))
        requests.discard(actor, item)
    except requests.RequestError as error:
        return _refused(item, error)
    flash(_("The draft has been deleted."))
    return redirect(url_for("requests.index", box="drafts"))


# --- attachments -------------------------------------------------------------------------


@bp.post("/<int:request_id>/attachments")
@permission("request:act")
def attach(request_id: int):
    item = _visible(request_id)
    form = AttachForm()
    upload = request.files.get("file")
    if not form.validate_on_submit() or upload is None or not upload.filename:
        flash(_("Choose a file."), "error")
        return _case_page(item, status=400)
    try:
        requests.attach(current_actor(), item, upload.filename, upload.stream)
    except (requests.RequestError, attachments.AttachmentError) as error:
        return _refused(item, error)
    return _done(item, _("The file has been added."))


@bp.get("/<int:request_id>/attachments/<int:attachment_id>")
@permission("request:view")
def download(request_id: int, attachment_id: int):
    """A file of a request, always as a download, only to the two authorities (the
    coordinators of a referral read the case, not its files)."""
    item = _visible(request_id)
    attachment = db.session.get(Attachment, attachment_id)
    if (
        attachment is None
        or attachment.request_id != item.id
        or requests.side_of(current_actor(), item) is None
    ):
        audit.denied(current_actor(), "request", item.id, attachment=attachment_id)
        abort(404)
    requests.record_download(current_actor(), item, attachment)
    return attachments.download(
        attachment.storage_name, attachment.content_type, attachment.filename
    )


# --- referrals ---------------------------------------------------------------------------


@bp.get("/referrals")
@permission("request:referral:resolve")
def referrals():
    """Disagreements referred to the actor's coordinator authority."""
    items = requests.referred_to(current_actor())
    audit.listed(
        current_actor(), "request.list_viewed", "request", [r.id for r in items], box="referrals"
    )
    return render(
        "requests/referrals.html",
        items=items,
        state_labels=STATE_LABELS,
    )
