"""The alert page, its actions and its files.

Every route loads the alert through the kind's one visibility rule (`visible`: 404 for
what the acting authority may not see). The lifecycle decides whether an action fits the
alert's state and the actor's side; a refusal is shown on the alert page with the text
the user typed kept in the form.
"""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.blueprints.access import current_actor, permission
from app.blueprints.alerts import bp
from app.blueprints.alerts.common import (
    FIELD_REFUSALS,
    CloseForm,
    CommentForm,
    CsrfForm,
    ReturnForm,
    WithdrawForm,
    refusal,
    visible,
)
from app.blueprints.files import send_stored
from app.cases import alerts, attachments, pages
from app.cases.alerts.labels import EVENT_LABELS, RECIPIENT_LABELS, STATE_LABELS
from app.cases.epc import applications as epc
from app.cases.kernel import CaseError
from app.extensions import db
from app.forms import already, current, stamp
from app.htmx import render
from app.models import COMMISSION, Alert, Authority
from app.models.base import utcnow
from app.procedures.store import pinned_pack
from app.records import audit
from app.routing import db_ints
from app.translation import files as translated_files
from app.translation import shown


def _names(item: Alert) -> dict[int, Authority]:
    """The authorities the page names: recipient coordinators, whom they disseminated
    to, and the authors of the timeline."""
    ids = [r.coordinator_authority_id for r in item.recipients]
    ids += [i for r in item.recipients for i in r.disseminated_to]
    ids += [e.authority_id for e in item.events if e.authority_id]
    rows = db.session.scalars(db.select(Authority).where(Authority.id.in_(ids)))
    return {a.id: a for a in rows}


# The action whose presence in `allowed` makes the page offer a text form (template).
OFFERED_BY = {"comment": "comment", "return": "validate"}


def _case_page(item: Alert, status: int = 200, posted=None, problems=None, action: str = ""):
    """The alert page; `posted` is the refused action's form (its text kept, its errors
    shown by its field) and `problems` what is not about a field (a message, or a pair of
    link target and message)."""
    actor = current_actor()
    # Everything the page shows is read first, then the read is recorded and committed,
    # and the page rendered: one transaction, one connection from the pool.
    pages.load(item)
    recipient = alerts.recipient_of(actor, item)
    allowed = alerts.LIFECYCLE.allowed(actor, item)
    competent = []
    if "disseminate" in allowed:
        competent = [
            a
            for a in alerts.competent_authorities(item.procedure_key, recipient.country)
            if a.id != actor.authority.id
        ]
    forms = {"comment": CommentForm(formdata=None), "return": ReturnForm(formdata=None)}
    kept = []
    if posted is not None and action in forms:
        if OFFERED_BY[action] in allowed:
            forms[action] = posted
        else:  # the alert moved on meanwhile: its text shown back, read-only
            texts = [posted[n].data or "" for n in ("reason", "text") if n in posted]
            kept = [t.strip() for t in texts if t.strip()]
    buttons = CsrfForm(formdata=None)
    stamp(item, [buttons, *forms.values(), posted])
    pack = pinned_pack(item.procedure_key, item.pack_version)
    sides, authorities, texts = alerts.sides(actor, item), _names(item), shown.of_case(item)
    translated = translated_files.shown(actor, "alert", item, item.attachments)
    # An alert on a professional names the European Professional Cards linked to it.
    cards = epc.cards_linked_to(actor, item.id) if item.procedure_key == "pq_alert" else []
    # Every rendering shows the alert's personal data, a refused action's too.
    alerts.record_view(actor, item)
    return render(
        "alerts/case.html",
        status=status,
        item=item,
        pack=pack,
        sides=sides,
        allowed=allowed,
        recipient=recipient,
        competent=competent,
        authorities=authorities,
        form=buttons,
        forms=forms,
        posted=posted,
        action=action,
        problems=problems or [],
        kept=kept,
        state_labels=STATE_LABELS,
        recipient_labels=RECIPIENT_LABELS,
        event_labels=EVENT_LABELS,
        commission=COMMISSION,
        today=utcnow().date(),
        actor=actor,
        texts=texts,
        translated=translated,
        cards=cards,
    )


