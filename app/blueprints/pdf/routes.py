"""Case records as PDF.

GET /pdf/<kind>/<id> hands a small case's PDF over at once (at most
`pdf.INLINE_MAX_EVENTS` timeline entries: well under a second); for a larger case it
shows a page whose button prepares it. POST prepares it in the background (queue `pdf`)
and leads to the export's page, whose status block htmx reloads every two seconds until
the file is ready (without JavaScript, a Refresh link). Every route asks `pdf.visible`, the case
pages' own gate: whoever cannot see the case gets a 404 here too. `audit=1` (a box ticked
beside the PDF link) adds the case's audit extract as an annex; without it, none.
"""

from __future__ import annotations

from flask import Response, abort, redirect, request, send_file, url_for
from flask_babel import get_locale

from app.blueprints.access import current_actor, permission
from app.blueprints.pdf import bp
from app.forms import Form
from app.htmx import render
from app.models import ExportStatus
from app.records import audit, pdf

KIND = "<any(request, alert, repository_record, public_case, notification):kind>"


def _case(kind: str, object_id: int):
    actor = current_actor()
    item = pdf.visible(actor, kind, object_id)
    if item is None:
        audit.denied(actor, kind, object_id, pdf=True)
        abort(404)
    return item


def _with_audit(values) -> bool:
    return values.get("audit") == "1"


def _pdf_response(data: bytes, item) -> Response:
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{pdf.filename_for(item)}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get(f"/{KIND}/<int:object_id>")
@permission("case:pdf:export")
def export(kind: str, object_id: int):
    """Download a case as PDF (a large one: the page that prepares it)."""
    item = _case(kind, object_id)
    with_audit = _with_audit(request.args)
    if pdf.inline_allowed(kind, item):
        return _pdf_response(pdf.export_now(current_actor(), kind, item, with_audit), item)
    return render("pdf/prepare.html", kind=kind, item=item, form=Form(), with_audit=with_audit)


@bp.post(f"/{KIND}/<int:object_id>")
@permission("case:pdf:export")
def prepare(kind: str, object_id: int):
    """Have a case's PDF prepared in the background."""
    item = _case(kind, object_id)
    form = Form()
    if not form.validate_on_submit():
        abort(400)
    language = str(get_locale() or "en")
    export = pdf.prepare(current_actor(), kind, item, language, _with_audit(request.form))
    return redirect(url_for("pdf.status", export_id=export.id), code=303)


def _export(export_id: int):
    export = pdf.export_for(current_actor(), export_id)
    if export is None:
        abort(404)
    return export


@bp.get("/exports/<int:export_id>")
@permission("case:pdf:export")
def status(export_id: int):
    """Where a prepared PDF stands; htmx polls the status block until it is done."""
    export = _export(export_id)
    item = pdf.visible(current_actor(), export.kind, export.object_id)
    # A finished status block carries no trigger: the poller replaces itself and stops.
    return render(
        "pdf/status.html",
        block="status",
        export=export,
        shown=pdf.shown_status(export).value,
        item=item,
    )


@bp.get("/exports/<int:export_id>/file")
@permission("case:pdf:export")
def download(export_id: int):
    """The prepared PDF, only to the authority that asked for it."""
    export = _export(export_id)
    if export.status != ExportStatus.DONE:
        abort(404)
    item = pdf.visible(current_actor(), export.kind, export.object_id)
    path = pdf.path_of(export)
    if not path.is_file():
        abort(404)
    pdf.record_download(current_actor(), export, item)
    response = send_file(
        path,
        mimetype="application/pdf",
        as_attachment=True,
        download_name=pdf.filename_for(item),
        max_age=0,
    )
    response.headers["Cache-Control"] = "no-store"
    return response
