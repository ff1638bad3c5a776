from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import EqualTo

from app.forms import YOUR_EMAIL, Form, email_address, max_length, required


class SignInForm(Form):
    email = EmailField(
        _l("E-mail address"), validators=[required(YOUR_EMAIL), email_address(), max_length(254)]
    )
    password = PasswordField(
        _l("Password"), validators=[required(_l("Enter your password.")), max_length(128)]
    )


class CodeForm(Form):
    code = StringField(
        _l("Code from your authenticator app, or a recovery code"),
        validators=[
            required(_l("Enter the code from your authenticator app or a recovery code.")),
            max_length(20),
        ],
    )


class ForgotPasswordForm(Form):
    email = EmailField(
        _l("E-mail address"), validators=[required(YOUR_EMAIL), email_address(), max_length(254)]
    )


class NewPasswordForm(Form):
    password = PasswordField(
        _l("New password"), validators=[required(_l("Enter a new password.")), max_length(128)]
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[
            required(_l("Enter the new password again.")),
            EqualTo("password", message=_l("The two passwords differ.")),
        ],
    )


class EnrolTotpForm(Form):
    code = StringField(
        _l("Code from your authenticator app"),
        validators=[required(_l("Enter the code from your authenticator app.")), max_length(10)],
    )
