"""Composing a notification from a pack: choose the procedure, then its fields, the
Member State of establishment where it goes to one, urgency where the act provides an
urgent procedure, and the free text; saved as a draft, sent from its page."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from app.blueprints import pack_forms
from app.blueprints.access import current_actor, permission
from app.blueprints.notifications import bp
from app.blueprints.notifications.common import REFUSALS, CsrfForm, refusal, visible
from app.blueprints.procedure_choice import chosen_pack
from app.cases import notifications, packforms
from app.cases.kernel import CaseError
from app.extensions import db
from app.forms import already, current, stamp
from app.htmx import render
from app.models import Notification
from app.records import audit
from app.reference import sorted_countries


def _draft_from(pack, values: dict) -> notifications.Draft:
    form = request.form
    return notifications.Draft(
        procedure_key=pack.key,
        fields=values,
        message=form.get("message", "")[:20000],
        establishment_country=form.get("establishment_country", "")[:2],
        urgent=form.get("urgent") == "1",
        urgency_reason=form.get("urgency_reason", "")[:20000],
        needs_validation=form.get("needs_validation") == "1",
    )


@bp.route("/new", methods=["GET", "POST"])
@permission("notification:compose")
def compose():
    """Step 1: choose the procedure; step 2: the notification's details."""
    actor = current_actor()
    packs = notifications.notifiable_packs(actor)
    pack = chosen_pack(packs, str(REFUSALS["procedure"]))
    if pack is None:
        return render("notifications/choose.html", packs=packs)
    return _compose(actor, pack, None)


@bp.route("/<int:notification_id>/edit", methods=["GET", "POST"])
@permission("notification:compose")
def edit(notification_id: int):
    """Change a draft."""
    actor = current_actor()
    item = visible(notification_id)
    try:
        notifications.LIFECYCLE.require(actor, item, "edit")
    except notifications.NotificationError as error:
        from app.blueprints.notifications.routes import refused

        return refused(item, error.code)
    if request.method == "GET":  # the draft's form shows its personal data
        audit.read(actor, "notification.viewed", "notification", item.id, page="edit")
    return _compose(actor, notifications.pack_of(item), item)


def _compose(actor, pack, item: Notification | None):
    form = CsrfForm()
    fields = packforms.fields_form(
        pack, item.fields if item else None, False, limit=10000, formdata=pack_forms.formdata()
    )
    problems: list[str] = []
    if pack_forms.posted(form, fields):
        url = (
            url_for("notifications.case", notification_id=item.id)
            if item
            else (lambda made: url_for("notifications.case", notification_id=made.id))
        )
        earlier = already(form, url, creates=None if item else Notification)
        if earlier is not None:
            return redirect(earlier)
        try:
            with current(item, form):
                item = notifications.save_draft(actor, _draft_from(pack, fields.stored()), item)
        except CaseError as error:
            db.session.rollback()
            problems.append(refusal(error.code, "compose", form))
        else:
            flash(_("The draft has been saved."))
            return redirect(url_for("notifications.case", notification_id=item.id))
    source = request.form if request.method == "POST" else None
    values = {
        "message": source.get("message", "") if source else (item.message if item else ""),
        "establishment_country": source.get("establishment_country", "")
        if source
        else (item.establishment_country if item else ""),
        "urgent": (source.get("urgent") == "1") if source else bool(item and item.urgent),
        "urgency_reason": source.get("urgency_reason", "")
        if source
        else (item.urgency_reason if item else ""),
        "needs_validation": (source.get("needs_validation") == "1")
        if source
        else bool(item and item.needs_validation),
    }
    if item is not None:
        stamp(item, [form])
    return render(
        "notifications/compose.html",
        status=400 if problems or form.errors or fields.errors else 200,
        form=form,
        packform=fields,
        pack=pack,
        rules=pack.notification,
        problems=problems,
        draft=item,
        values=values,
        countries=[
            (c, n) for c, n in sorted_countries(str(get_locale())) if c != actor.authority.country
        ],
    )
