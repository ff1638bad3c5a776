"""Commands of the job machinery: the worker, and the outbox after an outage."""

from __future__ import annotations

import sys

import click

from app.cli import INSTANCE_OPTION, apps


@click.command("worker")
@INSTANCE_OPTION
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
def worker(instance: str, burst: bool) -> None:
    """Run an RQ worker (with scheduler) for the instances' queues."""
    from redis import Redis
    from rq.serializers import JSONSerializer

    from app.jobs import QUEUES, epc, outbox, queue, sealing
    from app.jobs.retention import ensure_scheduled
    from app.jobs.worker import CappedWorker

    targets = apps(instance)
    connections = {t.config["REDIS_URL"] for t in targets}
    if None in connections:
        click.echo("REDIS_URL is not set: jobs run in-process, no worker is needed.")
        sys.exit(1)
    if len(connections) > 1:
        click.echo("The instances use different Redis servers: run one worker per instance.")
        sys.exit(1)
    queues = [queue(t, name) for t in targets for name in QUEUES]

    def book_periodic_jobs() -> None:
        for target in targets:
            ensure_scheduled(target)
            sealing.ensure_scheduled(target)
            outbox.ensure_scheduled(target)
            epc.ensure_scheduled(target)

    book_periodic_jobs()
    try:  # load WeasyPrint, fonts and the PDF stylesheet once: every forked job starts warm
        from app.records import pdf_render

        pdf_render.warm_up()
    except OSError:  # Pango missing: PDF jobs will fail and say so; the rest runs
        click.echo("WeasyPrint cannot load its libraries: PDF exports will fail.")
    caps = {queue(t, "pdf").name: t.config["PDF_MEMORY_LIMIT_MB"] * 1024 * 1024 for t in targets}
    # A connection of its own: RQ sets the timeout its blocking dequeue needs on it, and
    # the app's connection (jobs queue jobs) keeps its short one.
    CappedWorker(
        queues,
        connection=Redis.from_url(targets[0].config["REDIS_URL"]),
        serializer=JSONSerializer,
        memory_caps=caps,
        maintenance=book_periodic_jobs,
    ).work(with_scheduler=True, burst=burst)


@click.command("outbox-flush")
@INSTANCE_OPTION
def outbox_flush(instance: str) -> None:
    """Queue again the unsent outbox mail whose job is lost (after an outage of Redis
    or SMTP); mail already waiting in a queue is left there."""
    from app import mail

    for target in apps(instance):
        queued = mail.flush(target)
        click.echo(f"{target.config['INSTANCE']}: {queued} pending mails queued")


COMMANDS = (worker, outbox_flush)
