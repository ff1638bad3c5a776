from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, MultipleFileField
from wtforms import SelectField, StringField, TextAreaField

from app.forms import Form, MultiCheckboxField, max_length, required
from app.routing import db_int


def chosen_id(text: str | None) -> int | None:
    """A select's id; its empty first choice ("Choose") is None."""
    return None if text in (None, "") else db_int(text)


class ComposeForm(Form):
    responder = SelectField(
        _l("Responding authority"),
        coerce=chosen_id,
        validate_choice=False,
        validators=[required(_l("Choose an authority that answers requests of this procedure."))],
    )
    subject = StringField(
        _l("Person or company concerned"),
        validators=[required(_l("Say whom or what the request is about.")), max_length(300)],
    )
    questions = MultiCheckboxField(_l("Questions"), validate_choice=False)
    message = TextAreaField(
        _l("Message to the responding authority"), validators=[max_length(10000)]
    )
    files = MultipleFileField(_l("Files (optional)"))


# The forms of the case page's actions: `arguments()` is what the action is given after
# the actor and the request (app/blueprints/requests/actions.py).


class TextForm(Form):
    text = TextAreaField(
        _l("Text"), validators=[required(_l("Write your text.")), max_length(10000)]
    )

    def arguments(self) -> tuple:
        return (self.text.data,)


class AcceptForm(Form):
    # A text field of type date: the browser's date picker, our own error message.
    proposed_due = StringField(
        _l("Propose a later reply date (optional)"), validators=[max_length(10)]
    )


class ForwardForm(Form):
    authority = SelectField(_l("Authority"), coerce=db_int, validate_choice=False)
    text = TextAreaField(
        _l("Reason"), validators=[required(_l("Give the reason.")), max_length(10000)]
    )

    def arguments(self) -> tuple:
        return (self.authority.data or 0, self.text.data)


class SplitForm(ForwardForm):
    questions = MultiCheckboxField(_l("Questions to move"), coerce=db_int, validate_choice=False)

    def arguments(self) -> tuple:
        return (self.questions.data or [], *super().arguments())


class AssignForm(Form):
    handler = SelectField(_l("Handler"), coerce=db_int, validate_choice=False)

    def arguments(self) -> tuple:
        return (self.handler.data or 0,)


class AttachForm(Form):
    file = FileField(_l("File"))


class EmptyForm(Form):
    """CSRF only, for buttons."""
