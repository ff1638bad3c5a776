"""Reading governance pages and mails like a person would: titles, error summaries,
flash messages, what a form still holds, and the links a mail carries."""

from __future__ import annotations

from email.header import decode_header, make_header
from urllib.parse import urlsplit

import html5lib
import pyotp

from app.extensions import db
from app.models import User
from app.models.base import utcnow
from tests.factories import PASSWORD, csrf_token, post_form

FORM_EXPIRED = "Your form has expired"
LINK_BROKEN = "This link does not work"
GOOD_PASSWORD = "copper meadow violin 58 ferry"


def page(response):
    return html5lib.parse(response.get_data(True), namespaceHTMLElements=False)


def text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def title(response) -> str:
    element = page(response).find(".//title")
    assert element is not None, "no <title>"
    return text(element)


def error_summary(response) -> list[str]:
    """The messages of the error summary at the top of the page (empty: none)."""
    summary = page(response).find(".//div[@class='error-summary']")
    return [] if summary is None else [text(li) for li in summary.iter("li")]


def flashes(response) -> list[str]:
    return [text(p) for p in page(response).iter("p") if "flash" in p.get("class", "")]


def main_text(response) -> str:
    main = page(response).find(".//main")
    assert main is not None, "no <main>"
    return text(main)


def form_values(response) -> dict[str, object]:
    """What the page's forms hold, by field name: input values, textarea text, the
    selected option of a select, the checked radio button, and the list of checked
    boxes."""
    values: dict[str, object] = {}
    root = page(response)
    for element in root.iter("input"):
        name, kind = element.get("name"), element.get("type", "text")
        if not name:
            continue
        if kind == "checkbox":
            boxes = values.setdefault(name, [])
            if element.get("checked") is not None:
                boxes.append(element.get("value"))  # type: ignore[union-attr]
        elif kind == "radio":
            if element.get("checked") is not None:
                values[name] = element.get("value")
            else:
                values.setdefault(name, None)
        else:
            values[name] = element.get("value", "")
    for element in root.iter("textarea"):
        values[element.get("name")] = "".join(element.itertext())
    for element in root.iter("select"):
        chosen = [o.get("value") for o in element.iter("option") if o.get("selected") is not None]
        values[element.get("name")] = chosen[0] if chosen else None
    return values


def path_of(link: str) -> str:
    """The path of an absolute link from a mail, for the test client."""
    return urlsplit(link).path


def body_of(mail) -> str:
    return mail.get_payload(decode=True).decode()


def mails_to(smtp_server, address: str) -> list[tuple[str, str]]:
    """(subject, body) of every mail received for `address`."""
    return [
        (str(make_header(decode_header(m["Subject"]))), body_of(m)) for m in smtp_server.to(address)
    ]


def unused_code(user: User) -> str:
    """A TOTP code the server still accepts (codes are single-use per time step)."""
    db.session.refresh(user)
    totp = pyotp.TOTP(user.totp_secret)
    step = max(totp.timecode(utcnow()), user.totp_last_step + 1)
    return totp.generate_otp(step)


def password_step(client, email: str, password: str = PASSWORD):
    return post_form(client, "/sign-in", {"email": email, "password": password})


def is_signed_in(client) -> bool:
    """Whether this browser's session still works: a private page answers, or the
    browser is sent to sign in."""
    response = client.get("/account")
    if response.status_code == 200:
        return True
    assert response.status_code == 302, response.status_code
    assert "/sign-in" in response.headers["Location"]
    return False


def accept_and_enrol(client, link: str, full_name: str, password: str = GOOD_PASSWORD) -> list:
    """Follow an invitation link to the end: password, authenticator app, recovery
    codes. Returns the recovery codes shown."""
    path = path_of(link)
    response = post_form(
        client, path, {"full_name": full_name, "password": password, "confirm": password}
    )
    assert response.status_code == 302, response.get_data(True)
    assert response.headers["Location"].endswith("/sign-in/enrol")
    enrol = client.get("/sign-in/enrol")
    assert enrol.status_code == 200
    secret = text(page(enrol).find(".//*[@id='totp-secret']")).replace(" ", "")
    response = client.post(
        "/sign-in/enrol",
        data={"csrf_token": csrf_token(enrol), "code": pyotp.TOTP(secret).now()},
    )
    assert response.status_code == 302, response.get_data(True)
    assert response.headers["Location"].endswith("/account/recovery-codes")
    codes = client.get("/account/recovery-codes")
    assert codes.status_code == 200
    return [text(li) for li in page(codes).find(".//*[@id='recovery-codes']").iter("li")]
