"""Alert reminder jobs (scheduled for their day when a draft with a send-by date is saved)."""

from app.jobs import app_for


def remind_job(instance: str, alert_id: int, kind: str) -> None:
    from app.models.base import utcnow
    from app.services import alert_notices

    with app_for(instance).app_context():
        alert_notices.remind(alert_id, kind, utcnow().date())
