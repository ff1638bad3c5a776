"""The parts of the page shell kept per process (app/shell.py) are those of the reader:
their language, their instance, their roles and the page they are on, whoever asked for
the same part before them in the same process."""

from __future__ import annotations

import re
from types import SimpleNamespace

from tests.conftest import IsolatedClient
from tests.factories import make_authority, make_user, sign_in


def _client(app):
    """A browser of its own, each request in a fresh context (as the `client` fixture)."""
    app.test_client_class = IsolatedClient
    return app.test_client()


def _nav(html: str) -> list[tuple[str, str, str | None]]:
    """The header navigation's links: (href, label, aria-current)."""
    nav = re.search(r'<ul class="nav">(.*?)</ul>', html, re.S).group(1)
    return [
        (href, label, current or None)
        for href, current, label in re.findall(
            r'<a href="([^"]+)"(?: aria-current="([a-z]+)")?>([^<]+)</a>', nav
        )
    ]


def _menu(html: str) -> tuple[str, list[str]]:
    """The language menu's label and its selected option(s)."""
    label = re.search(r'<label for="lang-select">([^<]+)</label>', html).group(1)
    return label, re.findall(r'<option value="([a-z]+)" lang="[a-z]+" selected>', html)


def test_the_navigation_follows_the_roles_the_language_and_the_page(app):
    # Given a handler, a coordinator and admin, and a German handler of one process
    authority = make_authority("FR")
    handler = make_user(authority, ["handler"])
    coordinator = make_user(authority, ["coordinator", "admin"])
    german = make_user(authority, ["handler"], language="de")
    clients = {}
    for name, user in (("handler", handler), ("coordinator", coordinator), ("german", german)):
        clients[name] = _client(app)
        sign_in(clients[name], user)

    # When each opens the inbox, one after the other (the first one's parts are kept)
    pages = {name: c.get("/requests").get_data(True) for name, c in clients.items()}

    # Then each sees the links of their own roles, in their own language
    labels = {name: [label for _, label, _ in _nav(html)] for name, html in pages.items()}
    assert "Coordination" in labels["coordinator"] and "Users" in labels["coordinator"]
    assert "Coordination" not in labels["handler"] and "Users" not in labels["handler"]
    assert labels["german"][0] == "Anfragen" and "Mein Konto" in labels["german"]
    assert _menu(pages["handler"]) == ("Language", ["en"])
    assert _menu(pages["german"]) == ("Sprache", ["de"])
    # and the page's own link is marked as the page, its section's on a page within it
    assert _nav(pages["handler"])[0] == ("/requests", "Requests", "page")
    directory = clients["handler"].get("/directory").get_data(True)
    assert [c for _, _, c in _nav(directory) if c] == ["page"]
    assert ("/requests", "Requests", None) in _nav(directory)
    compose = clients["handler"].get("/requests/new").get_data(True)
    assert _nav(compose)[0] == ("/requests", "Requests", "true")
    # and a German page after them is still German, an English one still English
    assert _menu(clients["german"].get("/directory").get_data(True)) == ("Sprache", ["de"])
    assert _menu(clients["handler"].get("/requests").get_data(True)) == ("Language", ["en"])


def test_the_training_instance_keeps_its_own_links(app, training_app):
    # Given an officer of each instance, the production one's page shown first
    production = _client(app)
    sign_in(production, make_user(make_authority("DE"), ["handler"]))
    with training_app.app_context():
        email = make_user(make_authority("DE"), ["handler"]).email
    training = _client(app)
    sign_in(training, SimpleNamespace(email=email), prefix="/training")
    assert _nav(production.get("/requests").get_data(True))[0][0] == "/requests"

    # When the training officer opens the same page
    html = training.get("/training/requests").get_data(True)

    # Then every link of the shell leads into the training instance
    assert all(href.startswith("/training/") for href, _, _ in _nav(html))
    assert '<link rel="stylesheet" href="/training/static/' in html
    assert _nav(production.get("/requests").get_data(True))[0][0] == "/requests"


def _chosen(html: str) -> dict[str, list[str]]:
    """The inbox filter form's chosen options and ticked boxes, by field name."""
    form = re.search(r'<form class="search-form".*?</form>', html, re.S).group(0)
    chosen = {}
    for name, body in re.findall(r'<select id="[^"]+" name="(\w+)">(.*?)</select>', form, re.S):
        chosen[name] = re.findall(r'<option value="([^"]*)"[^>]* selected>', body)
    chosen["ticked"] = re.findall(r'name="(\w+)" value="1" checked>', form)
    return chosen


def test_the_inbox_filters_show_each_request_its_own_choices(app):
    from app.shell import _KEY

    # Given officers of one process, one of them German
    authority = make_authority("FR")
    english, german = _client(app), _client(app)
    sign_in(english, make_user(authority, ["handler"]))
    sign_in(german, make_user(authority, ["handler"], language="de"))
    url = "/requests?box=sent&state=closed&country=PL&sort=due&overdue=1&proposed=1"

    # When they filter their inbox one way, then another, then the first way again
    first = _chosen(english.get(url, headers={"HX-Request": "true"}).get_data(True))
    other = _chosen(english.get("/requests?box=received&unassigned=1").get_data(True))
    again = _chosen(english.get(url).get_data(True))
    german_page = german.get(url).get_data(True)

    # Then each form shows the choices of its own request
    assert first == again
    assert first == {
        "state": ["closed"],
        "procedure": [],
        "country": ["PL"],
        "sort": ["due"],
        "ticked": ["overdue", "proposed"],
    }
    assert other == {
        "state": [],
        "procedure": [],
        "country": [],
        "sort": ["activity"],
        "ticked": ["unassigned"],
    }
    assert _chosen(german_page) == first
    assert '<label class="label" for="f-sort">Sortieren nach</label>' in german_page
    # and a request that differs in one filter only shows that one changed
    page = english.get(url).get_data(True)
    procedure = re.findall(r'name="procedure">.*?<option value="(\w+)"', page, re.S)[0]
    for change, field, shown in [
        ("state=sent", "state", ["sent"]),
        (f"procedure={procedure}", "procedure", [procedure]),
        ("country=FR", "country", ["FR"]),
        ("sort=activity", "sort", ["activity"]),
        ("overdue=0", "ticked", ["proposed"]),
        ("proposed=0", "ticked", ["overdue"]),
    ]:
        name = change.split("=")[0]
        changed = re.sub(rf"&{name}=[^&]*", "", url) + f"&{change}"
        assert _chosen(english.get(changed).get_data(True)) == first | {field: shown}, change
    # and a value no choice has is shown, but its form is not kept
    kept = len(app.extensions[_KEY])
    odd = english.get("/requests?procedure=no_such_thing&country=XX").get_data(True)
    assert _chosen(odd)["procedure"] == [] and _chosen(odd)["country"] == []
    assert len(app.extensions[_KEY]) == kept
