"""The notification inbox and page run as many SQL statements for many rows as for few:
more comments by more authorities, more recipients, more notifications in a box."""

from __future__ import annotations

from app.cases import notifications
from app.extensions import db
from app.models import AuthorityKind, NotificationEvent, NotificationRecipient
from tests.factories import count_statements, make_authority
from tests.web.notifications.conftest import as_user, ecommerce_draft, services_draft


def _grow(item, authorities, comments: int) -> None:
    """Comments by several authorities, and recipients of several countries."""
    for number in range(comments):
        author = authorities[number % len(authorities)]
        db.session.add(
            NotificationEvent(
                notification_id=item.id,
                kind="comment",
                authority_id=author.id,
                text=f"Comment {number}",
                language="de" if number % 2 else "fr",
            )
        )
    for country in ("IT", "PL", "CZ", "PT", "NL"):
        if country not in {r.country for r in item.recipients}:
            coordinator = make_authority(country, kind=AuthorityKind.NATIONAL_COORDINATOR)
            item.recipients.append(
                NotificationRecipient(country=country, authority_id=coordinator.id)
            )
            authorities.append(coordinator)
    db.session.commit()


def test_the_notification_page_does_not_grow_with_comments_and_recipients(app, people):
    item = services_draft(people)
    notifications.send(people.actor("berlin"), item)
    notifications.validate(people.actor("de_coordinator"), item, True)
    client = as_user(app, people.users["grow"])
    url = f"/notifications/{item.id}"
    authorities = [people.authorities["berlin"], people.authorities["grow"]]
    _grow(item, authorities, 2)
    client.get(url)
    few = count_statements(client, url)
    _grow(item, authorities, 12)
    client.get(url)
    many = count_statements(client, url)
    assert many == few


def test_the_inbox_does_not_grow_with_its_rows(app, people):
    client = as_user(app, people.users["berlin"])
    for _ in range(2):
        ecommerce_draft(people)
    client.get("/notifications?box=drafts")
    few = count_statements(client, "/notifications?box=drafts")
    for _ in range(8):
        ecommerce_draft(people)
    client.get("/notifications?box=drafts")
    many = count_statements(client, "/notifications?box=drafts")
    assert many == few
