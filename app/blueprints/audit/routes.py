"""The audit trail for national coordinators, and data-subject reports.

Both pages are reads of personal data and so are audited themselves: the trail with the
ids of the rows shown and the names of the filters used; a report with its purpose.
"""

from __future__ import annotations

from flask import Response, abort, render_template, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from app.blueprints.access import current_actor, permission
from app.blueprints.audit import bp
from app.blueprints.audit.forms import FILTER_ACTIONS, SubjectForm, TrailForm
from app.blueprints.case_labels import state_label
from app.htmx import render
from app.models.base import utcnow
from app.records import audit, audit_trail, subject_report
from app.records.audit_labels import OBJECT_LABELS, action_label


@bp.get("")
@permission("audit:trail:view")
def trail():
    """Search who read or changed what, in my country, newest first."""
    actor = current_actor()
    if not audit_trail.may_search(actor):
        abort(403)
    form = TrailForm(request.args)
    page = audit_trail.Page()
    status = 200
    if form.validate():
        query = audit_trail.Query(
            reference=(form.reference.data or "").strip(),
            object_type=form.object_type.data if form.object_type.data in OBJECT_LABELS else "",
            object_id=form.object_id.data or "",
            email=(form.email.data or "").strip(),
            authority=(form.authority.data or "").strip(),
            action=form.action.data if form.action.data in FILTER_ACTIONS else "",
            since=form.since.data,
            until=form.until.data,
            before=request.args.get("before", "")[:20],
        )
        page = audit_trail.search(actor, query)
        audit.listed(
            actor, "audit_event.searched", "audit_event", [r.event.id for r in page.rows],
            filters=query.used(),
        )  # fmt: skip
    else:
        status = 400
    args = {k: v for k, v in request.args.items() if k != "before"}
    return render(
        "audit/trail.html",
        block="results",
        status=status,
        form=form,
        page=page,
        args=args,
        object_labels=OBJECT_LABELS,
        action_label=action_label,
    )


# --- data-subject reports -------------------------------------------------------------------

REPORT_REFUSALS = {
    "purpose": _l("Say why you make this report."),
    "person": _l("Give a name, an identifier or both."),
    "purpose_names": _l(
        "Do not name the person in the purpose: the purpose is kept in the audit trail."
    ),
}


def _report_context(exchanges: list[subject_report.Exchange]) -> dict:
    language = str(get_locale())
    return {
        "exchanges": exchanges,
        "authorities": subject_report.authorities_of(exchanges),
        "procedure": {e.reference: subject_report.legal_basis(e, language) for e in exchanges},
        "state_label": lambda e: state_label(e.kind, e.state),
        "object_labels": OBJECT_LABELS,
    }


@bp.route("/subject", methods=["GET", "POST"])
@permission("audit:subject:report")
def subject_report_page():
    """Report in which exchanges a person is named, for a stated purpose (Art. 15 GDPR)."""
    actor = current_actor()
    if not subject_report.may_report(actor):
        abort(403)
    form = SubjectForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render("audit/subject.html", status=status, form=form, exchanges=None)
    person = subject_report.Person(form.name.data or "", form.identifier.data or "")
    as_pdf = "pdf" in request.form
    try:
        exchanges = subject_report.report(
            actor, person, form.purpose.data or "", "pdf" if as_pdf else "page"
        )
    except subject_report.ReportError as error:
        field = form.purpose if error.code.startswith("purpose") else form.identifier
        field.errors = [*field.errors, str(REPORT_REFUSALS.get(error.code, error.code))]
        return render("audit/subject.html", status=400, form=form, exchanges=None)
    context = _report_context(exchanges)
    if not as_pdf:
        return render("audit/subject.html", form=form, **context)
    html = render_template(
        "audit/subject_pdf.html",
        person=person,
        purpose=form.purpose.data,
        actor=actor,
        made_at=utcnow(),
        **context,
    )
    response = Response(subject_report.render_report_pdf(html), mimetype="application/pdf")
    response.headers["Content-Disposition"] = 'attachment; filename="data-subject-report.pdf"'
    response.headers["Cache-Control"] = "no-store"
    return response
