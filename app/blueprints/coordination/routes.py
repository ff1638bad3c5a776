from flask import abort, flash, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.accounts import access_managers, memberships, registrations
from app.blueprints.access import (
    access_managed_authority,
    current_actor,
    governed_authority,
    governed_user,
    permission,
)
from app.blueprints.coordination import bp
from app.blueprints.coordination.forms import (
    ACCESS_ROLE_LABELS,
    AccessForm,
    EmptyForm,
    RegionForm,
    RejectForm,
)
from app.directory import governance
from app.extensions import db
from app.htmx import render
from app.models import Procedure, Registration, RegistrationStatus
from app.policy import governs, governs_account, manages_access
from app.records import audit
from app.routing import db_int


def _registration_for(actor, registration_id: int) -> Registration:
    registration = db.session.get(Registration, registration_id)
    if registration is None or not manages_access(actor, registration.authority):
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


def _already_decided():
    flash(_("This application has already been decided."), "error")
    return redirect(url_for("coordination.queue"))


@bp.route("/registrations/<int:registration_id>", methods=["GET", "POST"])
@permission("coordination:registration:decide")
def registration(registration_id: int):
    """Read an application and approve it; rejecting it has a page of its own (below)."""
    actor = current_actor()
    item = _registration_for(actor, registration_id)
    form = EmptyForm()
    if form.validate_on_submit():
        if item.status != RegistrationStatus.PENDING:
            return _already_decided()
        if request.form.get("decision") != "approve":  # a rejection needs its reason
            return redirect(url_for("coordination.reject", registration_id=item.id))
        registrations.approve_registration(actor, item)
        flash(_("The authority is registered and its administrator has been invited."))
        return redirect(url_for("coordination.queue"))
    if request.method == "GET":  # a refused decision shows the page it was made on
        audit.read(actor, "registration.viewed", "registration", item.id)
    return render(
        "coordination/registration.html",
        registration=item,
        form=form,
        status=400 if form.errors else 200,
    )


@bp.route("/registrations/<int:registration_id>/reject", methods=["GET", "POST"])
@permission("coordination:registration:decide")
def reject(registration_id: int):
    """Reject an application, after a confirmation with the reason the applicant will
    read: GET asks (and changes nothing), POST rejects."""
    actor = current_actor()
    item = _registration_for(actor, registration_id)
    if item.status != RegistrationStatus.PENDING:
        return _already_decided()
    form = RejectForm()
    if form.validate_on_submit():
        registrations.reject_registration(actor, item, form.reason.data.strip())
        flash(_("The application has been rejected and the applicant informed."))
        return redirect(url_for("coordination.queue"))
    if request.method == "GET":  # the confirmation names the applicant
        audit.read(actor, "registration.viewed", "registration", item.id)
    return render(
        "components/confirm.html",
        status=400 if form.errors else 200,
        form=form,
        fields=["reason"],
        heading=_(
            "Reject the application of %(name)s?",
            name=item.authority.display_name(str(get_locale())),
        ),
        explanation=_(
            "The authority is not registered. %(email)s receives your reason by e-mail.",
            email=item.applicant_email,
        ),
        action=url_for("coordination.reject", registration_id=item.id),
        button=_("Reject the application"),
        button_name="decision",
        button_value="reject",
        back=url_for("coordination.registration", registration_id=item.id),
    )


@bp.route("/authorities/<int:authority_id>", methods=["GET", "POST"])
@permission("coordination:access:grant")
def authority(authority_id: int):
    """Grant or change an authority's access to a procedure."""
    actor = current_actor()
    target = access_managed_authority(actor, authority_id)
    form = AccessForm(_grantable_procedures(actor))
    if form.validate_on_submit():
        governance.grant_access(actor, target, form.procedure.data, form.roles.data or [])
        flash(_("Procedure access saved."))
        return redirect(url_for("coordination.authority", authority_id=target.id))
    return _authority_page(actor, target, form, RegionForm(obj=target))


def _authority_page(actor, target, form, region_form, status: int = 200):
    """An authority's page: its procedure access, and for its coordinators its region,
    members and suspension (an access manager manages registrations and access only)."""
    coordinating = governs(actor, target)
    members = memberships.members(target) if coordinating else []
    if request.method == "GET" and coordinating:  # the member list names people
        audit.listed(actor, "user.list_viewed", "user", [m.user_id for m in members])
    return render(
        "coordination/authority.html",
        status=status,
        authority=target,
        form=form,
        button_form=EmptyForm(),
        role_labels=ACCESS_ROLE_LABELS,
        members=members,
        coordinating=coordinating,
        region_form=region_form if governance.may_set_region(actor, target) else None,
    )


