"""Numbers, file sizes and dates as the reader's language writes them (CLDR through Babel).

Every page, PDF and mail writes a day with the `date` filter and a moment with the
`datetime` filter, and nothing else (a test keeps Flask-Babel's `datetimeformat` and
`strftime` out of the templates): one format per page, the year always in 4 digits (CLDR's
medium date in each interface language), and English as written in Europe (en-GB:
"7 Dec 2026, 14:05", never "12/7/26, 2:05 PM"). Jinja's own `filesizeformat` is English
only ("1.2 kB" with a dot): templates use `filesize`.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from babel import Locale
from babel.dates import format_date, format_time
from babel.units import format_unit
from flask import Flask
from flask_babel import format_decimal, get_locale, to_user_timezone
from jinja2 import pass_context
from jinja2.runtime import Context

# Decimal (SI) units: CLDR names kilobytes, not kibibytes, in every language.
SIZE_UNITS = (
    ("digital-gigabyte", 1000**3),
    ("digital-megabyte", 1000**2),
    ("digital-kilobyte", 1000),
)

# The English of the EU institutions writes dates the British way (day before month).
REGIONAL = {"en": "en_GB"}


def _locale() -> str:
    return str(get_locale() or "en")


def formatting_locale() -> Locale:
    """The locale that writes dates and numbers for the current language."""
    return _parsed(_locale())


@lru_cache(maxsize=64)
def _parsed(language: str) -> Locale:
    return Locale.parse(REGIONAL.get(language, language))


@lru_cache(maxsize=8192)
def _day(value: date, language: str) -> str:
    """A list shows the same few days on every row: each is written once per language."""
    return format_date(value, "medium", locale=_parsed(language))


def filesize(size: int | None) -> str:
    """'1,2 kB' in German, '1,2 ko' in French, '60 bytes' in English."""
    size = int(size or 0)
    for unit, factor in SIZE_UNITS:
        if size >= factor:
            return format_unit(
                round(size / factor, 1), unit, length="short", format="#,##0.#", locale=_locale()
            )
    # CLDR's short English byte has no plural ("60 byte"); the long form has ("60 bytes").
    return format_unit(size, "digital-byte", length="long", locale=_locale())


def number(value: int | float | str | Decimal | None) -> str:
    """A count or a decimal as the language writes it ('1.234,5' in German); text that is
    not a number is shown as it is."""
    if value is None or value == "":
        return ""
    try:
        return format_decimal(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return str(value)


def day(value: str | date | None, language: str | None = None) -> str:
    """A day: '7 Dec 2026', '07.12.2026', '7 déc. 2026'. Takes a date, a datetime (its
    day where the reader is) or an ISO string (pack fields, due-date bases); text that
    is not a date is shown as it is. In `language`, else the one in force."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime):
        value = to_user_timezone(value).date()
    return _day(value, language or _locale())


def moment(value: datetime | None, seconds: bool = False, language: str | None = None) -> str:
    """A moment: '7 Dec 2026, 14:05', '07.12.2026, 14:05' (with seconds for the audit
    trail), in the reader's time zone; in `language`, else the one in force."""
    if value is None:
        return ""
    value = to_user_timezone(value)
    locale = _parsed(language) if language else formatting_locale()
    time = format_time(value, "medium" if seconds else "short", tzinfo=None, locale=locale)
    day = format_date(value, "medium", locale=locale)
    # The language's own way of joining a date and a time ("{1}, {0}", "{1} 'um' {0}").
    return locale.datetime_formats["medium"].replace("'", "").format(time, day)


# The filters take the language of the rendering from its context (app/__init__.py
# `current_language`, set for each rendering, under force_locale too): asking Flask-Babel
# for it again on each of a list's rows cost some 20 Python calls a row.


@pass_context
def _day_filter(context: Context, value: str | date | None) -> str:
    return day(value, context.get("current_language"))


@pass_context
def _moment_filter(context: Context, value: datetime | None, seconds: bool = False) -> str:
    return moment(value, seconds, context.get("current_language"))


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        filesize=filesize,
        number=number,
        date=_day_filter,
        datetime=_moment_filter,
        # The former name of `date`, still used by the pack field macros.
        isodate=_day_filter,
    )
