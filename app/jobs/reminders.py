"""The reminder job of every kind of case (scheduled for its day by app/cases/reminders.py)."""

from app.jobs import app_for


def remind_job(instance: str, kind: str, case_id: int, which: str) -> None:
    from app.cases import reminders
    from app.models.base import utcnow

    with app_for(instance).app_context():
        reminders.remind(kind, case_id, which, utcnow().date())
