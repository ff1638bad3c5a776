"""The public interface for external actors (citizens, companies).

External visitors never sign in: their session is marked `external` and a guard makes
every endpoint outside ALLOWED a 404 for it, so no officer page is reachable from the
public interface. Cases are reached only through their private tokens; a wrong, replaced
or expired token shows the same "link not valid" page (404), whatever the reason.
"""

from __future__ import annotations

import secrets

from flask import abort, flash, redirect, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.accounts import ratelimit
from app.blueprints import held_files, pack_forms
from app.blueprints.access import permission
from app.blueprints.files import send_stored
from app.blueprints.public import bp
from app.blueprints.public.forms import ConfirmForm, LostLinkForm, ReplyForm, SubmitForm
from app.cases import attachments, packforms
from app.cases import public as service
from app.cases.public import documents
from app.extensions import db
from app.forms import already
from app.htmx import render, wants_partial
from app.pacing import uniform_duration
from app.policy import PUBLIC
from app.reference import COUNTRIES, sorted_countries

# Endpoints an external session may reach (and main.home, sent to the public start),
# and the blueprints of the public interface.
ALLOWED = {"static", "main.healthz", "main.set_language"}
EXTERNAL = {"public", "epc_public"}

ERRORS = {
    "type": _l("The answer does not match the field's type."),
    "too_many": _l("You can add at most %(n)s documents.", n=service.MAX_DOCUMENTS),
    "too_large": _l("The file is too large."),
    "storage": _l("The file could not be saved. Please try again later."),
    "empty": _l("The file is empty."),
    "file_type": _l(
        "This type of file is not accepted: use PDF, an image, an office document or plain text."
    ),
    "text": _l("Write a message or add a document."),
    "state": _l("This case is closed."),
    "country": _l("No competent authority handles this procedure in that country."),
}


@bp.before_app_request
def external_guard():
    """An external session reaches only the public interface."""
    if request.blueprint in EXTERNAL and not current_user.is_authenticated:
        session["external"] = True
        return None
    if not session.get("external") or current_user.is_authenticated:
        return None
    if request.endpoint == "main.home":
        return redirect(url_for("public.index"))
    if request.endpoint == "auth.sign_in":
        # An officer who looked at the public pages in this browser: the external
        # session ends here (it carries nothing but the language the reader chose),
        # and sign-in starts from a clean one.
        language = session.get("language")
        session.clear()
        if language:
            session["language"] = language
        return None
    if request.endpoint not in ALLOWED and request.blueprint not in EXTERNAL:
        abort(404)
    return None


def _client() -> str:
    return request.remote_addr or "unknown"


def _limited(template: str, **context):
    """The 429 page: the form again, with what was typed and the reason."""
    return render(template, status=429, limited=True, **context)


def _language() -> str:
    return str(get_locale() or "en")


def _pack_or_404(key: str):
    pack = service.public_pack(key)
    if pack is None:
        abort(404)
    return pack


@bp.get("/")
@permission(PUBLIC)
def index():
    return _index()


def _index(missing: str = "", status: int = 200):
    """The procedures, each with its countries (none chosen: the visitor says which);
    `missing` is the procedure whose country was not chosen."""
    packs = service.public_packs()
    ordered = sorted_countries(_language())  # by name in the visitor's language
    countries = {}
    for pack in packs:
        open_to = set(service.countries_for(pack.key))
        countries[pack.key] = [(code, name) for code, name in ordered if code in open_to]
    return render(
        "public/index.html", status=status, packs=packs, countries=countries, missing=missing
    )


@bp.get("/start")
@permission(PUBLIC)
def start():
    pack = _pack_or_404(request.args.get("procedure", ""))
    country = request.args.get("country", "")
    if country not in service.countries_for(pack.key):
        return _index(missing=pack.key, status=400)
    return redirect(url_for("public.new", procedure=pack.key, country=country))


