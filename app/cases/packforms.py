"""Forms built from a procedure pack's typed fields, as the ONS eQ runner builds its
forms from the questionnaire schema: one WTForms field per pack field (a request's
details, an alert's, a public case's or a repository record's fields, the answers to a
request's questions), labelled, hinted and checked in the user's language, storing
exactly what app/cases/fields.py `validate_answer` stores. One macro shows them
(templates/components/pack_fields.html).

A pack form carries no CSRF token: it is always posted with the page's own form, which
does. Required fields are required only when the form is sent (`sending`): a draft may
lack them, never hold a value of the wrong type.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import get_locale
from flask_babel import gettext as _
from wtforms import Field, Form
from wtforms.validators import StopValidation

from app.cases import fields as typing
from app.procedures import Pack, Question, find_question

# Up to this many options show as radios; more as a select (GOV.UK: radios for a few).
MAX_RADIOS = 5
PARTS = ("day", "month", "year")
ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
DAY_OR_MONTH = re.compile(r"[0-9]{1,2}")
YEAR = re.compile(r"[0-9]{4}")


def _sentence(message: str) -> str:
    """A message that starts with its field's name, "the answer to question 2", starts
    with a capital all the same."""
    return message[:1].upper() + message[1:]


def _missing_parts(field: str, missing: tuple[str, ...]) -> str:
    """Which parts of a date are missing, in the user's words (literal msgids each)."""
    # Translators: %(field)s is a field's label ("Date of birth") or "the answer to
    # question 2"; the same in every message of a pack form's field.
    messages = {
        ("day",): _("%(field)s must include a day", field=field),
        ("month",): _("%(field)s must include a month", field=field),
        ("year",): _("%(field)s must include a year", field=field),
        ("day", "month"): _("%(field)s must include a day and a month", field=field),
        ("day", "year"): _("%(field)s must include a day and a year", field=field),
        ("month", "year"): _("%(field)s must include a month and a year", field=field),
    }
    return _sentence(messages[missing])


def _stop(message: str) -> StopValidation:
    return StopValidation(_sentence(message))


# --- a date typed as day, month and year (GOV.UK date input); also app/forms.py -------------


class DateError(StopValidation):
    """A date that cannot be read: the message names the field, `parts` are the inputs to
    mark (the error summary links to the first)."""

    def __init__(self, message: str, parts: tuple[str, ...]):
        super().__init__(message)
        self.parts = parts


def iso_parts(value: str) -> dict[str, str]:
    """An ISO date's day, month and year as a person types them (no leading zeros);
    empty parts when it is no ISO date."""
    found = ISO_DATE.fullmatch(value)
    if not found:
        return dict.fromkeys(PARTS, "")
    year, month, day = found.groups()
    return {"day": str(int(day)), "month": str(int(month)), "year": year}


def date_parts(formdata, name: str) -> tuple[dict[str, str], bool]:
    """What was typed into the date input `name` (inputs `name`-day, -month, -year), at
    most 10 characters a part; when only `name` came (an API, an address typed by hand),
    the parts of that ISO date. Second: that single value came but is no date."""
    if not any(f"{name}-{p}" in formdata for p in PARTS) and name in formdata:
        single = formdata.get(name, "").strip()
        parts = iso_parts(single)
        return parts, bool(single) and not any(parts.values())
    return {p: formdata.get(f"{name}-{p}", "").replace("\x00", "")[:10] for p in PARTS}, False


