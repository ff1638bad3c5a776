"""Shared form pieces: every validator carries an explicit, translatable message
(WTForms has no catalogs for several EU languages)."""

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, SelectMultipleField, widgets
from wtforms.validators import DataRequired, Email, Length, StopValidation

from app.cases import packforms

# What a required field's message says when several forms ask for the same thing: one
# msgid each. Every required field names what is missing in the user's words (GOV.UK:
# "Enter your e-mail address"), never a bare "This field is required." that repeats in the
# error summary without saying which field it means.
YOUR_NAME = _l("Enter your full name.")
YOUR_EMAIL = _l("Enter your e-mail address.")
STREET = _l("Enter the authority's street and number.")
CITY = _l("Enter the authority's city.")
AUTHORITY_EMAIL = _l("Enter the authority's e-mail address.")
COMPETENCES = _l("Say what the authority is competent for.")


def required(message):
    """Required, with the message that names what to enter."""
    return DataRequired(message=message)


def chosen(message):
    """At least one box ticked. Not DataRequired: its `required` flag would put the
    attribute on every checkbox, asking the browser to tick them all."""

    def check(form, field):
        if not field.data:
            raise StopValidation(message)

    return check


def max_length(n: int):
    return Length(max=n, message=_l("Use at most %(max)d characters.", max=n))


def email_address():
    return Email(
        message=_l("Enter an e-mail address like name@example.eu."), check_deliverability=False
    )


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class DateInputField(Field):
    """A date as GOV.UK asks for one: day, month and year inputs (`name`-day, ...; the
    macro `field` shows them), read and checked as a pack form's date is
    (app/cases/packforms.py), its messages naming `subject` ("the start date"). `data`
    is a datetime.date, or None when nothing was typed."""

    def __init__(self, label=None, validators=None, *, subject="", **kwargs):
        super().__init__(label, validators, **kwargs)
        self.subject = subject
        self.parts = dict.fromkeys(packforms.PARTS, "")
        self.bad_parts: tuple[str, ...] = ()
        self.unreadable = False

    @property
    def first_id(self) -> str:
        """The input the error summary links to: the first wrong part."""
        return f"{self.id}-{(self.bad_parts or packforms.PARTS)[0]}"

    def process(self, formdata, data=None, extra_filters=None):
        self.process_errors = []
        self.object_data = data
        self.data = data
        if formdata is not None:
            self.parts, self.unreadable = packforms.date_parts(formdata, self.name)
            self.raw_data = list(self.parts.values())

    def pre_validate(self, form) -> None:
        try:
            typed = packforms.date_from_parts(self.parts, str(self.subject), self.unreadable)
        except packforms.DateError as error:
            self.bad_parts = error.parts
            raise
        self.data = date.fromisoformat(typed) if typed else None


def _without_nul(value):
    # PostgreSQL cannot store NUL in text; only a robot sends one.
    return value.replace("\x00", "") if isinstance(value, str) else value


class Form(FlaskForm):
    """Base of every form: strips NUL characters from every field."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = [*unbound_field.kwargs.get("filters", ()), _without_nul]
            return unbound_field.bind(form=form, **options, filters=filters)
