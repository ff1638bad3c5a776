from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import EqualTo

from app import vocabulary
from app.accounts.memberships import policy_areas
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
from app.models.accounts import AREA_ROLES
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


class _Invitee(Form):
    """Whom an invitation is for."""

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


# A role that acts on cases holds in every legislative area (those added later too), or in
# the areas ticked.
ALL_AREAS = "all"
SOME_AREAS = "some"


def _scope_field() -> RadioField:
    # Nothing chosen (a form that does not show areas) is all areas: see `areas`.
    return RadioField(_l("Legislative areas"), validate_choice=False)


def _areas_field() -> MultiCheckboxField:
    # Unknown areas (only a robot sends them) are dropped by the service, not refused.
    return MultiCheckboxField(_l("Legislative areas"), validate_choice=False)


def area_labels(language: str) -> dict[str, str]:
    """Each legislative area's name in the language."""
    return {area: vocabulary.label(f"area.{area}", language) for area in policy_areas()}


def short_role(role: str) -> str:
    """A role's name without what it does ("Handler")."""
    return str(ROLE_LABELS[role]).split(":")[0].strip()


class RolesForm(Form):
    """A member's roles, and for each role that acts on cases the legislative areas it
    holds in: all of them (`scope_<role>`), or those ticked (`areas_<role>`); read only
    for the roles ticked."""

    roles = _roles_field()
    scope_allocator = _scope_field()
    areas_allocator = _areas_field()
    scope_handler = _scope_field()
    areas_handler = _areas_field()
    scope_alert_handler = _scope_field()
    areas_alert_handler = _areas_field()
    scope_viewer = _scope_field()
    areas_viewer = _areas_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = area_labels(str(get_locale()))
        choices = sorted(labels.items(), key=lambda choice: choice[1].casefold())
        for role in AREA_ROLES:
            scope, areas = self.scope_field(role), self.area_field(role)
            scope.choices = [
                (ALL_AREAS, _("All legislative areas")),
                (SOME_AREAS, _("Only the areas ticked")),
            ]
            scope.label.text = _("Legislative areas: %(role)s", role=short_role(role))
            areas.choices = choices
            areas.label.text = _("Areas: %(role)s", role=short_role(role))

    def scope_field(self, role: str) -> RadioField:
        return self[f"scope_{role}"]

    def area_field(self, role: str) -> MultiCheckboxField:
        return self[f"areas_{role}"]

    @staticmethod
    def initial(roles: list[str], role_areas: dict[str, list[str]]) -> dict:
        """The form's data for a membership's roles and their areas."""
        data: dict = {"roles": [r for r in roles if r in ROLE_LABELS]}
        for role in AREA_ROLES:
            limited = role_areas.get(role)
            data[f"scope_{role}"] = SOME_AREAS if limited else ALL_AREAS
            data[f"areas_{role}"] = list(limited or [])
        return data

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for role in AREA_ROLES:
            if role not in (self.roles.data or []):
                continue
            if self.scope_field(role).data == SOME_AREAS and not self.area_field(role).data:
                self.area_field(role).errors.append(
                    _("Tick the areas of this role, or choose all legislative areas.")
                )
                valid = False
        return valid

    def areas(self) -> dict[str, list[str]]:
        """role -> its areas, for the roles held in some areas only."""
        return {
            role: list(self.area_field(role).data or [])
            for role in AREA_ROLES
            if self.scope_field(role).data == SOME_AREAS
        }


class InviteForm(_Invitee, RolesForm):
    """The person, their roles and the legislative areas each role holds in (the
    person's fields first: they are declared first)."""


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
