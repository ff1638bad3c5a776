"""Numbers, file sizes and dates in the reader's language."""

from datetime import date

import pytest
from flask_babel import force_locale

from app.formats import filesize, isodate, number


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
    ],
)
def test_a_file_size_is_written_as_the_language_writes_it(app, language, size, expected):
    with app.test_request_context(), force_locale(language):
        assert _spaces(filesize(size)) == expected


def test_numbers_and_iso_dates_follow_the_language(app):
    with app.test_request_context(), force_locale("de"):
        assert number("1234.5") == "1.234,5"
        assert number(3) == "3"
        assert number("about ten") == "about ten"
        assert isodate("2026-11-29") == "29.11.2026"
        assert isodate(date(2026, 11, 29), "full") == "Sonntag, 29. November 2026"
        assert isodate("not a date") == "not a date"
    with app.test_request_context(), force_locale("bg"):
        assert _spaces(isodate("2026-11-29")) == "29.11.2026 г."


def test_documents_added_to_a_public_case_are_counted_in_plural_forms(app):
    from flask_babel import ngettext

    with app.test_request_context(), force_locale("pl"):
        forms = [
            ngettext("%(num)s document added", "%(num)s documents added", n) for n in (1, 3, 5)
        ]
    assert forms == ["1 dokument dodany", "3 dokumenty dodane", "5 dokumentów dodanych"]
