"""Shared form pieces: every validator carries an explicit, translatable message
(WTForms has no catalogs for several EU languages)."""

import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from babel import support
from flask import abort, current_app, has_request_context, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from sqlalchemy import event, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError
from wtforms import Field, HiddenField, SelectMultipleField, widgets
from wtforms.i18n import messages_path
from wtforms.validators import DataRequired, Email, Length, StopValidation
from wtforms.widgets.core import clean_key

from app.cases import packforms
from app.cases.kernel import CaseError
from app.extensions import db
from app.models.base import utcnow
from app.models.submissions import Submission

# What a required field's message says when several forms ask for the same thing: one
# msgid each. Every required field names what is missing in the user's words (GOV.UK:
# "Enter your e-mail address"), never a bare "This field is required." that repeats in the
# error summary without saying which field it means.
YOUR_NAME = _l("Enter your full name.")
YOUR_EMAIL = _l("Enter your e-mail address.")
STREET = _l("Enter the authority's street and number.")
CITY = _l("Enter the authority's city.")
AUTHORITY_EMAIL = _l("Enter the authority's e-mail address.")
COMPETENCES = _l("Say what the authority is competent for.")
# A case action refused because another officer changed the case first (optimistic
# locking, app/models/base.py Versioned), worded by what the refused form carried
# (Carries): text typed, kept below; only choices made, kept below; nothing to keep.
STALE = _l(
    "Someone else changed this case while you were writing. Your text is below: read the "
    "case again, then send it if it still applies."
)
STALE_CHOICE = _l(
    "Someone else changed this case while you were choosing. Your choice is kept below: "
    "read the case again, then send it if it still applies."
)
STALE_ACTION = _l(
    "Someone else changed this case in the meantime. Read it again, then act if it still applies."
)


@dataclass(frozen=True)
class Carries:
    """What a case action's form carries that a stale refusal can keep, by field name:
    its free texts, its choices (boxes, a select, a date). `writing`: a form of text as a
    whole (a draft, a record, answers), kept whatever was changed in it. A button carries
    nothing; nor does a file, which the page cannot show again."""

    texts: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    writing: bool = False

    def stale(self, form=None, shown: bool = True) -> str:
        """The stale refusal in the words that fit what was sent: STALE when text was
        typed (with choices or not), STALE_CHOICE when only choices were made, else
        STALE_ACTION. A field is read from `form` (its data) or, when the form does not
        declare it, from the posted values. `shown`: the page shown again still offers
        the form, so a choice made is kept (a text is always shown back)."""
        if self.writing or any(_given(form, name, text=True) for name in self.texts):
            return str(STALE)
        if shown and any(_given(form, name) for name in self.choices):
            return str(STALE_CHOICE)
        return str(STALE_ACTION)


# Buttons (or a file): nothing to keep. A draft, a record, answers: text as a whole.
BUTTONS = Carries()
WRITING = Carries(writing=True)


def _given(form, name: str, text: bool = False) -> bool:
    """Whether the field `name` was filled in: its data in `form`, or its posted values."""
    if form is not None and name in form:
        data = form[name].data
        values = data if isinstance(data, list | tuple) else [data]
    else:
        values = request.form.getlist(name)
    if text:
        return any(isinstance(v, str) and v.strip() for v in values)
    return any(v not in (None, "") for v in values)


def required(message):
    """Required, with the message that names what to enter."""
    return DataRequired(message=message)


def chosen(message):
    """At least one box ticked. Not DataRequired: its `required` flag would put the
    attribute on every checkbox, asking the browser to tick them all."""

    def check(form, field):
        if not field.data:
            raise StopValidation(message)

    return check


def max_length(n: int):
    return Length(max=n, message=_l("Use at most %(max)d characters.", max=n))


