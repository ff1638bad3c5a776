"""The sender's changes to an alert: new versions (revisions), files, withdrawal and
closure; and the record of a file's download."""

from __future__ import annotations

from app.cases.alerts.compose import missing_fields, typed_fields
from app.cases.alerts.lifecycle import LIFECYCLE, AlertError, notify
from app.cases.alerts.parties import receiving
from app.extensions import db
from app.models import Alert, AlertAttachment, AlertRevision, AlertState
from app.models.base import utcnow
from app.policy import Actor
from app.procedures.store import pinned_pack


def update(actor: Actor, alert: Alert, values: dict[str, str], message: str, note: str) -> None:
    """A new version: recipients see which fields changed."""
    LIFECYCLE.require(actor, alert, "update")
    pack = pinned_pack(alert.procedure_key, alert.pack_version)
    fields = typed_fields(pack, values)
    if missing_fields(pack, fields):
        raise AlertError("fields")
    message = message.strip()
    changed = [f.key for f in pack.fields if (alert.fields or {}).get(f.key) != fields.get(f.key)]
    if message != alert.message:
        changed.append("message")
    if not changed:
        raise AlertError("unchanged")
    alert.revision += 1
    alert.fields = fields
    alert.message = message
    alert.revisions.append(
        AlertRevision(
            number=alert.revision,
            fields=dict(fields),
            message=message,
            changed_keys=changed,
            user_id=actor.user.id,
        )
    )
    LIFECYCLE.perform(
        actor,
        alert,
        "update",
        note,
        data={"revision": alert.revision, "changed": changed},
        details={"revision": alert.revision},
        checked=True,
    )


def withdraw(actor: Actor, alert: Alert, reason: str) -> None:
    LIFECYCLE.require(actor, alert, "withdraw")
    alert.withdrawal_reason = LIFECYCLE.need(reason, "reason")
    alert.closed_at = utcnow()
    LIFECYCLE.perform(actor, alert, "withdraw", reason, checked=True)


def close(actor: Actor, alert: Alert, note: str = "") -> None:
    LIFECYCLE.require(actor, alert, "close")
    alert.closed_at = utcnow()
    LIFECYCLE.perform(actor, alert, "close", note, checked=True)


# --- files ---------------------------------------------------------------------------------


def attach(actor: Actor, alert: Alert, filename: str, stream) -> AlertAttachment:
    """The sender adds a file (a draft, or a broadcast alert); AttachmentError if the
    file is refused. Recipients of a broadcast alert hear of it as an update."""
    from app.cases import attachments

    LIFECYCLE.require(actor, alert, "attach")
    attachment = _attached(actor, alert, attachments.store(filename, stream))
    if alert.state == AlertState.SENT:
        notify(alert, receiving(alert), "updated")
    db.session.commit()
    return attachment


def attach_held(actor: Actor, alert: Alert, files: list) -> None:
    """The files held while composing a draft become its own, as if added on its page."""
    from app.cases import held

    held.hand_over(LIFECYCLE, actor, alert, files, _attached)


def _attached(actor: Actor, alert: Alert, stored) -> AlertAttachment:
    from app.cases import attachments

    attachment = attachments.row(actor, AlertAttachment, stored, alert_id=alert.id)
    alert.attachments.append(attachment)
    db.session.flush()
    LIFECYCLE.record(actor, alert, "attachment", data={"filename": attachment.filename})
    LIFECYCLE.audit(
        actor, alert, "attachment_added", attachment=attachment.id, sha256=attachment.sha256
    )
    return attachment


def attachment_of(alert: Alert, attachment_id: int) -> AlertAttachment | None:
    return next((a for a in alert.attachments if a.id == attachment_id), None)


def record_download(actor: Actor, alert: Alert, attachment: AlertAttachment) -> None:
    LIFECYCLE.audit(actor, alert, "attachment_downloaded", attachment=attachment.id)
    db.session.commit()
