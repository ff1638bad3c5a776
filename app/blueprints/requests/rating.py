"""Rating the reply to a closed request (app/cases/requests/ratings.py): the form is on
the case page, and comes back there with its values and one error per field."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.blueprints.access import current_actor, permission
from app.blueprints.requests import bp
from app.blueprints.requests.forms import RatingForm
from app.blueprints.requests.page import case_page, done, load, refused
from app.cases.kernel import CaseError
from app.cases.requests import ratings
from app.extensions import db
from app.forms import already

ALREADY_RATED = _l("Your authority has already rated this reply.")


@bp.post("/<int:request_id>/rating")
@permission("request:act")
def rate(request_id: int):
    """Rate the timeliness of the reply and the satisfaction with it, once."""
    item = load(request_id)
    form = RatingForm(prefix="rate")
    if not form.validate_on_submit():
        return case_page(item, status=400, rate=form)
    message = _("Your rating has been recorded.")
    to = url_for("requests.case", request_id=item.id)
    if (earlier := already(form, to)) is not None:
        return done(item, message, earlier)
    try:
        ratings.rate(current_actor(), item, *form.arguments())
    except CaseError as error:
        if error.code == "rated":
            # the rating already given is on the case page, which says so
            db.session.rollback()
            flash(str(ALREADY_RATED), "error")
            return redirect(to)
        return refused(item, error, "rate", rate=form)
    return done(item, message)