@bp.route("/<procedure>/<country>/new", methods=["GET", "POST"])
@permission(PUBLIC)
def new(procedure: str, country: str):
    pack = _pack_or_404(procedure)
    if country not in COUNTRIES or country not in service.countries_for(pack.key):
        abort(404)
    form = SubmitForm()
    fields = packforms.fields_form(
        pack, sending=True, personal=False, limit=service.MAX_FIELD, formdata=pack_forms.formdata()
    )
    context = {"pack": pack, "country": country, "form": form, "packform": fields}
    if request.method != "POST":
        return render("public/new.html", held=held_files.HeldFiles(), **context)
    allowed = ratelimit.allow("public.submit", _client())
    # Documents chosen with a form that comes back are held for it (past the rate limit
    # only: a refused visitor stores nothing new).
    files = held_files.take(
        _held_owner(),
        "documents",
        limit=documents.limit(),
        most=service.MAX_DOCUMENTS,
        new=allowed,
    )
    context["held"] = files
    if not allowed:
        return _limited("public/new.html", **context)
    if pack_forms.posted(form, fields) and not files.refused:
        # The same form sent twice (a double click, a retry) makes one case.
        if (earlier := already(form, url_for("public.sent"))) is not None:
            return redirect(earlier)
        try:
            case = service.submit(
                service.Submission(
                    procedure_key=pack.key,
                    country=country,
                    name=form.name.data.strip(),
                    email=form.email.data.strip(),
                    language=_language(),
                    details=fields.stored(),
                    description=form.description.data.strip(),
                    files=[],
                    held=files.files,
                )
            )
        except service.PublicError as error:
            db.session.rollback()  # the form's key stays free
            form.documents.errors = [_document_error(error.code)]
        else:
            session["public_sent"] = case.reference
            return redirect(url_for("public.sent"))
    if files.refused:
        form.documents.errors = [_document_error(files.refused)]
    return render("public/new.html", status=400, **context)


def _document_error(code: str) -> str:
    return str(ERRORS.get("file_type" if code == "type" else code, ERRORS["type"]))


def _held_owner() -> str:
    """Whose held documents a form's token carries: this visitor's session."""
    return "visitor:" + session.setdefault("held_owner", secrets.token_urlsafe(16))


@bp.get("/sent")
@permission(PUBLIC)
def sent():
    return render("public/sent.html", reference=session.get("public_sent"))


def _link_not_valid():
    return render("public/not_valid.html", status=404)


def _case_by_token(token: str):
    """The submitter's case behind the link, or the "link not valid" page (404)."""
    item = service.by_token(token)
    if item is None:
        abort(_link_not_valid())
    return item


@bp.route("/confirm/<token>", methods=["GET", "POST"])
@permission(PUBLIC)
def confirm(token: str):
    form = ConfirmForm()
    if request.method == "POST":
        if not ratelimit.allow("public.confirm", _client()):
            return render("public/confirm.html", status=429, form=form, limited=True)
        case = service.unconfirmed(token)
        if case is None:
            return _link_not_valid()
        if form.validate():
            token = service.confirm(case)
            return render("public/confirmed.html", reference=case.reference, token=token)
    case = service.unconfirmed(token)
    if case is None:
        return _link_not_valid()
    return render("public/confirm.html", form=form, reference=case.reference)


def _case_page(case, token: str, form: ReplyForm, status: int = 200, **context):
    return render(
        "public/case.html",
        block="case",
        status=status,
        case=case,
        token=token,
        form=form,
        pack=service.pack_of(case),
        # The SOLVIT centres' exchanges are theirs: the applicant reads the home centre.
        events=[e for e in case.events if e.kind not in service.solvit.INTERNAL_EVENTS],
        **context,
    )


@bp.get("/case/<token>")
@permission(PUBLIC)
def case(token: str):
    item = _case_by_token(token)
    service.record_submitter_read(item, "submitter_viewed")
    return _case_page(item, token, ReplyForm(formdata=None))


@bp.post("/case/<token>/reply")
@permission(PUBLIC)
def reply(token: str):
    item = _case_by_token(token)
    form = ReplyForm()
    if not ratelimit.allow("public.reply", _client()):
        return _case_page(item, token, form, status=429, limited=True)
    if form.validate():
        try:
            service.submitter_reply(item, form.text.data or "", request.files.getlist("documents"))
        except service.PublicError as error:
            code = "file_type" if error.code == "type" else error.code
            form.text.errors = [str(ERRORS.get(code, ERRORS["text"]))]
        else:
            if wants_partial():
                return _case_page(item, token, ReplyForm(formdata=None), sent=True)
            flash(_("Your message has been sent to the authority."), "success")
            return redirect(url_for("public.case", token=token))
    return _case_page(item, token, form, status=400)


@bp.get("/case/<token>/documents/<int:document_id>")
@permission(PUBLIC)
def document(token: str, document_id: int):
    item = _case_by_token(token)
    found = next((d for d in item.documents if d.id == document_id), None)
    if found is None:
        return _link_not_valid()
    service.record_submitter_read(item, "submitter_document_downloaded", document=found.id)
    return send_stored(attachments.download(found))


@bp.route("/lost-link", methods=["GET", "POST"])
@permission(PUBLIC)
def lost_link():
    form = LostLinkForm()
    if request.method == "POST":
        if not ratelimit.allow("public.lost_link", _client()):
            return render("public/lost_link.html", status=429, form=form, limited=True)
        if form.validate():
            with uniform_duration():  # the same answer, in the same time, for any address
                service.lost_link(form.email.data)
            return render("public/lost_link.html", form=form, done=True)
        return render("public/lost_link.html", status=400, form=form)
    return render("public/lost_link.html", form=form)
