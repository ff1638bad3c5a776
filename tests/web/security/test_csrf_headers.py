"""CSRF-1, HDR, XSS-3: forged posts are refused, every response carries the security
headers, partials are fragments, and user text is escaped."""

from __future__ import annotations

import hashlib
import html
import json
import re
from pathlib import Path

import pytest

from tests.factories import csrf_token, make_authority, make_user, sign_in
from tests.web.security.world import build_world

TEMPLATES = Path(__file__).resolve().parents[3] / "app" / "templates"
STATIC = Path(__file__).resolve().parents[3] / "app" / "static"

# A value for each URL parameter of a POST route, in the world of build_world(), for the
# coordinator of Germany (who may use every POST route).
PARAMETERS = {
    "user_id": "coordinator_de_user",
    "authority_id": "authority_a",
    "registration_id": "registration_de",
    "token": "invitation_token",
    "request_id": "request_referred",
    "attachment_id": "attachment_sent",
    "file_id": "attachment_sent",
    "case_id": "public_case",
    "procedure": "public_procedure",
    "country": "public_country",
    "record_id": "record_own",
    "key": "repository_key",
    "alert_id": "alert_sent",
    "kind": "text_kind",
    "object_id": "request_referred",
    "invitation_id": "invitation_id",
    "notification_id": "ntf_sent",
    # an EPC applicant's application (its own sign-in; the token is checked before any id)
    "application_id": "public_case",
}

# The only POST routes without a CSRF token: eTranslation's callbacks, posted by the
# Commission's servers, not by a browser; a secret in the address authenticates them.
CSRF_EXEMPT = {
    "translations.etranslation_done",
    "translations.etranslation_error",
    "translations.etranslation_file_done",
    "translations.etranslation_file_error",
}


def test_only_the_machine_callbacks_are_exempt_from_csrf(app):
    from app.extensions import csrf

    exempt = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        and f"{app.view_functions[rule.endpoint].__module__}."
        f"{app.view_functions[rule.endpoint].__name__}"
        in csrf._exempt_views
    }
    assert exempt == CSRF_EXEMPT


# Routes that serve every kind of case (<any(...):kind>): one URL per kind, with a case
# of that kind and one of its files.
PER_KIND = {
    "translations.translate_file": {
        "request": {"case_id": "request_sent", "file_id": "attachment_sent"},
        "alert": {"case_id": "alert_sent", "file_id": "alert_attachment_sent"},
        "public_case": {"case_id": "public_case", "file_id": "public_document"},
    },
}


def _post_urls(app, world) -> list[str]:
    urls = []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.endpoint in CSRF_EXEMPT:
            continue
        missing = set(rule.arguments) - set(PARAMETERS) - {"action"}
        assert not missing, f"{rule.rule}: add {missing} to PARAMETERS"
        values = {name: world.ids[PARAMETERS[name]] for name in rule.arguments - {"action"}}
        kinds = PER_KIND.get(rule.endpoint)
        if kinds is not None:
            assert set(kinds) == set(rule._converters["kind"].items), rule.rule
        # one URL per value of an <any(...):action> part, and per kind where there are several
        actions = sorted(rule._converters["action"].items) if "action" in rule.arguments else [None]
        for kind, named in (kinds or {None: {}}).items():
            ids = {name: world.ids[key] for name, key in named.items()}
            for action in actions:
                extra = {"action": action} if action else {}
                extra |= {"kind": kind} if kind else {}
                url = app.url_map.bind("localhost").build(rule.endpoint, {**values, **ids, **extra})
                urls.append(url)
    return sorted(urls)


def _hx_headers_token(response) -> str:
    """The token htmx sends: <body data-hx-headers='{"X-CSRFToken": "..."}'>."""
    match = re.search(r"<body[^>]*data-hx-headers='([^']+)'", response.get_data(True))
    assert match, "no data-hx-headers on <body>"
    return json.loads(html.unescape(match.group(1)))["X-CSRFToken"]


# --- CSRF -------------------------------------------------------------------------------


# POST routes whose view itself refuses this request (no enrolment under way, a foreign
# or missing id): the token check must still answer 400.
VIEW_REFUSES_TOO = ["/sign-in/enrol", "/users/999999", "/coordination/registrations/999999"]


@pytest.mark.parametrize("url", VIEW_REFUSES_TOO)
def test_refused_token_where_the_view_would_refuse_too(client, url):
    world = build_world()
    sign_in(client, world.users["coordinator_de"])

    response = client.post(url, data={"code": "123456"})

    assert response.status_code == 400


