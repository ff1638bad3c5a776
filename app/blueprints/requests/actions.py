"""The actions of a request's case page (its files: files.py). Each loads the request (404 when
the actor may not see it), checks the form, calls one action of app/cases/requests and
shows the form again when it was refused: the reasons in the error summary, each on its
field, the typed text kept. The case page offers one next step; the other actions have
pages of their own (`STEPS`), the destructive ones a confirmation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.blueprints import pack_forms
from app.blueprints.access import current_actor, permission
from app.blueprints.requests import bp, forms
from app.blueprints.requests.page import (
    case_page,
    chosen_country,
    done,
    fill_choices,
    load,
    place,
    refusal,
    refused,
    split_countries,
)
from app.cases import packforms, requests
from app.cases.kernel import CaseError
from app.extensions import db
from app.forms import already, current, stamp
from app.htmx import render
from app.procedures.store import pinned_pack


@dataclass(frozen=True)
class Step:
    """An action of the case page with a page of its own: GET shows its one form (or,
    `confirm`, the confirmation of a destructive action), POST takes it. The service is
    called with the actor, the request and the form's `arguments()`. An `inline` one is
    the case page's next step too: a refused post shows the case page again."""

    name: str
    form: type
    service: Callable
    heading: str
    button: str
    message: str
    fields: tuple[str, ...] = ("text",)
    prefix: str | None = None
    explanation: str | None = None
    hint: str | None = None
    confirm: bool = False
    inline: bool = False
    to: Callable[[], str] | None = None


STEPS = {
    "ask-info": Step(
        "ask_info",
        forms.AskInfoForm,
        requests.ask_info,
        _l("Ask the requester for more information"),
        _l("Ask"),
        _l("Your question has been sent."),
    ),
    "reply-info": Step(
        "reply_info",
        forms.ReplyInfoForm,
        requests.reply_info,
        _l("Give the information asked for"),
        _l("Send the information"),
        _l("Your reply has been sent."),
        inline=True,
    ),
    "further-question": Step(
        "further_question",
        forms.FurtherQuestionForm,
        requests.further_question,
        _l("Ask a further question"),
        _l("Ask"),
        _l("Your further question has been sent."),
    ),
    "refer": Step(
        "refer",
        forms.ReferForm,
        requests.refer,
        _l("Refer a disagreement to the coordinators"),
        _l("Refer"),
        _l("The disagreement has been referred to the coordinators."),
        hint=_l(
            "On the reply date, a forwarding or the answer: the coordinators of both "
            "countries will read it."
        ),
    ),
    "resolve": Step(
        "resolve",
        forms.ResolveForm,
        requests.resolve,
        _l("Record the resolution"),
        _l("Record"),
        _l("The resolution has been recorded."),
        inline=True,
    ),
    "forward": Step(
        "forward",
        forms.ForwardForm,
        requests.forward,
        _l("Forward to a better-placed authority"),
        _l("Forward"),
        _l("The request has been forwarded."),
        fields=("authority", "text"),
        to=lambda: url_for("requests.index"),
    ),
    "split": Step(
        "split",
        forms.SplitForm,
        requests.split,
        _l("Move some questions to another authority"),
        _l("Move the questions"),
        _l("The questions have been moved to a new, linked request."),
        fields=("questions", "authority", "text"),
    ),
    "assign": Step(
        "assign",
        forms.AssignForm,
        requests.assign,
        _l("Assign the request"),
        _l("Assign"),
        _l("The request has been assigned."),
        fields=("handler",),
        prefix="",
    ),
    "refuse": Step(
        "refuse",
        forms.RefuseForm,
        requests.refuse,
        _l("Refuse to execute the request"),
        _l("Refuse the request"),
        _l("The request has been refused; the requesting authority is told the ground."),
        fields=("ground", "text"),
        explanation=_l(
            "Only on one of the grounds the procedure names. The exchange ends: the "
            "request can no longer be answered."
        ),
    ),
    "withdraw": Step(
        "withdraw",
        forms.WithdrawForm,
        requests.withdraw,
        _l("Withdraw the request?"),
        _l("Withdraw the request"),
        _l("The request has been withdrawn."),
        explanation=_l(
            "The responding authority is told, and the request can no longer be answered. "
            "This cannot be undone."
        ),
        confirm=True,
    ),
    "close": Step(
        "close",
        forms.CloseForm,
        requests.close,
        _l("Close the request?"),
        _l("Close the request"),
        _l("The request is closed."),
        explanation=_l(
            "Close it once the reply answers your questions: you can no longer ask a "
            "further question. The responding authority is told."
        ),
        confirm=True,
    ),
    "discard": Step(
        "discard",
        forms.EmptyForm,
        requests.discard,
        _l("Delete the draft?"),
        _l("Delete the draft"),
        _l("The draft has been deleted."),
        fields=(),
        prefix="",
        explanation=_l("The draft and its files are deleted. This cannot be undone."),
        confirm=True,
        to=lambda: url_for("requests.index", box="drafts"),
    ),
}


