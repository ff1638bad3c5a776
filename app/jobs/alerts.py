"""Alert reminder jobs (scheduled for their day when a draft with a send-by date is saved)."""

from app.jobs import app_for


def remind_job(instance: str, alert_id: int, kind: str) -> None:
    from app.cases.alerts import notices as alert_notices
    from app.models.base import utcnow

    with app_for(instance).app_context():
        alert_notices.remind(alert_id, kind, utcnow().date())