def test_a_token_from_another_session_is_refused(app, client):
    world = build_world()
    other = app.test_client()
    foreign_token = csrf_token(other.get("/sign-in"))
    sign_in(client, world.users["coordinator_de"])

    response = client.post("/language", data={"language": "de", "csrf_token": foreign_token})
    hx_response = client.post(
        "/language",
        data={"language": "de"},
        headers={"HX-Request": "true", "X-CSRFToken": foreign_token},
    )

    assert response.status_code == 400
    assert hx_response.status_code == 400


def test_htmx_post_with_token_in_header_is_accepted(app, client):
    # Given a signed-in officer whose page carries the token for htmx
    authority = make_authority("DE")
    user = make_user(authority, ["handler"])
    sign_in(client, user)
    token = _hx_headers_token(client.get("/directory"))

    # When htmx posts the language switch with the token only in X-CSRFToken
    response = client.post(
        "/language",
        data={"language": "de", "next": "/directory"},
        headers={"HX-Request": "true", "X-CSRFToken": token},
    )

    # Then it is accepted and the choice is saved
    assert response.status_code == 302
    assert response.headers["Location"] == "/directory"
    assert client.get("/directory").get_data(True).startswith('<!doctype html>\n<html lang="de"')


# --- headers ----------------------------------------------------------------------------


def _assert_security_headers(response, *, page: bool = True) -> None:
    headers = response.headers
    csp = headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, csp
    assert "frame-ancestors 'none'" in csp, csp
    assert "script-src 'self'" in csp, csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    if page:
        assert headers["Cache-Control"] == "no-store"
        assert "HX-Request" in response.vary


@pytest.fixture
def officer_client(app, client):
    authority = make_authority("PL", name="Naczelna Izba Lekarska")
    sign_in(client, make_user(authority, ["viewer"]))
    return client


@pytest.mark.parametrize(
    ("method", "url", "headers", "status"),
    [
        ("get", "/", {}, 200),
        ("get", "/directory?q=izba", {}, 200),
        ("get", "/directory?q=izba", {"HX-Request": "true"}, 200),
        ("get", "/account", {"HX-Request": "true"}, 200),
        ("get", "/users", {}, 403),
        ("get", "/no-such-page", {}, 404),
        ("get", "/no-such-page", {"HX-Request": "true"}, 404),
        ("get", "/directory/999999", {}, 404),
        ("post", "/language", {}, 400),
        ("post", "/language", {"HX-Request": "true"}, 400),
        ("get", "/healthz", {}, 200),
    ],
)
def test_security_headers_on_pages_partials_and_errors(
    officer_client, method, url, headers, status
):
    response = getattr(officer_client, method)(url, headers=headers)
    assert response.status_code == status
    _assert_security_headers(response)


def test_security_headers_for_anonymous_visitor_and_sign_in_page(client):
    for url in ("/", "/sign-in", "/register"):
        response = client.get(url)
        assert response.status_code == 200
        _assert_security_headers(response)


def test_hashed_static_files_are_cached_for_a_year(client):
    page = client.get("/").get_data(True)
    references = re.findall(r'(?:href|src)="(/static/([^"?]+)\?v=([0-9a-f]+))"', page)
    assert {name for _, name, _ in references} >= {"css/openimi.css", "js/openimi.js"}
    for url, name, digest in references:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert digest == hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[: len(digest)]
        _assert_security_headers(response, page=False)
        response.close()


# --- htmx partials ----------------------------------------------------------------------


def test_directory_search_via_htmx_returns_only_the_results(officer_client):
    partial = officer_client.get("/directory?q=izba", headers={"HX-Request": "true"})
    page = officer_client.get("/directory?q=izba")
    restore = officer_client.get(
        "/directory?q=izba", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )

    body = partial.get_data(True)
    assert "Naczelna Izba Lekarska" in body
    assert "<html" not in body and "<form" not in body and "<body" not in body
    assert "<html" in page.get_data(True) and "Naczelna Izba Lekarska" in page.get_data(True)
    assert "<html" in restore.get_data(True)


# --- output encoding --------------------------------------------------------------------


def test_no_template_marks_text_as_safe():
    offenders = []
    for template in TEMPLATES.rglob("*"):
        if template.is_file():
            text = template.read_text()
            if re.search(r"\|\s*safe\b", text) or re.search(r"autoescape\s+false", text):
                offenders.append(str(template.relative_to(TEMPLATES)))
    assert offenders == []


def test_authority_name_with_markup_is_escaped(officer_client):
    authority = make_authority("DE", name="<script>x</script>", city="<b>Bonn</b>")

    profile = officer_client.get(f"/directory/{authority.id}").get_data(True)
    partial = officer_client.get("/directory?q=script", headers={"HX-Request": "true"})
    results = partial.get_data(True)

    for body in (profile, results):
        assert "&lt;script&gt;x&lt;/script&gt;" in body
        assert "<script>x</script>" not in body
    assert "&lt;b&gt;Bonn&lt;/b&gt;" in profile
