"""Forms built from a pack's typed fields (app/cases/packforms.py): each type stored as
`validate_answer` stores it, one message per field naming it, required only when sent,
dates in three inputs, radios for a few choices and a select for more, labels in the
user's language."""

from __future__ import annotations

import pytest
from flask import request
from werkzeug.datastructures import MultiDict

from app.cases import fields, packforms
from app.procedures import Option, Question, registry

TEXT = Question("profession", "text", "Profession concerned", help="As named at home.")
NUMBER = Question("years", "number", "Years of practice")
DATE = Question("date_of_birth", "date", "Date of birth")
YES_NO = Question("registered", "yes_no", "Registered")
CHOICE = Question(
    "status", "choice", "Status", options=(Option("active", "Active"), Option("gone", "Gone"))
)
OPTIONAL = Question("note", "text", "Note", required=False)


@pytest.fixture
def app(apps):
    """The app without its tables: these forms read no database."""
    return apps[0]


@pytest.fixture
def pack(app):
    return registry(app)["pq_alert"]


def form_of(app, pack, questions, data=None, sending=False, stored=None, language="en"):
    """The pack form of `questions` as posted with `data` (or showing `stored`), validated."""
    method = "POST" if data is not None else "GET"
    with app.test_request_context(method=method, data=MultiDict(data or {})):
        form = packforms.fields_form(
            pack,
            stored,
            sending,
            questions=questions,
            language=language,
            formdata=request.form if data is not None else None,
        )
        valid = form.validate() if data is not None else None
        return form, valid


@pytest.mark.parametrize(
    ("question", "data", "stored"),
    [
        (TEXT, {"field-profession": "  Nurse  "}, "Nurse"),
        (NUMBER, {"field-years": "1,5"}, "1.5"),
        (NUMBER, {"field-years": "12.0"}, "12"),
        (YES_NO, {"field-registered": "no"}, "no"),
        (CHOICE, {"field-status": "gone"}, "gone"),
        (
            DATE,
            {"field-date_of_birth-day": "2", "field-date_of_birth-month": "4",
             "field-date_of_birth-year": "1980"},
            "1980-04-02",
        ),
        (
            DATE,
            {"field-date_of_birth-day": " 02 ", "field-date_of_birth-month": "04",
             "field-date_of_birth-year": "1980"},
            "1980-04-02",
        ),
        # the one ISO value an API may post
        (DATE, {"field-date_of_birth": "1980-04-02"}, "1980-04-02"),
    ],
)  # fmt: skip
def test_each_type_is_stored_as_validate_answer_stores_it(app, pack, question, data, stored):
    # Given a value of the field's type, When the form is validated
    form, valid = form_of(app, pack, [question], data, sending=True)
    # Then it holds, stored exactly as app/cases/fields.py stores it
    assert valid, form.errors
    assert form.stored() == {question.key: stored}
    typed = fields.validate_answer(question, stored)
    assert typed == stored


def date_parts(day="", month="", year=""):
    return {
        "field-date_of_birth-day": day,
        "field-date_of_birth-month": month,
        "field-date_of_birth-year": year,
    }


@pytest.mark.parametrize(
    ("question", "data", "message", "bad"),
    [
        (NUMBER, {"field-years": "ten"}, "Years of practice must be a number", ()),
        (YES_NO, {"field-registered": "maybe"}, "Select Registered", ()),
        (CHOICE, {"field-status": "other"}, "Select Status", ()),
        (DATE, date_parts("2", "", "1980"), "Date of birth must include a month", ("month",)),
        (DATE, date_parts("", "4", "1980"), "Date of birth must include a day", ("day",)),
        (DATE, date_parts("2", "4", ""), "Date of birth must include a year", ("year",)),
        (
            DATE,
            date_parts("", "", "1980"),
            "Date of birth must include a day and a month",
            ("day", "month"),
        ),
        (
            DATE,
            date_parts("", "4", ""),
            "Date of birth must include a day and a year",
            ("day", "year"),
        ),
        (
            DATE,
            date_parts("2", "", ""),
            "Date of birth must include a month and a year",
            ("month", "year"),
        ),
        (DATE, date_parts("31", "2", "2027"), "Date of birth must be a real date", packforms.PARTS),
        (DATE, date_parts("2", "4", "80"), "Date of birth must be a real date", packforms.PARTS),
        (DATE, date_parts("2", "April", "1980"), "Date of birth must be a real date", packforms.PARTS),
        (DATE, {"field-date_of_birth": "2 April 1980"}, "Date of birth must be a real date", packforms.PARTS),
    ],
)  # fmt: skip
def test_a_wrong_value_gets_one_message_naming_its_field(app, pack, question, data, message, bad):
    # Given a value that is not of the field's type, even in a draft
    form, valid = form_of(app, pack, [question], data, sending=False)
    # Then the form refuses it with one message, and a date marks its wrong parts
    assert not valid
    (field,) = form
    assert field.errors == [message]
    assert field.bad_parts == bad
    assert form.stored() == {}
    # and the summary's link goes to the first wrong input (a date's part, the first radio)
    if field.kind == "radios":
        assert field.first_id == f"{field.id}-{field.choices[0][0]}"
    else:
        assert field.first_id == (f"{field.id}-{bad[0]}" if bad else field.id)


