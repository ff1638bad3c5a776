"""Factories for authorities and users, and helpers to drive the web client."""

from __future__ import annotations

import itertools
import re

import pyotp

from app import directory
from app.accounts import credentials
from app.extensions import db
from app.models import Authority, AuthorityKind, AuthorityStatus, Membership, User
from app.models.accounts import UserStatus

PASSWORD = "violet harbour lantern 42"
_counter = itertools.count(1)
_hash_cache: dict[str, str] = {}


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
) -> User:
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
    db.session.add(Membership(user_id=user.id, authority_id=authority.id, roles=roles))
    db.session.commit()
    return user


def csrf_token(response) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', response.get_data(True))
    if match is None:
        match = re.search(r'name="csrf_token" value="([^"]+)"', response.get_data(True))
    assert match, "no CSRF token in the page"
    return match.group(1)


def post_form(client, url: str, data: dict, **kwargs):
    """GET the page for its CSRF token, then POST the form like a browser."""
    page = client.get(url)
    return client.post(url, data={"csrf_token": csrf_token(page), **data}, **kwargs)


def sign_in(client, user: User, password: str = PASSWORD, prefix: str = "") -> None:
    """Both factors, as the user would; asserts it worked."""
    response = post_form(client, f"{prefix}/sign-in", {"email": user.email, "password": password})
    assert response.status_code == 302, response.get_data(True)
    assert response.headers["Location"].endswith("/sign-in/code"), response.headers["Location"]
    response = post_form(
        client, f"{prefix}/sign-in/code", {"code": pyotp.TOTP(user.totp_secret).now()}
    )
    assert response.status_code == 302, response.get_data(True)


def statements_of(client, url: str) -> list[str]:
    """The SQL statements the app runs to answer a GET of `url` (asserts a 200)."""
    from sqlalchemy import event

    seen: list[str] = []

    def note(conn, cursor, statement, *args) -> None:
        seen.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        response = client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert response.status_code == 200, (url, response.status_code)
    return seen


def count_statements(client, url: str) -> int:
    """How many SQL statements the app runs to answer a GET of `url`."""
    return len(statements_of(client, url))
