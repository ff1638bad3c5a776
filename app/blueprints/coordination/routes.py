from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.blueprints.coordination import bp
from app.blueprints.coordination.forms import (
    ACCESS_ROLE_LABELS,
    AccessForm,
    DecisionForm,
    EmptyForm,
)
from app.extensions import db
from app.htmx import render
from app.models import Procedure, Registration, RegistrationStatus
from app.policy import current_actor, governed_authority, governs, permission
from app.services import audit, governance, registrations


def _registration_for(actor, registration_id: int) -> Registration:
    registration = db.session.get(Registration, registration_id)
    if registration is None or not governs(actor, registration.authority):
        abort(404)
    return registration


def _grantable_procedures(actor) -> list[Procedure]:
    procedures = db.session.scalars(
        select(Procedure).order_by(Procedure.policy_area, Procedure.name)
    )
    return [p for p in procedures if governance.may_grant(actor, p.key)]


@bp.get("/")
@permission("coordination:registration:decide")
def queue():
    """The coordinator's queue: registrations waiting for a decision, and governed authorities."""
    actor = current_actor()
    pending = registrations.pending_registrations(actor)
    # The queue names the applicants: a read of their personal data.
    audit.listed(actor, "registration.list_viewed", "registration", [r.id for r in pending])
    return render(
        "coordination/queue.html",
        registrations=pending,
        authorities=governance.governed_authorities(actor),
    )


@bp.route("/registrations/<int:registration_id>", methods=["GET", "POST"])
@permission("coordination:registration:decide")
def registration(registration_id: int):
    """Read an application and approve it, or reject it with a reason."""
    actor = current_actor()
    item = _registration_for(actor, registration_id)
    form = DecisionForm()
    if form.validate_on_submit():
        if item.status != RegistrationStatus.PENDING:
            flash(_("This application has already been decided."), "error")
            return redirect(url_for("coordination.queue"))
        if request.form.get("decision") == "approve":
            registrations.approve_registration(actor, item)
            flash(_("The authority is registered and its administrator has been invited."))
            return redirect(url_for("coordination.queue"))
        reason = (form.reason.data or "").strip()
        if not reason:
            form.reason.errors.append(
                _("Give the reason for the rejection; the applicant will read it.")
            )
        else:
            registrations.reject_registration(actor, item, reason)
            flash(_("The application has been rejected and the applicant informed."))
            return redirect(url_for("coordination.queue"))
    if request.method == "GET":  # a refused decision shows the page it was made on
        audit.read(actor, "registration.viewed", "registration", item.id)
    return render("coordination/registration.html", registration=item, form=form)


@bp.route("/authorities/<int:authority_id>", methods=["GET", "POST"])
@permission("coordination:access:grant")
def authority(authority_id: int):
    """Grant or change an authority's access to a procedure."""
    actor = current_actor()
    target = governed_authority(actor, authority_id)
    form = AccessForm(_grantable_procedures(actor))
    if form.validate_on_submit():
        governance.grant_access(actor, target, form.procedure.data, form.roles.data or [])
        flash(_("Procedure access saved."))
        return redirect(url_for("coordination.authority", authority_id=target.id))
    return render(
        "coordination/authority.html",
        authority=target,
        form=form,
        button_form=EmptyForm(),
        role_labels=ACCESS_ROLE_LABELS,
    )


@bp.post("/authorities/<int:authority_id>/suspension")
@permission("coordination:authority:suspend")
def suspend_authority(authority_id: int):
    """Suspend an authority (its users are signed out at once) or reactivate it."""
    actor = current_actor()
    target = governed_authority(actor, authority_id)
    form = EmptyForm()
    if form.validate_on_submit():
        suspend = request.form.get("action") == "suspend"
        try:
            governance.set_authority_suspended(actor, target, suspend)
        except governance.GovernanceError:
            flash(_("You cannot suspend your own authority."), "error")
        else:
            flash(
                _("The authority is suspended.") if suspend else _("The authority is active again.")
            )
    return redirect(url_for("coordination.authority", authority_id=target.id))
