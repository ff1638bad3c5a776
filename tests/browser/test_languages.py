"""The main pages in nine languages (Latin, Greek and Cyrillic scripts; seven EU languages
and the EEA's Icelandic and Norwegian Bokmål): a demo officer switches language with the switcher, and
every page says it is in that language, shows no English interface string the catalogs
translate, and fits a desktop and a phone screen without anything sticking out."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from app import demo
from app.extensions import db
from app.models import User
from app.procedures import BUILTIN_DIR, pack_folders
from app.procedures.catalogs import catalog_path
from tests.browser.helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("de", "fr", "pl", "el", "bg", "ga", "nb", "is", "mt")
WIDTHS = (1280, 360)
OFFICER = "handler.de"

# Visible text nodes of the page, without user content: free text is marked with its
# own lang attribute, names and references come from the data, not the catalogs.
TEXTS_JS = """() => {
  const page = document.documentElement.lang;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const texts = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest("script, style, [hidden], .visually-hidden-focusable")) continue;
    const marked = el.closest("[lang]");
    if (marked && marked.lang !== page) continue;
    if (el.closest("select#lang-select, .free-text, code")) continue;
    const text = node.textContent.replace(/\\s+/g, " ").trim();
    if (text) texts.push(text);
  }
  for (const el of document.querySelectorAll("[aria-label], [placeholder], [title]")) {
    for (const name of ["aria-label", "placeholder", "title"]) {
      const value = el.getAttribute(name);
      if (value) texts.push(value.trim());
    }
  }
  texts.push(document.title.replace(/ – OpenIMI.*$/, "").trim());
  return texts;
}"""

# What sticks out: the page wider than the window, or a control's text wider than it.
LAYOUT_JS = """() => {
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > window.innerWidth) {
    problems.push(`page ${root.scrollWidth}px wide in a ${window.innerWidth}px window`);
  }
  const controls = document.querySelectorAll(
    "header a, header button, nav a, .tabs a, button, .button, label, th, td, dd, " +
    "input, select, textarea, pre, code, h1, h2, p");
  for (const el of controls) {
    if (!el.offsetParent) continue;
    // text for screen readers only (a table's headings, when its rows show as cards)
    const clipped = el.closest(".visually-hidden, thead");
    if (clipped && clipped.getBoundingClientRect().width <= 1) continue;
    const text = el.matches("a, button, .button, label, th");
    if (text && el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== "auto") {
      problems.push(`${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 40)}" ` +
        `text ${el.scrollWidth}px in a ${el.clientWidth}px box`);
    }
    const box = el.getBoundingClientRect();
    if (box.right > window.innerWidth + 1 && !el.closest(".table-wrap, [data-scroll]")) {
      problems.push(`${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 40)}" ` +
        `ends at ${Math.round(box.right)}px, beyond the window`);
    }
  }
  return problems;
}"""


def _untranslated_english(language: str) -> set[str]:
    """English interface and pack texts that the catalogs translate differently into
    `language`: seeing one on a page in that language is a leftover."""
    paths = [ROOT / "translations" / language / "LC_MESSAGES" / "messages.po"]
    paths += [catalog_path(folder, language) for folder in pack_folders([BUILTIN_DIR])]
    english: set[str] = set()
    own: set[str] = set()
    for path in paths:
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        for message in catalog:
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            own.update(strings)
            for msgid in ids:
                # A text with a placeholder never reaches the page as it is; a single
                # short word ("OK", "SOLVIT") can be a name as well as an interface text.
                if not msgid or "%" in msgid or len(msgid) < 4:
                    continue
                if all(s and s != msgid for s in strings):
                    english.add(msgid)
    # A word that is also the language's own text for something else is no leftover:
    # Icelandic "Send" is "Sent" (of a request), not the English button.
    return english - own


def _leftovers(page, english: set[str]) -> list[str]:
    found = set()
    for text in page.evaluate(TEXTS_JS):
        candidates = {text, text.strip(" :–-()·,.")}
        found |= candidates & english
    return sorted(found)


def _switch_language(page, language: str) -> None:
    """As a person does it: choose in the header's list and press the button. On a
    phone the list sits in the menu (tests/browser/test_layout.py opens it), so the
    switch is made at desktop width and the page's width is restored after it."""
    viewport = page.viewport_size
    if viewport and viewport["width"] < 1000:
        page.set_viewport_size({"width": 1280, "height": viewport["height"]})
    page.locator("#lang-select").select_option(language)
    page.locator(".lang-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == language
    if viewport:
        page.set_viewport_size(viewport)


def _pages(base: str, page) -> dict[str, str]:
    """The main pages of an officer; the request case is the inbox's first."""
    page.goto(f"{base}/requests?box=received")
    href = page.locator("table a[href*='/requests/']").first.get_attribute("href")
    return {
        "dashboard": f"{base}/",
        "request inbox": f"{base}/requests?box=received",
        "request case": f"{base}{href}" if href.startswith("/") else href,
        "alert inbox": f"{base}/alerts",
        "directory search": f"{base}/directory?q=health",
        "account": f"{base}/account",
        "public landing page": f"{base}/public/",
    }


def test_main_pages_in_nine_languages_have_no_english_leftovers_and_fit(
    app, live_server, new_page, watch
):
    # given the demo data and a German officer who works in English so far
    accounts = {a.email.split("@")[0]: a for a in demo.seed()}
    db.session.commit()
    account = accounts[OFFICER]
    officer = db.session.query(User).filter_by(email=account.email).one()
    officer.language = "en"
    db.session.commit()
    page = new_page(viewport={"width": WIDTHS[0], "height": 900})
    sign_in(page, live_server, account.email, account.totp_secret, account.password)
    pages = _pages(live_server, page)
    # (the English home page does show the texts German translates: the check can see)
    page.goto(pages["dashboard"])
    assert "Requests" in _leftovers(page, _untranslated_english("de"))

    problems: list[str] = []
    for language in LANGUAGES:
        english = _untranslated_english(language)
        # when the officer switches language (on a desktop: a phone folds the switcher
        # into the menu) and visits the main pages
        page.set_viewport_size({"width": WIDTHS[0], "height": 900})
        _switch_language(page, language)
        for name, url in pages.items():
            page.set_viewport_size({"width": WIDTHS[0], "height": 900})
            page.goto(url)
            where = f"{language} {name}"
            # then the page is in that language, with no English interface text
            lang = page.locator("html").get_attribute("lang")
            if lang != language:
                problems.append(f"{where}: <html lang={lang!r}>")
            for text in _leftovers(page, english):
                problems.append(f"{where}: English left over: {text!r}")
            # and nothing sticks out, on a desktop and on a phone
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                for problem in page.evaluate(LAYOUT_JS):
                    problems.append(f"{where} at {width}px: {problem}")
    # the preference is saved: the officer's account speaks the last language
    db.session.expire_all()
    assert db.session.get(User, officer.id).language == LANGUAGES[-1]
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
    watch.assert_clean()