def email_address():
    return Email(
        message=_l("Enter an e-mail address like name@example.eu."), check_deliverability=False
    )


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class DateInputField(Field):
    """A date as GOV.UK asks for one: day, month and year inputs (`name`-day, ...; the
    macro `field` shows them), read and checked as a pack form's date is
    (app/cases/packforms.py), its messages naming `subject` ("the start date"). `data`
    is a datetime.date, or None when nothing was typed."""

    def __init__(self, label=None, validators=None, *, subject="", **kwargs):
        super().__init__(label, validators, **kwargs)
        self.subject = subject
        self.parts = dict.fromkeys(packforms.PARTS, "")
        self.bad_parts: tuple[str, ...] = ()
        self.unreadable = False

    @property
    def first_id(self) -> str:
        """The input the error summary links to: the first wrong part."""
        return f"{self.id}-{(self.bad_parts or packforms.PARTS)[0]}"

    def process(self, formdata, data=None, extra_filters=None):
        self.process_errors = []
        self.object_data = data
        self.data = data
        if formdata is not None:
            self.parts, self.unreadable = packforms.date_parts(formdata, self.name)
            self.raw_data = list(self.parts.values())

    def pre_validate(self, form) -> None:
        try:
            typed = packforms.date_from_parts(self.parts, str(self.subject), self.unreadable)
        except packforms.DateError as error:
            self.bad_parts = error.parts
            raise
        self.data = date.fromisoformat(typed) if typed else None


def _without_nul(value):
    # PostgreSQL cannot store NUL in text; only a robot sends one.
    return value.replace("\x00", "") if isinstance(value, str) else value


class SubmissionKey(HiddenField):
    """The idempotency key of one rendered form: a new random key each time the form is
    rendered, the posted one when it comes back (`already` claims it)."""

    def _value(self) -> str:
        return secrets.token_urlsafe(18)


@lru_cache(maxsize=64)
def _wtforms_catalog(language: str) -> support.Translations:
    return support.Translations.load(messages_path(), [language], domain="wtforms")


class _WTFormsTranslations:
    """Flask-WTF's translations of WTForms' own words (a field's default label, a
    choice's "Not a valid choice."), with each language's catalog read once per process:
    Flask-WTF reads and parses the catalog file again in every request that builds a
    form. The same catalog, for the same language, and none outside a request."""

    @staticmethod
    def _catalog() -> support.Translations | None:
        if not has_request_context() or "babel" not in current_app.extensions:
            return None
        return _wtforms_catalog(str(get_locale()))

    def gettext(self, string: str) -> str:
        catalog = self._catalog()
        return string if catalog is None else catalog.ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        catalog = self._catalog()
        if catalog is None:
            return singular if n == 1 else plural
        return catalog.ungettext(singular, plural, n)


WTFORMS_TRANSLATIONS = _WTFormsTranslations()


class Form(FlaskForm):
    """Base of every form: strips NUL characters from every field, and carries the key
    of the rendered form (`form.hidden_tag()` renders it with the CSRF token)."""

    submission = SubmissionKey()

    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = [*unbound_field.kwargs.get("filters", ()), _without_nul]
            return unbound_field.bind(form=form, **options, filters=filters)

        def get_translations(self, form):
            if not current_app.config.get("WTF_I18N_ENABLED", True):
                return super().get_translations(form)
            return WTFORMS_TRANSLATIONS


class CaseVersion(HiddenField):
    """The version of the case a form was rendered with (app/models/base.py Versioned):
    always rendered from `data`, which the page sets to the case's current version, never
    from what was posted (a stale form shown again carries the version it now needs)."""

    def _value(self) -> str:
        return "" if self.data is None else str(self.data)


class CaseForm(Form):
    """A form acting on a case: it carries the case's version, and a form rendered
    before another officer changed the case is refused, its text kept."""

    version = CaseVersion()


def stamp(case, forms) -> None:
    """Give every case form of a page the case's current version."""
    for form in forms:
        if form is not None and "version" in form:
            form.version.data = case.version
            form.version.raw_data = None


@contextmanager
def current(case, form=None) -> Iterator[None]:
    """Refuse (CaseError "stale") a form rendered with an older version of the case than
    the one loaded, and a change that lost the race to another officer's commit (its
    UPDATE found the version moved on). A form posted without a version has only the
    second check; a form creating a case (`case` None), neither."""
    posted = form.version.data if form is not None and "version" in form else None
    if case is not None and posted and posted != str(case.version):
        raise CaseError("stale")
    try:
        yield
    except StaleDataError as error:
        raise CaseError("stale") from error


