"""The header's "Signed in as ... for ..." and the home page's "You work for ..." name the
officer's authority by its official name in the reader's language, marked with that
language (WCAG 3.1.2): a Berlin officer reading German sees the German name."""

from __future__ import annotations

from app.extensions import db
from tests.factories import make_authority, make_user
from tests.web.governance.helpers import page, text
from tests.web.requests.conftest import as_user

GERMAN = "Landesamt für Gesundheit und Soziales Berlin"
ENGLISH = "State Office for Health and Social Affairs Berlin"


def test_the_own_authority_is_named_officially_in_the_readers_language(app):
    berlin = make_authority("DE", name=ENGLISH, local_names={"de": GERMAN})
    officer = make_user(berlin, roles=["handler"], language="de")
    db.session.commit()

    home = page(as_user(app, officer).get("/"))

    strip = home.find(".//p[@class='wrap acting-as']")
    assert [(s.get("lang"), text(s)) for s in strip.iter("span")] == [("de", GERMAN)]
    assert ENGLISH not in text(strip)
    named = [(s.get("lang"), text(s)) for s in home.find(".//main").iter("span")]
    assert ("de", GERMAN) in named