def date_from_parts(parts: Mapping[str, str], subject: str, unreadable: bool = False) -> str:
    """The ISO date typed as `parts` ("" when all three are empty), or a DateError whose
    message names the field (`subject`): which parts are missing, or not a real date."""
    real_date = _("%(field)s must be a real date", field=subject)
    if unreadable:
        raise DateError(_sentence(real_date), PARTS)
    parts = {p: (parts.get(p) or "").strip() for p in PARTS}
    missing = tuple(p for p in PARTS if not parts[p])
    if len(missing) == len(PARTS):
        return ""
    if missing:
        raise DateError(_missing_parts(subject, missing), missing)
    try:
        if not (
            DAY_OR_MONTH.fullmatch(parts["day"])
            and DAY_OR_MONTH.fullmatch(parts["month"])
            and YEAR.fullmatch(parts["year"])
        ):
            raise ValueError
        return date(int(parts["year"]), int(parts["month"]), int(parts["day"])).isoformat()
    except ValueError:
        raise DateError(_sentence(real_date), PARTS) from None


class PackField(Field):
    """A pack field's input: what was typed (`value`, or a date's `parts`), its stored
    form once validated (`data`), and what the macro needs to show it (`kind`, `hint`,
    `choices`, `personal`, `optional`, `first_id`)."""

    def __init__(
        self,
        label,
        *,
        question: Question,
        key,
        subject: str,
        hint: str = "",
        personal: bool = False,
        choices: Sequence[tuple[str, str]] = (),
        limit: int | None = None,
        **kwargs,
    ):
        super().__init__(label, validators=[typed, required_when_sending], **kwargs)
        self.question = question
        self.key = key
        self.subject = subject
        self.hint = hint
        self.personal = personal
        self.optional = not question.required
        self.choices = list(choices)
        self.limit = limit
        self.kind = _kind(question, len(self.choices))
        self.value = ""
        self.parts = dict.fromkeys(PARTS, "")
        self.bad_parts: tuple[str, ...] = ()
        self.unreadable = False

    @property
    def grouped(self) -> bool:
        """Radios and a date's three inputs sit in a fieldset with a legend."""
        return self.kind in ("radios", "date")

    @property
    def first_id(self) -> str:
        """The input an error summary's link moves to: a date's first wrong part."""
        if self.kind == "date":
            return f"{self.id}-{(self.bad_parts or PARTS)[0]}"
        if self.kind == "radios" and self.choices:
            return f"{self.id}-{self.choices[0][0]}"
        return self.id

    def _clean(self, value: str) -> str:
        return (value or "").replace("\x00", "")[: self.limit]

    def process(self, formdata, data=None, extra_filters=None):
        self.process_errors = []
        self.object_data = data
        self.data = None
        if formdata is None:
            self._show_stored(data)
            return
        if self.kind != "date":
            self.raw_data = formdata.getlist(self.name)
            self.value = self._clean(self.raw_data[0]) if self.raw_data else ""
            return
        self.raw_data = [formdata.get(f"{self.name}-{p}", "") for p in PARTS]
        self.parts, self.unreadable = date_parts(formdata, self.name)

    def _show_stored(self, stored) -> None:
        self.value = "" if stored is None else str(stored)
        if self.kind == "date" and ISO_DATE.fullmatch(self.value):
            self.parts = iso_parts(self.value)

    def typed_value(self) -> str:
        """What was typed, as `validate_answer` reads it: a date's parts as ISO, or a
        StopValidation naming the field when they cannot be one."""
        if self.kind != "date":
            return self.value
        try:
            return date_from_parts(self.parts, self.subject, self.unreadable)
        except DateError as error:
            self.bad_parts = error.parts
            raise


def _kind(question: Question, options: int) -> str:
    """How a field is entered: text as a textarea, a number in a text input, a date in
    three inputs, yes/no and a few choices as radios, more choices in a select."""
    if question.type == "choice":
        return "radios" if 2 <= options <= MAX_RADIOS else "select"
    return {"yes_no": "radios", "date": "date", "number": "number", "file": "file"}.get(
        question.type, "text"
    )


def typed(form, field: PackField) -> None:
    """The value in its stored form (`validate_answer`'s), or one message naming the field."""
    value = field.typed_value()
    try:
        field.data = typing.validate_answer(field.question, value)
    except typing.FieldError:
        if field.question.type == "number":
            raise _stop(_("%(field)s must be a number", field=field.subject)) from None
        if field.question.type == "date":
            raise _stop(_("%(field)s must be a real date", field=field.subject)) from None
        raise _stop(_("Select %(field)s", field=field.subject)) from None


