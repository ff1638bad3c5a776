"""Numbers, file sizes and dates in the reader's language: one date format, with the year
in 4 digits, English as written in Europe."""

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from flask import render_template_string
from flask_babel import force_locale
from markupsafe import escape

from app.formats import day, filesize, moment, number
from app.reference import LANGUAGES

TEMPLATES = Path(__file__).resolve().parents[2] / "app" / "templates"
MOMENT = datetime(2026, 12, 7, 14, 5, 9, tzinfo=UTC)


def _spaces(text: str) -> str:
    """CLDR puts (narrow) no-break spaces between a number and its unit."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


@pytest.mark.parametrize(
    ("language", "size", "expected"),
    [
        ("en", 1234, "1.2 kB"),
        ("de", 1234, "1,2 kB"),
        ("fr", 1234, "1,2 ko"),
        ("pl", 2_500_000, "2,5 MB"),
        ("de", 999, "999 Byte"),
        ("de", 3_000_000_000, "3 GB"),
        ("en", 60, "60 bytes"),
        ("en", 1, "1 byte"),
        ("fr", 60, "60 octets"),
    ],
)
def test_a_file_size_is_written_as_the_language_writes_it(app, language, size, expected):
    with app.test_request_context(), force_locale(language):
        assert _spaces(filesize(size)) == expected


@pytest.mark.parametrize(
    ("language", "expected_day", "expected_moment", "with_seconds"),
    [
        # English as written in Europe: day before month, a 24-hour clock
        ("en", "7 Dec 2026", "7 Dec 2026, 14:05", "7 Dec 2026, 14:05:09"),
        ("de", "07.12.2026", "07.12.2026, 14:05", "07.12.2026, 14:05:09"),
        ("fr", "7 déc. 2026", "7 déc. 2026, 14:05", "7 déc. 2026, 14:05:09"),
        ("el", "7 Δεκ 2026", "7 Δεκ 2026, 2:05 μ.μ.", "7 Δεκ 2026, 2:05:09 μ.μ."),
        ("hu", "2026. dec. 7.", "2026. dec. 7. 14:05", "2026. dec. 7. 14:05:09"),
        ("pl", "7 gru 2026", "7 gru 2026, 14:05", "7 gru 2026, 14:05:09"),
    ],
)
def test_a_day_and_a_moment_are_written_once_per_language(
    app, language, expected_day, expected_moment, with_seconds
):
    with app.test_request_context(), force_locale(language):
        assert _spaces(day(MOMENT.date())) == expected_day
        assert _spaces(day(MOMENT)) == expected_day
        assert _spaces(day("2026-12-07")) == expected_day
        assert _spaces(moment(MOMENT)) == expected_moment
        assert _spaces(moment(MOMENT, seconds=True)) == with_seconds


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_writes_the_year_in_four_digits(app, language):
    # 2009 tells a 4-digit year from a 2-digit one ("09") and from the day or month
    when = datetime(2009, 3, 4, 5, 6, tzinfo=UTC)
    with app.test_request_context(), force_locale(language):
        for text in (day(when.date()), moment(when)):
            assert "2009" in text, (language, text)


def test_english_puts_the_day_before_the_month(app):
    with app.test_request_context(), force_locale("en"):
        assert day(date(2026, 3, 4)) == "4 Mar 2026"
        assert not re.search(r"\d+/\d+/\d+", moment(MOMENT))
        assert "AM" not in moment(datetime(2026, 3, 4, 0, 14, tzinfo=UTC))


def test_numbers_and_text_that_is_no_date(app):
    with app.test_request_context(), force_locale("de"):
        assert number("1234.5") == "1.234,5"
        assert number(3) == "3"
        assert number("about ten") == "about ten"
        assert day("not a date") == "not a date"
        assert day(None) == "" and moment(None) == ""
    with app.test_request_context(), force_locale("bg"):
        assert _spaces(day("2026-11-29")) == "29.11.2026 г."


def test_templates_write_dates_only_through_the_two_filters():
    # Flask-Babel's filters take a style per call ("short" gives 2-digit years) and
    # strftime ignores the language: neither may come back into a template.
    offending = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in TEMPLATES.rglob("*.*")
        for match in re.finditer(
            r"\|\s*(datetimeformat|dateformat|timeformat)\b|strftime\(", path.read_text()
        )
    ]
    assert offending == []


def test_documents_added_to_a_public_case_are_counted_in_plural_forms(app):
    from flask_babel import ngettext

    with app.test_request_context(), force_locale("pl"):
        forms = [
            ngettext("%(num)s document added", "%(num)s documents added", n) for n in (1, 3, 5)
        ]
    assert forms == ["1 dokument dodany", "3 dokumenty dodane", "5 dokumentów dodanych"]


@pytest.mark.parametrize("language", ["de", "el", "en"])
def test_the_filters_write_in_the_language_of_the_rendering(app, language):
    # Given a template rendered in a language (a page's, or a mail's under force_locale)
    source = "{{ d|date }} | {{ m|datetime }} | {{ m|datetime(seconds=true) }}"
    with app.test_request_context(), force_locale(language):
        rendered = render_template_string(source, d=MOMENT.date(), m=MOMENT)
        expected = f"{day(MOMENT.date())} | {moment(MOMENT)} | {moment(MOMENT, seconds=True)}"
        named = day(MOMENT.date(), language), moment(MOMENT, language=language)
        assert named == (day(MOMENT.date()), moment(MOMENT))

    # Then the filters write as the functions do in that language
    assert rendered == str(escape(expected))
    assert rendered.startswith(
        {"de": "07.12.2026", "el": "7 Δεκ 2026", "en": "7 Dec 2026"}[language]
    )
