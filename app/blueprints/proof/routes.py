"""Proof of exchange: coordinators reach a blocked case by its reference and a purpose."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField

from app.blueprints.access import current_actor, permission
from app.blueprints.case_labels import state_label
from app.blueprints.proof import bp
from app.forms import Form, max_length, required
from app.htmx import render
from app.records import proof

# The case's own fields (the pack's are labelled by the pack, in the reader's language).
FIXED_LABELS = {
    "subject": _l("Person or company concerned"),
    "message": _l("Message"),
    "name": _l("Name"),
    "email": _l("E-mail address"),
    "description": _l("Description"),
}


class ProofForm(Form):
    reference = StringField(
        _l("Case reference"),
        validators=[required(_l("Enter the case reference.")), max_length(40)],
    )
    purpose = TextAreaField(
        _l("Purpose"),
        description=_l(
            "Why you need the proof, e.g. a court's order or an access request with its "
            "file number. It is recorded in the audit trail; write no personal data here."
        ),
        validators=[
            required(_l("Say why you need the proof.")),
            max_length(proof.MAX_PURPOSE),
        ],
    )


@bp.route("/", methods=["GET", "POST"])
@permission("case:proof:view")
def index():
    """Show a blocked case to a coordinator of one of its parties, for a stated purpose."""
    actor = current_actor()
    form = ProofForm()
    exhibit = None
    if form.validate_on_submit():
        case = proof.reachable(actor, form.reference.data)
        if case is None:
            form.reference.errors.append(
                _(
                    "No blocked case with this reference involves an authority you "
                    "coordinate. Cases that are not blocked are seen by their parties."
                )
            )
        else:
            exhibit = proof.show(actor, case, form.purpose.data.strip(), str(get_locale()))
    return render(
        "proof/index.html",
        form=form,
        exhibit=exhibit,
        state_label=lambda e: state_label(e.kind, e.state),
        field_label=lambda key: FIXED_LABELS.get(key, key),
    )
