"""The shell: pages render, health answers, headers are set."""

from tests.factories import make_authority, make_user, sign_in


def test_start_page_for_anonymous_visitor_offers_sign_in(client):
    response = client.get("/")
    assert response.status_code == 200
    assert 'href="/sign-in"' in response.get_data(True)


def test_start_page_for_anonymous_visitor_links_to_the_public_interface(client):
    # A citizen or business that lands here finds its way to the public forms.
    response = client.get("/")
    assert '<a href="/public/">Contact a public administration in another country</a>' in (
        response.get_data(True)
    )
    assert client.get("/public/").status_code == 200


def test_healthz_reports_database_and_inline_queue(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert (body["database"], body["queue"]) == ("ok", "inline")
    assert "queues" not in body  # no queues in the embedded mode


def test_signed_in_officer_reaches_directory(client, app):
    authority = make_authority("PL", name="Naczelna Izba Lekarska")
    user = make_user(authority, ["handler"])
    sign_in(client, user)
    response = client.get("/directory?q=izba")
    assert response.status_code == 200
    assert "Naczelna Izba Lekarska" in response.get_data(True)
