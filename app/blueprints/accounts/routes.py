from flask import abort, flash, g, redirect, request, session, url_for
from flask_babel import get_locale, refresh
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts import credentials, memberships
from app.blueprints.access import current_actor, member_of_own_authority, permission
from app.blueprints.accounts import bp
from app.blueprints.accounts.forms import (
    ROLE_LABELS,
    AcceptInvitationForm,
    AuthorityForm,
    InviteForm,
    ProfileForm,
    RolesForm,
    area_labels,
)
from app.blueprints.coordination.forms import EmptyForm
from app.directory import governance
from app.extensions import db
from app.htmx import render
from app.models import Invitation, User
from app.models.accounts import AREA_ROLES
from app.policy import PUBLIC
from app.records import audit
from app.routing import db_int

ERRORS = {
    "member": lambda: _("This person is already a member of your authority."),
    "no_role": lambda: _("Choose at least one role."),
    "no_area": lambda: _("Tick the areas of this role, or choose all legislative areas."),
    "last_admin": lambda: _("You cannot remove your own administrator role."),
    "self": lambda: _("You cannot suspend yourself."),
    "exists": lambda: _("An account with this e-mail address already exists. Sign in instead."),
}


@bp.route("/account", methods=["GET", "POST"])
@permission("account:profile:edit")
def profile():
    """See and change your name and language."""
    actor = current_actor()
    form = ProfileForm(obj=actor.user)
    if form.validate_on_submit():
        actor.user.full_name = form.full_name.data.strip()
        actor.user.language = form.language.data
        actor.user.auto_translate = form.auto_translate.data
        session["language"] = form.language.data
        audit.record("user.profile_changed", actor_id=actor.user.id)
        db.session.commit()
        flash(_("Your details have been saved."))
        return redirect(url_for("accounts.profile"))
    return render(
        "accounts/profile.html",
        form=form,
        actor=actor,
        codes_left=credentials.recovery_codes_left(actor.user),
        memberships=[m for m in actor.user.memberships if m.is_active],
        switch_form=EmptyForm(),
    )


@bp.post("/account/authority")
@permission("account:profile:edit")
def switch_authority():
    """Act for another of your authorities."""
    actor = current_actor()
    wanted = request.form.get("authority_id", type=db_int)
    if EmptyForm().validate_on_submit() and any(
        m.authority_id == wanted and m.is_active for m in actor.user.memberships
    ):
        session["authority_id"] = wanted
    return redirect(url_for("main.home"))


@bp.get("/users")
@permission("admin:user:manage")
def members():
    """The users of your authority and the invitations not yet accepted."""
    actor = current_actor()
    return render(
        "accounts/members.html",
        members=memberships.members(actor.authority),
        invitations=memberships.open_invitations(actor.authority),
        role_labels=ROLE_LABELS,
        area_labels=area_labels(str(get_locale())),
    )


@bp.route("/users/invite", methods=["GET", "POST"])
@permission("admin:user:manage")
def invite():
    """Invite a colleague by e-mail and choose their roles."""
    actor = current_actor()
    form = InviteForm(data=InviteForm.initial([], {}))  # each role in all areas
    if form.validate_on_submit():
        try:
            invitation = memberships.invite_colleague(
                actor,
                form.email.data,
                form.full_name.data,
                form.roles.data,
                str(get_locale()),
                form.areas(),
            )
        except governance.GovernanceError as error:
            where = form.roles if str(error) == "no_area" else form.email
            where.errors.append(ERRORS[str(error)]())
        else:
            # The same words whether the address has an account or not.
            flash(_("The invitation has been sent to %(email)s.", email=invitation.email))
            return redirect(url_for("accounts.members"))
    return render("accounts/invite.html", form=form, area_roles=AREA_ROLES)


@bp.post("/users/invitations/<int:invitation_id>/cancel")
@permission("admin:user:manage")
def cancel_invitation(invitation_id: int):
    """Withdraw an invitation not yet accepted: its link stops working."""
    actor = current_actor()
    invitation = memberships.open_invitation_of(actor, invitation_id)
    if invitation is None:
        abort(404)
    if EmptyForm().validate_on_submit():
        memberships.cancel_invitation(actor, invitation)
        flash(_("The invitation has been cancelled."))
    return redirect(url_for("accounts.members"))


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@permission("admin:user:manage")
def member(user_id: int):
    """Change a member's roles."""
    actor = current_actor()
    membership = member_of_own_authority(actor, user_id)
    form = RolesForm(data=RolesForm.initial(membership.roles, membership.role_areas))
    if form.validate_on_submit():
        try:
            memberships.set_roles(actor, membership, form.roles.data, form.areas())
        except governance.GovernanceError as error:
            form.roles.errors.append(ERRORS[str(error)]())
        else:
            flash(_("The roles have been saved."))
            return redirect(url_for("accounts.members"))
    return render(
        "accounts/member.html",
        membership=membership,
        form=form,
        button_form=EmptyForm(),
        area_roles=AREA_ROLES,
    )


