"""Factories for authorities and users, and helpers to drive the web client."""

from __future__ import annotations

import itertools
import re
import secrets

import pyotp
from flask import request, request_started

from app import directory
from app.accounts import auth, credentials
from app.blueprints.auth.routes import start_session
from app.extensions import db
from app.models import Authority, AuthorityKind, AuthorityStatus, Membership, User
from app.models.accounts import UserStatus
from app.records import audit

PASSWORD = "violet harbour lantern 42"
_counter = itertools.count(1)
_hash_cache: dict[str, str] = {}
# Marks the request that sign_in turns into a completed sign-in (a WSGI environ key, which
# no client can send: HTTP headers arrive as HTTP_*).
_SIGN_IN_MARKER = "openimi.tests.sign_in"


def make_authority(
    country: str = "DE",
    name: str | None = None,
    kind: AuthorityKind = AuthorityKind.AUTHORITY,
    status: AuthorityStatus = AuthorityStatus.ACTIVE,
    concepts: tuple[str, ...] = (),
    **fields,
) -> Authority:
    authority = Authority(
        country=country,
        name=name or f"Test authority {next(_counter)}",
        kind=kind,
        status=status,
        **fields,
    )
    directory.index_text(authority)
    directory.set_competences(authority, concepts)
    db.session.add(authority)
    db.session.commit()
    return authority


def make_user(
    authority: Authority,
    roles: list[str],
    email: str | None = None,
    status: UserStatus = UserStatus.ACTIVE,
    language: str = "en",
    role_areas: dict[str, list[str]] | None = None,
) -> User:
    """An active officer of `authority` with `roles`, each in all legislative areas but
    those `role_areas` limits (role -> its areas)."""
    if PASSWORD not in _hash_cache:
        _hash_cache[PASSWORD] = credentials.hash_password(PASSWORD)
    user = User(
        email=email or f"user{next(_counter)}@example.eu",
        full_name=f"Officer {next(_counter)}",
        language=language,
        status=status,
        password_hash=_hash_cache[PASSWORD],
        totp_secret=pyotp.random_base32(),
        totp_enrolled=True,
    )
    db.session.add(user)
    db.session.flush()
    db.session.add(
        Membership(
            user_id=user.id, authority_id=authority.id, roles=roles, role_areas=role_areas or {}
        )
    )
    db.session.commit()
    return user


def csrf_token(response) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', response.get_data(True))
    if match is None:
        match = re.search(r'name="csrf_token" value="([^"]+)"', response.get_data(True))
    assert match, "no CSRF token in the page"
    return match.group(1)


def date_input(name: str, iso: str = "") -> dict[str, str]:
    """A date as a pack form's three inputs post it (`name`-day, -month, -year), from
    an ISO date; "" leaves the three empty."""
    year, month, day = iso.split("-") if iso else ("", "", "")
    return {f"{name}-day": day, f"{name}-month": month, f"{name}-year": year}


def words(message: str, language: str, **values) -> str:
    """An interface message in `language`, as the catalogs have it."""
    from flask_babel import force_locale, gettext

    with force_locale(language):
        return gettext(message, **values)


def said(message: str, language: str = "de", **values) -> str:
    """A pack field's message as a page shows it: in `language`, starting with a capital,
    escaped (app/cases/packforms.py)."""
    from markupsafe import escape

    text = words(message, language, **values)
    return str(escape(text[:1].upper() + text[1:]))


def summary_links(page: str) -> list[tuple[str, str]]:
    """The error summary's links: (target id, message), in order."""
    summary = page.split('class="error-summary"')[1].split("</div>")[0]
    return re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)


def post_form(client, url: str, data: dict, **kwargs):
    """GET the page for its CSRF token, then POST the form like a browser."""
    page = client.get(url)
    return client.post(url, data={"csrf_token": csrf_token(page), **data}, **kwargs)


def sign_in(client, user: User, password: str = PASSWORD, prefix: str = "") -> None:
    """Signed in as `user`, in one request instead of the four of the two steps: the
    request starts the session with the sign-in route's own start_session (the same
    session row, cookie and known-device cookie) and writes the sign-in's audit row.
    Tests of signing in itself (the steps, throttling, codes, sessions) use
    sign_in_fully. `user` needs only an e-mail address (a training user is looked up in
    the training instance); a wrong password or an account that could not sign in
    fails, as it would there."""
    marker, refused = secrets.token_hex(8), []

    def start(sender, **extra) -> None:
        if request.environ.get(_SIGN_IN_MARKER) != marker:
            return  # another request (a live server's), not ours
        found = auth.user_by_email(user.email)
        if found is None or not found.totp_enrolled or not found.is_active:
            refused.append("no active account with an authenticator app")
        elif not credentials.check_password(found, password):
            refused.append("wrong password")
        else:
            audit.record(
                "auth.signed_in",
                actor_id=found.id,
                address=request.remote_addr,
                recovery_code=False,
            )
            db.session.commit()
            start_session(found)

    with request_started.connected_to(start):
        response = client.get(f"{prefix}/sign-in", environ_overrides={_SIGN_IN_MARKER: marker})
    assert not refused, f"{user.email} cannot sign in: {refused[0]}"
    # the sign-in page sends a signed-in user home
    assert response.status_code == 302, f"{user.email} was not signed in"


