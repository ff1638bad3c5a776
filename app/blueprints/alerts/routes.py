"""Alerts: the inbox, composing, the alert page and its actions.

Every route loads the alert through `_visible` (404 for what the acting authority may not
see). The service decides whether an action fits the alert's state and the actor's side;
a refusal is shown on the alert page with the text the user typed kept in the form.
"""

from __future__ import annotations

from datetime import datetime

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import tuple_

from app.blueprints.access import current_actor, permission
from app.blueprints.alerts import bp
from app.cases import alerts, attachments, pages
from app.cases.requests import RequestError, validate_answer
from app.extensions import db
from app.forms import REQUIRED, Form
from app.htmx import render
from app.models import COMMISSION, Alert, AlertRecipient, AlertState, Authority, RecipientState
from app.models.base import utcnow
from app.procedures import registry
from app.procedures.store import pinned_pack
from app.records import audit
from app.reference import COUNTRIES, sorted_countries
from app.routing import db_int, db_ints
from app.translation import shown

PAGE_SIZE = 25

REFUSALS = {
    "role": _l("Your role does not allow this action on this alert."),
    "state": _l("This action is not possible in the alert's current state."),
    "procedure": _l("Your authority has no access to send alerts of this procedure."),
    "fields": _l("Fill in every required field before you send the alert."),
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

STATE_LABELS = {
    AlertState.DRAFT: _l("Draft"),
    AlertState.AWAITING_VALIDATION: _l("Awaiting validation"),
    AlertState.SENT: _l("Sent"),
    AlertState.WITHDRAWN: _l("Withdrawn"),
    AlertState.CLOSED: _l("Closed"),
}

RECIPIENT_LABELS = {
    RecipientState.RECEIVED: _l("Received"),
    RecipientState.DISSEMINATED: _l("Disseminated"),
    RecipientState.HANDLED: _l("Handled by the coordinator"),
}

EVENT_LABELS = {
    "submitted": _l("Submitted for validation"),
    "validated": _l("Validated"),
    "returned": _l("Returned by the validating coordinator"),
    "sent": _l("Alert broadcast"),
    "disseminated": _l("Disseminated to competent authorities"),
    "handled": _l("Handled by the coordinator"),
    "acknowledged": _l("Acknowledged"),
    "comment": _l("Comment"),
    "updated": _l("Alert updated"),
    "withdrawn": _l("Alert withdrawn"),
    "closed": _l("Alert closed"),
    "attachment": _l("File added"),
}

BOXES = ("received", "disseminate", "validate", "sent", "drafts")


class CsrfForm(Form):
    """Only the CSRF token: the action forms' values are read from request.form."""


def _visible(alert_id: int) -> Alert:
    alert = alerts.load(current_actor(), alert_id)
    if alert is None:
        audit.denied(current_actor(), "alert", alert_id)
        abort(404)
    return alert


def _alert_packs():
    return sorted(
        (p for p in registry(current_app).values() if p.kind == "alert"), key=lambda p: p.key
    )


# --- inbox -------------------------------------------------------------------------------


def _box_query(actor, box: str):
    own = actor.authority.id
    query = alerts.visible_query(actor)
    if box == "sent":
        return query.where(Alert.sender_authority_id == own, Alert.state != AlertState.DRAFT)
    if box == "drafts":
        return query.where(Alert.sender_authority_id == own, Alert.state == AlertState.DRAFT)
    if box == "validate":
        return query.where(
            Alert.validator_authority_id == own, Alert.state == AlertState.AWAITING_VALIDATION
        )
    routed = Alert.id.in_(
        db.select(AlertRecipient.alert_id).where(AlertRecipient.coordinator_authority_id == own)
    )
    if box == "disseminate":
        pending = Alert.id.in_(
            db.select(AlertRecipient.alert_id).where(
                AlertRecipient.coordinator_authority_id == own,
                AlertRecipient.state == RecipientState.RECEIVED,
            )
        )
        return query.where(pending, Alert.state == AlertState.SENT)
    # received: routed to us or disseminated to us, once broadcast
    return query.where(
        Alert.sender_authority_id != own,
        Alert.state.in_((AlertState.SENT, AlertState.WITHDRAWN, AlertState.CLOSED)),
    ).where(routed | Alert.id.in_(alerts.disseminated_ids(own)))


def _cursor(alert: Alert) -> str:
    return f"{alert.updated_at.isoformat()}_{alert.id}"


def _after(query, cursor: str):
    stamp, _sep, ident = cursor.rpartition("_")
    try:
        at, number = datetime.fromisoformat(stamp), db_int(ident)
    except ValueError:
        return query
    return query.where(tuple_(Alert.updated_at, Alert.id) < tuple_(at, number))


@bp.get("")
@permission("alert:view")
def index():
    """The alert inbox; htmx swaps the list and the counters together."""
    actor = current_actor()
    args = request.args
    box = args.get("box", "received")
    box = box if box in BOXES else "received"
    procedure = args.get("procedure", "")[:80]
    state = args.get("state", "")
    after = args.get("after", "")[:80]
    query = _box_query(actor, box)
    if procedure:
        query = query.where(Alert.procedure_key == procedure)
    if state in {s.value for s in AlertState}:
        query = query.where(Alert.state == AlertState(state))
    if after:
        query = _after(query, after)
    rows = list(
        db.session.scalars(
            query.order_by(Alert.updated_at.desc(), Alert.id.desc()).limit(PAGE_SIZE + 1)
        )
    )
    next_cursor = _cursor(rows[PAGE_SIZE - 1]) if len(rows) > PAGE_SIZE else ""
    counts = {
        b: db.session.scalar(
            db.select(db.func.count()).select_from(_box_query(actor, b).subquery())
        )
        for b in BOXES
    }
    filters = {"box": box, "procedure": procedure, "state": state}
    audit.listed(actor, "alert.list_viewed", "alert", [a.id for a in rows[:PAGE_SIZE]], box=box)
    return render(
        "alerts/inbox.html",
        block="inbox",
        items=rows[:PAGE_SIZE],
        seen=alerts.seen_revisions(actor, [a.id for a in rows[:PAGE_SIZE]]),
        next_cursor=next_cursor,
        counts=counts,
        filters=filters,
        packs=_alert_packs(),
        state_labels=STATE_LABELS,
        today=utcnow().date(),
        actor=actor,
    )


# --- composing ---------------------------------------------------------------------------


def _fields_from_form(pack, saved: dict | None = None) -> tuple[dict, dict]:
    """The typed fields as entered (or as saved), and an error message per bad field.
    Required ones are checked when sending or updating."""
    if request.method != "POST":
        return dict(saved or {}), {}
    values, errors = {}, {}
    for f in pack.fields:
        value = request.form.get(f"field-{f.key}", "")[:10000]
        values[f.key] = value
        try:
            validate_answer(f, value)
        except RequestError:
            errors[f.key] = (
                _("Enter a date like 2027-01-31.")
                if f.type == "date"
                else _("The value does not match the field's type.")
            )
    if "send" in request.form or "update" in request.form:
        for key in alerts.missing_fields(pack, {k: v.strip() for k, v in values.items()}):
            errors.setdefault(key, str(REQUIRED))
    return values, errors


def _draft_from(pack, values: dict) -> alerts.Draft:
    form = request.form
    return alerts.Draft(
        procedure_key=pack.key,
        fields=values,
        message=form.get("message", "")[:20000],
        countries=list(COUNTRIES)
        if form.get("all_countries") == "1"
        else form.getlist("countries")[:40],
        to_commission=form.get("to_commission") == "1",
        needs_validation=form.get("needs_validation") == "1",
    )


@bp.route("/new", methods=["GET", "POST"])
@permission("alert:compose")
def compose():
    """Step 1: choose the procedure; step 2: the fields, text and recipients."""
    actor = current_actor()
    packs = alerts.sendable_packs(actor)
    key = request.values.get("procedure", "")
    pack = next((p for p in packs if p.key == key), None)
    if pack is None:
        if key:
            flash(str(REFUSALS["procedure"]), "error")
        return render("alerts/choose.html", packs=packs)
    return _compose(actor, pack, None)


@bp.route("/<int:alert_id>/edit", methods=["GET", "POST"])
@permission("alert:compose")
def edit(alert_id: int):
    actor = current_actor()
    item = _visible(alert_id)
    if not alerts.may(actor, item, "edit"):
        flash(str(REFUSALS["state"]), "error")
        return redirect(url_for("alerts.case", alert_id=item.id))
    if request.method == "GET":
        audit.read(actor, "alert.viewed", "alert", item.id, page="edit")
    return _compose(actor, pinned_pack(item.procedure_key, item.pack_version), item)


def _compose(actor, pack, item: Alert | None):
    form = CsrfForm()
    values, errors = _fields_from_form(pack, item.fields if item else None)
    problems = []
    if request.method == "POST":
        if not form.validate_on_submit():
            problems.append(_("The form has expired: please submit it again."))
        elif not errors:
            try:
                item = alerts.save_draft(actor, _draft_from(pack, values), item)
            except alerts.AlertError as error:
                db.session.rollback()
                problems.append(str(REFUSALS.get(error.code, REFUSALS["state"])))
            else:
                if "send" not in request.form:
                    flash(_("The draft has been saved."))
                    return redirect(url_for("alerts.case", alert_id=item.id))
                try:
                    alerts.send(actor, item)
                except alerts.AlertError as error:
                    db.session.rollback()
                    flash(str(REFUSALS.get(error.code, REFUSALS["state"])), "error")
                    flash(_("The draft has been saved."))
                    return redirect(url_for("alerts.edit", alert_id=item.id))
                flash(
                    _("The alert has been submitted for validation.")
                    if item.state == AlertState.AWAITING_VALIDATION
                    else _("The alert has been sent.")
                )
                return redirect(url_for("alerts.case", alert_id=item.id))
    if errors:
        problems.append(str(REFUSALS["fields"]))
    if request.method == "POST":
        chosen = request.form.getlist("countries")
        commission = request.form.get("to_commission") == "1"
        validation = request.form.get("needs_validation") == "1"
        message = request.form.get("message", "")
    else:
        chosen = item.recipient_countries if item else []
        commission = item.to_commission if item else False
        validation = item.needs_validation if item else False
        message = item.message if item else ""
    return render(
        "alerts/compose.html",
        status=400 if problems else 200,
        form=form,
        pack=pack,
        draft=item,
        values=values,
        errors=errors,
        problems=problems,
        chosen=chosen,
        commission=commission,
        validation=validation,
        message=message,
        countries=[
            (c, n) for c, n in sorted_countries(str(get_locale())) if c != actor.authority.country
        ],
    )


# --- the alert page ----------------------------------------------------------------------


def _case_page(item: Alert, status: int = 200, kept: dict | None = None, problems=None):
    actor = current_actor()
    pack = pinned_pack(item.procedure_key, item.pack_version)
    recipient = alerts.recipient_of(actor, item)
    # Every rendering shows the alert's personal data, a refused action's too.
    alerts.record_view(actor, item)
    pages.load(item)
    authorities = {
        a.id: a
        for a in db.session.scalars(
            db.select(Authority).where(
                Authority.id.in_(
                    [r.coordinator_authority_id for r in item.recipients]
                    + [i for r in item.recipients for i in r.disseminated_to]
                    + [e.authority_id for e in item.events if e.authority_id]
                )
            )
        )
    }
    competent = (
        [
            a
            for a in alerts.competent_authorities(item.procedure_key, recipient.country)
            if a.id != actor.authority.id
        ]
        if recipient is not None and alerts.may(actor, item, "disseminate")
        else []
    )
    return render(
        "alerts/case.html",
        status=status,
        item=item,
        pack=pack,
        sides=alerts.sides(actor, item),
        allowed=alerts.allowed_actions(actor, item),
        recipient=recipient,
        competent=competent,
        authorities=authorities,
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
    return _case_page(_visible(alert_id))


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
    actor = current_actor()
    item = _visible(alert_id)
    kept = {k: request.form.get(k, "") for k in ("text", "reason")}
    if not CsrfForm().validate_on_submit():
        return _case_page(item, 400, kept, [_("The form has expired: please submit it again.")])
    try:
        ACTIONS[action](actor, item, request.form)
    except alerts.AlertError as error:
        db.session.rollback()
        return _case_page(item, 400, kept, [str(REFUSALS.get(error.code, REFUSALS["state"]))])
    flash(str(DONE[action]))
    if action == "discard":
        return redirect(url_for("alerts.index", box="drafts"))
    return redirect(url_for("alerts.case", alert_id=item.id))


@bp.route("/<int:alert_id>/update", methods=["GET", "POST"])
@permission("alert:compose")
def update(alert_id: int):
    """A new version of a broadcast alert: the sender changes fields or the text."""
    actor = current_actor()
    item = _visible(alert_id)
    if not alerts.may(actor, item, "update"):
        flash(str(REFUSALS["state"]), "error")
        return redirect(url_for("alerts.case", alert_id=item.id))
    pack = pinned_pack(item.procedure_key, item.pack_version)
    if request.method == "GET":
        audit.read(actor, "alert.viewed", "alert", item.id, page="update")
    form = CsrfForm()
    values, errors = _fields_from_form(pack, item.fields)
    problems = []
    message = (
        request.form.get("message", item.message) if request.method == "POST" else item.message
    )
    note = request.form.get("note", "")
    if request.method == "POST":
        if not form.validate_on_submit():
            problems.append(_("The form has expired: please submit it again."))
        elif not errors:
            try:
                alerts.update(actor, item, values, message, note)
            except alerts.AlertError as error:
                db.session.rollback()
                problems.append(str(REFUSALS.get(error.code, REFUSALS["state"])))
            else:
                flash(_("The alert has been updated."))
                return redirect(url_for("alerts.case", alert_id=item.id))
        if errors:
            problems.append(str(REFUSALS["fields"]))
    return render(
        "alerts/update.html",
        status=400 if problems else 200,
        form=form,
        pack=pack,
        item=item,
        values=values,
        errors=errors,
        problems=problems,
        message=message,
        note=note,
    )


# --- files ---------------------------------------------------------------------------------


@bp.post("/<int:alert_id>/attachments")
@permission("alert:act")
def attach(alert_id: int):
    actor = current_actor()
    item = _visible(alert_id)
    if not CsrfForm().validate_on_submit():
        return _case_page(item, 400, problems=[_("The form has expired: please submit it again.")])
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _case_page(item, 400, problems=[_("Choose a file.")])
    try:
        alerts.attach(actor, item, upload.filename, upload.stream)
    except (alerts.AlertError, attachments.AttachmentError) as error:
        db.session.rollback()
        return _case_page(item, 400, problems=[str(REFUSALS.get(error.code, REFUSALS["state"]))])
    flash(_("The file has been added."))
    return redirect(url_for("alerts.case", alert_id=item.id))


@bp.get("/<int:alert_id>/attachments/<int:attachment_id>")
@permission("alert:view")
def download(alert_id: int, attachment_id: int):
    """A file of an alert the actor may see (404 for any other)."""
    item = _visible(alert_id)
    attachment = alerts.attachment_of(item, attachment_id)
    if attachment is None:
        audit.denied(current_actor(), "alert", item.id, attachment=attachment_id)
        abort(404)
    alerts.record_download(current_actor(), item, attachment)
    return attachments.download(
        attachment.storage_name, attachment.content_type, attachment.filename
    )
