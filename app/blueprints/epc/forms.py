from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from wtforms import EmailField, PasswordField, SelectField, StringField

from app.forms import (
    YOUR_EMAIL,
    YOUR_NAME,
    Form,
    MultiCheckboxField,
    chosen,
    email_address,
    max_length,
    required,
)


class RegisterForm(Form):
    full_name = StringField(_l("Your full name"), validators=[required(YOUR_NAME), max_length(200)])
    email = EmailField(
        _l("Your e-mail address"),
        validators=[required(YOUR_EMAIL), email_address(), max_length(254)],
    )
    password = PasswordField(
        _l("Choose a password"), validators=[required(_l("Choose a password.")), max_length(128)]
    )


class SignInForm(Form):
    email = EmailField(
        _l("Your e-mail address"),
        validators=[required(YOUR_EMAIL), email_address(), max_length(254)],
    )
    password = PasswordField(
        _l("Password"), validators=[required(_l("Enter your password.")), max_length(128)]
    )


class DocumentsForm(Form):
    documents = MultipleFileField(_l("Add documents to your account"))


class ApplyForm(Form):
    home_country = SelectField(
        _l("Member State where you are established (home)"),
        validators=[chosen(_l("Choose the Member State where you are established."))],
    )
    host_country = SelectField(
        _l("Member State where you want to work (host)"),
        validators=[chosen(_l("Choose the Member State where you want to work."))],
    )
    documents = MultiCheckboxField(_l("Documents from your account to send with it"), coerce=int)


class SupplementForm(Form):
    documents = MultiCheckboxField(_l("Documents from your account to add"), coerce=int)


class VerifyForm(Form):
    class Meta:
        csrf = False  # a GET form: reading only, and shareable (the QR code links to it)

    code = StringField(
        _l("Verification code"),
        validators=[required(_l("Enter the card's verification code.")), max_length(20)],
    )
    identity = StringField(
        _l("Number of the holder's identity document"),
        validators=[
            required(_l("Enter the number of the holder's identity document.")),
            max_length(64),
        ],
    )
