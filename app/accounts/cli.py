"""Housekeeping of sign-in and forms: expired sessions, old rate-limit counters and the
keys of forms taken long ago."""

from __future__ import annotations

import click

from app.cli import INSTANCE_OPTION, each_instance


@click.command("purge")
@INSTANCE_OPTION
def purge(instance: str) -> None:
    """Delete expired sessions, old rate-limit counters and the keys of forms taken over
    a week ago (run it hourly from cron)."""
    from app.accounts import ratelimit
    from app.extensions import db
    from app.forms import purge_submissions
    from app.sessions import purge_expired

    for name, _target in each_instance(instance):
        sessions = purge_expired()
        counters = ratelimit.purge()
        forms = purge_submissions()
        db.session.commit()
        click.echo(
            f"{name}: {sessions} expired sessions, {counters} old rate-limit counters, "
            f"{forms} old form keys deleted"
        )


COMMANDS = (purge,)
