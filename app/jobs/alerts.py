"""Alert reminder jobs scheduled before the one reminder job (app/jobs/reminders.py) still
name this function; it hands them over."""

from app.jobs.reminders import remind_job as _remind


def remind_job(instance: str, alert_id: int, kind: str) -> None:
    _remind(instance, "alert", alert_id, kind)