def refused(item: Alert, code: str):
    """The alert page with a refused action's reason (400)."""
    return _case_page(item, 400, problems=[refusal(code)])


@bp.get("/<int:alert_id>")
@permission("alert:view")
def case(alert_id: int):
    """The alert, its recipients, its timeline and what the actor can do with it."""
    return _case_page(visible(alert_id))


ACTIONS = {
    "send": lambda actor, item, form: alerts.send(actor, item),
    "discard": lambda actor, item, form: alerts.discard(actor, item),
    "approve": lambda actor, item, form: alerts.validate(actor, item, True),
    "return": lambda actor, item, form: alerts.validate(actor, item, False, form.get("reason", "")),
    "disseminate": lambda actor, item, form: alerts.disseminate(
        actor, item, db_ints(form.getlist("authorities"))
    ),
    "handle": lambda actor, item, form: alerts.handle(actor, item),
    "acknowledge": lambda actor, item, form: alerts.acknowledge(actor, item),
    "comment": lambda actor, item, form: alerts.comment(actor, item, form.get("text", "")),
    "withdraw": lambda actor, item, form: alerts.withdraw(actor, item, form.get("reason", "")),
    "close": lambda actor, item, form: alerts.close(actor, item, form.get("text", "")),
}

DONE = {
    "send": _l("The alert has been sent."),
    "discard": _l("The draft has been discarded."),
    "approve": _l("The alert has been validated and broadcast."),
    "return": _l("The alert has been returned to the sender."),
    "disseminate": _l("The alert has been disseminated."),
    "handle": _l("The alert has been marked as handled."),
    "acknowledge": _l("You have acknowledged the alert."),
    "comment": _l("Your comment has been added."),
    "withdraw": _l("The alert has been withdrawn."),
    "close": _l("The alert has been closed."),
}

FORMS = {"return": ReturnForm, "comment": CommentForm}


def _to(item: Alert, action: str) -> str:
    """The page an action leads to."""
    if action == "discard":
        return url_for("alerts.index", box="drafts")
    return url_for("alerts.case", alert_id=item.id)


def _done(item: Alert, action: str):
    flash(str(DONE[action]))
    return redirect(_to(item, action))


def _perform(actor, item: Alert, action: str, posted, problems: list) -> str | None:
    """Take the action: None, or the code of its refusal, put by its field (or in
    `problems`). A form rendered before another officer changed the alert is refused as
    stale, in words that fit what it carried: a choice is kept if the page still offers
    the action (a text always is)."""
    try:
        with current(item, posted):
            ACTIONS[action](actor, item, request.form)
    except CaseError as error:
        db.session.rollback()
        where = FIELD_REFUSALS.get((action, error.code))
        if where and where[0] in posted:
            posted[where[0]].errors = [str(where[1])]
        elif action == "disseminate" and error.code == "authorities":
            problems.append(("disseminate-authorities", refusal(error.code)))
        elif error.code == "stale":
            shown = action in alerts.LIFECYCLE.allowed(actor, item)
            problems.append(refusal(error.code, action, posted, shown))
        else:
            problems.append(refusal(error.code))
        return error.code
    return None


@bp.post(
    "/<int:alert_id>/<any(send, approve, return, disseminate, handle, acknowledge, comment):action>"
)
@permission("alert:act")
def act(alert_id: int, action: str):
    """Take one of the alert page's actions."""
    actor = current_actor()
    item = visible(alert_id)
    posted = FORMS.get(action, CsrfForm)()
    problems: list = []
    if not posted.validate_on_submit():  # an expired token, a text too long
        return _case_page(item, 400, posted, action=action)
    if already(posted, _to(item, action)) is not None:
        return _done(item, action)
    if _perform(actor, item, action, posted, problems) is None:
        return _done(item, action)
    return _case_page(item, 400, posted, problems, action)


# --- confirmation steps: withdraw, close, delete a draft ------------------------------------

