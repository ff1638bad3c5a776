"""The procedure preview: every pack, drafts included, as its forms look in any language,
read only, for coordinators and the Commission; nobody else (deny by default)."""

from __future__ import annotations

import re
import shutil
from html import unescape

import pytest
from flask_babel import force_locale, gettext

from app.extensions import db
from app.models import AuthorityKind, User
from app.procedures import all_packs, install, registry
from app.procedures.scaffold import new_pack
from tests.factories import make_authority, make_user
from tests.snapshots import restored
from tests.web.requests.conftest import as_user

LIST = "/coordination/procedures"
PACK = "/coordination/procedures/pq_good_standing"


def _people() -> dict:
    national = make_authority("DE", name="Coordinator DE", kind=AuthorityKind.NATIONAL_COORDINATOR)
    delegated = make_authority(
        "DE", name="Delegated DE", kind=AuthorityKind.DELEGATED_COORDINATOR, parent=national
    )
    commission = make_authority("EU", name="DG GROW", kind=AuthorityKind.COMMISSION)
    plain = make_authority("DE", name="Landesamt", parent=national)
    return {
        "national_coordinator": make_user(national, ["coordinator"]),
        "delegated_coordinator": make_user(delegated, ["coordinator"]),
        "commission_handler": make_user(commission, ["handler"]),
        "commission_viewer": make_user(commission, ["viewer"]),
        "access_manager": make_user(national, ["access_manager"]),
        "national_admin": make_user(national, ["admin", "handler"]),
        "authority_coordinator": make_user(plain, ["coordinator", "admin"]),
        "handler": make_user(plain, ["handler", "allocator"]),
        "viewer": make_user(plain, ["viewer"]),
    }


@pytest.fixture
def people(app):
    return restored("packs: preview people", _people)


OK, NO = 200, 403
# role -> the status of the list, of a pack, of a pack in another language, of an
# unknown pack and of an unknown language
TABLE = {
    "national_coordinator": (OK, OK, OK, 404, 404),
    "delegated_coordinator": (OK, OK, OK, 404, 404),
    "commission_handler": (OK, OK, OK, 404, 404),
    "commission_viewer": (OK, OK, OK, 404, 404),
    "access_manager": (NO, NO, NO, NO, NO),
    "national_admin": (NO, NO, NO, NO, NO),
    "authority_coordinator": (NO, NO, NO, NO, NO),
    "handler": (NO, NO, NO, NO, NO),
    "viewer": (NO, NO, NO, NO, NO),
}
URLS = (
    LIST,
    PACK,
    f"{PACK}?language=el",
    "/coordination/procedures/no_such_pack",
    f"{PACK}?language=xx",
)


@pytest.mark.parametrize("role", TABLE)
def test_who_may_preview(app, people, role):
    client = as_user(app, people[role])
    got = tuple(client.get(url).status_code for url in URLS)
    assert got == TABLE[role]
    # the way there: the header (the Commission) or the coordination page (coordinators)
    pages = [client.get(url) for url in ("/account", "/coordination/")]
    linked = any('href="/coordination/procedures"' in p.get_data(True) for p in pages)
    assert linked == (TABLE[role][0] == OK)


def test_anonymous_is_sent_to_sign_in(client):
    for url in URLS[:2]:
        response = client.get(url)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_every_pack_is_listed_and_each_shows_read_only(app, people):
    client = as_user(app, people["commission_handler"])
    page = client.get(LIST).get_data(True)
    for key in all_packs(app):
        assert f'href="/coordination/procedures/{key}"' in page
    for key, pack in all_packs(app).items():
        page = client.get(f"/coordination/procedures/{key}").get_data(True)
        inputs = re.findall(
            r"<(?:input|select|textarea)\b[^>]*>", page.split('class="pack-preview"')[1]
        )
        named = [i for i in inputs if 'type="hidden"' not in i]
        questions = [
            *pack.request_fields,
            *pack.fields,
            *(q for s in pack.question_sets for q in s.questions),
        ]
        assert len(named) >= len([q for q in questions if q.type != "file"]), key
        preview = page.split('class="pack-preview"')[1]
        assert '<fieldset class="choices" disabled>' in preview, key
        assert "<button" not in preview and 'type="submit"' not in preview, key


def test_a_pack_in_another_language(app, people):
    client = as_user(app, people["national_coordinator"])
    pack = all_packs(app)["pq_good_standing"]
    page = client.get(f"{PACK}?language=el").get_data(True)
    preview = page.split('class="pack-preview"')[1]
    assert 'lang="el"' in page.split('class="pack-preview"')[1][:40]
    for question in pack.question_sets[0].questions:
        assert pack.gettext(question.text, "el") in preview.replace("&#39;", "'")
    with force_locale("el"):
        assert gettext("Yes") in preview  # the form's own words in that language too
    # the page around it stays in the reader's language (English)
    assert "selected>" in page and '<option value="el" selected>' in page


def test_a_draft_is_previewed_but_offered_to_nobody(app, people, tmp_path):
    new_pack(tmp_path, "road_transport", "rt_draft_check", "request", set(all_packs(app)))
    kept = list(app.config["PROCEDURE_DIRS"])
    app.config["PROCEDURE_DIRS"] = [*kept, str(tmp_path)]
    try:
        install(app)
        assert "rt_draft_check" in all_packs(app) and "rt_draft_check" not in registry(app)
        coordinator = as_user(app, people["national_coordinator"])
        assert "rt_draft_check" in coordinator.get(LIST).get_data(True)
        assert coordinator.get("/coordination/procedures/rt_draft_check").status_code == 200
        handler = as_user(app, people["handler"])
        assert "rt_draft_check" not in handler.get("/requests/new").get_data(True)
        chosen = handler.get("/requests/new?procedure=rt_draft_check")
        assert "Rt draft check" not in chosen.get_data(True)  # the choice page, not its form
        assert "rt_draft_check" not in handler.get("/directory").get_data(True)
    finally:
        app.config["PROCEDURE_DIRS"] = kept
        install(app)
        shutil.rmtree(tmp_path / "road_transport")


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_list_follows_the_readers_alphabet(app, people, language):
    coordinator = people["national_coordinator"]
    db.session.query(User).filter_by(id=coordinator.id).update({"language": language})
    db.session.commit()
    page = as_user(app, coordinator).get(LIST).get_data(True)

    shown = [unescape(area) for area in re.findall(r"<tr><td[^>]*>([^<]*)</td>", page)]
    assert len(shown) == len(all_packs(app)), "every pack has its row"
    assert shown == sorted(shown, key=str.casefold)
