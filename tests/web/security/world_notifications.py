"""Notifications of the security world: authority A (DE) notifies France (the Member
State of establishment, Paris receiving) and the Commission under the e-commerce
derogation, and keeps a draft; Paris notifies Germany, whose national coordinator
receives it (authority A, in Germany too, is no recipient and never sees it)."""

from __future__ import annotations

from app.cases import notifications
from app.extensions import db
from app.models import ProcedureAccess
from app.procedures.store import sync
from tests.factories import make_user

FOREIGN_NAME = "Canary Notified Provider Ltd"
PROCEDURE = "ecommerce_derogation"


def build(actor_of, users, authority_a, authority_fr, commission) -> tuple[dict, list[str]]:
    sync()
    for authority, roles in (
        (authority_a, ["notifier"]),
        (authority_fr, ["notifier", "notification_receiver"]),
        (commission, ["notification_assessor"]),
    ):
        db.session.add(
            ProcedureAccess(authority_id=authority.id, procedure_key=PROCEDURE, roles=roles)
        )
    db.session.commit()
    notifier = actor_of(users["handler"])
    french = actor_of(make_user(authority_fr, ["handler"]))

    def notification(actor, provider, country, send=True):
        item = notifications.save_draft(
            actor,
            notifications.Draft(
                PROCEDURE,
                {
                    "service_provider": provider,
                    "service": "Online betting",
                    "ground": "consumers",
                    "prejudice": "Risk to minors.",
                    "measures": "Blocking.",
                    "proportionality": "Six months.",
                },
                "Urgent.",
                establishment_country=country,
                urgent=True,
                urgency_reason="Minors exposed now.",
            ),
        )
        if send:
            notifications.send(actor, item)
        return item.id

    ids = {
        "ntf_sent": notification(notifier, "Provider Sent SARL", "FR"),
        "ntf_draft": notification(notifier, "Provider Draft SARL", "FR", send=False),
        "ntf_foreign": notification(french, FOREIGN_NAME, "DE"),
    }
    return ids, [FOREIGN_NAME]