CONFIRM = {
    "withdraw": (
        WithdrawForm,
        ["reason"],
        _l("Withdraw alert %(reference)s?"),
        _l(
            "Every recipient is told that the alert is withdrawn, with your reason. "
            "A withdrawn alert cannot be updated or sent again."
        ),
        _l("Withdraw the alert"),
    ),
    "close": (
        CloseForm,
        ["text"],
        _l("Close alert %(reference)s?"),
        _l(
            "Every recipient is told that the alert is closed. "
            "A closed alert cannot be updated, withdrawn or commented on."
        ),
        _l("Close the alert"),
    ),
    "discard": (
        CsrfForm,
        [],
        _l("Delete the draft %(reference)s?"),
        _l("The draft, its fields and its files are deleted. This cannot be undone."),
        _l("Delete the draft"),
    ),
}


@bp.route("/<int:alert_id>/<any(withdraw, close, discard):action>", methods=["GET", "POST"])
@permission("alert:act")
def confirm(alert_id: int, action: str):
    """A destructive action's confirmation step: GET asks and changes nothing, POST does it
    (a refused action: the alert page with the refusal, 400; a missing reason: this page
    again, the text kept). A GET of an action that does not fit (a stale link) goes back
    to the alert page, which offers what fits, with the reason."""
    actor = current_actor()
    item = visible(alert_id)
    form_class, fields, heading, explanation, button = CONFIRM[action]
    form = form_class()
    sent = form.validate_on_submit()
    if sent and already(form, _to(item, action)) is not None:  # sent twice
        return _done(item, action)
    try:
        # A sent form's action checks this itself, after the version: a form rendered
        # before a colleague withdrew or closed the alert is refused as stale, its text
        # kept, not as an action the state no longer allows.
        if not sent:
            alerts.LIFECYCLE.require(actor, item, action)
    except alerts.AlertError as error:
        if request.method == "GET":  # a stale link: back to the alert, which says why
            flash(refusal(error.code), "error")
            return redirect(url_for("alerts.case", alert_id=item.id))
        db.session.rollback()  # the form's key stays free
        return refused(item, error.code)
    problems: list = []
    code = _perform(actor, item, action, form, problems) if sent else None
    if sent and code is None:
        return _done(item, action)
    if problems and code != "stale":
        return _case_page(item, 400, problems=problems)
    # The confirmation again: a stale form (another officer changed the alert
    # meanwhile) with the reason in the error summary and the text kept.
    stamp(item, [form])
    return render(
        "components/confirm.html",
        status=400 if form.errors or problems else 200,
        form=form,
        problems=problems,
        fields=fields,
        heading=str(heading) % {"reference": item.reference},
        explanation=str(explanation),
        action=url_for("alerts.confirm", alert_id=item.id, action=action),
        button=str(button),
        button_name="confirm",
        button_value=action,
        back=url_for("alerts.case", alert_id=item.id),
    )


# --- files ---------------------------------------------------------------------------------


@bp.post("/<int:alert_id>/attachments")
@permission("alert:act")
def attach(alert_id: int):
    """Add a file to the alert."""
    actor = current_actor()
    item = visible(alert_id)
    posted = CsrfForm()
    if not posted.validate_on_submit():
        return _case_page(item, 400, posted, action="attach")
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _case_page(item, 400, problems=[("file", _("Choose a file."))], action="attach")
    if already(posted, url_for("alerts.case", alert_id=item.id)) is not None:
        return redirect(url_for("alerts.case", alert_id=item.id))
    try:
        with current(item):  # a file conflicts with nothing: only a lost race refuses it
            alerts.attach(actor, item, upload.filename, upload.stream)
    except (CaseError, attachments.AttachmentError) as error:
        db.session.rollback()
        problem = refusal(error.code, "attach")
        if isinstance(error, attachments.AttachmentError):
            problem = ("file", problem)
        return _case_page(item, 400, problems=[problem], action="attach")
    flash(_("The file has been added."))
    return redirect(url_for("alerts.case", alert_id=item.id))


@bp.get("/<int:alert_id>/attachments/<int:attachment_id>")
@permission("alert:view")
def download(alert_id: int, attachment_id: int):
    """A file of an alert the actor may see (404 for any other)."""
    item = visible(alert_id)
    attachment = alerts.attachment_of(item, attachment_id)
    if attachment is None:
        audit.denied(current_actor(), "alert", item.id, attachment=attachment_id)
        abort(404)
    alerts.record_download(current_actor(), item, attachment)
    return send_stored(attachments.download(attachment))