@bp.route("/users/<int:user_id>/suspension", methods=["GET", "POST"])
@permission("admin:user:manage")
def suspend_member(user_id: int):
    """Suspend a member's access to your authority, after a confirmation, or give it
    back (their account and other authorities are not yours to suspend)."""
    actor = current_actor()
    membership = member_of_own_authority(actor, user_id)
    form = EmptyForm()
    if request.method == "GET":
        return render(
            "components/confirm.html",
            form=form,
            heading=_("Suspend access for %(name)s?", name=membership.user.full_name),
            explanation=_(
                "From their next page on, they can no longer act for your authority. "
                "Their account and their other authorities keep working."
            ),
            action=url_for("accounts.suspend_member", user_id=user_id),
            button=_("Suspend access to your authority"),
            back=url_for("accounts.member", user_id=user_id),
        )
    if form.validate_on_submit():
        suspend = request.form.get("action") == "suspend"
        try:
            memberships.set_membership_suspended(actor, membership, suspend)
        except governance.GovernanceError as error:
            flash(ERRORS[str(error)](), "error")
        else:
            flash(
                _("Access to your authority is suspended for this user.")
                if suspend
                else _("Access to your authority is active again for this user.")
            )
    return redirect(url_for("accounts.member", user_id=user_id))


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@permission(PUBLIC)
def accept_invitation(token: str):
    """Accept an invitation: choose a password, then set up the authenticator app (or,
    with an account already, join signed in)."""
    invitation = memberships.valid_invitation(token)
    if invitation is None:
        return render("auth/link_invalid.html", status=404)
    # A browser that asks for no interface language reads the authority's country's:
    # this page, and the new account after it.
    g.officer_country = invitation.authority.country
    refresh()
    account = memberships.invited_account(invitation)
    if account is not None:
        return _join(invitation, account)
    form = AcceptInvitationForm(
        data={"full_name": invitation.full_name} if request.method == "GET" else None
    )
    if form.validate_on_submit():
        problem = credentials.password_problem(
            form.password.data, hints=(invitation.email, form.full_name.data)
        )
        if problem:
            form.password.errors.append(problem)
        else:
            try:
                user = memberships.accept_invitation(
                    invitation, form.full_name.data, form.password.data, str(get_locale())
                )
            except governance.GovernanceError as error:
                form.full_name.errors.append(ERRORS[str(error)]())
            else:
                session.clear()
                session.rotate()
                session["enrol_user_id"] = user.id
                session["language"] = user.language  # enrolment reads in it too
                return redirect(url_for("auth.enrol_totp"))
    return render("accounts/accept.html", form=form, invitation=invitation)


def _join(invitation: Invitation, account: User):
    """An existing account joins only by its owner's consent: signed in as that account
    (the link alone, which anyone who sees the mail has, is not enough)."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.sign_in", next=request.script_root + request.full_path))
    if current_user.id != account.id:
        return render("accounts/join.html", invitation=invitation, form=None, status=403)
    form = EmptyForm()
    if form.validate_on_submit():
        memberships.join(invitation, account)
        flash(_("You are now a member of %(authority)s.", authority=invitation.authority.name))
        return redirect(url_for("accounts.profile"))
    return render("accounts/join.html", invitation=invitation, form=form, role_labels=ROLE_LABELS)


@bp.route("/authority", methods=["GET", "POST"])
@permission("admin:authority:edit")
def edit_authority():
    """Keep your authority's address, contact and competences up to date."""
    actor = current_actor()
    form = AuthorityForm(obj=actor.authority)
    if form.validate_on_submit():
        website = (form.website.data or "").strip()
        if website and not website.startswith(("https://", "http://")):
            form.website.errors.append(_("Enter a web address like https://example.eu."))
        else:
            governance.update_authority(
                actor, {name: f.data for name, f in form._fields.items() if name != "csrf_token"}
            )
            flash(_("The directory entry has been saved."))
            return redirect(url_for("directory.profile", authority_id=actor.authority.id))
    return render("accounts/authority.html", form=form, authority=actor.authority)
