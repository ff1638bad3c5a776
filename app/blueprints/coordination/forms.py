from flask import current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectField, StringField, TextAreaField

from app.forms import Form, MultiCheckboxField, max_length, required
from app.procedures import procedure_name

ACCESS_ROLE_LABELS = {
    "requester": _l("Sends requests"),
    "responder": _l("Answers requests"),
    "alert_sender": _l("Sends alerts"),
    "alert_receiver": _l("Receives alerts"),
    "repository_editor": _l("Edits repository records"),
    "repository_reader": _l("Reads repository records"),
    "notifier": _l("Sends notifications"),
    "notification_receiver": _l("Receives notifications"),
    "notification_coordinator": _l("Validates notifications"),
    # A Commission desk (app/cases/notifications/routing.py).
    "notification_assessor": _l("Assesses notifications (Commission)"),
}


class RejectForm(Form):
    """A rejection, on its confirmation page: the reason, which the applicant will read."""

    reason = TextAreaField(
        _l("Reason for a rejection"),
        validators=[
            required(_l("Give the reason for the rejection; the applicant will read it.")),
            max_length(2000),
        ],
    )


class AccessForm(Form):
    procedure = SelectField(_l("Procedure"), validators=[required(_l("Choose a procedure."))])
    roles = MultiCheckboxField(
        _l("What the authority does in this procedure"),
        choices=[SelectChoice(role, label) for role, label in ACCESS_ROLE_LABELS.items()],
    )

    def __init__(self, procedures, *args, **kwargs):
        super().__init__(*args, **kwargs)
        language = str(get_locale())
        self.procedure.choices = [
            (p.key, procedure_name(current_app, p.key, p.name, language)) for p in procedures
        ]


class RegionForm(Form):
    region = StringField(_l("Region (NUTS code)"), validators=[max_length(10)])


class EmptyForm(Form):
    """CSRF only, for buttons."""
