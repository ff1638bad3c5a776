"""An external visitor's session reaches only the public interface: every officer GET
route is a 404 for it, and nothing about other cases leaks."""

from __future__ import annotations

import re

from app.blueprints.public.routes import ALLOWED
from tests.factories import csrf_token, sign_in_fully
from tests.web.public.conftest import confirm_case, only_case, submit_case, visitor
from tests.web.requests.conftest import as_user


def test_an_external_session_reaches_no_officer_route(app, people):
    client = visitor(app)
    assert client.get("/public/").status_code == 200
    adapter = app.url_map.bind("localhost")
    checked = 0
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in ALLOWED:
            continue
        # the public interface: the public cases' and the EPC applicants' and employers' pages
        external = rule.endpoint.startswith(("public.", "epc_public."))
        if external or rule.endpoint in ("main.home", "auth.sign_in"):
            continue
        values = {name: "1" for name in rule.arguments}
        for name, converter in rule._converters.items():
            if hasattr(converter, "items"):  # <any(...)>: one of its values
                values[name] = sorted(converter.items)[0]
        url = adapter.build(rule.endpoint, values)
        response = client.get(url)
        assert response.status_code == 404, f"{url}: {response.status_code}"
        checked += 1
    assert checked > 20
    # the start page of the officers sends the visitor to the public start
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/public/")
    # the language switcher still works
    page = client.get("/public/")
    response = client.post(
        "/language",
        data={"csrf_token": csrf_token(page), "language": "de", "next": "/public/"},
    )
    assert response.status_code == 302
    assert 'lang="de"' in client.get("/public/").get_data(True)


def test_the_sign_in_page_ends_the_external_session(app, people):
    # Given a browser that visited the public pages (an external session)
    client = visitor(app)
    assert client.get("/public/").status_code == 200
    assert client.get("/directory").status_code == 404
    # When the sign-in page is opened, the external session ends
    assert client.get("/sign-in").status_code == 200
    # Then the officers' pages ask to sign in, as for any anonymous visitor
    response = client.get("/directory")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    # and an officer signs in from that browser and works as usual
    sign_in_fully(client, people.handler)
    assert client.get("/requests").status_code == 200
    assert client.get("/public/").status_code == 200  # officers may read the public pages


def test_the_language_chosen_on_the_public_pages_stays_at_sign_in(app, people):
    # Given a visitor who chose German on the public pages
    client = visitor(app)
    token = csrf_token(client.get("/public/"))
    client.post("/language", data={"csrf_token": token, "language": "de", "next": "/public/"})
    # When they open the sign-in page, which ends the external session
    page = client.get("/sign-in").get_data(True)
    # Then it is in German, and so are the pages after it
    assert "<h1>Anmelden</h1>" in page
    assert 'lang="de"' in client.get("/register").get_data(True)


def test_an_officer_keeps_their_interface_after_visiting_the_public_pages(app, people):
    officer = as_user(app, people.handler)
    assert officer.get("/public/").status_code == 200
    assert officer.get("/requests").status_code == 200


def test_other_authorities_do_not_see_a_case(app, people, smtp_server):
    client = visitor(app)
    submit_case(client)
    path = confirm_case(client, smtp_server)
    case = only_case()
    for user in (people.paris_handler, people.german, people.coordinator_fr):
        officer = as_user(app, user)
        assert case.reference not in officer.get("/public-cases?state=all").get_data(True)
        response = officer.get(f"/public-cases/{case.id}")
        assert response.status_code == 404 and "Kowalski" not in response.get_data(True)
        page = officer.get("/public-cases")
        response = officer.post(
            f"/public-cases/{case.id}/close", data={"csrf_token": csrf_token(page)}
        )
        assert response.status_code == 404
    # a viewer of the routed authority reads but may not act
    viewer = as_user(app, people.lyon_viewer)
    page = viewer.get(f"/public-cases/{case.id}")
    assert page.status_code == 200
    response = viewer.post(f"/public-cases/{case.id}/accept", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 403 and "roles do not allow" in response.get_data(True)
    # a token of one case opens nothing else
    token = path.rsplit("/", 1)[-1]
    assert re.fullmatch(r"[A-Za-z0-9_-]{22}", token)
    assert client.get(f"/public/case/{token[:-1]}").status_code == 404
