"""Mail delivery job."""

from app.jobs import app_for


def deliver(instance: str, message_id: int) -> None:
    from app import mail

    with app_for(instance).app_context():
        mail.deliver(message_id)
