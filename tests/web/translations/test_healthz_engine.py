"""/healthz tells monitoring which machine translation engine runs and what it offers
(issue 18); the engine never changes the status code, and nobody else learns of it."""

from __future__ import annotations


def test_monitoring_sees_the_engine_and_its_pairs(app, use_mt, apertium_url):
    use_mt("apertium", APERTIUM_URL=apertium_url)

    response = app.test_client().get("/healthz")

    assert response.status_code == 200
    engine = response.get_json()["translation"]
    assert engine["engine"] == "apertium"
    assert {"fr>es", "es>en", "ro>es"} <= set(engine["pairs"])
    assert "en>hr" not in engine["pairs"]  # measured too poor (app/translation/quality.py)


def test_an_engine_that_is_down_is_a_figure_not_an_outage(app, use_mt):
    use_mt("apertium", APERTIUM_URL="http://127.0.0.1:9")  # nothing listens

    response = app.test_client().get("/healthz")

    assert response.status_code == 200
    assert response.get_json()["translation"] == {"engine": "apertium", "status": "down"}


def test_no_engine_is_said_as_such(app, use_mt):
    use_mt("none")

    assert app.test_client().get("/healthz").get_json()["translation"] == {"engine": "none"}


def test_anyone_else_learns_nothing_of_it(app, use_mt):
    use_mt("none")
    # a request passed on by a proxy the app does not trust is not monitoring's
    body = app.test_client().get("/healthz", headers={"X-Forwarded-For": "203.0.113.9"})

    assert "translation" not in body.get_json()
