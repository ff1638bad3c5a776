"""Request reminder jobs scheduled before the one reminder job (app/jobs/reminders.py)
still name this function; it hands them over."""

from app.jobs.reminders import remind_job as _remind


def remind_job(instance: str, request_id: int, kind: str) -> None:
    _remind(instance, "request", request_id, kind)
