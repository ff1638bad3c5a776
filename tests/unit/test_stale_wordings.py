"""Every case action says what its form carries (the CARRIES tables of the blueprints),
so that a form refused as stale is worded by it (app/forms.py Carries): no action is
left to a guess, and no table names a field its form does not have."""

from __future__ import annotations

import pytest

from app.blueprints.alerts import common as alert_common
from app.blueprints.alerts import routes as alert_routes
from app.blueprints.public_cases import routes as public_routes
from app.blueprints.repositories import routes as repository_routes
from app.blueprints.requests import actions as request_actions
from app.blueprints.requests import forms as request_forms
from app.blueprints.requests import page as request_page
from app.cases.repositories.lifecycle import STATE_ACTIONS


@pytest.fixture
def app(apps):
    """The app without its tables: the tables are only inspected."""
    return apps[0]


# blueprint -> (its table, every action of its that a stale form can refuse)
ACTIONS = {
    "requests": (
        request_page.CARRIES,
        {s.name for s in request_actions.STEPS.values()}
        | {"accept", "decide_date", "answer", "send", "attach"},
    ),
    "alerts": (
        alert_common.CARRIES,
        set(alert_routes.ACTIONS) | set(alert_routes.CONFIRM) | {"attach", "compose", "update"},
    ),
    "public cases": (public_routes.CARRIES, set(public_routes.DONE)),
    "repositories": (repository_routes.CARRIES, {"save", *STATE_ACTIONS}),
}


@pytest.mark.parametrize("blueprint", ACTIONS)
def test_every_action_says_what_its_form_carries(blueprint):
    table, actions = ACTIONS[blueprint]
    assert set(table) == actions


def _fields(carries) -> tuple[str, ...]:
    return (*carries.texts, *carries.choices)


def test_a_requests_table_names_only_fields_of_the_actions_form():
    forms = {s.name: s.form for s in request_actions.STEPS.values()}
    forms.update(accept=request_forms.AcceptForm, attach=request_forms.AttachForm)
    for action, form in forms.items():
        for name in _fields(request_page.CARRIES[action]):
            assert hasattr(form, name), (action, name)


def test_an_alerts_table_names_only_fields_of_the_actions_form():
    # the dissemination's boxes are read from the posted form (the page renders them)
    forms = {**alert_routes.FORMS, **{a: spec[0] for a, spec in alert_routes.CONFIRM.items()}}
    for action, carries in alert_common.CARRIES.items():
        for name in _fields(carries):
            if (action, name) != ("disseminate", "authorities"):
                assert hasattr(forms[action], name), (action, name)
