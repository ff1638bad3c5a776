"""One browser journey per policy area: for each area of the registered packs, its first
request pack (else its first alert pack, else its first notification pack) is composed
and sent in the browser, from the pack's own definition, and opened by the receiving
side; axe-core checks the compose page and the receiver's page. The officers read the
interface in a language that changes from one area to the next, so the journeys find
inputs by their names and ids, never by English words. A pack of a new area is tested
without an edit here.

The world is the one of tests/web/packs/test_pack_flows.py (restored, not rebuilt);
the live server and the browser are the session's.
"""

from __future__ import annotations

from datetime import date

import pyotp
import pytest

from app.extensions import db
from app.models import Alert, Notification, Request, User
from app.procedures import Pack, Question
from tests.factories import PASSWORD, client_with, cookies_of, sign_in
from tests.snapshots import restored
from tests.web.packs.test_pack_flows import PACKS, World, _world

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

LANGUAGES = ("en", "de", "el", "fr", "pl", "it", "pt", "cs", "bg", "sv", "fi", "hu")
ORDER = ("request", "alert", "notification")


def _journeys() -> list[tuple[str, str, str]]:
    """(area, pack key, language) per policy area that has a pack of the kinds above."""
    chosen = {}
    ours = [p for p in PACKS.values() if p.kind in ORDER]
    for pack in sorted(ours, key=lambda p: (ORDER.index(p.kind), p.key)):
        chosen.setdefault(pack.policy_area, pack.key)
    areas = sorted(chosen)
    return [(a, chosen[a], LANGUAGES[n % len(LANGUAGES)]) for n, a in enumerate(areas)]


JOURNEYS = _journeys()