def required_when_sending(form, field: PackField) -> None:
    """A required field left empty, when the form is being sent (a draft may lack it)."""
    if field.data is None and not field.optional and form.sending:
        if field.kind in ("radios", "select"):
            raise _stop(_("Select %(field)s", field=field.subject))
        raise _stop(_("Enter %(field)s", field=field.subject))


class PackForm(Form):
    """The fields of one pack form, in the pack's order; `sending` makes the required
    ones required."""

    def __init__(self, formdata=None, stored: Mapping | None = None, sending: bool = False):
        self.sending = sending
        self._stored = stored or {}
        super().__init__(formdata)

    def process(self, formdata=None, obj=None, data=None, extra_filters=None, **kwargs):
        """Each field from the form as posted, else from its stored value."""
        for field in self:
            field.process(formdata, self._stored.get(field.key))

    def stored(self) -> dict:
        """The validated values in their stored form, by key; empty ones left out."""
        return {f.key: f.data for f in self if f.data is not None}


@dataclass(frozen=True)
class Entry:
    """One field of a pack form: its input's name, the key its value is stored under,
    the pack's question, and how messages name it (default: its label)."""

    name: str
    key: object
    question: Question
    subject: str = ""


def build(
    pack: Pack,
    entries: Iterable[Entry],
    language: str,
    personal: bool = True,
    limit: int | None = None,
) -> type[PackForm]:
    """A form class with one PackField per entry, its texts in `language`."""

    def text(source: str) -> str:
        return pack.gettext(source, language) if source else ""

    attrs = {}
    for entry in entries:
        question, label = entry.question, text(entry.question.text)
        choices = (
            [("yes", _("Yes")), ("no", _("No"))]
            if question.type == "yes_no"
            else [(o.key, text(o.label)) for o in question.options]
        )
        attrs[entry.name] = PackField(
            label,
            name=entry.name,
            question=question,
            key=entry.key,
            subject=entry.subject or label,
            hint=text(question.help),
            personal=personal and question.personal_data,
            choices=choices,
            limit=limit,
        )
    return type("PackForm", (PackForm,), attrs)


def fields_form(
    pack: Pack,
    stored: Mapping | None = None,
    sending: bool = False,
    *,
    questions: Iterable[Question] | None = None,
    prefix: str = "field-",
    personal: bool = True,
    limit: int | None = None,
    language: str | None = None,
    formdata: Any = None,
) -> PackForm:
    """The form of a pack's fields (`questions`, default its `fields`), inputs named
    `prefix` + key ("field-date_of_birth", "detail-profession"): as posted (`formdata`,
    the blueprint's request.form on a POST), else showing `stored`."""
    questions = pack.fields if questions is None else questions
    entries = [Entry(prefix + q.key, q.key, q) for q in questions]
    form_class = build(pack, entries, language or _language(), personal, limit)
    return form_class(formdata, stored, sending)


def answers_form(pack: Pack, request_questions, formdata=None, sending: bool = False) -> PackForm:
    """The responder's answers to a request's questions, inputs named "answer-<id>",
    stored by question id; messages name "the answer to question N" (the questions
    are long sentences)."""
    entries = []
    for question in request_questions:
        found = find_question(pack, question.question_key)
        if found is not None:
            # Translators: how an error message names an answer, as %(field)s in
            # "Enter %(field)s" or "%(field)s must be a number" (the first letter is
            # capitalized when it starts the message).
            subject = _("the answer to question %(number)s", number=len(entries) + 1)
            entries.append(Entry(f"answer-{question.id}", question.id, found[1], subject))
    stored = {q.id: q.answer for q in request_questions}
    return build(pack, entries, _language())(formdata, stored, sending)


def _language() -> str:
    return str(get_locale() or "en")
