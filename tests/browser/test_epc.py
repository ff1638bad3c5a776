"""The European Professional Card in the browser, in English and in German: an applicant
signs in to their account, keeps a document, applies with it; the home authority
acknowledges and transfers; the host issues the card; the applicant downloads the
certificate; an employer checks the card on the public verification page. axe-core runs
on every page. Elements are found by their ids and form actions, so that the journey
reads the same in both languages."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.models import EpcApplication, EpcState
from tests.browser.helpers import sign_in
from tests.factories import PASSWORD
from tests.web.epc.conftest import DETAILS, _world

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def _case() -> EpcApplication:
    db.session.expire_all()
    return db.session.query(EpcApplication).one()


def _choose(page, name: str, value: str) -> None:
    """A pack choice, whether drawn as a list or as radios."""
    if page.locator(f'select[name="{name}"]').count():
        page.locator(f'select[name="{name}"]').select_option(value)
    else:
        page.locator(f'input[name="{name}"][value="{value}"]').check()


def _switch_language(page, language: str) -> None:
    """As a person does it: the header's list and its button (tests/browser/test_languages.py)."""
    if language != "en":
        page.locator("#lang-select").select_option(language)
        page.locator(".lang-form button[type=submit]").click()
        page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == language


def _act(page, base: str, case_id: int, action: str) -> None:
    page.goto(f"{base}/epc-cases/{case_id}")
    page.locator(f'button[formaction$="/{case_id}/{action}"]').click()
    page.locator(".flash").wait_for()


@pytest.mark.parametrize("language", ["en", "de"])
def test_an_epc_is_applied_for_transferred_issued_and_checked(
    app, live_server, new_page, watch, tmp_path, language
):
    world = _world()
    base = live_server

    # The applicant signs in to their account and keeps a document there
    applicant = new_page()
    applicant.goto(f"{base}/epc/sign-in")
    _switch_language(applicant, language)
    watch.axe(applicant, f"epc sign-in ({language})")
    applicant.locator("#email").fill(world.applicant.email)
    applicant.locator("#password").fill(PASSWORD)
    applicant.locator('form[action$="/epc/sign-in"] button[type=submit]').click()
    applicant.locator('form[action$="/epc/documents"]').wait_for()
    watch.axe(applicant, f"epc account ({language})")
    diploma = tmp_path / "diploma.pdf"
    diploma.write_bytes(b"%PDF-1.4\n%%EOF\n")
    applicant.locator("#documents").set_input_files(str(diploma))
    applicant.locator('form[action$="/epc/documents"] button[type=submit]').click()
    applicant.locator("a", has_text="diploma.pdf").wait_for()

    # ...applies with it
    applicant.goto(f"{base}/epc/apply")
    watch.axe(applicant, f"epc application form ({language})")
    applicant.locator("#home_country").select_option("ES")
    applicant.locator("#host_country").select_option("FR")
    for key, value in DETAILS.items():
        if key in ("profession", "purpose", "sanctions_declared"):
            _choose(applicant, f"field-{key}", value)
        elif key == "date_of_birth":
            year, month, day = value.split("-")
            applicant.locator("#field-date_of_birth-day").fill(day)
            applicant.locator("#field-date_of_birth-month").fill(month)
            applicant.locator("#field-date_of_birth-year").fill(year)
        else:
            applicant.locator(f"#field-{key}").fill(value)
    applicant.locator('input[name="documents"]').first.check()
    applicant.locator('form[action$="/epc/apply"] button[type=submit]').click()
    applicant.locator("#period-title").wait_for()
    watch.axe(applicant, f"epc application page ({language})")
    case = _case()
    assert case.state == EpcState.SUBMITTED and len(case.documents) == 1

    # The home authority acknowledges and transfers; the host reads its period and issues
    home = new_page()
    sign_in(home, base, world.home.email, world.home.totp_secret)
    home.goto(f"{base}/epc-cases")
    watch.axe(home, "epc inbox (home)")
    _act(home, base, case.id, "acknowledge")
    watch.axe(home, "epc case (home)")
    _act(home, base, case.id, "transfer")
    host = new_page()
    sign_in(host, base, world.host.email, world.host.totp_secret)
    host.goto(f"{base}/epc-cases/{case.id}")
    host.get_by_text("Article 4d(2)").first.wait_for()
    watch.axe(host, "epc case (host)")
    _act(host, base, case.id, "issue")
    assert _case().state == EpcState.ISSUED

    # The applicant sees the card and its code, and downloads the certificate
    applicant.goto(f"{base}/epc/applications/{case.id}")
    watch.axe(applicant, f"epc card ({language})")
    code = applicant.locator("code").first.inner_text()
    with applicant.expect_download() as download:
        applicant.locator(f'a[href$="/epc/applications/{case.id}/certificate.pdf"]').click()
    assert download.value.suggested_filename.endswith(".pdf")

    # An employer checks the card with the holder's identity number
    employer = new_page()
    employer.goto(f"{base}/epc/verify")
    _switch_language(employer, language)
    employer.goto(f"{base}/epc/verify?code={code}")
    assert employer.locator("html").get_attribute("lang") == language
    assert employer.locator("#code").input_value() == code
    watch.axe(employer, f"epc verification form ({language})")
    employer.locator("#identity").fill(DETAILS["identity_number"])
    employer.locator('form[action$="/epc/verify"] button[type=submit]').click()
    employer.locator("#result-title").wait_for()
    assert employer.get_by_text(DETAILS["full_name"]).count() == 1
    watch.axe(employer, f"epc verification result ({language})")
    watch.assert_clean()
