"""Translated copies of a case's files: ask for one (a form, or htmx), follow its
progress, download it; and the endpoints where eTranslation posts translated files.

Every file is loaded through `files.readable`, which asks the file's case and the kind's
own rule for its files: a file the officer may not read is a 404, as its download is.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, redirect, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import SelectField

from app.blueprints.access import current_actor, permission
from app.blueprints.case_labels import case_url
from app.blueprints.files import send_stored
from app.blueprints.translations import bp
from app.blueprints.translations.routes import _callback
from app.extensions import csrf, db
from app.forms import Form, required
from app.htmx import is_htmx, render
from app.policy import PUBLIC
from app.records import audit
from app.reference import sorted_languages
from app.translation import files as service

KINDS = "any(" + ", ".join(service.READERS) + "):kind"

# Why a copy cannot be asked for: about the file or the system (the page's problem), or
# about a language (that field's error).
PROBLEMS = {
    "off": _l("Machine translation is not available on this system."),
    "documents": _l("The machine translation service of this system does not translate files."),
    "type": _l("The machine translation service does not translate files of this type."),
    "unavailable": _l("The translation service is not answering. Please try again later."),
}
FIELD_ERRORS = {
    "language": ("target", _l("Choose a language to translate into.")),
    "same": ("target", _l("Choose a language other than the language of the file.")),
    "pair": ("target", _l("No machine translation between these languages is available.")),
}


class TranslateFileForm(Form):
    source = SelectField(
        _l("Language of the file"), validators=[required(_l("Choose the language of the file."))]
    )
    target = SelectField(
        _l("Translate into"), validators=[required(_l("Choose a language to translate into."))]
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = list(sorted_languages(_language()))
        self.source.choices = self.target.choices = choices


def _language() -> str:
    return str(get_locale() or "en")


def _readable(kind: str, case_id: int, file_id: int) -> service.Original:
    found = service.readable(current_actor(), kind, case_id, file_id)
    if found is None:
        named = {service.READERS[kind].key: file_id}
        audit.denied(current_actor(), kind, case_id, **named, page="translated_file")
        abort(404)
    return found


def _page(original: service.Original, form: TranslateFileForm, problem: str = "", status=200):
    """The file's copies and the form; for htmx only the block of copies (which links to
    this page when it is shown on another: the case page's block swapped)."""
    here = request.script_root + request.path
    shown_on = urlsplit(request.headers.get("HX-Current-URL", here)).path
    return render(
        "translations/file.html",
        block="copies",
        status=status,
        original=original,
        translated=service.shown(current_actor(), original.kind, original.case, [original.file]),
        form=form,
        problem=problem,
        case_url=case_url(original.kind, original.case.id),
        linked=shown_on != here,
    )


@bp.get(f"/translations/files/<{KINDS}>/<int:case_id>/<int:file_id>/translations")
@permission("file:translation:view")
def file_translations(kind: str, case_id: int, file_id: int):
    """See the translated copies of a file, and ask for one in another language."""
    original = _readable(kind, case_id, file_id)
    # The page names the file and its copies: a read of the case's data.
    audit.read(current_actor(), "translation.viewed", kind, case_id, attachment=file_id)
    reader = _language()
    if original.language:
        form = TranslateFileForm(formdata=None, source=original.language, target=reader)
    else:  # the officers' own document: most likely into the language of the case
        form = TranslateFileForm(formdata=None, source=reader, target=original.case.language)
    return _page(original, form)


@bp.post(f"/translations/files/<{KINDS}>/<int:case_id>/<int:file_id>/translations")
@permission("file:translation:request")
def translate_file(kind: str, case_id: int, file_id: int):
    """Ask for a machine-translated copy of a file; without JS, back to the case."""
    original = _readable(kind, case_id, file_id)
    if not service.may_ask(current_actor(), original.case):
        abort(403)  # reads the case, does not act on it: changes nothing
    form = TranslateFileForm()
    problem = ""
    if form.validate():
        try:
            service.ask(current_actor(), original, form.source.data, form.target.data)
        except service.FileTranslationError as error:
            db.session.rollback()
            if error.code in FIELD_ERRORS:
                name, message = FIELD_ERRORS[error.code]
                form[name].errors = [message]
            else:
                problem = PROBLEMS.get(error.code, PROBLEMS["unavailable"])
        else:
            db.session.commit()
            if not is_htmx():
                back = case_url(original.kind, original.case.id)
                return redirect(f"{back}#file-{kind}-{file_id}", 303)
            return _page(original, form)
    # htmx swaps only a 2xx answer: the refused form comes back with 200 there.
    return _page(original, form, problem, status=200 if is_htmx() else 422)


@bp.get(f"/translations/files/<{KINDS}>/<int:case_id>/<int:file_id>/translations/<int:copy_id>")
@permission("file:translation:view")
def translated_file(kind: str, case_id: int, file_id: int, copy_id: int):
    """A translated copy, always as a download, to whoever may read the original."""
    original = _readable(kind, case_id, file_id)
    copy = service.copy_of(original, copy_id)
    if copy is None or copy.storage_name is None:
        named = {service.READERS[kind].key: file_id}
        audit.denied(current_actor(), kind, case_id, **named, translated_copy=copy_id)
        abort(404)
    return send_stored(service.download(current_actor(), original, copy))


def _document() -> bytes:
    """The translated file of eTranslation's call: a file part, or base64 in `file`."""
    import base64
    import binascii

    for part in request.files.values():
        return part.read()
    try:
        return base64.b64decode(request.form.get("file", ""), validate=True)
    except (binascii.Error, ValueError):
        return b""


@bp.post("/mt/etranslation/<secret>/file-done")
@permission(PUBLIC)
@csrf.exempt
def etranslation_file_done(secret: str):
    """eTranslation posts a translated file (its HTTP destination)."""
    return _callback(
        secret,
        lambda reference, target: service.receive(reference, target, _document()),
        "external-reference",
        "target-language",
    )


@bp.post("/mt/etranslation/<secret>/file-error")
@permission(PUBLIC)
@csrf.exempt
def etranslation_file_error(secret: str):
    """eTranslation reports that it could not translate a file."""
    return _callback(secret, service.receive_error, "external-reference", "error-code")
