"""Requests: the inbox, composing a draft and sending it, and the coordinators' list of
referred disagreements. The case page and its actions are in page.py and actions.py."""

from __future__ import annotations

from flask import current_app, flash, redirect, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _

from app.blueprints import held_files, pack_forms
from app.blueprints.access import current_actor, permission
from app.blueprints.requests import bp
from app.blueprints.requests.forms import ComposeForm
from app.blueprints.requests.page import load, refusal, today
from app.cases import inbox, packforms, requests
from app.cases.kernel import CaseError
from app.cases.requests.labels import STATE_LABELS
from app.extensions import db
from app.forms import already
from app.htmx import render
from app.models import Request
from app.procedures import registry
from app.procedures.store import pinned_pack
from app.records import audit
from app.reference import COUNTRIES, countries_among, sorted_countries
from app.template_gettext import resolved

# --- inbox -------------------------------------------------------------------------------


@bp.get("")
@permission("request:view")
def index():
    """The inbox; htmx swaps the list and the counters together."""
    actor = current_actor()
    args = request.args
    filters = inbox.Filters(
        box=args.get("box", "received"),
        state=args.get("state", ""),
        procedure=args.get("procedure", "")[:80],
        country=args.get("country", "")[:2],
        overdue=args.get("overdue") == "1",
        unassigned=args.get("unassigned") == "1",
        proposed=args.get("proposed") == "1",
        urgent=args.get("urgent") == "1",
        sort=args.get("sort", "activity"),
        after=args.get("after", "")[:80],
    )
    day = today()
    page = inbox.page(actor, filters, day)
    counts = inbox.counts(actor, day)  # before the read's commit, in the same transaction
    audit.listed(
        actor, "request.list_viewed", "request", [r.id for r in page.items], box=filters.box
    )
    packs = sorted(
        (p for p in registry(current_app).values() if p.kind == "request"), key=lambda p: p.key
    )
    return render(
        "requests/inbox.html",
        block="inbox",
        filters=filters,
        # The filter form is kept per choice (app/shell.py), not per value typed in a URL.
        filters_kept=filters.procedure in {"", *(p.key for p in packs)}
        and filters.country in {"", *COUNTRIES},
        page=page,
        counts=counts,
        today=day,
        packs=packs,
        countries=sorted_countries(str(get_locale())),
        state_labels=resolved(STATE_LABELS),
        actor=actor,
    )


# --- composing ---------------------------------------------------------------------------


def _country_filter() -> str:
    country = request.values.get("country", "")
    return country if country in COUNTRIES else ""


def _compose_form(actor, pack, draft: Request | None = None) -> tuple[ComposeForm, requests.Offer]:
    """The compose form; the responding authorities of one country when one is chosen,
    or of all when not too many (a procedure may have thousands of them), and the one
    chosen already."""
    form = ComposeForm(obj=draft)
    if draft is not None and request.method == "GET":
        form.responder.data = draft.responder_authority_id
        form.questions.data = [q.question_key for q in draft.questions]
    form.urgency.choices = urgency_choices(pack, str(get_locale()))
    if form.urgency.data is None:
        form.urgency.data = ""
    offer = requests.offer(
        pack.key, but=actor.authority.id, country=_country_filter(), keep=form.responder.data
    )
    # An empty first choice: the officer picks the authority, none is picked for them.
    language = str(get_locale())
    form.responder.choices = [
        ("", _("Choose")),
        *((a.id, a.choice_label(language)) for a in offer.authorities),
    ]
    return form, offer


def urgency_choices(pack, language: str) -> list[tuple[str, str]]:
    """The urgency levels to choose from, each with its deadline: normal first (none when
    the pack declares no level)."""
    if not pack.workflow.urgency:
        return []

    def within(urgency: str) -> str:
        days = pack.working_days("reply", urgency) or 20
        return ngettext(
            "reply within %(num)s working day", "reply within %(num)s working days", days
        )

    # Translators: the urgency level of a request that is not urgent.
    normal = _("Normal")
    return [
        ("", f"{normal} ({within('')})"),
        *(
            (u.key, f"{pack.gettext(u.label, language)} ({within(u.key)})")
            for u in pack.workflow.urgency
        ),
    ]


def urgency_texts(pack, language: str) -> tuple[str, str]:
    """The articles behind the deadlines of the pack's levels, and what a reason for
    urgency should say, in `language`."""
    flow = pack.workflow
    bases = dict.fromkeys(b for b in (flow.basis, *(u.basis for u in flow.urgency)) if b)
    hints = dict.fromkeys(u.reason_hint for u in flow.urgency if u.reason and u.reason_hint)
    return (
        "; ".join(pack.gettext(b, language) for b in bases),
        " ".join(pack.gettext(h, language) for h in hints),
    )


def _countries(offer: requests.Offer, chosen: str) -> tuple[tuple[str, str], ...]:
    """The country filter's choices: every country, or those where an authority answers
    when not all are listed (and the one chosen)."""
    if offer.countries is None:
        return sorted_countries(str(get_locale()))
    return countries_among(offer.countries | {chosen}, str(get_locale()))


