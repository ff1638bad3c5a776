from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import EqualTo

from app.forms import MultiCheckboxField, email_address, max_length, required
from app.reference import LANGUAGES, language_name

ROLE_LABELS = {
    "admin": _l("Local administrator: manages users and authority data"),
    "allocator": _l("Allocator: routes incoming work to handlers"),
    "handler": _l("Handler: sends and answers requests"),
    "alert_handler": _l("Alert handler: sends and receives alerts"),
    "viewer": _l("Viewer: reads only"),
}


class ProfileForm(FlaskForm):
    full_name = StringField(_l("Full name"), validators=[required(), max_length(200)])
    language = SelectField(_l("Language"), validators=[required()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = [(code, language_name(code)) for code in LANGUAGES]


class InviteForm(FlaskForm):
    full_name = StringField(_l("Full name"), validators=[required(), max_length(200)])
    email = EmailField(
        _l("E-mail address"), validators=[required(), email_address(), max_length(254)]
    )
    roles = MultiCheckboxField(_l("Roles"), choices=list(ROLE_LABELS.items()))


class RolesForm(FlaskForm):
    roles = MultiCheckboxField(_l("Roles"), choices=list(ROLE_LABELS.items()))


class AcceptInvitationForm(FlaskForm):
    full_name = StringField(_l("Full name"), validators=[required(), max_length(200)])
    password = PasswordField(_l("Password"), validators=[required(), max_length(128)])
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[required(), EqualTo("password", message=_l("The two passwords differ."))],
    )
