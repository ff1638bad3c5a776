from flask import redirect, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from app.accounts import ratelimit, registrations
from app.blueprints.access import permission
from app.blueprints.registration import bp
from app.blueprints.registration.forms import RegistrationForm
from app.extensions import db
from app.htmx import render
from app.models import Registration
from app.policy import PUBLIC
from app.reference import COUNTRIES

# The session key of the application this browser has just sent.
SENT = "registration_sent"


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
            registration = registrations.apply_for_registration(data, language)
            # Post/Redirect/Get: reloading the confirmation does not send the form again.
            # Only this browser's session knows which application it shows: its address
            # holds no id that another visitor could change to read someone else's.
            session[SENT] = registration.id
            return redirect(url_for("registration.submitted"))
    return render("registration/register.html", form=form)


@bp.get("/register/sent")
@permission(PUBLIC)
def submitted():
    """The application's reference and what happens next, for the browser that sent it."""
    registration_id = session.get(SENT)
    registration = db.session.get(Registration, registration_id) if registration_id else None
    if registration is None:
        return redirect(url_for("registration.register"))
    return render("registration/submitted.html", registration=registration)
