"""Shared form pieces: every validator carries an explicit, translatable message
(WTForms has no catalogs for several EU languages)."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField, widgets
from wtforms.validators import DataRequired, Email, Length

REQUIRED = _l("This field is required.")


def required(message=REQUIRED):
    return DataRequired(message=message)


def max_length(n: int):
    return Length(max=n, message=_l("Use at most %(max)d characters.", max=n))


def email_address():
    return Email(
        message=_l("Enter an e-mail address like name@example.eu."), check_deliverability=False
    )


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()
