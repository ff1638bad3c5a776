"""The applicant's side: an account (registration with a confirmation link, sign-in),
the documents kept in it, applications that re-use them, and the card's certificate.

Applicants never reach officer pages: their session names only `epc_applicant_id`,
which nothing of the officers' side reads (app/blueprints/access.py knows officers
only), and every loader here is scoped to the signed-in applicant (another's
application or document is a 404).
"""

from __future__ import annotations

from functools import wraps

from flask import abort, flash, g, redirect, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.accounts import credentials, ratelimit
from app.blueprints import pack_forms
from app.blueprints.access import permission
from app.blueprints.coordination.forms import EmptyForm
from app.blueprints.epc import public_bp as bp
from app.blueprints.epc.forms import (
    ApplyForm,
    DocumentsForm,
    RegisterForm,
    SignInForm,
    SupplementForm,
)
from app.blueprints.files import send_stored
from app.cases import attachments, packforms
from app.cases.epc import accounts, applications, certificate, periods
from app.cases.epc.labels import EVENT_LABELS, PURPOSE_LABELS, STATE_LABELS
from app.cases.epc.lifecycle import LIFECYCLE, EpcError
from app.extensions import db
from app.htmx import render
from app.models.base import utcnow
from app.policy import PUBLIC
from app.reference import sorted_countries

SESSION_KEY = "epc_applicant_id"

ERRORS = {
    "too_many": _l("You can keep at most %(n)s documents in your account.", n=accounts.MAX_DOCUMENTS),
    "too_large": _l("The file is too large."),
    "storage": _l("The file could not be saved. Please try again later."),
    "empty": _l("The file is empty."),
    "type": _l("This type of file is not accepted: use PDF, an image, an office document or plain text."),
    "documents": _l("Choose documents of your account."),
    "country": _l("No competent authority handles the card in one of these Member States, or they are the same."),
    "details": _l("Check the details of your application."),
    "procedure": _l("Applications for the card are not open."),
    "state": _l("This is not possible at this stage of the application."),
}  # fmt: skip


def _client() -> str:
    return request.remote_addr or "unknown"


def _language() -> str:
    return str(get_locale() or "en")


