"""The templates' gettext functions, with the catalog looked up once per rendering.

Flask-Babel's own functions look the catalog up on every call (the request context, the
locale, the domain's cache), and a page calls them hundreds of times: about a tenth of
an inbox's CPU under load (bench/load.py). Here a context processor puts the catalog of
the language in force into each rendering's context, and the functions installed in
Jinja read it from there; a template without that context (a macro imported without
it) asks Flask-Babel as before. A rendering under `force_locale` (a mail, a PDF) gets
its own language's catalog: context processors run for each rendering.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from flask import Flask, current_app
from flask_babel import get_locale, get_translations
from jinja2 import pass_context
from jinja2.runtime import Context

KEY = "_catalog"
# Label mappings kept translated, per language (a few mappings, 24 languages).
KEPT_LABELS = 512
K = TypeVar("K")


def _catalog(context: Context):
    catalog = context.get(KEY)
    return catalog if catalog is not None else get_translations()


@pass_context
def gettext(context: Context, string: str) -> str:
    return _catalog(context).ugettext(string)


@pass_context
def ngettext(context: Context, singular: str, plural: str, n: int) -> str:
    return _catalog(context).ungettext(singular, plural, n)


@pass_context
def pgettext(context: Context, message_context: str, string: str) -> str:
    return _catalog(context).upgettext(message_context, string)


@pass_context
def npgettext(context: Context, message_context: str, singular: str, plural: str, n: int) -> str:
    return _catalog(context).unpgettext(message_context, singular, plural, n)


def resolved(labels: Mapping[K, object]) -> dict[K, str]:
    """Lazy labels (lazy_gettext) in the language in force, each translated once: a list
    shows the same few labels on every row, and a lazy one is translated at each use.
    Kept per app, language and labels (a module's constant mapping), so that each page
    does not translate them again: a copy, which the caller may change."""
    kept = current_app.extensions.setdefault("openimi.resolved_labels", {})
    key = (id(labels), str(get_locale()))
    found = kept.get(key)
    if found is None or found[0] is not labels:
        found = (labels, {name: str(label) for name, label in labels.items()})
        if len(kept) < KEPT_LABELS:
            kept[key] = found
    return dict(found[1])


def init_app(app: Flask) -> None:
    """After Flask-Babel's init_app, whose functions these replace."""
    app.jinja_env.install_gettext_callables(
        gettext, ngettext, newstyle=True, pgettext=pgettext, npgettext=npgettext
    )
    # `_` is Jinja's alias that looks `gettext` up in each call's context and calls it
    # (one more call through the context, 20 a page); no context holds a `gettext` of
    # its own, so `_` is the installed function itself.
    app.jinja_env.globals["_"] = app.jinja_env.globals["gettext"]
    app.context_processor(lambda: {KEY: get_translations()})
