"""A newcomer's journey through the browser, in production and in the training instance,
with axe-core on every page; and the directory search with and without JavaScript."""

from __future__ import annotations

import re

import pyotp
import pytest

from app.models import AuthorityKind
from tests.browser.helpers import sign_in, wait_for_mail
from tests.factories import PASSWORD, make_authority, make_user

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

NEW_PASSWORD = "quartz meadow violin harbour 1987"


# The texts a printout shows: those of the elements still laid out, innermost first.
PRINTED_TEXT_JS = """() => [...document.body.querySelectorAll("*")]
  .filter(e => e.getClientRects().length && ![...e.children].some(c => c.textContent.trim()))
  .map(e => e.textContent.trim()).filter(Boolean)"""


def _register(page, base: str, watch, applicant: dict) -> None:
    """Fill the public registration form for a Bavarian chamber, as the newcomer."""
    page.goto(f"{base}/register")
    watch.axe(page, "registration form")
    page.get_by_label("Country").select_option("DE")
    page.get_by_label("Name of the authority in English").fill(applicant["authority"])
    page.get_by_label("Name in its own language").fill("Bayerische Architektenkammer")
    page.get_by_label("Language of that name").select_option("de")
    page.get_by_label("Street and number").fill("Waisenhausstraße 4")
    page.get_by_label("Postcode").fill("80637")
    page.get_by_label("City").fill("München")
    page.get_by_label("E-mail address of the authority").fill("info@byak.example.eu")
    page.get_by_label("Competences").fill("Recognition of architects; professional register")
    page.get_by_label("Your full name").fill(applicant["name"])
    page.get_by_label("Your e-mail address").fill(applicant["email"])
    page.get_by_role("button", name="Send the application").click()
    page.get_by_role("heading", name="Application sent").wait_for()
    watch.axe(page, "application sent")


def _approve(page, watch, authority_name: str) -> None:
    """The signed-in coordinator opens the queue and approves the application."""
    page.get_by_role("link", name="Coordination").click()
    page.get_by_role("heading", name="Coordination", exact=True).wait_for()
    watch.axe(page, "coordination queue")
    # the queue names the authority by its official name, the English one under it
    page.get_by_role("link", name="Bayerische Architektenkammer").click()
    page.get_by_role(
        "heading", name=f"Application: Bayerische Architektenkammer / {authority_name}"
    ).wait_for()
    watch.axe(page, "application")
    page.get_by_role("button", name="Approve and invite the applicant").click()
    page.get_by_text(
        "The authority is registered and its administrator has been invited."
    ).wait_for()
    watch.axe(page, "coordination queue after approval")