# --- one submission, one change ----------------------------------------------------------

_PENDING = "openimi_submissions"


def already(form, url: str | Callable[..., str], creates: type | None = None) -> str | None:
    """The page an earlier post of this same rendered form led to, when it was taken
    already (a browser retry, a double click, a reload after a lost response): the
    caller answers with it and changes nothing. None the first time: the form's key is
    then claimed in the transaction the action commits, so the change and its key exist
    together or not at all (an action refused, rolled back, leaves the key free).

    `url` is the page the action leads to; for a form that creates a case, a function of
    the `creates` object it made, resolved when the transaction commits. Two posts at
    once: PostgreSQL makes the second INSERT wait for the first's transaction, then
    answers it with the first's page. A post without a key (a client that sends none) is
    not deduplicated; a key of another user's is refused."""
    key = form.submission.data if "submission" in form else None
    if not key or len(key) > 64:
        return None
    user_id = current_user.id if current_user.is_authenticated else None
    insert = (
        postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    )
    claim = insert(Submission.__table__).values(
        key=key, user_id=user_id, url=url if isinstance(url, str) else None, created_at=utcnow()
    )
    claimed = claim.on_conflict_do_nothing().returning(Submission.__table__.c.key)
    if db.session.execute(claimed).first() is not None:
        if not isinstance(url, str):
            db.session.info.setdefault(_PENDING, []).append([key, url, creates, None])
        return None
    db.session.rollback()
    taken = db.session.get(Submission, key)
    if taken is None or taken.user_id != user_id:
        abort(400)
    return taken.url or f"{request.script_root}/"


@event.listens_for(Session, "after_flush")
def _created(session, flush_context) -> None:
    # After a flush, `session.new` still lists what it inserted: the case a form created.
    for pending in session.info.get(_PENDING, ()):
        if pending[2] is not None and pending[3] is None:
            pending[3] = next((o for o in session.new if isinstance(o, pending[2])), None)


@event.listens_for(Session, "before_commit")
def _resolve_urls(session) -> None:
    if session.info.get(_PENDING):
        session.flush()
    for key, url, creates, created in session.info.pop(_PENDING, []):
        target = url(created) if creates is not None else url()
        session.execute(update(Submission).where(Submission.key == key).values(url=target))


@event.listens_for(Session, "after_rollback")
def _forget(session) -> None:
    session.info.pop(_PENDING, None)


# A form shown more than this long ago and posted twice is no longer told apart: by then
# the first post's page has long been seen (hourly `flask purge`).
SUBMISSION_KEPT = timedelta(days=7)


def purge_submissions() -> int:
    """Forget the keys of forms taken more than SUBMISSION_KEPT ago."""
    from sqlalchemy import delete

    done = db.session.execute(
        delete(Submission).where(Submission.created_at < utcnow() - SUBMISSION_KEPT)
    )
    return done.rowcount or 0


# --- rendering -------------------------------------------------------------------------


def html_params(**attributes) -> Markup:
    """WTForms' html_params (wtforms/widgets/core.py), with the same output: attributes
    sorted by name, `data_`/`aria_` names with hyphens, True a bare name, False none,
    values escaped and any `"` left in a Markup value written `&quot;`. WTForms formats
    each attribute with Markup.format (string.Formatter, about 40 calls each): a case
    page with its forms spent a tenth of its time there. Installed by `speed_up_widgets`."""
    params = []
    for name, value in sorted(attributes.items()):
        name = clean_key(name)
        if value is True:
            params.append(str(escape(name)))
        elif value is not False:
            params.append(f'{escape(name)}="{str(escape(value)).replace(chr(34), "&quot;")}"')
    return Markup(" ".join(params))  # noqa: S704 (each part escaped above)


def speed_up_widgets() -> None:
    """WTForms' widgets and fields write their attributes with `html_params` above."""
    widgets.core.html_params = html_params
    widgets.html_params = html_params
    widgets.core.Input.html_params = staticmethod(html_params)
    widgets.core.Button.html_params = staticmethod(html_params)
