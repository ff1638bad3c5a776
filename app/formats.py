"""Numbers, file sizes and dates as the reader's language writes them (CLDR through Babel).

Jinja's own `filesizeformat` is English only ("1.2 kB" with a dot), and a date stored as
an ISO string ("2026-11-29") would print as such: templates use these filters instead.
Flask-Babel adds `dateformat`, `datetimeformat` and `timeformat` for date objects.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from babel.units import format_unit
from flask import Flask
from flask_babel import format_date, format_decimal, get_locale

# Decimal (SI) units: CLDR names kilobytes, not kibibytes, in every language.
SIZE_UNITS = (
    ("digital-gigabyte", 1000**3),
    ("digital-megabyte", 1000**2),
    ("digital-kilobyte", 1000),
)


def _locale() -> str:
    return str(get_locale() or "en")


def filesize(size: int | None) -> str:
    """'1,2 kB' in German, '1,2 ko' in French, '1.2 kB' in English."""
    size = int(size or 0)
    for unit, factor in SIZE_UNITS:
        if size >= factor:
            return format_unit(
                round(size / factor, 1), unit, length="short", format="#,##0.#", locale=_locale()
            )
    return format_unit(size, "digital-byte", length="short", locale=_locale())


def number(value: int | float | str | Decimal | None) -> str:
    """A count or a decimal as the language writes it ('1.234,5' in German); text that is
    not a number is shown as it is."""
    if value is None or value == "":
        return ""
    try:
        return format_decimal(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return str(value)


def isodate(value: str | date | None, style: str = "medium") -> str:
    """A date stored as an ISO string (pack fields, due-date bases) in the language's
    format; text that is not a date is shown as it is."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return value
    return format_date(value, style)


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(filesize=filesize, number=number, isodate=isodate)
