"""A list builds its rows' links once (app/routing.py id_urls): each is the URL that
url_for builds, in the production instance and under the training instance's /training."""

from __future__ import annotations

import pytest
from flask import url_for

from app.routing import MAX_INT, id_urls

# Every rule with one int argument that a list links its rows to.
ROWS = [
    ("requests.case", "request_id"),
    ("alerts.case", "alert_id"),
    ("public_cases.case", "case_id"),
    ("directory.profile", "authority_id"),
]


@pytest.mark.parametrize("instance", ["app", "training_app"])
@pytest.mark.parametrize(("endpoint", "name"), ROWS)
def test_a_rows_link_is_the_url_that_url_for_builds(request, instance, endpoint, name):
    app = request.getfixturevalue(instance)
    with app.test_request_context(base_url=app.config["PUBLIC_URL"]):
        link = id_urls(endpoint, name)
        for id_ in (1, 7, 42, 1234567, MAX_INT, MAX_INT - 1):
            assert link(id_) == url_for(endpoint, **{name: id_})
    if instance == "training_app":
        assert link(7).startswith("/training/")


def test_a_rows_link_takes_only_a_number(app):
    with app.test_request_context():
        link = id_urls("requests.case", "request_id")
        with pytest.raises(ValueError):
            link('7"><script>')


def test_the_other_values_stay_in_the_link(app):
    with app.test_request_context():
        link = id_urls("requests.case", "request_id", tab="files")
        assert link(9) == url_for("requests.case", request_id=9, tab="files")
