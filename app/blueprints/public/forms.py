from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from wtforms import EmailField, StringField, TextAreaField

from app.cases.public import MAX_NAME, MAX_TEXT
from app.forms import YOUR_EMAIL, YOUR_NAME, Form, email_address, max_length, required


class SubmitForm(Form):
    name = StringField(_l("Your full name"), validators=[required(YOUR_NAME), max_length(MAX_NAME)])
    email = EmailField(
        _l("Your e-mail address"),
        validators=[required(YOUR_EMAIL), email_address(), max_length(254)],
    )
    description = TextAreaField(
        _l("Describe your case"),
        validators=[required(_l("Describe your case.")), max_length(MAX_TEXT)],
    )
    documents = MultipleFileField(_l("Documents (optional)"))


class ReplyForm(Form):
    text = TextAreaField(_l("Your message"), validators=[max_length(MAX_TEXT)])
    documents = MultipleFileField(_l("Add documents (optional)"))


class LostLinkForm(Form):
    email = EmailField(
        _l("Your e-mail address"),
        validators=[required(YOUR_EMAIL), email_address(), max_length(254)],
    )


class ConfirmForm(Form):
    """CSRF only: the button that confirms (a mail scanner's GET does not)."""
