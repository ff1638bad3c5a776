"""A request's files: adding one from the case page, and downloading one, only for the
two authorities of the request."""

from __future__ import annotations

from flask import abort, request, url_for
from flask_babel import gettext as _

from app.blueprints.access import current_actor, permission
from app.blueprints.files import send_stored
from app.blueprints.requests import bp, forms
from app.blueprints.requests.page import case_page, done, load, refusal, refused
from app.cases import attachments, requests
from app.cases.kernel import CaseError
from app.extensions import db
from app.forms import already, current
from app.models import Attachment
from app.records import audit


@bp.post("/<int:request_id>/attachments")
@permission("request:act")
def attach(request_id: int):
    """Add a file to the request."""
    item = load(request_id)
    form = forms.AttachForm()
    upload = request.files.get("file")
    if not form.validate_on_submit() or upload is None or not upload.filename:
        if not form.errors:
            form.file.errors = [_("Choose a file.")]
        return case_page(item, status=400, attach=form)
    if (earlier := already(form, url_for("requests.case", request_id=item.id))) is not None:
        return done(item, _("The file has been added."), earlier)
    try:
        with current(item):  # a file conflicts with nothing: only a lost race refuses it
            requests.attach(current_actor(), item, upload.filename, upload.stream)
    except CaseError as error:
        return refused(item, error, "attach", attach=form)
    except attachments.AttachmentError as error:
        db.session.rollback()
        form.file.errors = [refusal(error.code)]
        return case_page(item, status=400, attach=form)
    return done(item, _("The file has been added."))


@bp.get("/<int:request_id>/attachments/<int:attachment_id>")
@permission("request:view")
def download(request_id: int, attachment_id: int):
    """A file of a request, always as a download, only to the two authorities (the
    coordinators of a referral read the case, not its files)."""
    item = load(request_id)
    attachment = db.session.get(Attachment, attachment_id)
    if (
        attachment is None
        or attachment.request_id != item.id
        or requests.side_of(current_actor(), item) is None
    ):
        audit.denied(current_actor(), "request", item.id, attachment=attachment_id)
        abort(404)
    requests.record_download(current_actor(), item, attachment)
    return send_stored(attachments.download(attachment))
