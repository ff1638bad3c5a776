"""Free text in the reader's language: ask for a machine translation, follow its
progress, write a corrected one; and the endpoint where eTranslation posts its results.

Every text is loaded through `translations.readable`, which asks the text's own case
whether the officer may read it: a text of another authority's case is a 404.
"""

from __future__ import annotations

import hmac

from flask import abort, current_app, redirect, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from app.blueprints.access import current_actor, permission
from app.blueprints.case_labels import case_url
from app.blueprints.translations import bp
from app.extensions import csrf, db
from app.htmx import is_htmx, render
from app.policy import PUBLIC
from app.records import audit
from app.translation import callbacks as translation_callbacks
from app.translation import shown
from app.translation import texts as service

REFUSALS = {
    "empty": _l("Write your translation."),
    "too_long": _l("Use at most %(max)d characters.", max=service.MAX_CORRECTION),
    "language": _l("This text is already in your language."),
    "off": _l("Machine translation is not available on this system."),
}

KIND = "any(" + ", ".join(service.names()) + "):kind"


def _readable(kind: str, object_id: int) -> service.Text:
    text = service.readable(current_actor(), kind, object_id)
    if text is None:
        audit.denied(current_actor(), kind, object_id, page="translation")
        abort(404)
    return text


def _language() -> str:
    return str(get_locale() or "en")


def _respond(text: service.Text, error: str = "", draft: str | None = None):
    """The text's block for htmx; without JS, back to the case at the text, or the
    block on a page of its own when there is an error to show with what was written."""
    back = case_url(text.case_kind, text.case.id)
    if is_htmx() or error or request.method == "GET":
        return render(
            "translations/text.html",
            block="text",
            shown=shown.view(text, _language()),
            case_url=back,
            # A refused correction comes back in its form, with what was written.
            error=REFUSALS.get(error, "") if draft is None else "",
            correction_error=REFUSALS.get(error, "") if draft is not None else "",
            draft=draft or "",
            status=422 if error and not is_htmx() else 200,
        )
    return redirect(f"{back}#text-{text.kind}-{text.object_id}", 303)


@bp.get(f"/translations/<{KIND}>/<int:object_id>")
@permission("translation:view")
def show(kind: str, object_id: int):
    """See a text and its translation into my language (the poller's target)."""
    text = _readable(kind, object_id)
    audit.read(current_actor(), "translation.viewed", kind, object_id, target=_language())
    return _respond(text)


@bp.post(f"/translations/<{KIND}>/<int:object_id>")
@permission("translation:request")
def translate(kind: str, object_id: int):
    """Ask for a machine translation of a text into my language."""
    text = _readable(kind, object_id)
    try:
        service.request(current_actor(), text, _language(), again=bool(request.form.get("again")))
    except service.TranslationError as error:
        db.session.rollback()
        return _respond(text, error.code)
    db.session.commit()
    return _respond(text)


@bp.post(f"/translations/<{KIND}>/<int:object_id>/correction")
@permission("translation:correct")
def correct(kind: str, object_id: int):
    """Give my own translation of a text, shown as mine beside the machine's."""
    text = _readable(kind, object_id)
    wording = request.form.get("text", "").replace("\x00", "")
    try:
        service.correct(current_actor(), text, _language(), wording)
    except service.TranslationError as error:
        db.session.rollback()
        return _respond(text, error.code, draft=wording)
    db.session.commit()
    return _respond(text)


def _callback(secret: str, receive, *fields: str):
    """A call of eTranslation: 404 unless it carries the configured secret, or when
    `receive`, given the named form fields, knows no such translation."""
    expected = current_app.config["ETRANSLATION_CALLBACK_SECRET"]
    if not expected or not hmac.compare_digest(secret.encode(), expected.encode()):
        abort(404)
    if not receive(*(request.form.get(name, "") for name in fields)):
        abort(404)
    return "", 204


@bp.post("/mt/etranslation/<secret>/done")
@permission(PUBLIC)
@csrf.exempt
def etranslation_done(secret: str):
    """eTranslation posts a translation (form fields as its documentation names them)."""
    return _callback(
        secret,
        translation_callbacks.receive,
        "external-reference",
        "target-language",
        "translated-text",
    )


@bp.post("/mt/etranslation/<secret>/error")
@permission(PUBLIC)
@csrf.exempt
def etranslation_error(secret: str):
    """eTranslation reports that it could not translate a text."""
    return _callback(
        secret, translation_callbacks.receive_error, "external-reference", "error-code"
    )