def test_newcomer_registers_is_approved_and_invites_a_colleague(
    app, training_app, live_server, new_page, watch, smtp_server
):
    # Given the national coordinator of Germany, in production and in training
    nimic = make_authority(
        "DE", name="Bundesverwaltungsamt IMI", kind=AuthorityKind.NATIONAL_COORDINATOR
    )
    coordinator = make_user(nimic, ["coordinator", "admin"], email="nimic@bva.example.eu")
    with training_app.app_context():
        training_nimic = make_authority(
            "DE", name="Bundesverwaltungsamt IMI", kind=AuthorityKind.NATIONAL_COORDINATOR
        )
        trainer = make_user(
            training_nimic, ["coordinator", "admin"], email="trainer@bva.example.eu"
        )
        trainer_email, trainer_secret = trainer.email, trainer.totp_secret
    base, training = live_server, f"{live_server}/training"
    newcomer = {
        "authority": "Bavarian Chamber of Architects",
        "name": "Petra Vogel",
        "email": "petra.vogel@byak.example.eu",
    }

    # When the newcomer applies on the public form
    applicant_page = new_page()
    applicant_page.goto(base)
    watch.axe(applicant_page, "start page")
    _register(applicant_page, base, watch, newcomer)

    # and the coordinator signs in and approves the application
    coordinator_page = new_page()
    coordinator_page.goto(f"{base}/sign-in")
    watch.axe(coordinator_page, "sign-in")
    sign_in(coordinator_page, base, coordinator.email, coordinator.totp_secret)
    watch.axe(coordinator_page, "home of a coordinator")
    _approve(coordinator_page, watch, newcomer["authority"])

    # Then the newcomer's invitation arrives and they set up their account
    wait_for_mail(smtp_server, newcomer["email"], count=2)  # received, then approved
    link = smtp_server.link_in(newcomer["email"])
    assert link.startswith(f"{base}/invitation/"), link
    applicant_page.goto(link)
    applicant_page.get_by_role("heading", name="Accept your invitation").wait_for()
    watch.axe(applicant_page, "accept invitation")
    applicant_page.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    applicant_page.get_by_label("Repeat the password").fill(NEW_PASSWORD)
    applicant_page.get_by_role("button", name="Continue").click()
    applicant_page.get_by_role("heading", name="Set up your authenticator app").wait_for()
    watch.axe(applicant_page, "authenticator enrolment")
    secret = applicant_page.locator("#totp-secret").inner_text().replace(" ", "")
    applicant_page.get_by_label("Code from your authenticator app").fill(pyotp.TOTP(secret).now())
    applicant_page.get_by_role("button", name="Confirm").click()
    applicant_page.get_by_role("heading", name="Your recovery codes").wait_for()
    assert applicant_page.locator("#recovery-codes li").count() >= 5
    watch.axe(applicant_page, "recovery codes")
    # printed, the page shows only its heading and the codes; the script shows Print
    codes = applicant_page.locator("#recovery-codes li").all_inner_texts()
    assert applicant_page.get_by_role("button", name="Print the codes").is_visible()
    applicant_page.emulate_media(media="print")
    assert applicant_page.evaluate(PRINTED_TEXT_JS) == ["Your recovery codes", *codes]
    applicant_page.emulate_media(media="screen")
    applicant_page.get_by_role("link", name="I have saved them").click()
    applicant_page.get_by_role("heading", name=f"Welcome, {newcomer['name']}").wait_for()
    watch.axe(applicant_page, "home of a new administrator")

    # When they invite a colleague as a handler
    applicant_page.get_by_role("link", name="Users", exact=True).click()
    applicant_page.get_by_role("heading", name="Users of your authority").wait_for()
    watch.axe(applicant_page, "users")
    applicant_page.get_by_role("link", name="Invite a colleague").click()
    applicant_page.get_by_role("heading", name="Invite a colleague").wait_for()
    watch.axe(applicant_page, "invite a colleague")
    applicant_page.get_by_label("Full name").fill("Jonas Brandt")
    applicant_page.get_by_label("E-mail address").fill("jonas.brandt@byak.example.eu")
    applicant_page.get_by_label("Handler: sends and answers requests").check()
    applicant_page.get_by_role("button", name="Send the invitation").click()
    applicant_page.get_by_text(
        "The invitation has been sent to jonas.brandt@byak.example.eu."
    ).wait_for()
    watch.axe(applicant_page, "users with an open invitation")

    # Then the colleague's invitation arrives
    wait_for_mail(smtp_server, "jonas.brandt@byak.example.eu")
    assert "/invitation/" in smtp_server.link_in("jonas.brandt@byak.example.eu")

    # When the newcomer switches to Polish, the whole page says so
    applicant_page.get_by_label("Language", exact=True).select_option("pl")
    applicant_page.locator(".lang-form button[type=submit]").click()
    applicant_page.locator("html[lang=pl]").wait_for(state="attached")
    watch.axe(applicant_page, "users, in Polish")

    # and signs out
    applicant_page.locator("form[action$='/sign-out'] button").click()
    applicant_page.wait_for_url(re.compile(r"/sign-in$"))
    assert applicant_page.locator("input[autocomplete=current-password]").is_visible()
    watch.axe(applicant_page, "signed out")

    # The training instance: the same essentials, with its own coordinator
    trainee_page = new_page()
    trainee = {**newcomer, "email": "petra.vogel.training@byak.example.eu"}
    _register(trainee_page, training, watch, trainee)
    assert trainee_page.get_by_text("Training instance").first.is_visible()

    trainer_page = new_page()
    sign_in(trainer_page, training, trainer_email, trainer_secret)
    watch.axe(trainer_page, "training home of a coordinator")
    _approve(trainer_page, watch, newcomer["authority"])
    wait_for_mail(smtp_server, trainee["email"], count=2)
    assert smtp_server.link_in(trainee["email"]).startswith(f"{training}/invitation/")

    # and the production coordinator's account does not exist there
    outsider_page = new_page()
    outsider_page.goto(f"{training}/sign-in")
    outsider_page.get_by_label("E-mail address").fill(coordinator.email)
    outsider_page.get_by_label("Password").fill(PASSWORD)
    outsider_page.get_by_role("button", name="Continue").click()
    outsider_page.get_by_text("The e-mail address or the password is not right.").first.wait_for()
    assert outsider_page.url.startswith(f"{training}/sign-in")
    watch.axe(outsider_page, "training sign-in with an error")

    watch.assert_clean()


