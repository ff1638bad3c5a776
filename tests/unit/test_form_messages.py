"""Every required field of every form says what to enter, in its own words: never the bare
"This field is required.", which repeats in the error summary without naming its field,
and never the same message for two fields of one form."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from wtforms.fields.core import UnboundField
from wtforms.validators import DataRequired, InputRequired

from app import blueprints
from app.forms import Form


@pytest.fixture
def app(apps):
    """The app without its tables: forms are only inspected."""
    return apps[0]


def _forms() -> list[type[Form]]:
    found = set()
    for module in pkgutil.walk_packages(blueprints.__path__, "app.blueprints."):
        for _name, value in inspect.getmembers(importlib.import_module(module.name)):
            if inspect.isclass(value) and issubclass(value, Form) and value is not Form:
                found.add(value)
    return sorted(found, key=lambda form: f"{form.__module__}.{form.__qualname__}")


def _required_messages(form: type[Form]) -> dict[str, str]:
    messages = {}
    for name, value in inspect.getmembers(form):
        if not isinstance(value, UnboundField):
            continue
        for validator in value.kwargs.get("validators") or ():
            if isinstance(validator, DataRequired | InputRequired):
                messages[name] = str(validator.message or "")
    return messages


def test_every_required_field_names_what_is_missing(app):
    forms = _forms()
    assert len(forms) > 15
    checked = 0
    with app.test_request_context():
        for form in forms:
            messages = _required_messages(form)
            for name, message in messages.items():
                where = f"{form.__module__}.{form.__qualname__}.{name}"
                assert message and message != "This field is required.", where
                checked += 1
            assert len(set(messages.values())) == len(messages), form.__qualname__
    assert checked > 25
