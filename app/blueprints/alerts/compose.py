"""Composing an alert: a new draft, editing it, sending it; and a new version (update) of
a broadcast alert. Both pages read the pack's typed fields through its pack form
(app/cases/packforms.py)."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from app.blueprints import held_files, pack_forms
from app.blueprints.access import current_actor, permission
from app.blueprints.alerts import bp
from app.blueprints.alerts.common import REFUSALS, ComposeForm, CsrfForm, refusal, visible
from app.blueprints.procedure_choice import chosen_pack
from app.cases import alerts, packforms
from app.cases.kernel import CaseError
from app.extensions import db
from app.forms import already, current, stamp
from app.htmx import render
from app.models import Alert, AlertState
from app.procedures import Pack
from app.procedures.store import pinned_pack
from app.records import audit
from app.reference import COUNTRIES, sorted_countries


def _fields_form(pack, saved: dict | None = None):
    """The pack's fields as posted (or as saved); required ones only when sending or
    updating."""
    sending = "send" in request.form or "update" in request.form
    return packforms.fields_form(pack, saved, sending, limit=10000, formdata=pack_forms.formdata())


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


def _form_page(template: str, form, fields, pack, problems, **context):
    """A page of pack fields, with the problems that keep it from being saved (400)."""
    return render(
        template,
        status=400 if problems or form.errors or fields.errors else 200,
        form=form,
        packform=fields,
        pack=pack,
        problems=problems,
        **context,
    )


def _sender_page(actor, alert_id: int, action: str) -> tuple[Alert, Pack]:
    """The alert and its pack for a page of the sender's own (edit, update), the read
    recorded; the alert page with the refusal (400) when the action does not fit."""
    item = visible(alert_id)
    try:
        alerts.LIFECYCLE.require(actor, item, action)
    except alerts.AlertError as error:
        from app.blueprints.alerts.routes import refused

        abort(refused(item, error.code))
    if request.method == "GET":
        audit.read(actor, "alert.viewed", "alert", item.id, page=action)
    return item, pinned_pack(item.procedure_key, item.pack_version)


@bp.route("/new", methods=["GET", "POST"])
@permission("alert:compose")
def compose():
    """Step 1: choose the procedure; step 2: the fields, text and recipients."""
    actor = current_actor()
    packs = alerts.sendable_packs(actor)
    pack = chosen_pack(packs, str(REFUSALS["procedure"]))
    if pack is None:
        return render("alerts/choose.html", packs=packs)
    return _compose(actor, pack, None)


@bp.route("/<int:alert_id>/edit", methods=["GET", "POST"])
@permission("alert:compose")
def edit(alert_id: int):
    """Change a draft, and send it or keep it."""
    actor = current_actor()
    item, pack = _sender_page(actor, alert_id, "edit")
    return _compose(actor, pack, item)


def _case_url(item: Alert) -> str:
    return url_for("alerts.case", alert_id=item.id)


def _save_and_send(
    actor, form, pack, item: Alert | None, values: dict, problems: list, files: list
):
    """Save the draft with its files, send it if asked; a redirect when done, None with
    `problems` else (a draft form rendered before another officer changed the draft is
    refused as stale). The same form posted twice saves once: the second post goes where
    the first led."""
    earlier = already(form, _case_url(item) if item else _case_url, creates=None if item else Alert)
    if earlier is not None:
        return redirect(earlier)
    try:
        with current(item, form):
            item = alerts.save_draft(actor, _draft_from(pack, values), item)
            alerts.attach_held(actor, item, files)
    except CaseError as error:
        db.session.rollback()
        problems.append(refusal(error.code, "compose", form))
        return None
    if "send" not in request.form:
        flash(_("The draft has been saved."))
        return redirect(url_for("alerts.case", alert_id=item.id))
    try:
        alerts.send(actor, item)
    except alerts.AlertError as error:
        db.session.rollback()
        flash(refusal(error.code), "error")
        flash(_("The draft has been saved."))
        return redirect(url_for("alerts.edit", alert_id=item.id))
    flash(
        _("The alert has been submitted for validation.")
        if item.state == AlertState.AWAITING_VALIDATION
        else _("The alert has been sent.")
    )
    return redirect(url_for("alerts.case", alert_id=item.id))


def _compose(actor, pack, item: Alert | None):
    """The compose page of a new alert or a draft; files chosen with a form that comes
    back are held and listed until it is saved."""
    form = ComposeForm()
    fields = _fields_form(pack, item.fields if item else None)
    problems: list[str] = []
    files = held_files.take(f"user:{actor.user.id}")
    if pack_forms.posted(form, fields) and not files.refused:
        done = _save_and_send(actor, form, pack, item, fields.stored(), problems, files.files)
        if done:
            return done
    if files.refused:
        form.files.errors = [refusal(files.refused)]
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
    if item is not None:
        stamp(item, [form])
    return _form_page(
        "alerts/compose.html",
        form,
        fields,
        pack,
        problems,
        draft=item,
        held=files,
        max_bytes=current_app.config["ATTACHMENT_MAX_BYTES"],
        chosen=chosen,
        commission=commission,
        validation=validation,
        message=message,
        countries=[
            (c, n) for c, n in sorted_countries(str(get_locale())) if c != actor.authority.country
        ],
    )


@bp.route("/<int:alert_id>/update", methods=["GET", "POST"])
@permission("alert:compose")
def update(alert_id: int):
    """A new version of a broadcast alert: the sender changes fields or the text."""
    actor = current_actor()
    item, pack = _sender_page(actor, alert_id, "update")
    form = CsrfForm()
    fields = _fields_form(pack, item.fields)
    problems: list[str] = []
    message = (
        request.form.get("message", item.message) if request.method == "POST" else item.message
    )
    note = request.form.get("note", "")
    if pack_forms.posted(form, fields):
        if already(form, _case_url(item)) is not None:  # sent twice: updated once
            return redirect(_case_url(item))
        try:
            with current(item, form):
                alerts.update(actor, item, fields.stored(), message, note)
        except CaseError as error:
            db.session.rollback()
            problems.append(refusal(error.code, "update", form))
        else:
            flash(_("The alert has been updated."))
            return redirect(_case_url(item))
    stamp(item, [form])
    return _form_page(
        "alerts/update.html", form, fields, pack, problems, item=item, message=message, note=note
    )
