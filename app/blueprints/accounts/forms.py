from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import EqualTo

from app import vocabulary
from app.forms import (
    AUTHORITY_EMAIL,
    CITY,
    COMPETENCES,
    STREET,
    YOUR_NAME,
    Form,
    MultiCheckboxField,
    chosen,
    email_address,
    max_length,
    required,
)
from app.reference import sorted_languages

ROLE_LABELS = {
    "admin": _l("Local administrator: manages users and authority data"),
    "allocator": _l("Allocator: routes incoming work to handlers"),
    "handler": _l("Handler: sends and answers requests"),
    "alert_handler": _l("Alert handler: sends and receives alerts"),
    "viewer": _l("Viewer: reads only"),
}
ROLE_CHOICES = [SelectChoice(role, label) for role, label in ROLE_LABELS.items()]


def _roles_field() -> MultiCheckboxField:
    """The roles of a member: never none (a member without a role could do nothing; to
    take someone's access away, suspend the membership)."""
    return MultiCheckboxField(
        _l("Roles"), choices=ROLE_CHOICES, validators=[chosen(_l("Choose at least one role."))]
    )


class ProfileForm(Form):
    full_name = StringField(_l("Full name"), validators=[required(YOUR_NAME), max_length(200)])
    language = SelectField(_l("Language"), validators=[required(_l("Choose a language."))])
    auto_translate = BooleanField(_l("Translate incoming free text into my language"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = list(sorted_languages(str(get_locale() or "en")))


class InviteForm(Form):
    full_name = StringField(
        _l("Full name"),
        validators=[required(_l("Enter the full name of the person.")), max_length(200)],
    )
    email = EmailField(
        _l("E-mail address"),
        validators=[
            required(_l("Enter the person's e-mail address.")),
            email_address(),
            max_length(254),
        ],
    )
    roles = _roles_field()


class RolesForm(Form):
    roles = _roles_field()


class AcceptInvitationForm(Form):
    full_name = StringField(_l("Full name"), validators=[required(YOUR_NAME), max_length(200)])
    password = PasswordField(
        _l("Password"), validators=[required(_l("Enter a password.")), max_length(128)]
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[
            required(_l("Enter the password again.")),
            EqualTo("password", message=_l("The two passwords differ.")),
        ],
    )


class AuthorityForm(Form):
    """What a local administrator may change of their authority's directory entry."""

    street = StringField(_l("Street and number"), validators=[required(STREET), max_length(200)])
    postcode = StringField(_l("Postcode"), validators=[max_length(20)])
    city = StringField(_l("City"), validators=[required(CITY), max_length(100)])
    email = EmailField(
        _l("E-mail address of the authority"),
        validators=[required(AUTHORITY_EMAIL), email_address(), max_length(254)],
    )
    phone = StringField(_l("Telephone"), validators=[max_length(40)])
    website = StringField(_l("Website"), validators=[max_length(300)])
    competences = TextAreaField(
        _l("Competences"), validators=[required(COMPETENCES), max_length(4000)]
    )
    # Unknown keys (only a robot sends them) are dropped by the service, not refused.
    concept_keys = MultiCheckboxField(_l("Fields of competence"), validate_choice=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.concept_keys.choices = vocabulary.choices(str(get_locale()))
