from flask_babel import lazy_gettext as _l
from wtforms import EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import URL, Optional

from app.forms import (
    AUTHORITY_EMAIL,
    CITY,
    COMPETENCES,
    STREET,
    YOUR_EMAIL,
    YOUR_NAME,
    Form,
    email_address,
    max_length,
    required,
)
from app.reference import sorted_countries, sorted_languages


class RegistrationForm(Form):
    country = SelectField(
        _l("Country"),
        validators=[required(_l("Choose a country."))],
        invalid_choice_message=_l("Choose a country."),
    )
    name = StringField(
        _l("Name of the authority in English"),
        validators=[required(_l("Enter the name of the authority in English.")), max_length(300)],
    )
    local_name = StringField(
        _l("Name in its own language"), validators=[Optional(), max_length(300)]
    )
    local_language = SelectField(
        _l("Language of that name"),
        validators=[required(_l("Choose the language of that name."))],
    )
    street = StringField(_l("Street and number"), validators=[required(STREET), max_length(200)])
    postcode = StringField(_l("Postcode"), validators=[Optional(), max_length(20)])
    city = StringField(_l("City"), validators=[required(CITY), max_length(100)])
    email = EmailField(
        _l("E-mail address of the authority"),
        validators=[required(AUTHORITY_EMAIL), email_address(), max_length(254)],
    )
    phone = StringField(_l("Telephone"), validators=[Optional(), max_length(40)])
    website = StringField(
        _l("Website"),
        validators=[
            Optional(),
            URL(message=_l("Enter a web address like https://example.eu.")),
            max_length(300),
        ],
    )
    competences = TextAreaField(
        _l("Competences"), validators=[required(COMPETENCES), max_length(4000)]
    )
    applicant_name = StringField(
        _l("Your full name"), validators=[required(YOUR_NAME), max_length(200)]
    )
    applicant_email = EmailField(
        _l("Your e-mail address"),
        validators=[required(YOUR_EMAIL), email_address(), max_length(254)],
    )
    message = TextAreaField(
        _l("Message to your national coordinator"), validators=[Optional(), max_length(4000)]
    )

    def __init__(self, language: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = [("", _l("Choose a country")), *sorted_countries(language)]
        self.local_language.choices = list(sorted_languages(language))
        if self.local_language.data is None:  # first visit: the visitor's own language
            self.local_language.data = language