def test_directory_search_works_without_javascript_and_swaps_results_with_it(
    app, live_server, new_page, watch
):
    from playwright.sync_api import expect

    # Given two authorities and two officers (one per browser)
    chamber = make_authority("PL", name="Naczelna Izba Lekarska", city="Warszawa")
    make_authority("DE", name="Bundesagentur für Arbeit", city="Nürnberg")
    plain_user = make_user(chamber, ["handler"])
    htmx_user = make_user(chamber, ["viewer"])
    base = live_server

    # When an officer without JavaScript signs in and searches
    plain = new_page(java_script_enabled=False)
    sign_in(plain, base, plain_user.email, plain_user.totp_secret)
    plain.get_by_role("link", name="Directory").first.click()
    plain.get_by_role("heading", name="Directory of authorities").wait_for()
    with plain.expect_navigation():
        plain.get_by_label("Search", exact=True).fill("izba")
        plain.get_by_role("button", name="Search").click()

    # Then the results come by a full page load
    assert "q=izba" in plain.url
    results = plain.locator("#results")
    assert results.get_by_role("link", name="Naczelna Izba Lekarska").is_visible()
    assert results.get_by_text("Bundesagentur für Arbeit").count() == 0

    # When an officer with JavaScript searches
    page = new_page()
    sign_in(page, base, htmx_user.email, htmx_user.totp_secret)
    page.goto(f"{base}/directory")
    watch.axe(page, "directory")
    page.locator("h1").evaluate("h1 => { h1.dataset.kept = 'yes'; }")
    documents = []
    page.on("request", lambda r: documents.append(r.url) if r.resource_type == "document" else None)
    with page.expect_response(lambda r: "/directory?" in r.url) as swap:
        page.get_by_label("Search", exact=True).fill("izba")
        page.get_by_role("button", name="Search").click()
    results = page.locator("#results")

    # Then htmx swapped #results in the same document (the marked heading survived)
    expect(results.get_by_text("Bundesagentur für Arbeit")).to_have_count(0)
    expect(results.get_by_role("link", name="Naczelna Izba Lekarska")).to_be_visible()
    request = swap.value.request
    assert request.headers.get("hx-request") == "true"
    assert request.resource_type in ("xhr", "fetch")
    assert "<html" not in swap.value.text()
    assert documents == []
    expect(page.locator("h1[data-kept=yes]")).to_have_count(1)
    page.wait_for_url(re.compile(r"q=izba"))
    watch.axe(page, "directory after an htmx search")

    watch.assert_clean()
