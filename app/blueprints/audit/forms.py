"""The audit trail's filters (a GET form) and the data-subject report's form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import Optional, Regexp, ValidationError

from app.forms import DateInputField, Form, max_length, required
from app.records.audit_labels import OBJECT_LABELS, action_label

FILTER_ACTIONS = [
    f"{kind}.{word}"
    for kind in ("request", "alert", "public_case", "repository_record")
    for word in ("viewed", "list_viewed", "denied")
] + [
    "request.attachment_downloaded",
    "alert.attachment_downloaded",
    "public_case.document_downloaded",
    "public_case.submitter_viewed",
    "case.searched",
    "case.list_viewed",
    "translation.viewed",
    "registration.viewed",
    "audit_event.searched",
    "audit_event.subject_report",
]


class TrailForm(Form):
    class Meta:
        csrf = False  # a GET search: nothing changes

    reference = StringField(_l("Case or record reference"), validators=[max_length(40)])
    # Unknown choices are ignored by the view (WTForms' own message is not translated).
    object_type = SelectField(_l("Object type"), validate_choice=False)
    object_id = StringField(
        _l("Object number"),
        validators=[Optional(), Regexp(r"^\d{1,12}$", message=_l("Enter a number."))],
    )
    email = StringField(_l("User's e-mail address"), validators=[max_length(254)])
    authority = StringField(_l("Authority name"), validators=[max_length(200)])
    action = SelectField(_l("Action"), validate_choice=False)
    # Translators: how error messages name the two dates, e.g. "The start date must
    # include a month" (the first letter is capitalized when it starts the message).
    since = DateInputField(_l("From (date)"), subject=_l("the start date"))
    until = DateInputField(_l("Until (date)"), subject=_l("the end date"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.object_type.choices = [("", _l("Any"))] + [(k, v) for k, v in OBJECT_LABELS.items()]
        self.action.choices = [("", _l("Any"))] + [(a, action_label(a)) for a in FILTER_ACTIONS]


class SubjectForm(Form):
    name = StringField(_l("Name of the person"), validators=[max_length(200)])
    identifier = StringField(
        _l("Date of birth or registration number"), validators=[max_length(100)]
    )
    purpose = TextAreaField(
        _l("Purpose of the report"),
        validators=[required(_l("Say why you make this report.")), max_length(500)],
    )

    def validate_identifier(self, field) -> None:
        if not (self.name.data or "").strip() and not (field.data or "").strip():
            raise ValidationError(str(_l("Give a name, an identifier or both.")))
