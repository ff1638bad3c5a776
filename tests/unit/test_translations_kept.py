"""Translations kept per process: WTForms' own words (a field's default label, a refused
choice) in the reader's language, as Flask-WTF translates them, with the catalog read
once per process; and the lists' state labels (template_gettext.resolved)."""

from __future__ import annotations

import pytest
from babel import support
from flask_babel import force_locale
from flask_wtf.i18n import translations as flask_wtf_translations
from wtforms import HiddenField, SelectChoice, SelectField

from app.forms import Form

WORDS = [
    "Not a valid choice.",
    "Invalid CSRF Token.",
    "This field is required.",
    "Field must be at least %(min)d character long.",
]


class _Choice(Form):
    choice = SelectField("Choice", choices=[SelectChoice("a", "A")])
    hidden_thing = HiddenField()


@pytest.mark.parametrize("language", ["de", "fr", "el", "en", "mt"])
def test_wtforms_words_are_those_flask_wtf_gives(app, language):
    with app.test_request_context(), force_locale(language):
        form = _Choice(formdata=None)
        ours = form.meta.get_translations(form)
        for word in WORDS:
            assert ours.gettext(word) == flask_wtf_translations.gettext(word)
        assert ours.ngettext("%(num)d file", "%(num)d files", 3) == flask_wtf_translations.ngettext(
            "%(num)d file", "%(num)d files", 3
        )
        assert str(form.hidden_thing.label.text) == flask_wtf_translations.gettext("Hidden Thing")


def test_a_refused_choice_is_said_in_the_readers_language(app):
    with app.test_request_context(method="POST", data={"choice": "zzz"}), force_locale("de"):
        form = _Choice()
        form.validate()
        assert form.choice.errors == [flask_wtf_translations.gettext("Not a valid choice.")]
        assert form.choice.errors != ["Not a valid choice."]


def test_the_catalog_is_read_once_per_language(app, monkeypatch):
    read = []
    load = support.Translations.load

    def counted(*args, **kwargs):
        read.append(args)
        return load(*args, **kwargs)

    monkeypatch.setattr(support.Translations, "load", counted)
    for _ in range(3):
        with app.test_request_context(), force_locale("cs"):
            form = _Choice(formdata=None)
            form.meta.get_translations(form).gettext("Not a valid choice.")
    assert len(read) <= 1


def test_state_labels_are_those_of_the_language_in_force(app):
    from app.cases.requests.labels import STATE_LABELS
    from app.template_gettext import resolved

    seen = {}
    for language in ("de", "en", "de", "fr", "en"):
        with app.test_request_context(), force_locale(language):
            labels = resolved(STATE_LABELS)
            assert labels == {state: str(label) for state, label in STATE_LABELS.items()}
            seen.setdefault(language, dict(labels))
            labels.clear()  # the caller's own copy
    assert seen["de"] != seen["en"] != seen["fr"]
