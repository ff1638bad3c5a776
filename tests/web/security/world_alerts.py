"""Alerts of the security world: authority A (DE) sends to France, to the Commission,
through validation by Germany's coordinator, and keeps a draft; France sends one to
Germany that A never sees."""

from __future__ import annotations

import io

from app.cases import alerts
from app.extensions import db
from app.models import Alert, ProcedureAccess
from app.procedures.store import sync
from tests.factories import make_user

FOREIGN_NAME = "Madame Canary Foreign"


def build(actor_of, users, authority_a, authority_fr) -> tuple[dict, list[str]]:
    sync()
    for authority in (authority_a, authority_fr):
        db.session.add(
            ProcedureAccess(
                authority_id=authority.id,
                procedure_key="pq_alert",
                roles=["alert_sender", "alert_receiver"],
            )
        )
    db.session.commit()
    sender = actor_of(users["alert_handler"])
    french = actor_of(make_user(authority_fr, ["alert_handler"]))

    def alert(actor, name, countries=(), commission=False, validation=False, send=True):
        item = alerts.save_draft(
            actor,
            alerts.Draft(
                "pq_alert",
                {
                    "alert_type": "art56a_1",
                    "professional_name": name,
                    "date_of_birth": "1970-01-01",
                    "profession": "Doctor of medicine",
                    "deciding_authority": "Court",
                    "decision_date": "2026-11-27",
                },
                f"{name} was struck off the register.",
                list(countries),
                commission,
                validation,
            ),
        )
        if send:
            alerts.send(actor, item)
        return item.id

    def attach(actor, alert_id):
        item = db.session.get(Alert, alert_id)
        return alerts.attach(actor, item, "decision.pdf", io.BytesIO(b"%PDF-1.4\n%%EOF\n")).id

    ids = {
        "alert_sent": alert(sender, "Dr. Alert Sent", ["FR"]),
        "alert_validating": alert(sender, "Dr. Alert Validating", ["FR"], validation=True),
        "alert_commission": alert(sender, "Dr. Alert Commission", commission=True),
        "alert_draft": alert(sender, "Dr. Alert Draft", ["FR"], send=False),
        "alert_foreign": alert(french, FOREIGN_NAME, ["DE"]),
    }
    ids["alert_attachment_sent"] = attach(sender, ids["alert_sent"])
    ids["alert_attachment_foreign"] = attach(french, ids["alert_foreign"])
    return ids, [FOREIGN_NAME]
