"""Demo requests in every state, between authorities of eight countries."""

from __future__ import annotations

import tomllib
from pathlib import Path

from flask import current_app

from app.demo.common import officer
from app.extensions import db

# Each with its requester and responder country, procedure, `story` (what happens to it)
# and subject (requests.toml).
_DATA = tomllib.loads((Path(__file__).parent / "requests.toml").read_text("utf-8"))
DEMO_REQUESTS = _DATA["request"]

SAMPLE_ANSWERS = {"yes_no": "yes", "date": "2015-06-01", "number": "5", "file": "attached"}
# The request details a requester would give, by the packs' field keys (a date of birth of
# 2015 or a profession reading "Entered in the register" would puzzle a newcomer).
SAMPLE_DETAILS = {
    "profession": "Gesundheits- und Krankenpflegerin",
    "date_of_birth": "1979-03-14",
    "home_registration_number": "RN-2004-118734",
    "register_number": "HRB 204711",
    "awarding_body": "Université Paris Cité",
    "qualification_title": "Diplôme d'État d'infirmier",
    "date_of_award": "2004-07-02",
    "service_activity": "Elektroinstallation in Gebäuden",
    "posting_start": "2026-11-02",
    "posted_workers": "12",
    # the uniform instrument of Directive 2014/67/EU Article 16 (posting_penalty_*)
    "addressee_address": "ul. Marszałkowska 10, 00-590 Warszawa",
    "addressee_identification": "NIP 5260001246",
    "facts_summary": "Keine Entsendemeldung für 9 Arbeitnehmer auf einer Baustelle in Berlin-Mitte, festgestellt bei der Kontrolle am 12.02.2026.",
    "infringement_nature": "Fehlende Meldung der Entsendung (Richtlinie 2014/67/EU, Artikel 9 Absatz 1 Buchstabe a)",
    "decision_reference": "LAGetSi-BuBe-2026-0417",
    "decision_date": "2026-03-02",
    "enforceable_date": "2026-04-20",
    "amount": "4500",
    "currency": "EUR",
    "enforcement_dates": "Bescheid am 05.03.2026 per Einschreiben zugestellt; kein Einspruch.",
    "assessing_authority": "Landesamt für Arbeitsschutz, Gesundheitsschutz und technische Sicherheit Berlin, Turmstraße 21, 10559 Berlin",
    "enforcement_instrument": "Vollstreckungsersuchen vom 21.04.2026",
    "not_appealable": "yes",
    "underlying_claim": "Geldbuße 4 500 EUR",
}


def seed() -> None:
    """Requests in every state, between authorities of eight countries, made through the
    services as officers would make them (demo data is not announced by mail)."""
    from datetime import timedelta

    from app.cases import requests
    from app.models.base import utcnow
    from app.procedures import registry

    db.session.info["openimi_no_mail"] = True
    try:
        for demo in DEMO_REQUESTS:
            key, story = demo["procedure"], demo["story"]
            pack = registry(current_app).get(key)
            if pack is None:
                continue
            labour = pack.policy_area in ("posting_of_workers", "services")
            ask = officer(demo["requester"], labour, "handler")
            answer = officer(demo["responder"], labour, "handler")
            keys = [q.key for s in pack.question_sets for q in s.questions][:3]
            item = requests.save_draft(
                ask,
                requests.Draft(
                    key,
                    answer.authority.id,
                    demo["subject"],
                    _DEMO_MESSAGES.get(demo["requester"], _DEMO_MESSAGE),
                    keys,
                    {
                        f.key: SAMPLE_DETAILS.get(f.key) or _sample_answer(pack, f.key)
                        for f in pack.request_fields
                    },
                    urgency=demo.get("urgency", ""),
                    urgency_reason=demo.get("urgency_reason", ""),
                ),
            )
            if story == "draft":
                continue
            today = utcnow().date()
            requests.send(ask, item, today - timedelta(days=40) if story == "overdue" else None)
            if story in ("sent", "overdue"):
                continue
            if story == "forwarded":
                target = next(a for a in requests.responders(key) if a.name == demo["forward_to"])
                reason = "La médecin est inscrite à l'Ordre des médecins, pas des infirmiers."
                requests.forward(answer, item, target.id, reason)
                continue
            if story == "split":
                target = officer("GR", labour, "handler").authority
                moving = [item.questions[-1].id]
                requests.split(answer, item, moving, target.id, "Sanctions are recorded in Greece.")
                continue
            if story == "refused":
                requests.refuse(answer, item, demo["refusal_ground"], "Brak daty decyzji.")
                continue
            if story == "withdrawn":
                requests.withdraw(ask, item, "The applicant has withdrawn the application.")
                continue
            if story == "referred":
                requests.refer(answer, item, "The reply date cannot be met: archives are closed.")
                continue
            proposed = item.reply_due + timedelta(days=30) if story == "date_proposed" else None
            requests.accept(answer, item, proposed)
            if story in ("accepted", "date_proposed"):
                continue
            if story == "info_requested":
                requests.ask_info(answer, item, "Please send the registration number.")
                continue
            answers = {q.id: (_sample_answer(pack, q.question_key), "") for q in item.questions}
            requests.answer(answer, item, answers, "Reply attached to each question.", final=True)
            if story == "closed":
                requests.close(ask, item)
    finally:
        db.session.info.pop("openimi_no_mail", None)


def seed_ratings() -> None:
    """The counterpart ratings of the closed demo requests that have one in requests.toml
    (once: a request already rated by its requester is left as it is)."""
    from sqlalchemy import select

    from app.cases.requests import ratings
    from app.models import Request, RequestState

    for demo in DEMO_REQUESTS:
        given = demo.get("rating")
        if demo["story"] != "closed" or given is None:
            continue
        item = db.session.scalars(
            select(Request).where(
                Request.subject == demo["subject"], Request.state == RequestState.CLOSED
            )
        ).first()
        if item is None or ratings.ratings_of(item):
            continue
        labour = demo["procedure"] in ("posting_genuine_establishment", "services_establishment")
        ask = officer(demo["requester"], labour, "handler")
        ratings.rate(ask, item, given["timeliness"], given["satisfaction"], given["comment"])


_DEMO_MESSAGE = "Please confirm the information below for the recognition procedure."
# Officers write in their own language; readers elsewhere translate it (Apertium has
# French, Portuguese and Italian to English through Spanish).
_DEMO_MESSAGES = {
    "FR": "Merci de confirmer les informations ci-dessous pour la procédure de reconnaissance.",
    "PT": "Por favor, confirme as informações abaixo para o procedimento de reconhecimento.",
    "IT": "Si prega di confermare le informazioni seguenti per la procedura di riconoscimento.",
    "DE": "Bitte bestätigen Sie die folgenden Angaben für das Anerkennungsverfahren.",
    "PL": "Proszę o potwierdzenie poniższych informacji na potrzeby procedury uznania.",
}


def _sample_answer(pack, key: str) -> str:
    from app.procedures import find_question

    found = find_question(pack, key)
    question = found[1] if found else next(f for f in pack.request_fields if f.key == key)
    if question.type == "choice":
        return question.options[0].key
    return SAMPLE_ANSWERS.get(question.type, "Entered in the register under no. 12345.")
