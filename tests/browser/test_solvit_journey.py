"""SOLVIT as it works, in the browser, in English and in French: a resident of France
files a complaint about Germany with the French SOLVIT centre; the home centre takes it
up and submits it to the German centre, which accepts it and writes back; the applicant
follows the stage through the private link, without the centres' messages; the home
centre closes it as a structural problem and hands it to the Commission's SOLVIT desk,
which reads the summary without the applicant's name. axe-core runs on every page.

Pages are driven by ids and form actions, not by their words, so that one journey runs
in both languages; the words checked are the country names, which the locale gives."""

from __future__ import annotations

import re

import pytest
from babel import Locale

from app.extensions import db
from app.models import PublicCase, PublicCaseState
from tests.browser.helpers import sign_in, wait_for_mail
from tests.browser.test_languages import _switch_language
from tests.web.public.solvit_world import build

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

EMAIL = "marie.dupont@example.org"


def _case() -> PublicCase:
    db.session.expire_all()
    return db.session.query(PublicCase).one()


def _newest_link(smtp_server, count: int, kind: str) -> str:
    mails = wait_for_mail(smtp_server, EMAIL, count=count)
    body = mails[count - 1].get_payload(decode=True).decode()
    return re.search(rf"https?://\S+/public/{kind}/\S+", body).group(0)


def _officer(new_page, base, user, language):
    page = new_page()
    sign_in(page, base, user.email, user.totp_secret)
    if language != "en":
        _switch_language(page, language)
    return page


def _step(page, action: str) -> None:
    page.locator(f"form[action$='/{action}'] button[type=submit]").first.click()
    page.locator(".flash.success").wait_for()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_solvit_complaint_goes_from_the_home_centre_to_the_lead_centre_and_the_commission(
    app, live_server, new_page, watch, smtp_server, language
):
    world = build()
    base = live_server
    germany = Locale.parse(language).territories["DE"]

    # The applicant chooses their own country, France, and files the complaint
    citizen = new_page()
    citizen.goto(f"{base}/public/")
    if language != "en":
        _switch_language(citizen, language)
    watch.axe(citizen, f"{language} solvit start")
    start = citizen.locator("form:has(input[value='solvit_complaint'])")
    start.locator("select").select_option("FR")
    start.locator("button[type=submit]").click()
    citizen.locator("#field-problem_country").wait_for()
    watch.axe(citizen, f"{language} solvit form")
    citizen.locator("#name").fill("Marie Dupont")
    citizen.locator("#email").fill(EMAIL)
    citizen.locator("#field-applicant_type-citizen").check()
    citizen.locator("#field-nationality").fill("French")
    citizen.locator("#field-area").select_option("social_security")
    citizen.locator("#field-problem_country").fill("Germany")
    citizen.locator("#field-authority_concerned").fill("Familienkasse Baden-Württemberg")
    citizen.locator("#field-court_action-no").check()
    citizen.locator("#field-consent_share-yes").check()
    citizen.locator("#description").fill("My child benefit was stopped when I moved.")
    citizen.locator("form[enctype] button[type=submit]").click()
    citizen.goto(_newest_link(smtp_server, 1, "confirm"))
    citizen.locator("main form button[type=submit]").click()
    citizen.wait_for_load_state()
    case = _case()
    assert case.state == PublicCaseState.SUBMITTED
    assert case.authority_id == world.authorities["home"].id  # the marked French centre

    # The home centre takes it up and submits it to the German centre
    home = _officer(new_page, base, world.users["home handler"], language)
    home.goto(f"{base}/public-cases")
    watch.axe(home, f"{language} solvit inbox (home)")
    home.goto(f"{base}/public-cases/{case.id}")
    watch.axe(home, f"{language} solvit case, new (home)")
    _step(home, "accept")
    home.locator("#lead-lead_country").select_option("DE")
    home.locator("#lead-text").fill("Kindergeld stopped; Regulation 883/2004, Art. 67.")
    _step(home, "solvit/submit_to_lead")
    watch.axe(home, f"{language} solvit case, with the lead centre (home)")

    # The German centre accepts it and writes to the home centre
    lead = _officer(new_page, base, world.users["lead handler"], language)
    lead.goto(f"{base}/public-cases/{case.id}")
    watch.axe(lead, f"{language} solvit case to accept (lead)")
    _step(lead, "solvit/lead_accept")
    lead.locator("#centre-text").fill("The Familienkasse reviews the file.")
    _step(lead, "solvit/centre_message")
    watch.axe(lead, f"{language} solvit case, accepted (lead)")
    assert _case().state == PublicCaseState.LEAD_WORKING

    # The applicant reads the stage: with the centre of Germany; not the centres' messages
    # (the 5th mail: the lead centre's acceptance sent a new link)
    citizen.goto(_newest_link(smtp_server, 5, "case"))
    status = citizen.locator("dd.status")
    assert germany in status.inner_text()
    assert citizen.get_by_text("The Familienkasse reviews the file.").count() == 0
    assert citizen.get_by_text("Regulation 883/2004").count() == 0
    watch.axe(citizen, f"{language} solvit tracking page")

    # The home centre closes it as a structural problem and hands it to the Commission
    home.goto(f"{base}/public-cases/{case.id}/close")
    watch.axe(home, f"{language} solvit closing")
    home.locator("#outcome").select_option("structural_problem")
    home.locator("#text").fill("The German rule itself is the problem.")
    home.locator("button[name=confirm]").click()
    home.locator(".flash.success").wait_for()
    home.locator("#handover-text").fill("German rule asks cross-border workers for a certificate.")
    _step(home, "solvit/hand_over")
    watch.axe(home, f"{language} solvit case handed over (home)")

    # The desk reads the summary, not the applicant
    desk = _officer(new_page, base, world.users["desk"], language)
    desk.goto(f"{base}/public-cases/structural-problems")
    watch.axe(desk, f"{language} solvit desk list")
    desk.locator(f"a[href$='/structural-problems/{case.id}']").click()
    desk.get_by_text("German rule asks cross-border workers").wait_for()
    assert desk.get_by_text("Marie Dupont").count() == 0
    watch.axe(desk, f"{language} solvit desk hand-over")
    watch.assert_clean()
