"""F11 (issue 14): an id too large for the database is "not found", never a 500, in a
path (every rule with an int argument, walked from the URL map) and in a query string."""

from __future__ import annotations

import re

import pytest

from app.models import AuthorityKind
from tests.factories import csrf_token, make_authority, make_user, sign_in

HUGE = "99999999999999999999999"
# One past PostgreSQL's INTEGER, the type of every id column: BIGINT-sized ids fail too.
PAST_INTEGER = str(2**31)
ARGUMENT = re.compile(r"<(?:([a-z]+)(?:\((.*?)\))?:)?(\w+)>")


def _path(rule: str, number: str) -> str:
    """The rule's path with `number` for every int argument, the first choice of an
    `any(...)` and a plain word for the rest."""

    def value(match: re.Match) -> str:
        converter, options = match.group(1), match.group(2)
        if converter == "int":
            return number
        if converter == "any":
            return options.split(",")[0].strip().strip("\"'")
        return "x"

    return ARGUMENT.sub(value, rule)


def _int_rules(app):
    rules = [r for r in app.url_map.iter_rules() if "<int:" in r.rule]
    assert len(rules) > 20  # the walk finds the case pages, not nothing
    return rules


@pytest.fixture
def officer_client(client):
    coordination = make_authority("DE", kind=AuthorityKind.NATIONAL_COORDINATOR)
    roles = ["coordinator", "admin", "handler", "allocator", "alert_handler"]
    sign_in(client, make_user(coordination, roles))
    return client


def _answers(client, rules, number: str, prefix: str = "", token: str = "") -> dict[str, int]:
    """Each rule requested once, by its own method, with `number` for its ids."""
    answers = {}
    for rule in rules:
        path = prefix + _path(rule.rule, number)
        if "GET" in rule.methods:
            answers[f"GET {path}"] = client.get(path)
        else:
            answers[f"POST {path}"] = client.post(path, data={"csrf_token": token})
    return answers


def _not(expected, answers) -> dict[str, int]:
    return {url: r.status_code for url, r in answers.items() if not expected(r)}


def _not_found(response) -> bool:
    return response.status_code == 404


def test_f11_huge_id_is_404(app, officer_client):
    token = csrf_token(officer_client.get("/account"))

    answers = _answers(officer_client, _int_rules(app), HUGE, token=token)

    assert _not(_not_found, answers) == {}


def test_f11_id_past_the_database_integer_is_never_a_500(app, officer_client):
    token = csrf_token(officer_client.get("/account"))

    answers = _answers(officer_client, _int_rules(app), PAST_INTEGER, token=token)

    # 405 only where the path has a rule for GET too (see app/routing.py)
    assert _not(lambda r: r.status_code in (404, 405), answers) == {}
    assert _not(_not_found, {k: r for k, r in answers.items() if k.startswith("GET")}) == {}


@pytest.mark.parametrize("prefix", ["", "/training"])
def test_f11_huge_id_is_404_for_anonymous(app, client, prefix):
    answers = _answers(client, _int_rules(app), HUGE, prefix)

    assert _not(_not_found, answers) == {}


@pytest.mark.parametrize("prefix", ["", "/training"])
def test_f11_id_past_the_database_integer_is_404_or_sign_in_for_anonymous(app, client, prefix):
    answers = _answers(client, _int_rules(app), PAST_INTEGER, prefix)

    def refused(response) -> bool:
        location = response.headers.get("Location", "")
        return response.status_code in (404, 405) or f"{prefix}/sign-in" in location

    assert _not(refused, answers) == {}


@pytest.mark.parametrize("number", [HUGE, PAST_INTEGER])
@pytest.mark.parametrize(
    "url",
    [
        "/audit?before={n}",
        "/requests?box=received&state=all&after=2030-01-01T00:00:00%2B00:00_{n}",
        "/alerts?box=received&state=all&after=2030-01-01T00:00:00%2B00:00_{n}",
        "/public-cases?after=2030-01-01T00:00:00%2B00:00_{n}",
        "/directory?q=ministry&after={n}:{n}:Ministry",
    ],
)
def test_f11_huge_id_in_query_string_is_harmless(officer_client, url, number):
    response = officer_client.get(url.format(n=number))

    assert response.status_code in (200, 400), response.status_code
