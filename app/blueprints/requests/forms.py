from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, MultipleFileField
from wtforms import RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import Optional, StopValidation

from app.forms import (
    CaseForm,
    DateInputField,
    Form,
    MultiCheckboxField,
    chosen,
    max_length,
    required,
)
from app.routing import db_int


def chosen_id(text: str | None) -> int | None:
    """A select's id; its empty first choice ("Choose") is None."""
    return None if text in (None, "") else db_int(text)


def choice(label, missing) -> SelectField:
    """A select starting on its empty "Choose" option, a choice required (`missing`)."""
    return SelectField(
        label, coerce=chosen_id, validate_choice=False, validators=[required(missing)]
    )


def text_area(label, missing=None) -> TextAreaField:
    """A text area, required with the message `missing` (None: optional)."""
    needed = [required(missing)] if missing else [Optional()]
    return TextAreaField(label, validators=[*needed, max_length(10000)])


class ComposeForm(Form):
    responder = choice(
        _l("Responding authority"),
        _l("Choose an authority that answers requests of this procedure."),
    )
    subject = StringField(
        _l("Person or company concerned"),
        validators=[required(_l("Say whom or what the request is about.")), max_length(300)],
    )
    questions = MultiCheckboxField(_l("Questions"), validate_choice=False)
    message = TextAreaField(
        _l("Message to the responding authority"), validators=[max_length(10000)]
    )
    # The pack's urgency levels, when it has some (choices set by the view; "" normal);
    # whether a level requires the reason is the pack's rule, checked by the service.
    urgency = RadioField(_l("Urgency"), validate_choice=False, default="")
    urgency_reason = TextAreaField(_l("Reason for urgency"), validators=[max_length(10000)])
    files = MultipleFileField(_l("Files (optional)"))


# The forms of the case page's actions: `arguments()` is what the action is given after
# the actor and the request (app/blueprints/requests/actions.py). Each says what is
# missing in its own words (GOV.UK: one specific message per field).


class TextForm(CaseForm):
    text = TextAreaField(
        _l("Text"), validators=[required(_l("Write your text.")), max_length(10000)]
    )

    def arguments(self) -> tuple:
        return (self.text.data,)


def text_form(label, missing=None) -> type[TextForm]:
    """A form of one text: labelled `label`, required with the message `missing` (None:
    optional)."""

    class Text(TextForm):
        text = text_area(label, missing)

    return Text


AskInfoForm = text_form(_l("What information do you need?"), _l("Write the information you need"))
ReplyInfoForm = text_form(_l("Your reply"), _l("Write the information asked for"))
FurtherQuestionForm = text_form(_l("Your further question"), _l("Write your further question"))
WithdrawForm = text_form(_l("Reason for withdrawing"), _l("Write the reason for withdrawing"))
ReferForm = text_form(_l("What do you disagree about?"), _l("Write what the disagreement is about"))
ResolveForm = text_form(_l("The resolution"), _l("Write the resolution"))
CloseForm = text_form(_l("Closing note (optional)"))


class AcceptForm(CaseForm):
    # Three text inputs (GOV.UK date input), checked by app/cases/packforms.py.
    proposed_due = DateInputField(
        _l("Propose a later reply date (optional)"),
        # Translators: inserted into the date messages, e.g. "%(field)s must include a
        # month" (capitalised when it starts the sentence).
        subject=_l("the proposed date"),
    )


class ForwardForm(CaseForm):
    authority = choice(_l("Authority"), _l("Choose the authority to forward the request to"))
    text = text_area(_l("Reason for forwarding"), _l("Write the reason for forwarding"))

    def arguments(self) -> tuple:
        return (self.authority.data or 0, self.text.data)


class SplitForm(CaseForm):
    questions = MultiCheckboxField(
        _l("Questions to move"),
        coerce=db_int,
        validate_choice=False,
        validators=[chosen(_l("Choose the questions to move"))],
    )
    authority = choice(_l("Authority"), _l("Choose the authority to move the questions to"))
    text = text_area(
        _l("Reason for moving the questions"), _l("Write the reason for moving the questions")
    )

    def arguments(self) -> tuple:
        return (self.questions.data or [], self.authority.data or 0, self.text.data)


class RefuseForm(CaseForm):
    # The grounds of the request's procedure (choices set by the view).
    ground = RadioField(
        _l("Ground for refusal"),
        validate_choice=False,
        validators=[required(_l("Choose the ground for refusal."))],
    )
    text = text_area(_l("Explanation (optional)"))

    def arguments(self) -> tuple:
        return (self.ground.data or "", self.text.data or "")


class AssignForm(CaseForm):
    handler = choice(_l("Handler"), _l("Choose a handler of your authority."))

    def arguments(self) -> tuple:
        return (self.handler.data or 0,)


class AttachForm(CaseForm):
    file = FileField(_l("File"))


class EmptyForm(CaseForm):
    """CSRF only, for buttons."""

    def arguments(self) -> tuple:
        return ()


# --- counterpart ratings (app/cases/requests/ratings.py) -------------------------------------

# The scale, best first as the form lists it (app/models/ratings.py RATING_SCALE).
RATING_WORDS = {
    4: _l("Very satisfactory"),
    3: _l("Satisfactory"),
    2: _l("Unsatisfactory"),
    1: _l("Very unsatisfactory"),
}


def scale_value(value) -> int | None:
    """A step of the scale; anything else (nothing chosen, a forged value) None, so that
    the field says one thing: choose."""
    return int(value) if str(value) in {"1", "2", "3", "4"} else None


def on_scale(message):
    def check(form, field):
        if field.data not in RATING_WORDS:
            raise StopValidation(message)

    return check


def scale(label, missing) -> RadioField:
    return RadioField(
        label,
        choices=[SelectChoice(value, label) for value, label in RATING_WORDS.items()],
        coerce=scale_value,
        validate_choice=False,
        validators=[on_scale(missing)],
    )


class RatingForm(Form):
    """Not a CaseForm: a closed request no longer changes, and a second rating of the same
    authority is refused as such ("rated")."""

    timeliness = scale(
        _l("Timeliness of the reply"), _l("Choose how you rate the timeliness of the reply.")
    )
    satisfaction = scale(
        _l("Satisfaction with the reply"),
        _l("Choose how satisfied you are with the reply."),
    )
    comment = TextAreaField(_l("Comment (optional)"), validators=[Optional(), max_length(2000)])

    def arguments(self) -> tuple:
        return (self.timeliness.data, self.satisfaction.data, self.comment.data or "")
