"""Rating the reply to a closed request, in the browser: the German requesting officer rates
it (a refused form first, which keeps its values), in German; the French responding
officer and the French coordinator read the rating, in French and English; an Italian
officer never finds it. axe-core runs on every page shown (it needs JavaScript; the form
is a plain POST, which tests/web/requests/test_ratings.py sends without any)."""

from __future__ import annotations

import pytest

from app.cases import requests
from app.extensions import db
from app.models import AuthorityKind, Membership, ProcedureAccess, ReplyRating
from app.policy import Actor
from app.procedures.store import sync
from tests.browser.helpers import sign_in
from tests.factories import make_authority, make_user

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

COMMENT = "Antwort vollständig, aber zwei Wochen zu spät."


def _actor(user) -> Actor:
    return Actor(user, db.session.query(Membership).filter_by(user_id=user.id).one())


def _closed_request(people):
    asker, answerer = _actor(people["requester"]), _actor(people["handler"])
    item = requests.save_draft(
        asker,
        requests.Draft(
            "pq_good_standing",
            people["paris"].id,
            "Dr. Marie Dupont",
            "Bitte bestätigen Sie die Berufszulassung.",
            ["legally_established"],
            {"profession": "Doctor of medicine", "date_of_birth": "1980-04-02"},
        ),
    )
    requests.send(asker, item)
    requests.accept(answerer, item, None)
    answers = {q.id: ("yes", "") for q in item.questions}
    assert requests.answer(answerer, item, answers, "", final=True) == []
    requests.close(asker, item)
    return item


def _world():
    sync()
    nimic_fr = make_authority(
        "FR", name="Coordinateur IMI France", kind=AuthorityKind.NATIONAL_COORDINATOR
    )
    berlin = make_authority("DE", name="Landesamt Berlin")
    paris = make_authority("FR", name="Ordre des médecins Paris", parent=nimic_fr)
    rome = make_authority("IT", name="Ministero della Salute")
    for authority in (berlin, paris, rome):
        db.session.add(
            ProcedureAccess(
                authority_id=authority.id,
                procedure_key="pq_good_standing",
                roles=["requester", "responder"],
            )
        )
    db.session.commit()
    return {
        "requester": make_user(berlin, ["handler"]),
        "handler": make_user(paris, ["handler"]),
        "coordinator": make_user(nimic_fr, ["coordinator"]),
        "italian": make_user(rome, ["handler", "allocator"]),
        "paris": paris,
    }


def _speaks(user, language: str) -> None:
    """The officer's saved language (the sign-in helper reads the English page)."""
    user.language = language
    db.session.commit()


def test_the_requester_rates_the_reply_and_the_rated_side_reads_it(
    app, live_server, new_page, watch
):
    people = _world()
    item = _closed_request(people)
    base, case_url = live_server, f"{live_server}/requests/{item.id}"

    # The German officer opens the closed request: the rating form
    requester = new_page()
    sign_in(requester, base, people["requester"].email, people["requester"].totp_secret)
    _speaks(people["requester"], "de")
    requester.goto(case_url)
    assert requester.locator("html").get_attribute("lang") == "de"
    watch.axe(requester, "closed case page with the rating form (de)")
    # Sent with only a comment: refused, one error per scale, the comment kept
    requester.locator("#rate-comment").fill(COMMENT)
    requester.locator("#rate-timeliness-1").check()  # "Satisfactory"
    requester.locator("form[action$='/rating'] button[type=submit]").click()
    requester.locator(".error-summary").wait_for()
    watch.axe(requester, "rating form with an error (de)")
    assert requester.locator(".error-summary li").count() == 1
    assert requester.locator("#rate-satisfaction-error").count() == 1
    assert requester.locator("#rate-timeliness-error").count() == 0
    assert requester.locator("#rate-comment").input_value() == COMMENT
    assert requester.locator("#rate-timeliness-1").is_checked()
    # Completed and sent: the rating is shown, the form is gone
    requester.locator("#rate-satisfaction-2").check()  # "Unsatisfactory"
    requester.locator("form[action$='/rating'] button[type=submit]").click()
    requester.locator("#rating-title").wait_for()
    assert requester.locator("form[action$='/rating']").count() == 0
    assert requester.locator("#rating-title + dl", has_text=COMMENT).count() == 1
    watch.axe(requester, "closed case page with the rating (de)")
    rating = db.session.query(ReplyRating).one()
    assert (rating.timeliness, rating.satisfaction) == (3, 2)

    # The French responding officer reads it on the case page, in French
    handler = new_page()
    sign_in(handler, base, people["handler"].email, people["handler"].totp_secret)
    _speaks(people["handler"], "fr")
    handler.goto(case_url)
    assert handler.locator("html").get_attribute("lang") == "fr"
    assert handler.locator("#rating-title + dl", has_text=COMMENT).count() == 1
    assert handler.locator("form[action$='/rating']").count() == 0
    watch.axe(handler, "closed case page with the rating (fr)")

    # France's coordinator finds it among the ratings of the authorities it coordinates
    coordinator = new_page()
    sign_in(coordinator, base, people["coordinator"].email, people["coordinator"].totp_secret)
    coordinator.goto(f"{base}/coordination/")
    coordinator.get_by_role("link", name="Ratings of replies").click()
    coordinator.get_by_role("heading", name="Ratings of replies").wait_for()
    assert coordinator.locator("main", has_text=COMMENT).count() == 1
    assert (
        coordinator.locator("#tallies ~ div table tbody tr")
        .first.inner_text()
        .count("Ordre des médecins Paris")
        == 1
    )
    watch.axe(coordinator, "coordinators' ratings page (en)")

    # An Italian officer finds neither the request nor the rating
    italian = new_page()
    sign_in(italian, base, people["italian"].email, people["italian"].totp_secret)
    response = italian.goto(case_url)
    assert response is not None and response.status == 404
    watch.errors = [e for e in watch.errors if f"/requests/{item.id}" not in e]
    watch.assert_clean()
