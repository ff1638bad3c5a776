"""Request reminder jobs (scheduled for their day when a request is sent)."""

from app.jobs import app_for


def remind_job(instance: str, request_id: int, kind: str) -> None:
    from app.cases.requests import notices as request_notices
    from app.models.base import utcnow

    with app_for(instance).app_context():
        request_notices.remind(request_id, kind, utcnow().date())