@bp.route("/new", methods=["GET", "POST"])
@permission("request:compose")
def compose():
    """Step 1: choose the procedure; step 2: the responding authority and questions."""
    actor = current_actor()
    packs = requests.requestable_packs(actor)
    key = request.values.get("procedure", "")
    pack = next((p for p in packs if p.key == key), None)
    if pack is None:
        if key:
            flash(refusal("procedure"), "error")
        return render("requests/choose.html", packs=packs)
    return _compose(actor, pack, None)


@bp.route("/<int:request_id>/edit", methods=["GET", "POST"])
@permission("request:compose")
def edit(request_id: int):
    """Change a draft, and send it."""
    actor = current_actor()
    item = load(request_id)
    if not requests.may(actor, item, "edit"):
        flash(refusal("state"), "error")
        return redirect(url_for("requests.case", request_id=item.id))
    if request.method == "GET":
        audit.read(actor, "request.viewed", "request", item.id, page="edit")
    return _compose(actor, pinned_pack(item.procedure_key, item.pack_version), item)


def _compose(actor, pack, draft: Request | None):
    """The compose page of a new request or a draft: saved (and sent) when the form and
    its details hold; the details are required only when sending. The country filter is
    a button of the same form: it shows the page again with everything typed kept and
    saves nothing, files neither (with htmx, only the list of authorities is swapped).
    Files chosen with a form that comes back are held and listed until it is saved."""
    form, offer = _compose_form(actor, pack, draft)
    details = packforms.fields_form(
        pack,
        draft.details if draft else None,
        "send" in request.form,
        questions=pack.request_fields,
        prefix="detail-",
        limit=2000,
        formdata=pack_forms.formdata(),
    )
    filtering = "filter" in request.form
    files = held_files.take(f"user:{actor.user.id}", new=not filtering)
    if not filtering and pack_forms.posted(form, details) and not files.refused:
        saved = _save_and_maybe_send(actor, form, pack, draft, details.stored(), files.files)
        if saved is not None:
            return saved
    if files.refused:
        form.files.errors = [refusal(files.refused)]
    urgency_basis, urgency_hint = urgency_texts(pack, str(get_locale()))
    return render(
        "requests/compose.html",
        block="responders" if filtering else None,
        status=400 if form.errors or details.errors else 200,
        form=form,
        packform=details,
        pack=pack,
        draft=draft,
        held=files,
        max_bytes=current_app.config["ATTACHMENT_MAX_BYTES"],
        country=_country_filter(),
        countries=_countries(offer, _country_filter()),
        country_first=offer.country_first,
        urgency_basis=urgency_basis,
        urgency_hint=urgency_hint,
    )


def _save_and_maybe_send(
    actor, form: ComposeForm, pack, item: Request | None, details: dict, files: list
):
    """Save the draft with its files, then send it if asked: a redirect to the case, or
    None with the reason on the form. A draft that saved but could not be sent stays a
    draft."""
    earlier = already(
        form,
        url_for("requests.case", request_id=item.id) if item else _case_url,
        creates=None if item else Request,
    )
    if earlier is not None:
        return redirect(earlier)
    try:
        item = requests.save_draft(actor, _draft_from(form, pack.key, details), item)
        requests.attach_held(actor, item, files)
    except CaseError as error:
        db.session.rollback()
        _form_error(form, error)
        return None
    if "send" not in request.form:
        flash(_("The draft has been saved."))
        return redirect(url_for("requests.case", request_id=item.id))
    try:
        requests.send(actor, item)
    except CaseError as error:
        db.session.rollback()
        flash(refusal(error.code), "error")
        flash(_("The draft has been saved."))
        return redirect(url_for("requests.edit", request_id=item.id))
    flash(_("The request has been sent."))
    return redirect(url_for("requests.case", request_id=item.id))


def _case_url(item: Request) -> str:
    return url_for("requests.case", request_id=item.id)


def _draft_from(form: ComposeForm, procedure_key: str, details: dict) -> requests.Draft:
    return requests.Draft(
        procedure_key=procedure_key,
        responder_id=form.responder.data or 0,
        subject=form.subject.data or "",
        message=form.message.data or "",
        question_keys=form.questions.data or [],
        details=details,
        urgency=form.urgency.data or "",
        urgency_reason=form.urgency_reason.data or "",
    )


def _form_error(form, error: CaseError) -> None:
    field = {
        "responder": "responder",
        "questions": "questions",
        "subject": "subject",
        "urgency": "urgency",
        "urgency_reason": "urgency_reason",
    }.get(error.code)
    target = getattr(form, field) if field and hasattr(form, field) else None
    message = refusal(error.code)
    if target is not None:
        target.errors = [*target.errors, message]
    else:
        form.form_errors.append(message)


# --- referrals ---------------------------------------------------------------------------


@bp.get("/referrals")
@permission("request:referral:resolve")
def referrals():
    """Disagreements referred to the actor's coordinator authority."""
    items = requests.referred_to(current_actor())
    audit.listed(
        current_actor(), "request.list_viewed", "request", [r.id for r in items], box="referrals"
    )
    return render(
        "requests/referrals.html",
        items=items,
        state_labels=STATE_LABELS,
    )