def test_required_fields_are_required_only_when_sending(app, pack):
    questions = [TEXT, NUMBER, DATE, YES_NO, CHOICE, OPTIONAL]
    empty = {"field-profession": " ", **date_parts()}
    # Given every field left empty, When a draft is saved: nothing is missing
    form, valid = form_of(app, pack, questions, empty, sending=False)
    assert valid and form.stored() == {}
    # When the form is sent: each required field says what to do, the optional one nothing
    form, valid = form_of(app, pack, questions, empty, sending=True)
    assert not valid
    assert form.errors == {
        "field-profession": ["Enter Profession concerned"],
        "field-years": ["Enter Years of practice"],
        "field-date_of_birth": ["Enter Date of birth"],
        "field-registered": ["Select Registered"],
        "field-status": ["Select Status"],
    }


def test_what_was_typed_is_kept_on_error(app, pack):
    # Given a form refused for one field
    data = {"field-years": "ten", **date_parts("31", "2", "2027"), "field-profession": "Nurse"}
    form, valid = form_of(app, pack, [TEXT, NUMBER, DATE], data, sending=True)
    assert not valid
    # Then every input keeps what was typed
    assert form["field-years"].value == "ten"
    assert form["field-profession"].value == "Nurse"
    assert form["field-date_of_birth"].parts == {"day": "31", "month": "2", "year": "2027"}


def test_a_stored_value_is_shown_for_editing(app, pack):
    stored = {"date_of_birth": "1980-04-02", "years": "1.5", "status": "gone"}
    form, _valid = form_of(app, pack, [DATE, NUMBER, CHOICE], stored=stored)
    assert form["field-date_of_birth"].parts == {"day": "2", "month": "4", "year": "1980"}
    assert form["field-years"].value == "1.5"
    assert form["field-status"].value == "gone"


@pytest.mark.parametrize(
    ("options", "kind"),
    [(1, "select"), (2, "radios"), (5, "radios"), (6, "select"), (11, "select")],
)
def test_a_few_choices_are_radios_more_are_a_select(app, pack, options, kind):
    question = Question(
        "pick",
        "choice",
        "Pick",
        options=tuple(Option(f"o{i}", f"Option {i}") for i in range(options)),
    )
    form, _valid = form_of(app, pack, [question])
    (field,) = form
    assert field.kind == kind
    assert field.first_id == ("field-pick-o0" if kind == "radios" else "field-pick")


def test_each_type_has_its_input(app, pack):
    form, _valid = form_of(app, pack, [TEXT, NUMBER, DATE, YES_NO])
    assert [f.kind for f in form] == ["text", "number", "date", "radios"]
    assert [f.grouped for f in form] == [False, False, True, True]
    assert form["field-registered"].choices == [("yes", "Yes"), ("no", "No")]


def test_labels_hints_choices_and_messages_are_in_the_users_language(app, pack):
    # Given the alert pack's fields, in German
    alert_type, name = pack.fields[0], pack.fields[1]
    with app.test_request_context(method="POST", data={}):
        form = packforms.fields_form(pack, sending=True, language="de", formdata=request.form)
        form.validate()
    field = form["field-alert_type"]
    german = pack.gettext(alert_type.text, "de")
    # Then labels, hints and choice labels come from the pack's German catalog
    assert german != alert_type.text and field.label.text == german
    assert [label for _key, label in field.choices] == [
        pack.gettext(o.label, "de") for o in alert_type.options
    ]
    decision = form["field-decision_date"]
    assert decision.hint == pack.gettext(pack.fields[7].help, "de") != pack.fields[7].help
    # and each message names its field by its German label
    assert pack.gettext(name.text, "de") in form["field-professional_name"].errors[0]
    assert german in field.errors[0]


def test_the_public_form_shows_no_personal_data_tags(app, pack):
    with app.test_request_context():
        tagged = packforms.fields_form(pack, language="en")
        plain = packforms.fields_form(pack, personal=False, language="en")
    assert any(f.personal for f in tagged)
    assert not any(f.personal for f in plain)