@bp.route("/authorities/<int:authority_id>/region", methods=["POST"])
@permission("coordination:authority:region")
def authority_region(authority_id: int):
    """Say in which region (NUTS code) an authority you coordinate is."""
    actor = current_actor()
    target = governed_authority(actor, authority_id)
    if not governance.may_set_region(actor, target):
        abort(403)
    form = RegionForm()
    if form.validate_on_submit():
        try:
            governance.set_region(actor, target, form.region.data or "")
        except governance.GovernanceError:
            form.region.errors.append(
                _("Enter a NUTS code of the authority's country, such as DE21.")
            )
        else:
            flash(_("The region has been saved."))
            return redirect(url_for("coordination.authority", authority_id=target.id))
    access = AccessForm(_grantable_procedures(actor))
    return _authority_page(actor, target, access, form, status=400)


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


ACCOUNT_REFUSALS = {
    "self": _l("You cannot suspend your own account."),
    "scope": _l("Only the coordinators of all this user's authorities decide about the account."),
}


@bp.get("/users/<int:user_id>")
@permission("coordination:user:view")
def user(user_id: int):
    """A member of authorities you coordinate: their memberships there, and their account."""
    actor = current_actor()
    person = governed_user(actor, user_id)
    audit.read(actor, "user.viewed", "user", person.id)
    governed = [m for m in person.memberships if governs(actor, m.authority)]
    return render(
        "coordination/user.html",
        person=person,
        governed=governed,
        others=len(person.memberships) - len(governed),
        may_suspend=governs_account(actor, person),
        appointable={m.id for m in governed if access_managers.may_appoint(actor, m)},
        button_form=EmptyForm(),
    )


@bp.post("/users/<int:user_id>/access-manager")
@permission("coordination:access_manager:appoint")
def access_manager(user_id: int):
    """Appoint a user of your country an access manager for one of their authorities (they
    register authorities and grant procedure access for you), or end it."""
    actor = current_actor()
    person = governed_user(actor, user_id)
    wanted = request.form.get("authority_id", type=db_int)
    membership = next((m for m in person.memberships if m.authority_id == wanted), None)
    if membership is None or not access_managers.may_appoint(actor, membership):
        abort(404)
    form = EmptyForm()
    if form.validate_on_submit():
        appoint = request.form.get("action") == "appoint"
        access_managers.set_access_manager(actor, membership, appoint)
        flash(
            _("%(name)s is now an access manager.", name=person.full_name)
            if appoint
            else _("%(name)s is no longer an access manager.", name=person.full_name)
        )
    return redirect(url_for("coordination.user", user_id=person.id))


@bp.route("/users/<int:user_id>/suspension", methods=["GET", "POST"])
@permission("coordination:user:suspend")
def suspend_user(user_id: int):
    """Suspend a whole account, after a confirmation (signed out at once, no sign-in for
    any authority), or reactivate it."""
    actor = current_actor()
    person = governed_user(actor, user_id)
    if not governs_account(actor, person):
        abort(403)
    form = EmptyForm()
    if request.method == "GET":  # the confirmation names the person
        audit.read(actor, "user.viewed", "user", person.id)
        return render(
            "components/confirm.html",
            form=form,
            heading=_("Suspend the account of %(name)s?", name=person.full_name),
            explanation=_(
                "%(email)s is signed out at once and cannot sign in for any of their "
                "authorities until a coordinator reactivates the account.",
                email=person.email,
            ),
            action=url_for("coordination.suspend_user", user_id=person.id),
            button=_("Suspend the account"),
            back=url_for("coordination.user", user_id=person.id),
        )
    if form.validate_on_submit():
        suspend = request.form.get("action") == "suspend"
        try:
            memberships.set_account_suspended(actor, person, suspend)
        except governance.GovernanceError as error:
            flash(str(ACCOUNT_REFUSALS[str(error)]), "error")
        else:
            flash(_("The account is suspended.") if suspend else _("The account is active again."))
    return redirect(url_for("coordination.user", user_id=person.id))
