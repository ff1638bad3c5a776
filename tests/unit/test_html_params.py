"""app/forms.py html_params writes a field's attributes as WTForms' own does, byte for
byte: the same fields render the same HTML with either."""

from __future__ import annotations

import importlib.util

import pytest
import wtforms.widgets.core
from flask_babel import lazy_gettext
from markupsafe import Markup
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.form import Form as PlainForm
from wtforms.validators import DataRequired, Length

from app import forms


def _wtforms_own():
    """WTForms' widgets module as shipped, loaded apart from the one the app changed."""
    spec = importlib.util.spec_from_file_location(
        "wtforms_core_as_shipped", wtforms.widgets.core.__file__
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.html_params


ATTRIBUTES = [
    {},
    {"name": "text", "id": "f-text", "class_": "input wide"},
    {"checked": True, "readonly": False, "required": True, "name": "b"},
    {"data_hx_get": "/x?a=1&b=2", "aria_describedby": "f-hint f-error", "for_": "x"},
    {"value": 'say "hello" <b>&amp;</b>', "title": "it's"},
    {"value": Markup('already <i>safe</i> "quoted"')},
    {"value": None, "maxlength": 200, "step": 0.5},
    {"placeholder": lazy_gettext("Enter your full name.")},
    {"value": "Ünïcödé ελληνικά", "lang": "el"},
]


@pytest.mark.parametrize("attributes", ATTRIBUTES)
def test_the_attributes_are_written_as_wtforms_writes_them(app, attributes):
    with app.test_request_context():
        assert forms.html_params(**attributes) == _wtforms_own()(**attributes)
        assert isinstance(forms.html_params(**attributes), Markup)


class _Sample(PlainForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=20)])
    text = TextAreaField("Text", render_kw={"rows": 4, "data_x": 'a"b'})
    choice = SelectField("Choice", choices=[SelectChoice("a", "A & B"), SelectChoice("b", '"B"')])
    many = SelectMultipleField("Many", choices=[SelectChoice("1", "One"), SelectChoice("2", "Two")])
    radio = RadioField("Radio", choices=[SelectChoice("y", "Yes"), SelectChoice("n", "No")])
    agree = BooleanField("Agree")
    key = HiddenField()
    send = SubmitField("Send <now>")


def _rendered(form) -> list[str]:
    return [f"{f(class_='x', aria_label='l')}{f.label}" for f in form]


def test_every_kind_of_field_renders_the_same(app, monkeypatch):
    data = {"name": 'Jo "J" <x>', "text": "a\nb", "choice": "b", "many": ["2"], "radio": "y"}
    with app.test_request_context():
        ours = _rendered(_Sample(data=data | {"agree": True, "key": "k&y"}))
        own = _wtforms_own()
        monkeypatch.setattr(wtforms.widgets.core, "html_params", own)
        monkeypatch.setattr(wtforms.widgets, "html_params", own)
        monkeypatch.setattr(wtforms.widgets.core.Input, "html_params", staticmethod(own))
        monkeypatch.setattr(wtforms.widgets.core.Button, "html_params", staticmethod(own))
        theirs = _rendered(_Sample(data=data | {"agree": True, "key": "k&y"}))
    assert ours == theirs
    assert any('data-x="a&#34;b"' in html for html in ours)
