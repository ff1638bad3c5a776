"""Every form of every procedure pack shows the pack's texts in the reader's language: a
field's label, hint or option label whose English source shows in a page of another
language, while the pack translates it there, fails.

Every page is read in English, German and Greek, and in every other interface language
the pages of one pack per kind, a different one per language; what a pack translates in
each language is `flask procedures check`'s business. The pages cost in proportion to
the packs (40 and more), not to packs times languages.

The forms: a request's details (compose) and the answers to its questions (the case
page of the responder), an alert's compose and update, a public form, a repository
record's new and edit pages; and the alert and record pages, which show a chosen
option's label. One officer, signed in once, holds every role they need; their saved
language changes between rounds."""

from __future__ import annotations

from markupsafe import escape

from app.cases import alerts, notifications, repositories, requests
from app.extensions import db
from app.models import AuthorityKind, Membership, ProcedureAccess, User
from app.policy import Actor
from app.procedures import Pack, registry
from app.procedures.store import sync
from app.reference import LANGUAGES
from tests.factories import make_authority, make_user
from tests.web.requests.conftest import as_user

ROLES = {
    "request": ["requester", "responder"],
    "alert": ["alert_sender", "alert_receiver"],
    "repository": ["repository_editor"],
    "public": ["responder"],
    "notification": ["notifier"],
    "epc": ["responder"],
}
SAMPLE = {
    "text": "Wert 1",
    "date": "2020-01-02",
    "number": "3",
    "yes_no": "yes",
    "file": "attached",
}


def value_of(question) -> str:
    return question.options[0].key if question.type == "choice" else SAMPLE[question.type]


def values(questions) -> dict[str, str]:
    return {q.key: value_of(q) for q in questions}


def actor_of(user: User) -> Actor:
    membership = db.session.query(Membership).filter_by(user_id=user.id).one()
    return Actor(user, membership)


def pack_texts(pack: Pack) -> list[str]:
    """The labels, hints and option labels of the pack's fields and questions."""
    questions = [*pack.request_fields, *pack.fields]
    questions += [q for s in pack.question_sets for q in s.questions]
    texts = [t for q in questions for t in (q.text, q.help, *(o.label for o in q.options))]
    return list(dict.fromkeys(t for t in texts if t))


def untranslated(pack: Pack, page: str, language: str) -> list[str]:
    """The pack texts that show in English although the pack translates them. Its
    translations are taken out of the page first: an English word inside one (a
    reference to an article, say) does not count."""
    catalog = pack.translations.get(language, {})
    for translated in sorted(filter(None, catalog.values()), key=len, reverse=True):
        page = page.replace(str(escape(translated)), "")
    return [
        text
        for text in pack_texts(pack)
        if catalog.get(text, text) != text and str(escape(text)) in page
    ]


def world(app) -> tuple[User, list[tuple[Pack, str]]]:
    """A German authority holding every pack's roles, its officer, and the URL of every
    form (and page showing chosen options) of every pack, ready to be read."""
    sync()
    make_authority("FR", name="Coordinator France", kind=AuthorityKind.NATIONAL_COORDINATOR)
    berlin = make_authority("DE", name="Landesamt Berlin")
    paris = make_authority("FR", name="Préfecture")
    packs = sorted(registry(app).values(), key=lambda p: p.key)
    for pack in packs:
        for authority in (berlin, paris):
            roles = ROLES[pack.kind]
            db.session.add(
                ProcedureAccess(authority_id=authority.id, procedure_key=pack.key, roles=roles)
            )
    db.session.commit()
    officer = make_user(berlin, ["handler", "alert_handler"])
    asker = actor_of(make_user(paris, ["handler"]))
    me = actor_of(officer)
    pages = []
    for pack in packs:
        if pack.kind == "request":
            item = requests.save_draft(
                asker,
                requests.Draft(
                    procedure_key=pack.key,
                    responder_id=berlin.id,
                    subject="Person",
                    message="",
                    question_keys=[q.key for s in pack.question_sets for q in s.questions],
                    details=values(pack.request_fields),
                ),
            )
            requests.send(asker, item)
            requests.accept(me, item)
            pages += [(pack, f"/requests/new?procedure={pack.key}"), (pack, f"/requests/{item.id}")]
        elif pack.kind == "alert":
            alert = alerts.save_draft(
                me, alerts.Draft(pack.key, values(pack.fields), "Text", ["FR"])
            )
            alerts.send(me, alert)
            pages += [
                (pack, f"/alerts/new?procedure={pack.key}"),
                (pack, f"/alerts/{alert.id}/update"),
                (pack, f"/alerts/{alert.id}"),
            ]
        elif pack.kind == "repository":
            record = repositories.create(me, pack, values(pack.fields))
            pages += [
                (pack, f"/repositories/{pack.key}/new"),
                (pack, f"/repositories/records/{record.id}/edit"),
                (pack, f"/repositories/records/{record.id}"),
            ]
        elif pack.kind == "notification":
            draft = notifications.save_draft(
                me,
                notifications.Draft(pack.key, values(pack.fields), "Text", "FR", urgent=True),
            )
            pages += [
                (pack, f"/notifications/new?procedure={pack.key}"),
                (pack, f"/notifications/{draft.id}"),
            ]
        elif pack.kind == "epc":
            pages.append((pack, f"/epc-cases/{_epc_application(pack).id}"))
        else:
            pages.append((pack, f"/public/{pack.key}/DE/new"))
    return officer, pages


def _epc_application(pack: Pack):
    """An application from France to Germany: the Berlin officer is its host."""
    from app.cases.epc import applications
    from app.models import EpcApplicant
    from app.models.base import utcnow

    applicant = EpcApplicant(
        email="applicant@example.org", full_name="A", password_hash="x", confirmed_at=utcnow()
    )
    db.session.add(applicant)
    db.session.commit()
    return applications.submit(
        applicant,
        applications.Application(
            "FR", "DE", {**values(pack.fields), "purpose": "establishment"}, []
        ),
    )


EVERY_PAGE = ("en", "de", "el")  # Latin with inflections, another script


def read_in(language: str, pack: Pack, of_kind: dict[str, list[str]]) -> bool:
    """Whether the pack's pages are read in `language`: every pack's in EVERY_PAGE, one
    pack per kind in each other language, in turn."""
    if language in EVERY_PAGE:
        return True
    keys = of_kind[pack.kind]
    return keys[LANGUAGES.index(language) % len(keys)] == pack.key


def test_every_pack_form_shows_the_pack_in_the_readers_language(app):
    officer, pages = world(app)
    client = as_user(app, officer)
    of_kind: dict[str, list[str]] = {}
    for pack, _url in pages:
        keys = of_kind.setdefault(pack.kind, [])
        if pack.key not in keys:
            keys.append(pack.key)
    assert set(of_kind) == {"request", "alert", "repository", "public", "notification", "epc"}
    problems = []
    for language in LANGUAGES:
        db.session.query(User).filter_by(id=officer.id).update({"language": language})
        db.session.commit()
        for pack, url in pages:
            if not read_in(language, pack, of_kind):
                continue
            response = client.get(url)
            assert response.status_code == 200, (url, language)
            page = response.get_data(True)
            assert f'<html lang="{language}"' in page
            if language != "en":
                problems += [(language, url, text) for text in untranslated(pack, page, language)]
    assert problems == []
