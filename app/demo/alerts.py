"""Demo alerts: the three alert packs granted to the demo authorities, and alerts in
several countries and states, made through the services (not announced by mail)."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from app.demo import common
from app.extensions import db
from app.models import Alert
from app.procedures import registry

ALERT_PACKS = ("pq_alert", "services_alert", "cultural_goods_notification")

PQ_FIELDS = {
    "alert_type": "art56a_1",
    "professional_name": "Dr. Klaus Beispiel",
    "date_of_birth": "1972-05-14",
    "place_of_birth": "Hamburg",
    "profession": "Doctor of medicine",
    "qualification_title": "Ärztliche Approbation",
    "deciding_authority": "Landesamt für Gesundheit und Soziales Berlin",
    "scope": "Prohibition of all medical activities",
}

# (sender country, pack, recipient countries, story, fields)
DEMO_ALERTS = [
    ("DE", "pq_alert", ["FR", "IT", "PL"], "disseminated", PQ_FIELDS),
    ("PL", "pq_alert", ["DE", "CZ"], "updated", {**PQ_FIELDS, "alert_type": "art56a_3", "professional_name": "Jan Kowalski", "profession": "Nurse responsible for general care", "deciding_authority": "Naczelna Rada Pielęgniarek i Położnych"}),
    ("FR", "services_alert", ["DE", "IT", "PT"], "awaiting", {"alert_basis": "art32", "provider_name": "Société Exemple SARL", "service_activity": "Installation of gas heating", "risk": "safety", "circumstances": "Unsafe installations found in several buildings."}),
    ("IT", "cultural_goods_notification", ["FR", "DE", "GR"], "sent", {"notification_type": "art5_2_theft", "object_description": "Oil on panel, Madonna and Child, 45 x 32 cm, 15th century", "date_of_removal": "2026-10-02", "place": "Chiesa di San Marco, Firenze", "object_location_known": "no"}),
    ("CZ", "pq_alert", ["DE", "PL"], "withdrawn", {**PQ_FIELDS, "professional_name": "MUDr. Petr Svoboda", "deciding_authority": "Česká lékařská komora"}),
    ("PT", "pq_alert", ["FR"], "draft", {**PQ_FIELDS, "professional_name": "Dr. Rui Costa", "deciding_authority": "Ordem dos Médicos"}),
]  # fmt: skip


def seed() -> None:
    """Grant the alert packs and create the demo alerts (once)."""
    from datetime import timedelta

    from app.cases import alerts
    from app.models.base import utcnow

    common.grant(common.all_authorities(), ALERT_PACKS, ["alert_sender", "alert_receiver"])
    db.session.commit()
    if db.session.scalar(select(Alert.id).limit(1)) is not None:
        return
    packs = {p.key for p in registry(current_app).values() if p.kind == "alert"}
    decided = (utcnow().date() - timedelta(days=1)).isoformat()
    db.session.info["openimi_no_mail"] = True
    try:
        for country, key, recipients, story, fields in DEMO_ALERTS:
            if key not in packs or not common.authorities_of(country):
                continue
            sender = common.officer(country, False, "alert_handler")
            values = {**fields, "decision_date": decided} if key == "pq_alert" else fields
            item = alerts.save_draft(
                sender,
                alerts.Draft(
                    key,
                    values,
                    "Please disseminate to the competent authorities concerned.",
                    recipients,
                    False,
                    story == "awaiting",
                ),
            )
            if story == "draft":
                continue
            alerts.send(sender, item)
            if story == "awaiting":
                continue
            if story == "withdrawn":
                alerts.withdraw(sender, item, "The decision was annulled on appeal.")
            if story == "updated":
                changed = {**item.fields, "scope": "Prohibition of practice for two years"}
                alerts.update(sender, item, changed, item.message, "Scope and period added.")
            if story == "disseminated":
                recipient = item.recipients[0]
                coordinator = _coordinator_actor(recipient.coordinator_authority_id)
                targets = common.authorities_of(recipient.country)[:1]
                if coordinator and targets:
                    alerts.disseminate(coordinator, item, [targets[0].id])
                    receiver = common.officer(recipient.country, False, "alert_handler")
                    alerts.acknowledge(receiver, item)
                    alerts.comment(receiver, item, "Le registre a été mis à jour.")
    finally:
        db.session.info.pop("openimi_no_mail", None)


def _coordinator_actor(authority_id: int):
    from app.demo.common import authority_members
    from app.policy import Actor

    member = next((m for m in authority_members(authority_id) if "coordinator" in m.roles), None)
    return Actor(member.user, member) if member else None