def cookies_of(client) -> tuple[tuple, ...]:
    """The cookies `client` holds (its session, its known device), as plain data a kept
    world can hold (tests/snapshots.py): a world that signs people in keeps their session
    rows, and a test gives the cookies back to clients of its own with `client_with`."""
    return tuple(
        (c.key, c.value, c.domain, c.origin_only, c.path) for c in client._cookies.values()
    )


def client_with(app, cookies: tuple[tuple, ...]):
    """A new client of `app` (each request in a fresh context) holding `cookies` (the
    test client sends a cookie by its domain, origin_only and path only)."""
    from tests.conftest import IsolatedClient

    app.test_client_class = IsolatedClient
    client = app.test_client()
    for key, value, domain, origin_only, path in cookies:
        client.set_cookie(key, value, domain=domain, origin_only=origin_only, path=path)
    return client


def sign_in_fully(client, user: User, password: str = PASSWORD, prefix: str = "") -> None:
    """Both factors through the sign-in pages, as the user would; asserts it worked."""
    response = post_form(client, f"{prefix}/sign-in", {"email": user.email, "password": password})
    assert response.status_code == 302, response.get_data(True)
    assert response.headers["Location"].endswith("/sign-in/code"), response.headers["Location"]
    response = post_form(
        client, f"{prefix}/sign-in/code", {"code": pyotp.TOTP(user.totp_secret).now()}
    )
    assert response.status_code == 302, response.get_data(True)


def statements_of(client, url: str, data: dict | None = None) -> list[str]:
    """The SQL statements the app runs to answer a GET of `url`, or a POST of `data` to
    it (asserts a 200)."""
    from sqlalchemy import event

    seen: list[str] = []

    def note(conn, cursor, statement, *args) -> None:
        seen.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        response = client.get(url) if data is None else client.post(url, data=data)
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert response.status_code == 200, (url, response.status_code)
    return seen


def count_statements(client, url: str) -> int:
    """How many SQL statements the app runs to answer a GET of `url`."""
    return len(statements_of(client, url))


# The idempotency key every rendered form carries (app/forms.py SubmissionKey): new at each
# rendering, so two renderings of one page differ there.
FORM_KEY = re.compile(r'(name="[\w-]*submission" type="hidden" value=")[^"]*')


def without_form_keys(page: str) -> str:
    """The page with each form's idempotency key set aside, to compare two renderings."""
    return FORM_KEY.sub(r"\1KEY", page)


_HIDDEN = re.compile(r'<input[^>]*\bname="([^"]+)" type="hidden" value="([^"]*)"')


def rendered_form(client, page_url: str, action: str | None = None) -> dict[str, str]:
    """What one form of the page at `page_url` carries hidden, as a browser would post it:
    its CSRF token, its idempotency key and the version of the case it was rendered with.
    The form is the one posting to `action` (the page's own URL if not given)."""
    response = client.get(page_url)
    assert response.status_code == 200, response.status_code
    return hidden_of(response.get_data(True), action or page_url)


def form_in(page: str, action: str) -> str:
    """The HTML of the form of `page` that posts to `action`."""
    form = re.search(rf'<form[^>]*action="{re.escape(action)}"[^>]*>.*?</form>', page, re.S)
    assert form, f"no form posting to {action}"
    return form[0]


def hidden_of(page: str, action: str) -> dict[str, str]:
    """What the form of `page` posting to `action` carries hidden (a page shown again)."""
    return dict(_HIDDEN.findall(form_in(page, action)))


def stale_words(language: str, words: str = "STALE") -> str:
    """The refusal of a form rendered before another officer changed the case, in
    `language`, escaped as a page shows it: `words` names its wording in app/forms.py,
    STALE (text typed), STALE_CHOICE (only choices made) or STALE_ACTION (nothing kept)."""
    from flask_babel import force_locale
    from markupsafe import escape

    from app import forms

    assert words in ("STALE", "STALE_CHOICE", "STALE_ACTION")
    with force_locale(language):
        return str(escape(str(getattr(forms, words))))