def applicant_required(view):
    """The signed-in applicant as `g.applicant`, else the sign-in page."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        applicant = accounts.get(session.get(SESSION_KEY))
        if applicant is None:
            return redirect(url_for("epc_public.sign_in"))
        g.applicant = applicant
        return view(*args, **kwargs)

    return wrapper


@bp.route("/register", methods=["GET", "POST"])
@permission(PUBLIC)
def register():
    """Create an account: a link to confirm the address is mailed."""
    form = RegisterForm()
    if request.method == "POST":
        if not ratelimit.allow("epc.register", _client()):
            return render("epc/register.html", status=429, form=form, limited=True)
        if form.validate():
            problem = credentials.password_problem(
                form.password.data, hints=(form.email.data, form.full_name.data)
            )
            if problem:
                form.password.errors = [problem]
            else:
                accounts.register(
                    form.email.data, form.full_name.data, form.password.data, _language()
                )
                # The same page whether the address had an account or not.
                return render("epc/registered.html")
        return render("epc/register.html", status=400, form=form)
    return render("epc/register.html", form=form)


@bp.get("/confirm/<token>")
@permission(PUBLIC)
def confirm(token: str):
    applicant = accounts.confirm(token)
    if applicant is None:
        return render("epc/link_invalid.html", status=404)
    flash(_("Your address is confirmed. Sign in to apply."), "success")
    return redirect(url_for("epc_public.sign_in"))


@bp.route("/sign-in", methods=["GET", "POST"])
@permission(PUBLIC)
def sign_in():
    form = SignInForm()
    if request.method == "POST":
        if not ratelimit.allow("epc.sign_in", _client()):
            return render("epc/sign_in.html", status=429, form=form, limited=True)
        if form.validate():
            applicant = accounts.authenticate(form.email.data, form.password.data)
            if applicant is not None:
                language = session.get("language")
                session.clear()
                session.rotate()  # a new session id at sign-in (no fixation)
                session[SESSION_KEY] = applicant.id
                session["signed_in_at"] = utcnow().isoformat()
                if language:
                    session["language"] = language
                return redirect(url_for("epc_public.account"))
            form.password.errors = [_("The e-mail address or the password is not right.")]
        return render("epc/sign_in.html", status=400, form=form)
    return render("epc/sign_in.html", form=form)


@bp.post("/sign-out")
@permission(PUBLIC)
def sign_out():
    session.destroy()  # the app's CSRF protection checked the post's token
    return redirect(url_for("epc_public.sign_in"))


@bp.get("/account")
@permission(PUBLIC)
@applicant_required
def account():
    return _account_page(DocumentsForm(formdata=None))


def _account_page(form: DocumentsForm, status: int = 200):
    return render(
        "epc/account.html",
        status=status,
        applicant=g.applicant,
        form=form,
        cases=applications.own_applications(g.applicant),
        state_labels=STATE_LABELS,
        purposes=PURPOSE_LABELS,
    )


@bp.route("/account/delete", methods=["GET", "POST"])
@permission(PUBLIC)
@applicant_required
def delete_account():
    """Delete the account and its documents, once no application of it is kept; else say
    when it will be."""
    form = EmptyForm()
    allowed = accounts.deletable(g.applicant)
    if allowed and form.validate_on_submit():
        accounts.delete(g.applicant)
        session.destroy()
        flash(_("Your account and your documents have been deleted."))
        return redirect(url_for("epc_public.sign_in"))
    return render("epc/delete_account.html", form=form, allowed=allowed)


@bp.post("/documents")
@permission(PUBLIC)
@applicant_required
def add_documents():
    """Keep documents in the account, to send with this and later applications."""
    form = DocumentsForm()
    if form.validate():
        try:
            accounts.add_documents(g.applicant, request.files.getlist("documents"))
        except EpcError as error:
            db.session.rollback()
            form.documents.errors = [str(ERRORS.get(error.code, ERRORS["type"]))]
        else:
            db.session.commit()
            flash(_("Your documents are kept in your account."), "success")
            return redirect(url_for("epc_public.account"))
    return _account_page(form, status=400)


@bp.get("/documents/<int:document_id>")
@permission(PUBLIC)
@applicant_required
def document(document_id: int):
    found = accounts.own_document(g.applicant, document_id)
    if found is None:
        abort(404)
    return send_stored(attachments.download(found))


def _countries(pack_countries: list[str]) -> list[tuple[str, str]]:
    return [("", _("Choose a Member State"))] + [
        (code, name) for code, name in sorted_countries(_language()) if code in pack_countries
    ]


@bp.route("/apply", methods=["GET", "POST"])
@permission(PUBLIC)
@applicant_required
def apply():
    """An application, with documents chosen from the account."""
    pack = applications.pack()
    if pack is None:
        abort(404)
    open_to = applications.countries()
    form = ApplyForm()
    form.home_country.choices = form.host_country.choices = _countries(open_to)
    form.documents.choices = [(d.id, d.filename) for d in g.applicant.documents]
    details = packforms.fields_form(
        pack, sending=True, personal=False, limit=2000, formdata=pack_forms.formdata()
    )
    context = {"form": form, "packform": details, "pack": pack}
    if pack_forms.posted(form, details):
        try:
            case = applications.submit(
                g.applicant,
                applications.Application(
                    form.home_country.data,
                    form.host_country.data,
                    details.stored(),
                    form.documents.data or [],
                ),
            )
        except EpcError as error:
            db.session.rollback()
            field = form.host_country if error.code == "country" else form.documents
            field.errors = [str(ERRORS.get(error.code, ERRORS["details"]))]
        else:
            flash(
                _("Your application %(reference)s has been sent.", reference=case.reference),
                "success",
            )
            return redirect(url_for("epc_public.application", application_id=case.id))
        return render("epc/apply.html", status=400, **context)
    status = 400 if request.method == "POST" else 200
    return render("epc/apply.html", status=status, **context)


def _own(application_id: int):
    case = applications.own_application(g.applicant, application_id)
    if case is None:
        abort(404)
    return case


def _application_page(case, form: SupplementForm, status: int = 200):
    form.documents.choices = [
        (d.id, d.filename) for d in g.applicant.documents if d not in case.documents
    ]
    return render(
        "epc/application.html",
        status=status,
        case=case,
        pack=applications.pack(),
        form=form,
        may_supplement=LIFECYCLE.may(None, case, "supplement"),
        running=periods.current(case),
        state_labels=STATE_LABELS,
        event_labels=EVENT_LABELS,
        purposes=PURPOSE_LABELS,
        code=applications.shown_code(case),
        valid=applications.is_valid(case),
    )


@bp.get("/applications/<int:application_id>")
@permission(PUBLIC)
@applicant_required
def application(application_id: int):
    return _application_page(_own(application_id), SupplementForm(formdata=None))


@bp.post("/applications/<int:application_id>/documents")
@permission(PUBLIC)
@applicant_required
def supplement(application_id: int):
    """Send documents of the account the home authority listed as missing."""
    case = _own(application_id)
    form = SupplementForm()
    form.documents.choices = [(d.id, d.filename) for d in g.applicant.documents]
    if form.validate():
        try:
            applications.supplement(g.applicant, case, form.documents.data or [])
        except EpcError as error:
            db.session.rollback()
            form.documents.errors = [str(ERRORS.get(error.code, ERRORS["state"]))]
        else:
            flash(_("Your documents have been sent to the home authority."), "success")
            return redirect(url_for("epc_public.application", application_id=case.id))
    return _application_page(_own(application_id), form, status=400)


@bp.get("/applications/<int:application_id>/certificate.pdf")
@permission(PUBLIC)
@applicant_required
def certificate_pdf(application_id: int):
    """The card's certificate, while the application holds a card."""
    case = _own(application_id)
    if case.card_code is None:
        abort(404)
    data = certificate.render_pdf(case)
    response = current_response(data)
    response.headers["Content-Disposition"] = f'attachment; filename="EPC-{case.card_code}.pdf"'
    return response


def current_response(data: bytes):
    from flask import make_response

    response = make_response(data)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Cache-Control"] = "private, no-store"
    return response
