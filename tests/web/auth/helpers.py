"""Helpers for driving sign-in, sign-out and reading the auth pages like a browser."""

from __future__ import annotations

import html5lib
import pyotp

from app.extensions import db
from app.models import User
from app.models.base import utcnow
from tests.factories import PASSWORD, csrf_token, post_form, without_form_keys

# A page only a signed-in officer may see: 200 when signed in, a redirect otherwise.
PRIVATE_PAGE = "/account"
TOO_MANY = "Too many attempts. Please wait a few minutes and try again."
WRONG_PASSWORD = "The e-mail address or the password is not right."
WRONG_CODE = "This code is not right or has already been used."


def page(response):
    """The response parsed as a browser would (html5lib), to find elements by path."""
    return html5lib.parse(response.get_data(True), namespaceHTMLElements=False)


def input_named(response, name: str) -> dict[str, str]:
    """The attributes of the form input called `name`."""
    element = page(response).find(f".//input[@name='{name}']")
    assert element is not None, f"no input named {name!r}"
    return dict(element.attrib)


def text_of(response, element_id: str) -> str:
    element = page(response).find(f".//*[@id='{element_id}']")
    assert element is not None, f"no element with id {element_id!r}"
    return "".join(element.itertext()).strip()


def without_tokens(response) -> str:
    """The body with the CSRF token and the forms' keys replaced, so two responses can be
    compared."""
    return without_form_keys(response.get_data(True).replace(csrf_token(response), "TOKEN"))


def password_step(client, email: str, password: str = PASSWORD, **kwargs):
    return post_form(client, "/sign-in", {"email": email, "password": password}, **kwargs)


def code_step(client, code: str, **kwargs):
    return post_form(client, "/sign-in/code", {"code": code}, **kwargs)


def unused_code(user: User) -> str:
    """A code the server still accepts: the current step, or the next one (drift +1)
    when the current step was already used by an earlier sign-in in this test."""
    db.session.refresh(user)
    totp = pyotp.TOTP(user.totp_secret)
    step = totp.timecode(utcnow())
    if step <= user.totp_last_step:
        step = user.totp_last_step + 1
    assert step <= totp.timecode(utcnow()) + 1, "no unused code left in the window"
    return totp.generate_otp(step)


def sign_out(client, **kwargs):
    """Press the sign-out button of the start page."""
    token = csrf_token(client.get("/"))
    return client.post("/sign-out", data={"csrf_token": token}, **kwargs)


def is_signed_in(client) -> bool:
    response = client.get(PRIVATE_PAGE)
    if response.status_code == 200:
        return True
    assert response.status_code == 302, response.status_code
    assert "/sign-in" in response.headers["Location"]
    return False


def session_cookie(client, app) -> str | None:
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    return cookie.value if cookie else None


def sign_in_again(client, user: User, password: str = PASSWORD, **kwargs) -> None:
    """Both factors, for a user who may already have used the current code."""
    response = password_step(client, user.email, password, **kwargs)
    assert response.status_code == 302, response.get_data(True)
    response = code_step(client, unused_code(user), **kwargs)
    assert response.status_code == 302, response.get_data(True)
