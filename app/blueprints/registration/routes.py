from flask import request, session
from flask_babel import get_locale
from flask_babel import gettext as _

from app.accounts import ratelimit, registrations
from app.blueprints.access import permission
from app.blueprints.registration import bp
from app.blueprints.registration.forms import RegistrationForm
from app.htmx import render
from app.policy import PUBLIC
from app.reference import COUNTRIES


@bp.route("/register", methods=["GET", "POST"])
@permission(PUBLIC)
def register():
    """Apply to register an authority; the country's coordinator decides."""
    language = str(get_locale())
    form = RegistrationForm(language)
    if form.validate_on_submit():
        # Counted once the form is complete: each application mails the coordinators.
        if not ratelimit.allow("register", request.remote_addr or "unknown"):
            form.form_errors.append(
                _(
                    "You have sent this form too often. Please wait an hour and send it "
                    "again: what you typed is kept below."
                )
            )
            return render("registration/register.html", form=form, status=429)
        if form.country.data not in COUNTRIES:
            form.country.errors.append(_("Choose a country."))
        elif registrations.duplicate_authority(form.country.data, form.name.data) or (
            form.local_name.data
            and registrations.duplicate_authority(form.country.data, form.local_name.data)
        ):
            form.name.errors.append(
                _("An authority with this name is already registered in this country.")
            )
        else:
            data = {k: (v.strip() if isinstance(v, str) else v) for k, v in form.data.items()}
            registrations.apply_for_registration(data, language)
            session["registered_email"] = data["applicant_email"]
            return render("registration/submitted.html", email=data["applicant_email"])
    return render("registration/register.html", form=form)
