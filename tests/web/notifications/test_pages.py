"""The notification pages over HTTP: composing from a pack, the request to the Member
State of establishment and its reply, the notification, comments and the Commission
desk's decision; the inbox boxes; and who sees a notification at all."""

from __future__ import annotations

from flask_babel import force_locale, gettext
from markupsafe import escape

from app.cases import notifications
from app.extensions import db
from app.models import Notification, NotificationState
from tests.web.notifications.conftest import (
    ECOMMERCE,
    ECOMMERCE_FIELDS,
    as_user,
    ecommerce_draft,
    post,
    services_draft,
)

S = NotificationState


def _fields(values: dict) -> dict:
    return {f"field-{k}": v for k, v in values.items()}


def test_an_ecommerce_notification_from_compose_to_objection(app, people):
    berlin = as_user(app, people.users["berlin"])
    # the pack's form, with the Member State of establishment and the urgent procedure
    page = berlin.get(f"/notifications/new?procedure={ECOMMERCE}")
    assert page.status_code == 200
    assert 'name="establishment_country"' in page.text and 'name="urgent"' in page.text
    # a draft without its Member State of establishment cannot be asked for
    response = post(
        berlin,
        "/notifications/new",
        {"procedure": ECOMMERCE, **_fields(ECOMMERCE_FIELDS), "message": "Bitte handeln."},
        page=f"/notifications/new?procedure={ECOMMERCE}",
    )
    assert response.status_code == 302
    item = db.session.query(Notification).order_by(Notification.id.desc()).first()
    url = f"/notifications/{item.id}"
    refused = post(berlin, f"{url}/ask", page=url)
    # (the Berlin officer reads German: the reason as the catalog words it)
    with app.test_request_context(), force_locale("de"):
        reason = str(escape(gettext("Choose the Member State of establishment.")))
    assert refused.status_code == 400 and reason in refused.text
    post(
        berlin,
        f"/notifications/{item.id}/edit",
        {"procedure": ECOMMERCE, **_fields(ECOMMERCE_FIELDS), "establishment_country": "FR"},
        page=f"/notifications/{item.id}/edit",
    )
    assert post(berlin, f"{url}/ask", page=url).status_code == 302

    # France replies from its box
    paris = as_user(app, people.users["paris"])
    assert item.reference in paris.get("/notifications?box=reply").text
    reply = post(paris, f"{url}/reply", {"text": "Nous n'avons pris aucune mesure."}, page=url)
    assert reply.status_code == 302

    # Germany notifies; the page says, in German, that the act sets no period for the
    # Commission, only "the shortest possible time" (the pack's words, and its article)
    assert post(berlin, f"{url}/send", page=url).status_code == 302
    page = berlin.get(url).text
    assert "kürzestmöglicher Zeit" in page and "Artikel 3 Absatz 6" in page

    # the Commission's e-commerce desk has it to assess, and objects
    cnect = as_user(app, people.users["cnect"])
    assert item.reference in cnect.get("/notifications?box=assess").text
    missing = post(cnect, f"{url}/object", {"reason": ""}, page=url)
    assert missing.status_code == 400 and "Give the reasons" in missing.text
    done = post(cnect, f"{url}/object", {"reason": "Not proportionate."}, page=url)
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(Notification, item.id).state == S.OBJECTED


def test_who_sees_a_notification(app, people):
    # Given an e-commerce notification to France and a services one to every Member State
    ecommerce = ecommerce_draft(people, urgent=True)
    notifications.send(people.actor("berlin"), ecommerce)
    services = services_draft(people)
    notifications.send(people.actor("berlin"), services)
    notifications.validate(people.actor("de_coordinator"), services, True)
    sees = {
        "berlin": {ecommerce.id, services.id},
        "berlin_viewer": {ecommerce.id, services.id},
        "paris": {ecommerce.id},  # the Member State of establishment's receiver
        "paris_viewer": {ecommerce.id},
        "cnect": {ecommerce.id},  # its desk, not the services desk's
        "grow": {services.id},
        "vienna": set(),  # a third Member State, no recipient of the e-commerce one
        "at_coordinator": {services.id},
        "de_coordinator": {services.id},  # validated it; the e-commerce one went direct
    }
    for name, expected in sees.items():
        client = as_user(app, people.users[name])
        for item in (ecommerce, services):
            status = client.get(f"/notifications/{item.id}").status_code
            assert status == (200 if item.id in expected else 404), (name, item.procedure_key)


def test_a_viewer_reads_and_changes_nothing(app, people):
    item = ecommerce_draft(people, urgent=True)
    notifications.send(people.actor("berlin"), item)
    viewer = as_user(app, people.users["paris_viewer"])
    url = f"/notifications/{item.id}"
    page = viewer.get(url)
    assert page.status_code == 200 and "What you can do" not in page.text
    assert post(viewer, f"{url}/comment", {"text": "Lu."}, page=url).status_code == 403
    db.session.expire_all()
    assert [e.kind for e in db.session.get(Notification, item.id).events] == ["notified"]
