"""Demo notifications: the Commission's desks (DG CNECT for e-commerce, DG GROW for the
Services Directive and professional qualifications), the notification packs granted to
the demo authorities, and one notification of each pack, made through the services (not
announced by mail).

Member States receive notifications through their national coordinators (no authority
holds `notification_receiver` in the demo); the desks hold `notification_assessor` for
their procedures, and see nothing else.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from app.demo import common
from app.extensions import db
from app.models import Authority, AuthorityKind, AuthorityStatus, Membership, Notification
from app.policy import Actor

DESKS = {
    "cnect": (
        "European Commission – DG CNECT e-commerce desk",
        ["ecommerce_derogation"],
    ),
    "grow": (
        "European Commission – DG GROW services and qualifications desk",
        [
            "services_new_requirements",
            "services_requirement_changes",
            "services_case_derogation",
            "epc_requirements_notification",
            "epc_sample_documents_notification",
        ],
    ),
}
PACKS = [key for _name, keys in DESKS.values() for key in keys]

ECOMMERCE = {
    "service_provider": "Paris Paris Sport SAS, 12 rue de Rivoli, Paris",
    "service": "Online sports betting website",
    "ground": "consumers",
    "prejudice": "The website accepts bets from minors resident in Germany.",
    "measures": "Order to German access providers to block the website for six months.",
    "proportionality": "Limited to Germany and to six months; lifted once age checks work.",
}
SERVICES = {
    "act_title": "Décret relatif aux agents immobiliers",
    "adoption_stage": "draft",
    "service_activity": "Real estate agents",
    "requirement_type": "tariffs",
    "requirement": "A maximum commission of 5 % of the sale price.",
    "justification": "Consumer protection; applies alike to every provider.",
}
CHANGES = {
    "act_title": "Zákon o hornických vůdcích",
    "service_activity": "Mountain guides",
    "change": "new",
    "requirement": "Prior declaration of each guided ascent above 1,500 m.",
    "justification": "Public security in mountain areas.",
}
DEROGATION = {
    "provider_name": "Gaz-Serwis Sp. z o.o., Szczecin",
    "service_activity": "Installation of gas heating",
    "circumstances": "Two installations in Berlin leaked gas within a month.",
    "measures": "Prohibition of further installations in Germany for three months.",
    "inadequacy": "No inspection is planned before next year.",
    "conditions": "Safety of the service; no Union harmonisation; proportionate and temporary.",
}
EPC = {
    "profession": "physiotherapist",
    "situation": "establishment",
    "documents": "Diploma of physiotherapist; proof of identity; certificate of good standing.",
    "certification": "Certified copies made by a notary or the issuing body.",
    "fees": "EUR 80, paid by bank transfer before the application is examined.",
}
SAMPLE = {
    "profession": "mountain_guide",
    "document_type": "Brevet d'État d'alpinisme – guide de haute montagne",
    "issuing_body": "École nationale des sports de montagne, Chamonix",
    "features": "Blue card with the holder's photograph, a hologram and a serial number.",
}


def seed(make_user: Callable) -> None:
    """The desks, the grants, and the demo notifications (once)."""
    desks = {slug: _desk(name, slug, make_user) for slug, (name, _keys) in DESKS.items()}
    for slug, (_name, keys) in DESKS.items():
        common.grant([desks[slug]], keys, ["notification_assessor"])
    common.grant(common.all_authorities(), PACKS, ["notifier"])
    repositories = ["epc_requirements", "epc_sample_documents"]
    common.grant(common.all_authorities(), repositories, ["repository_reader"])
    db.session.commit()
    if db.session.scalar(select(Notification.id).limit(1)) is not None:
        return
    db.session.info["openimi_no_mail"] = True
    try:
        _stories(desks)
    finally:
        db.session.info.pop("openimi_no_mail", None)


def _desk(name: str, slug: str, make_user: Callable) -> Authority:
    desk = db.session.scalar(select(Authority).where(Authority.name == name))
    if desk is None:
        from app import directory

        parent = db.session.scalar(
            select(Authority)
            .where(Authority.kind == AuthorityKind.COMMISSION)
            .order_by(Authority.id)
        )
        desk = Authority(
            kind=AuthorityKind.COMMISSION,
            status=AuthorityStatus.ACTIVE,
            country="EU",
            name=name,
            street="Rue de la Loi 200",
            postcode="1049",
            city="Bruxelles",
            email=f"desk.{slug}@commission.example",
            parent=parent,
        )
        directory.index_text(desk)
        db.session.add(desk)
        db.session.flush()
    make_user(desk, f"desk.{slug}", f"Desk {slug.upper()}", ["handler", "coordinator"], "en")
    db.session.flush()
    return desk


def _member(authority_id: int, role: str) -> Actor | None:
    member = next((m for m in common.authority_members(authority_id) if role in m.roles), None)
    return Actor(member.user, member) if member else None


def _coordinator(country: str) -> Actor | None:
    found = db.session.scalar(
        select(Authority).where(
            Authority.country == country, Authority.kind == AuthorityKind.NATIONAL_COORDINATOR
        )
    )
    return _member(found.id, "coordinator") if found else None


def _stories(desks: dict[str, Authority]) -> None:
    from app.cases import notifications as n

    def draft(country: str, key: str, values: dict, text: str, **more) -> Notification | None:
        if not common.authorities_of(country):
            return None
        actor = common.officer(country, False, "handler")
        return n.save_draft(actor, n.Draft(key, values, text, **more))

    def notifier(item: Notification) -> Actor:
        membership = db.session.scalar(
            select(Membership).where(Membership.user_id == item.notifier_user_id)
        )
        return Actor(membership.user, membership)

    # Germany asks France to act against a betting site; France replies; Germany notifies
    # the Commission's e-commerce desk and France (Directive 2000/31/EC Art 3(4)).
    item = draft("DE", "ecommerce_derogation", ECOMMERCE, "Wir bitten um Maßnahmen.",
                 establishment_country="FR")  # fmt: skip
    france = _coordinator("FR")
    if item is not None and france is not None:
        n.ask(notifier(item), item)
        n.reply(france, item, "L'opérateur est agréé en France ; aucune mesure n'est prévue.")
        n.send(notifier(item), item)
        n.comment(france, item, "La France conteste la proportionnalité du blocage.")
    # France notifies a new requirement (Art 15(7)), validated by its coordinator; every
    # Member State receives it, and the Commission has three months.
    item = draft("FR", "services_new_requirements", SERVICES, "Projet de décret.")
    if item is not None and france is not None:
        n.send(notifier(item), item)
        n.validate(france, item, True)
        germany = _coordinator("DE")
        if germany is not None:
            n.comment(germany, item, "Deutschland hat keine Einwände.")
    # Czechia notifies a changed requirement (Art 39(5)); it awaits its coordinator.
    item = draft("CZ", "services_requirement_changes", CHANGES, "Nový požadavek.")
    if item is not None:
        n.send(notifier(item), item)
    # Germany asks Poland to act against an unsafe installer (Art 35), then notifies:
    # the measures wait 15 working days of Germany.
    item = draft("DE", "services_case_derogation", DEROGATION, "Gefährliche Gasinstallationen.",
                 establishment_country="PL")  # fmt: skip
    poland = _coordinator("PL")
    if item is not None and poland is not None:
        n.ask(notifier(item), item)
        n.reply(poland, item, "Kontrola zaplanowana na przyszły rok.")
        n.send(notifier(item), item)
    # Portugal notifies its EPC documents and fees; DG GROW accepts, and the repository
    # of documents and fees gets Portugal's record.
    item = draft("PT", "epc_requirements_notification", EPC, "Requisitos atualizados.")
    grow = _member(desks["grow"].id, "handler")
    if item is not None and grow is not None:
        n.send(notifier(item), item)
        n.conclude(grow, item, "Accepted for publication.")
    # France notifies a sample of its mountain guides' diploma; DG GROW accepts it.
    item = draft("FR", "epc_sample_documents_notification", SAMPLE, "Modèle du brevet.")
    if item is not None and grow is not None:
        n.send(notifier(item), item)
        n.conclude(grow, item, "Accepted for publication.")
