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
from app.blueprints.alerts.common import EXPIRED, CsrfForm, refusal, visible
from app.blueprints.files import send_stored
from app.cases import alerts, attachments, pages
from app.cases.alerts.labels import EVENT_LABELS, RECIPIENT_LABELS, STATE_LABELS
from app.extensions import db
from app.htmx import render
from app.models import COMMISSION, Alert, Authority
from app.models.base import utcnow
from app.procedures.store import pinned_pack
from app.records import audit
from app.routing import db_ints
from app.translation import shown


def _names(item: Alert) -> dict[int, Authority]:
    """The authorities the page names: recipient coordinators, whom they disseminated
    to, and the authors of the timeline."""
    ids = [r.coordinator_authority_id for r in item.recipients]
    ids += [i for r in item.recipients for i in r.disseminated_to]
    ids += [e.authority_id for e in item.events if e.authority_id]
    rows = db.session.scalars(db.select(Authority).where(Authority.id.in_(ids)))
    return {a.id: a for a in rows}


def _case_page(item: Alert, status: int = 200, kept: dict | None = None, problems=None):
    actor = current_actor()
    recipient = alerts.recipient_of(actor, item)
    allowed = alerts.LIFECYCLE.allowed(actor, item)
    # Every rendering shows the alert's personal data, a refused action's too.
    alerts.record_view(actor, item)
    pages.load(item)
    competent = []
    if "disseminate" in allowed:
        competent = [
            a
            for a in alerts.competent_authorities(item.procedure_key, recipient.country)
            if a.id != actor.authority.id
        ]
    return render(
        "alerts/case.html",
        status=status,
        item=item,
        pack=pinned_pack(item.procedure_key, item.pack_version),
        sides=alerts.sides(actor, item),
        allowed=allowed,
        recipient=recipient,
        competent=competent,
        authorities=_names(item),
        form=CsrfForm(formdata=None),
        kept=kept or {},
        problems=problems or [],
        state_labels=STATE_LABELS,
        recipient_labels=RECIPIENT_LABELS,
        event_labels=EVENT_LABELS,
        commission=COMMISSION,
        today=utcnow().date(),
        actor=actor,
        texts=shown.of_case(item),
    )


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


@bp.post(
    "/<int:alert_id>/<any(send, discard, approve, return, disseminate, handle, acknowledge,"
    " comment, withdraw, close):action>"
)
@permission("alert:act")
def act(alert_id: int, action: str):
    """Take one of the alert page's actions."""
    actor = current_actor()
    item = visible(alert_id)
    kept = {k: request.form.get(k, "") for k in ("text", "reason")}
    if not CsrfForm().validate_on_submit():
        return _case_page(item, 400, kept, [str(EXPIRED)])
    try:
        ACTIONS[action](actor, item, request.form)
    except alerts.AlertError as error:
        db.session.rollback()
        return _case_page(item, 400, kept, [refusal(error.code)])
    flash(str(DONE[action]))
    if action == "discard":
        return redirect(url_for("alerts.index", box="drafts"))
    return redirect(url_for("alerts.case", alert_id=item.id))


# --- files ---------------------------------------------------------------------------------


@bp.post("/<int:alert_id>/attachments")
@permission("alert:act")
def attach(alert_id: int):
    """Add a file to the alert."""
    actor = current_actor()
    item = visible(alert_id)
    if not CsrfForm().validate_on_submit():
        return _case_page(item, 400, problems=[str(EXPIRED)])
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _case_page(item, 400, problems=[_("Choose a file.")])
    try:
        alerts.attach(actor, item, upload.filename, upload.stream)
    except (alerts.AlertError, attachments.AttachmentError) as error:
        db.session.rollback()
        return _case_page(item, 400, problems=[refusal(error.code)])
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
