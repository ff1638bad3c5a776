"""Layout on a phone (360 px) and a desktop (1280 px), to the GOV.UK Design System
standard (issue 16, items 2, 3 and 10):
- tables never split a word: below 40rem each row is a card whose values carry their
  column's heading;
- the details list of a case gives its values about 70% of the width (keys about 30%),
  the key above the value on a phone;
- the header folds its navigation behind a "Menu" button on a phone (with JavaScript;
  without, the navigation shows), marks the current section, aligns the "Signed in as"
  strip with the content; the training banner is inside a landmark (axe `region`)."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from app import demo
from app.extensions import db
from app.models import User
from tests.browser.helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PHONE, DESKTOP = 360, 1280
LANGUAGES = ("en", "de", "el")
HEADER_MAX_PX = 120

# Every word (a run of non-space characters in one text node: <wbr> ends a run) of every
# table cell must sit on one line and inside its cell; the page must not scroll sideways.
# Below 40rem every labelled cell shows its column's heading before its value.
TABLES_JS = """() => {
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > window.innerWidth) {
    problems.push(`page ${root.scrollWidth}px wide in a ${window.innerWidth}px window`);
  }
  const narrow = window.matchMedia("(max-width: 40rem)").matches;
  let cells = 0;
  for (const table of document.querySelectorAll("main table")) {
    // a heading for screen readers only labels no card
    const headings = [...table.querySelectorAll("thead th")].map(th =>
      th.querySelector(".visually-hidden") ? "" : th.textContent.trim());
    const wrap = table.closest(".table-wrap");
    if (wrap && wrap.scrollWidth > wrap.clientWidth + 1) {
      problems.push(`table "${headings.join(", ")}" scrolls: ${wrap.scrollWidth}px in ` +
        `${wrap.clientWidth}px`);
    }
    for (const cell of table.querySelectorAll("tbody td, tbody th")) {
      cells += 1;
      const text = cell.textContent.trim();
      const box = cell.getBoundingClientRect();
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (node.parentElement.closest(".visually-hidden")) continue;
        const words = /\\S+/g;
        for (let m = words.exec(node.textContent); m; m = words.exec(node.textContent)) {
          const range = document.createRange();
          range.setStart(node, m.index);
          range.setEnd(node, m.index + m[0].length);
          const rects = [...range.getClientRects()].filter(r => r.width > 0);
          const lines = new Set(rects.map(r => Math.round(r.bottom)));
          if (lines.size > 1) problems.push(`"${m[0]}" split over ${lines.size} lines`);
          const right = Math.max(...rects.map(r => r.right));
          if (right > box.right + 1) {
            problems.push(`"${m[0]}" sticks out of its cell by ${Math.round(right - box.right)}px`);
          }
        }
      }
      const label = cell.dataset.label, heading = headings[cell.cellIndex];
      if (label !== heading) {
        problems.push(`cell "${text.slice(0, 30)}" labelled ${JSON.stringify(label)} ` +
          `under the heading "${heading}"`);
      } else if (narrow && label && text) {
        const shown = getComputedStyle(cell, "::before").content;
        if (!shown.includes(label)) problems.push(`cell "${text.slice(0, 30)}" shows no "${label}"`);
      }
    }
  }
  return {problems, cells};
}"""


def _seed() -> dict:
    """The demo data of the current app; its officers work in English until the test switches language."""
    accounts = {a.email.split("@")[0]: a for a in demo.seed()}
    for account in accounts.values():
        db.session.query(User).filter_by(email=account.email).one().language = "en"
    db.session.commit()
    return accounts


def _switch_language(page, language: str) -> None:
    page.locator("#lang-select").select_option(language)
    page.locator(".lang-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == language


def _signed_in(new_page, base: str, account, width: int = DESKTOP, **options):
    page = new_page(viewport={"width": width, "height": 900}, **options)
    sign_in(page, base, account.email, account.totp_secret, account.password)
    return page


def _check_tables(page, base: str, paths: dict[str, str], problems: list[str], watch) -> None:
    for language in LANGUAGES:
        _switch_language(page, language)
        for name, path in paths.items():
            page.set_viewport_size({"width": DESKTOP, "height": 900})
            page.goto(base + path)
            for width in (PHONE, DESKTOP):
                page.set_viewport_size({"width": width, "height": 900})
                found = page.evaluate(TABLES_JS)
                assert found["cells"], f"{name}: no table row to look at"
                problems += [f"{language} {name} at {width}px: {p}" for p in found["problems"]]
                if language == "en" and width == PHONE:
                    watch.axe(page, f"{name} at 360 px, rows as cards")


def test_no_table_cell_breaks_inside_a_word_on_a_phone_or_a_desktop(
    app, live_server, new_page, watch
):
    # Given the demo data: an officer's inboxes and a national coordinator's pages
    accounts = _seed()
    pages = {
        "handler.de": {
            "request inbox": "/requests?box=sent",
            "received requests": "/requests?box=received",
        },
        # the German SOLVIT centre: the demo's complaints from and about Germany
        "solvit.de": {"public-case inbox": "/public-cases?state=all"},
        "coordinator.de": {
            "alert inbox": "/alerts?box=received",
            "audit trail": "/audit",
            "coordination queue": "/coordination/",
            "users of the authority": "/users",
        },
    }
    problems: list[str] = []

    # When each looks at their pages, in three languages, at 360 px and 1280 px
    for person, paths in pages.items():
        page = _signed_in(new_page, live_server, accounts[person])
        _check_tables(page, live_server, paths, problems, watch)

    # Then every word of every cell sits on one line inside its cell, no table or page
    # scrolls sideways, and on a phone each value shows its column's heading
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
    watch.assert_clean()


DETAILS_JS = """() => {
  const list = document.querySelector("main dl.summary-list");
  const width = list.getBoundingClientRect().width;
  return [...list.querySelectorAll("dt")].map(dt => {
    const dd = dt.nextElementSibling;
    const key = dt.getBoundingClientRect(), value = dd.getBoundingClientRect();
    return {key: dt.textContent.trim(), share: value.width / width,
            below: value.top >= key.bottom - 1, beside: Math.abs(value.top - key.top) < 2};
  });
}"""


def test_case_details_give_the_values_most_of_the_width(app, live_server, new_page, watch):
    # Given a request case in the demo data
    accounts = _seed()
    page = _signed_in(new_page, live_server, accounts["handler.de"])
    page.goto(f"{live_server}/requests?box=received")
    page.locator("main table a[href*='/requests/']").first.click()
    page.locator("main dl.summary-list").wait_for()

    # When the officer reads its details on a desktop, in English and in German
    for language in ("en", "de"):
        page.set_viewport_size({"width": DESKTOP, "height": 900})
        _switch_language(page, language)
        rows = page.evaluate(DETAILS_JS)
        # Then each value sits beside its key and has at least 60% of the list's width
        assert len(rows) >= 5
        for row in rows:
            assert row["beside"], f"{language}: {row['key']} is not beside its value"
            assert row["share"] >= 0.6, f"{language}: {row['key']}: value gets {row['share']:.0%}"
        # and on a phone the key stands above its value, which takes the whole width
        page.set_viewport_size({"width": PHONE, "height": 900})
        for row in page.evaluate(DETAILS_JS):
            assert row["below"] and row["share"] > 0.95, f"{language} at 360 px: {row}"
    watch.axe(page, "request case at 360 px")
    watch.assert_clean()


# Where the first character of an element's text starts on the screen.
TEXT_START_JS = """(selector) => {
  const el = document.querySelector(selector);
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  let node = walker.nextNode();
  while (node && !node.textContent.trim()) node = walker.nextNode();
  const range = document.createRange();
  range.selectNodeContents(node);
  return range.getClientRects()[0].left;
}"""


def _header_height(page) -> float:
    return page.locator("header.site-header").bounding_box()["height"]


def test_header_folds_into_a_menu_button_on_a_phone_and_marks_the_section(
    app, live_server, new_page, watch
):
    # Given a coordinator (the longest navigation and strip), with JavaScript
    accounts = _seed()
    page = _signed_in(new_page, live_server, accounts["coordinator.de"])
    menu = page.get_by_role("button", name="Menu")
    requests_link = page.locator("header nav").get_by_role("link", name="Requests")

    # On a desktop the navigation shows and the button does not
    page.goto(f"{live_server}/requests")
    assert requests_link.is_visible() and not menu.is_visible()
    # and the "Signed in as" strip starts where the content starts
    strip, heading = (
        page.evaluate(TEXT_START_JS, selector) for selector in (".acting-as", "main h1")
    )
    assert abs(strip - heading) <= 1, (strip, heading)
    # the current section is marked: the page itself, then a page inside the section
    assert requests_link.get_attribute("aria-current") == "page"
    assert page.locator("header nav [aria-current]").count() == 1
    page.goto(f"{live_server}/audit")
    assert page.locator("header nav [aria-current]").all_inner_texts() == ["Coordination"]
    assert page.locator("header nav [aria-current]").get_attribute("aria-current") == "true"

    for language in LANGUAGES:
        _switch_language(page, language)
        page.goto(f"{live_server}/requests")
        page.set_viewport_size({"width": PHONE, "height": 900})
        # On a phone the header is small: the navigation folds behind "Menu"
        toggle = page.locator("button.menu-toggle")
        toggle.wait_for(state="visible")  # the script follows the window's width
        assert _header_height(page) <= HEADER_MAX_PX, f"{language}: {_header_height(page)}px"
        assert toggle.get_attribute("aria-expanded") == "false"
        controlled = page.locator(f"#{toggle.get_attribute('aria-controls')}")
        assert controlled.is_hidden()
        # the button opens and closes it
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true" and controlled.is_visible()
        assert page.locator("header nav a[aria-current=page]").is_visible()
        assert page.locator("#lang-select").is_visible()
        if language == "en":
            watch.axe(page, "open menu at 360 px")
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "false" and controlled.is_hidden()
        # and back on a desktop the navigation shows again, without the button
        page.set_viewport_size({"width": DESKTOP, "height": 900})
        toggle.wait_for(state="hidden")
        assert page.locator("header nav a").first.is_visible() and controlled.is_visible()

    # a link in the open menu leads to its section
    _switch_language(page, "en")
    page.set_viewport_size({"width": PHONE, "height": 900})
    menu.click()
    page.locator("header nav").get_by_role("link", name="Alerts").click()
    page.wait_for_url("**/alerts**")
    assert page.locator("header nav [aria-current=page]").all_inner_texts() == ["Alerts"]
    watch.assert_clean()


def test_without_javascript_the_navigation_shows_on_a_phone(app, live_server, new_page, watch):
    # Given an officer on a phone whose browser runs no script
    accounts = _seed()
    page = _signed_in(
        new_page, live_server, accounts["handler.de"], PHONE, java_script_enabled=False
    )
    # Then every link of the navigation shows, and no button that could not work
    page.goto(f"{live_server}/requests")
    links = page.locator("header nav a")
    assert links.count() >= 6
    assert all(links.nth(i).is_visible() for i in range(links.count()))
    assert not page.locator("button.menu-toggle").is_visible()
    watch.assert_clean()


def _region_violations(page) -> list[str]:
    """axe's `region` rule (every content inside a landmark); it is not among the WCAG
    rules the other tests run, and axe rates it moderate."""
    page.wait_for_load_state()
    options = {"runOnly": {"type": "rule", "values": ["region"]}, "resultTypes": ["violations"]}
    results = Axe().run(page, options=options).response
    return [
        f"{page.url}: " + "; ".join(" ".join(node["target"]) for node in violation["nodes"])
        for violation in results["violations"]
    ]


def test_training_pages_keep_the_banner_inside_a_landmark(
    app, training_app, live_server, new_page, watch
):
    # Given the demo data of the training instance
    with training_app.app_context():
        accounts = _seed()
    training = f"{live_server}/training"
    problems: list[str] = []

    # When a visitor and a trainee look at its pages
    visitor = new_page(viewport={"width": DESKTOP, "height": 900})
    for path in ("/", "/sign-in", "/register", "/public/"):
        visitor.goto(training + path)
        assert visitor.get_by_text("Training instance").first.is_visible()
        problems += _region_violations(visitor)
        watch.axe(visitor, f"training {path}")
    page = _signed_in(new_page, training, accounts["handler.de"])
    for path in ("/", "/requests", "/alerts", "/public-cases", "/directory?q=health", "/account"):
        for width in (DESKTOP, PHONE):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(training + path)
            problems += _region_violations(page)
        watch.axe(page, f"training {path} at 360 px")
    page.goto(f"{training}/requests?box=received")
    page.locator("main table a[href*='/requests/']").first.click()
    problems += _region_violations(page)

    # Then the banner and everything else is inside a landmark on every page
    assert not problems, "\n".join(problems)
    watch.assert_clean()
