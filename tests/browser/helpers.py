"""Helpers for the browser tests: what to watch on every page, and how a person signs in."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import pyotp

from tests.factories import PASSWORD

AXE_OPTIONS = {"runOnly": ["wcag2a", "wcag2aa", "wcag21aa"], "resultTypes": ["violations"]}
BLOCKING_IMPACTS = {"serious", "critical"}


@dataclass
class Watch:
    """What went wrong in the browser while a test ran: accessibility violations,
    server errors and console errors (a CSP violation shows up there)."""

    violations: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    audited: list[str] = field(default_factory=list)

    def attach(self, page) -> None:
        page.on("response", self._check_response)
        page.on("console", lambda m: self._check_console(m, page))
        page.on("pageerror", lambda e: self.errors.append(f"script error: {e} ({page.url})"))

    def _check_response(self, response) -> None:
        # Chromium asks for /favicon.ico on its own; the app has none (a known 404).
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            self.errors.append(f"HTTP {response.status} {response.request.method} {response.url}")

    def _check_console(self, message, page) -> None:
        # A failed load is reported by _check_response, with its URL.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.errors.append(f"console: {message.text} ({page.url})")

    def axe(self, page, where: str) -> None:
        """Run axe-core on the page as it is now; keep the serious and critical findings."""
        from axe_playwright_python.sync_playwright import Axe

        page.wait_for_load_state()
        # An htmx swap dims its target (aria-busy) until it settles: judge the page after.
        page.wait_for_function(
            "() => !document.querySelector("
            "'[aria-busy=true], .htmx-request, .htmx-swapping, .htmx-settling')"
        )
        results = Axe().run(page, options=AXE_OPTIONS).response
        self.audited.append(where)
        for violation in results["violations"]:
            if violation["impact"] in BLOCKING_IMPACTS:
                targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
                self.violations.append(
                    f"{where} ({page.url}): {violation['id']} [{violation['impact']}] "
                    f"{violation['help']} -> {targets}"
                )

    def assert_clean(self) -> None:
        assert not self.errors, "errors in the browser:\n" + "\n".join(self.errors)
        assert not self.violations, (
            f"serious/critical axe violations on {len(self.audited)} audited pages:\n"
            + "\n".join(self.violations)
        )


def wait_for_mail(smtp_server, address: str, count: int = 1, timeout: float = 5.0) -> list:
    """The mails to `address`, once at least `count` have arrived."""
    deadline = time.monotonic() + timeout
    while len(smtp_server.to(address)) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    mails = smtp_server.to(address)
    assert len(mails) >= count, f"expected {count} mail(s) to {address}, got {len(mails)}"
    return mails


def sign_in(page, base: str, email: str, totp_secret: str, password: str = PASSWORD) -> None:
    """Both steps of the sign-in form, as a person types them."""
    page.goto(f"{base}/sign-in")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Code from your authenticator app, or a recovery code").fill(
        pyotp.TOTP(totp_secret).now()
    )
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Welcome,").wait_for()


def fill_date(page, legend: str, iso: str) -> None:
    """A pack form's date, typed into its three inputs (day, month, year) found by the
    fieldset's legend and each input's label, as a screen reader names them."""
    year, month, day = iso.split("-")
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(day)
    group.get_by_label("Month").fill(month)
    group.get_by_label("Year").fill(year)