def step_page(item, step: str, form, problems=(), status: int = 200):
    """An action's own page: its form, or the confirmation of a destructive action
    (components/confirm.html, whose parameters the step's page takes too)."""
    spec = STEPS[step]
    # A split's authority is chosen in a country chosen first.
    countries = split_countries(item) if step == "split" else None
    country = chosen_country(countries) if countries else ""
    fill_choices(item, form, current_actor(), country)
    stamp(item, [form])
    return render(
        "components/confirm.html" if spec.confirm else "requests/step.html",
        status=status,
        item=item,
        form=form,
        countries=countries,
        country=country,
        # Without a country, a split's page asks for one first.
        choosing=countries is not None and not country and request.method == "GET",
        spec=spec,
        heading=spec.heading,
        caption=item.reference,
        explanation=spec.explanation,
        fields=spec.fields,
        button=spec.button,
        button_name="confirm",
        button_value="1",
        action=url_for("requests.step", request_id=item.id, action=step),
        back=url_for("requests.case", request_id=item.id),
        problems=problems,
    )


@bp.route(f"/<int:request_id>/<any({', '.join(map(repr, STEPS))}):action>", methods=["GET", "POST"])
@permission("request:act")
def step(request_id: int, action: str):
    """An action with a page of its own (forward, split, ask for information, withdraw,
    close, delete a draft...). GET shows it and changes nothing: 403 to a viewer and to
    whom the action is not for, back to the case with the reason when the state no
    longer allows it (a POST of the split page's country filter too); POST takes it
    through the request's lifecycle."""
    spec = STEPS[action]
    actor = current_actor()
    if actor.read_only:
        abort(403)
    item = load(request_id)
    prefix = spec.name if spec.prefix is None else spec.prefix
    form = spec.form(prefix=prefix)
    # The split page's country filter is a button of its form too: the page again, with
    # what was typed kept; nothing is taken.
    if request.method == "GET" or "filter" in request.form:
        try:
            requests.LIFECYCLE.require(actor, item, spec.name)
        except CaseError as error:
            if error.code == "role":
                abort(403)
            flash(refusal(error.code), "error")
            return redirect(url_for("requests.case", request_id=item.id))
        return step_page(item, action, form)
    if not form.validate_on_submit():
        if spec.inline:
            return case_page(item, status=400, **{spec.name: form})
        return step_page(item, action, form, status=400)
    to = spec.to() if spec.to else url_for("requests.case", request_id=item.id)
    if (earlier := already(form, to)) is not None:
        return done(item, str(spec.message), earlier)
    try:
        with current(item, form):
            spec.service(actor, item, *form.arguments())
    except CaseError as error:
        if spec.inline:
            return refused(item, error, spec.name, **{spec.name: form})
        db.session.rollback()
        db.session.refresh(item)
        # the step's page shows its form again: what was chosen is kept
        return step_page(item, action, form, place(form, error, spec.name), status=400)
    return done(item, str(spec.message), to)


@bp.post("/<int:request_id>/accept")
@permission("request:act")
def accept(request_id: int):
    """Accept the request, maybe proposing a later reply date."""
    item = load(request_id)
    form = forms.AcceptForm()
    if not form.validate_on_submit():
        return case_page(item, status=400, accept=form)
    message = _("You have accepted the request.")
    if (earlier := already(form, url_for("requests.case", request_id=item.id))) is not None:
        return done(item, message, earlier)
    try:
        with current(item, form):
            requests.accept(current_actor(), item, form.proposed_due.data)
    except CaseError as error:
        return refused(item, error, "accept", accept=form)
    return done(item, message)


@bp.post("/<int:request_id>/date")
@permission("request:act")
def decide_date(request_id: int):
    """Agree to the reply date the responder proposed, or keep the original one."""
    item = load(request_id)
    buttons = forms.EmptyForm()
    if not buttons.validate_on_submit():
        return case_page(item, status=400, buttons=buttons)
    agree = request.form.get("decision") == "agree"
    message = _("The new reply date applies.") if agree else _("The original reply date stays.")
    if (earlier := already(buttons, url_for("requests.case", request_id=item.id))) is not None:
        return done(item, message, earlier)
    try:
        with current(item, buttons):
            requests.decide_date(current_actor(), item, agree)
    except CaseError as error:
        return refused(item, error, "decide_date")
    return done(item, message)


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
    buttons = forms.EmptyForm()
    if not pack_forms.posted(buttons, form):
        return case_page(item, status=400, buttons=buttons, **again)
    given = form.stored()
    answers = {q.id: (given.get(q.id, ""), again["comments"][q.id]) for q in item.questions}
    message = _("Your reply has been sent.") if final else _("Your answers have been saved.")
    if (earlier := already(buttons, url_for("requests.case", request_id=item.id))) is not None:
        return done(item, message, earlier)
    try:
        with current(item, buttons):
            missing = requests.answer(current_actor(), item, answers, again["answer_text"], final)
    except CaseError as error:
        return refused(item, error, "answer", **again)
    if missing and final:
        db.session.refresh(item)
        problems = [_("Answer every required question before you send the reply.")]
        return case_page(item, status=400, problems=problems, **again)
    return done(item, message)


@bp.post("/<int:request_id>/send")
@permission("request:act")
def send(request_id: int):
    """Send a draft."""
    item = load(request_id)
    buttons = forms.EmptyForm()
    if not buttons.validate_on_submit():
        return case_page(item, status=400, buttons=buttons)
    message = _("The request has been sent.")
    if (earlier := already(buttons, url_for("requests.case", request_id=item.id))) is not None:
        return done(item, message, earlier)
    try:
        with current(item, buttons):
            requests.send(current_actor(), item)
    except CaseError as error:
        return refused(item, error, "send")
    return done(item, message)