def _sign_in(page, base: str, user: User) -> None:
    """Both steps of the sign-in form, found by their inputs' names (any language)."""
    page.goto(f"{base}/sign-in")
    page.locator("input[name=email]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.locator("input[name=code]").fill(pyotp.TOTP(user.totp_secret).now())
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(lambda url: "/sign-in" not in url)


def _signed_in(app, new_page, base: str, user: User):
    """A page whose browser holds `user`'s session, started through the test client (the
    sign-in pages are the sender's; tests/browser/test_journey.py tests them)."""
    client = client_with(app, ())
    sign_in(client, user)
    page = new_page()
    cookies = [{"name": c[0], "value": c[1], "url": base} for c in cookies_of(client)]
    page.context.add_cookies(cookies)
    return page


def _fill(page, name: str, question: Question) -> None:
    """A pack field filled in as an officer would, with a valid value of its type."""
    if question.type in ("yes_no", "choice"):
        value = "yes" if question.type == "yes_no" else question.options[0].key
        radio = page.locator(f"#{name}-{value}")
        if radio.count():
            radio.check()
        else:
            page.locator(f"#{name}").select_option(value)
    elif question.type == "date":
        year, month, day = date.today().isoformat().split("-")
        for part, value in (("day", day), ("month", month), ("year", year)):
            page.locator(f"#{name}-{part}").fill(value)
    elif question.type == "number":
        page.locator(f"#{name}").fill("3")
    elif question.type == "text":
        page.locator(f"#{name}").fill("Exemple : texte saisi par l'agent.")
    # a file: the form posts "attached" itself


def _compose_request(page, base: str, pack: Pack, world: World) -> str:
    page.goto(f"{base}/requests/new?procedure={pack.key}")
    page.locator("#subject").fill("Jeanne Exemple")
    page.locator("#responder").select_option(str(world.ids["paris"]))
    # every question ticked at once (one round trip; a pack may have twenty)
    boxes = page.locator("input[name=questions]")
    boxes.evaluate_all("boxes => boxes.forEach(box => { box.checked = true })")
    assert boxes.count() == sum(len(s.questions) for s in pack.question_sets)
    for field in pack.request_fields:
        _fill(page, f"detail-{field.key}", field)
    return "button[name=send]"


def _compose_alert(page, base: str, pack: Pack) -> str:
    page.goto(f"{base}/alerts/new?procedure={pack.key}")
    for field in pack.fields:
        _fill(page, f"field-{field.key}", field)
    page.locator("#c-FR").check()
    return "button[name=send]"


def _compose_notification(page, base: str, pack: Pack) -> None:
    page.goto(f"{base}/notifications/new?procedure={pack.key}")
    for field in pack.fields:
        _fill(page, f"field-{field.key}", field)
    if pack.notification.recipients == "establishment":
        page.locator("#establishment_country").select_option("FR")


# Where each kind's case is read.
CASES = {
    "request": (Request, "requests"),
    "alert": (Alert, "alerts"),
    "notification": (Notification, "notifications"),
}


def _receiver(pack: Pack, item) -> str:
    """Who has the case next: the responding officer, France's coordinator (an alert),
    or for a notification, by its state: the Member State of establishment asked first,
    the national coordinator validating, else the Commission's desk."""
    if pack.kind == "request":
        return "responder"
    if pack.kind == "alert":
        return "de_coordinator" if item.state.value == "awaiting_validation" else "fr_coordinator"
    return {"asked": "responder", "awaiting_validation": "de_coordinator"}.get(
        item.state.value, "desk"
    )


@pytest.mark.parametrize(("area", "key", "language"), JOURNEYS, ids=[a for a, _, _ in JOURNEYS])
def test_an_area_in_the_browser(app, live_server, new_page, watch, area, key, language):
    world = restored("packs: every pack's flow", _world)
    pack = PACKS[key]
    for user in world.users.values():
        user.language = language
    db.session.commit()

    # the first journey signs in through the pages, as a person does; the others start
    # the session through the test client (the same session row and cookie), faster
    if (area, key, language) == JOURNEYS[0]:
        sender = new_page()
        _sign_in(sender, live_server, world.users["requester"])
    else:
        sender = _signed_in(app, new_page, live_server, world.users["requester"])
    if pack.kind == "request":
        button = _compose_request(sender, live_server, pack, world)
    elif pack.kind == "alert":
        button = _compose_alert(sender, live_server, pack)
    else:
        button = "button[name=save]"
        _compose_notification(sender, live_server, pack)
    assert sender.locator("html").get_attribute("lang") == language
    watch.axe(sender, f"{key}: compose ({language})")
    sender.locator(button).click()
    sender.wait_for_load_state()
    assert "/new" not in sender.url, (key, "not sent")
    model, path = CASES[pack.kind]
    db.session.expire_all()
    item = db.session.query(model).one()
    url = f"{live_server}/{path}/{item.id}"
    if pack.kind == "notification":  # saved as a draft: asked first, or sent
        step = "ask" if pack.notification.ask_first else "send"
        sender.locator(f"form[action$='/{item.id}/{step}'] button").click()
        sender.wait_for_load_state()
        db.session.expire_all()
        item = db.session.get(model, item.id)
    assert item.state.value != "draft", (key, item.state)

    receiver = _signed_in(app, new_page, live_server, world.users[_receiver(pack, item)])
    response = receiver.goto(url)
    assert response.status == 200
    assert item.reference in receiver.locator("h1").first.inner_text()
    watch.axe(receiver, f"{key}: received ({language})")
    watch.assert_clean()


def test_the_procedure_preview_without_javascript(app, live_server, new_page, watch):
    """A coordinator reads a pack's forms in another language, without JavaScript: the
    language is chosen by a plain GET form; every input is disabled; axe (which needs
    JavaScript, in a second browser) finds nothing."""
    world = restored("packs: every pack's flow", _world)
    key, coordinator = JOURNEYS[0][1], world.users["de_coordinator"]
    page = _signed_in(app, lambda: new_page(java_script_enabled=False), live_server, coordinator)
    page.goto(f"{live_server}/coordination/procedures")
    page.locator(f"a[href='/coordination/procedures/{key}']").click()
    page.locator("#language").select_option("el")
    page.locator("form[method=get] button[type=submit]").click()
    page.wait_for_url(lambda url: url.endswith("language=el"))
    preview = page.locator("section.pack-preview[lang=el]")
    assert preview.count() == 1
    fields = preview.locator("input:not([type=hidden]), select, textarea")
    assert fields.count() > 0
    assert all(fields.nth(n).is_disabled() for n in range(fields.count()))

    checked = _signed_in(app, new_page, live_server, coordinator)
    checked.goto(f"{live_server}/coordination/procedures")
    watch.axe(checked, "procedure preview: the list")
    checked.goto(page.url)
    watch.axe(checked, "procedure preview: a pack in Greek")
    watch.assert_clean()
