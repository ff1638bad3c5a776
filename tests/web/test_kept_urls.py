"""The templates' URLs kept per app (app/routing.py `kept_url_for`): the same URL as
url_for builds, whatever was asked before it, for the request's script root (an
instance's prefix) and values of each type."""

from __future__ import annotations

import re
from types import SimpleNamespace

from flask import url_for

from app.routing import KEPT_URLS, kept_url_for
from tests.conftest import IsolatedClient
from tests.factories import make_authority, make_user, sign_in

ROOTS = ("http://localhost/", "http://localhost/training/", "http://localhost/other/")
CALLS = [
    ("requests.index", {"box": "sent"}),
    ("requests.index", {"box": "received", "overdue": "1", "sort": "due"}),
    ("requests.index", {"overdue": True}),
    ("requests.index", {"overdue": 1}),  # equal to True as a key, another URL
    ("requests.index", {"box": None}),
    ("main.home", {}),
    ("requests.case", {"request_id": 7}),
    ("requests.case", {"request_id": "7"}),
]


def _kept(app) -> dict:
    return app.extensions.get("openimi.kept_urls", {})


def test_a_kept_url_is_url_for_s_for_each_script_root_and_value(app):
    # Twice round every script root, in turn: the second time from the store
    for _ in range(2):
        for root in ROOTS:
            with app.test_request_context("/", base_url=root):
                for endpoint, values in CALLS:
                    assert kept_url_for(endpoint, **values) == url_for(endpoint, **values), (
                        root,
                        endpoint,
                        values,
                    )
    with app.test_request_context("/", base_url=ROOTS[1]):
        assert kept_url_for("main.home") == "/training/"
        assert kept_url_for("requests.index", overdue=True) == "/training/requests?overdue=True"
        assert kept_url_for("requests.index", overdue=1) == "/training/requests?overdue=1"


def test_options_and_other_values_are_built_each_time(app):
    with app.test_request_context("/", base_url=ROOTS[0]):
        before = len(_kept(app))
        assert kept_url_for("main.home", _anchor="main") == "/#main"
        assert kept_url_for("main.home", _external=True) == "http://localhost/"
        assert kept_url_for("requests.index", box=["sent"]) == url_for(
            "requests.index", box=["sent"]
        )
        assert len(_kept(app)) == before


def test_the_store_is_bounded(app, monkeypatch):
    monkeypatch.setattr("app.routing.KEPT_URLS", 2)
    app.extensions.pop("openimi.kept_urls", None)
    with app.test_request_context("/", base_url=ROOTS[0]):
        for n in range(5):
            assert kept_url_for("requests.index", after=str(n)) == f"/requests?after={n}"
        assert len(_kept(app)) == 2 < KEPT_URLS


def test_the_training_inbox_tabs_lead_into_the_training_instance(app, training_app):
    # Given an officer of each instance, the production one's inbox shown first
    app.test_client_class = IsolatedClient
    production = app.test_client()
    sign_in(production, make_user(make_authority("DE"), ["handler"]))
    with training_app.app_context():
        email = make_user(make_authority("DE"), ["handler"]).email
    training = app.test_client()
    sign_in(training, SimpleNamespace(email=email), prefix="/training")

    def tabs(html: str) -> list[str]:
        nav = re.search(r'<ul class="tabs">(.*?)</ul>', html, re.S).group(1)
        return re.findall(r'<a href="([^"]+)"', nav)

    for _ in range(2):
        assert tabs(production.get("/requests").get_data(True))[0] == "/requests?box=received"
        html = training.get("/training/requests").get_data(True)
        assert tabs(html)[0] == "/training/requests?box=received"
        assert all(href.startswith("/training/") for href in tabs(html))


def test_a_row_url_is_url_for_s_called_or_looked_up(app):
    from app.routing import id_urls

    for root in ROOTS:
        with app.test_request_context("/", base_url=root):
            urls = id_urls("requests.case", "request_id")
            for id_ in (1, 7, 2**31 - 1, "12"):
                expected = url_for("requests.case", request_id=int(id_))
                assert urls(id_) == urls[id_] == expected
