"""The course of a notification, through the services: the request to the Member State
of establishment first, the urgent procedure without it, validation, comments, and the
Commission desk's conclusion or objection, with the deadlines the act sets."""

from __future__ import annotations

from datetime import date

import pytest

from app.cases import notifications
from app.cases.notifications.routing import months_after
from app.models import Notification, NotificationState
from tests.web.notifications.conftest import ecommerce_draft, services_draft

S = NotificationState


def test_ecommerce_asks_the_member_state_of_establishment_before_notifying(people):
    berlin, paris, cnect = (people.actor(n) for n in ("berlin", "paris", "cnect"))
    item = ecommerce_draft(people)
    # a draft cannot be notified before France was asked and has replied
    assert notifications.LIFECYCLE.allowed(berlin, item) == {"edit", "discard", "ask"}
    with pytest.raises(notifications.NotificationError) as refused:
        notifications.send(berlin, item)
    assert refused.value.code == "state"

    notifications.ask(berlin, item)
    assert item.state == S.ASKED and item.asked_at is not None
    assert [(r.country, r.establishment) for r in item.recipients] == [("FR", True)]
    assert "reply" in notifications.LIFECYCLE.allowed(paris, item)
    assert "notify" not in notifications.LIFECYCLE.allowed(berlin, item)

    notifications.reply(paris, item, "No measures: the provider is not licensed here either.")
    assert notifications.LIFECYCLE.allowed(berlin, item) >= {"notify", "withdraw"}
    notifications.send(berlin, item)
    assert item.state == S.NOTIFIED
    assert item.commission_authority_id == people.authorities["cnect"].id
    # the act sets no period: no date is invented
    assert item.assess_by is None and item.measures_from is None

    notifications.comment(paris, item, "France will follow the case.")
    notifications.object_to(cnect, item, "Not proportionate: blocking the whole site.")
    assert item.state == S.OBJECTED and item.closed_at is not None
    kinds = [e.kind for e in item.events]
    assert kinds == ["asked", "replied", "notified", "comment", "objected"]


def test_the_urgent_procedure_notifies_at_once_with_its_reasons(people):
    berlin = people.actor("berlin")
    item = ecommerce_draft(people, urgent=True)
    assert "ask" not in notifications.LIFECYCLE.allowed(berlin, item)
    notifications.send(berlin, item)
    assert item.state == S.NOTIFIED
    assert [(r.country, r.establishment) for r in item.recipients] == [("FR", True)]


def test_services_requirements_are_validated_then_go_to_every_member_state(people):
    berlin, coordinator, grow, vienna = (
        people.actor(n) for n in ("berlin", "de_coordinator", "grow", "at_coordinator")
    )
    item = services_draft(people)
    assert item.needs_validation
    notifications.send(berlin, item)
    assert item.state == S.AWAITING_VALIDATION

    notifications.validate(coordinator, item, False, "Add the reasons of Article 15(3).")
    assert item.state == S.DRAFT
    notifications.send(berlin, item)
    notifications.validate(coordinator, item, True)
    assert item.state == S.NOTIFIED
    # every other Member State with a coordinator, never the notifier's own
    assert sorted(r.country for r in item.recipients) == ["AT", "FR"]
    assert item.commission_authority_id == people.authorities["grow"].id
    # three months from the notification (Art 15(7)), moved off a weekend
    start = item.notified_at.date()
    assert item.assess_by == months_after(start, 3)[1]
    assert item.assess_by.weekday() < 5

    notifications.comment(vienna, item, "Austria has a similar cap.")
    notifications.conclude(grow, item, "Compatible.")
    assert item.state == S.ASSESSED


def test_a_period_in_months_ends_on_the_same_date_or_the_next_working_day():
    assert months_after(date(2027, 1, 15), 3) == (date(2027, 4, 15), date(2027, 4, 15))
    # 30 November 2026 + 3 months: 28 February 2027 is a Sunday -> Monday 1 March
    assert months_after(date(2026, 11, 30), 3) == (date(2027, 2, 28), date(2027, 3, 1))


def test_a_refused_action_changes_nothing(people):
    berlin, paris = people.actor("berlin"), people.actor("paris")
    item = ecommerce_draft(people)
    with pytest.raises(notifications.NotificationError) as refused:
        notifications.reply(paris, item, "Too early.")
    assert refused.value.code == "role"  # France is no side of a draft
    assert item.state == S.DRAFT and item.events == []
    notifications.ask(berlin, item)
    with pytest.raises(notifications.NotificationError) as refused:
        notifications.comment(paris, item, "  ")
    assert refused.value.code == "text"


def test_an_accepted_epc_notification_writes_then_updates_the_repository_record(people):
    from app.extensions import db
    from app.models import RepositoryRecord
    from tests.web.notifications.conftest import grant

    # Given Berlin notifies documents and fees, and DG GROW's desk assesses them
    key = "epc_requirements_notification"
    grant(people.authorities["berlin"], ["notifier"], key)
    grant(people.authorities["grow"], ["notification_assessor"], key)
    berlin, grow = people.actor("berlin"), people.actor("grow")
    values = {
        "profession": "physiotherapist",
        "situation": "establishment",
        "documents": "Diploma, proof of identity.",
        "fees": "EUR 100",
    }

    def accepted(fees: str) -> Notification:
        item = notifications.save_draft(
            berlin, notifications.Draft(key, {**values, "fees": fees}, "")
        )
        notifications.send(berlin, item)
        notifications.conclude(grow, item, "Accepted.")
        return item

    # When the desk accepts it, the record is written, owned by Berlin
    first = accepted("EUR 100")
    (record,) = db.session.query(RepositoryRecord).filter_by(procedure_key="epc_requirements")
    assert first.record_ids == [record.id]
    assert record.owner_authority_id == people.authorities["berlin"].id
    assert record.fields["fees"] == "EUR 100" and record.version == 1

    # and a later accepted notification for the same profession and situation updates it
    second = accepted("EUR 120")
    db.session.refresh(record)
    assert second.record_ids == [record.id]
    assert record.fields["fees"] == "EUR 120" and record.version == 2
    assert [v.note for v in record.versions] == [second.reference, first.reference]
