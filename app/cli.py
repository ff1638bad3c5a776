"""Flask CLI commands (`flask --app wsgi ...`). Commands that manage data act on both
instances unless --instance names one."""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

import click
from flask import Flask, current_app

INSTANCE_OPTION = click.option(
    "--instance",
    type=click.Choice(["production", "training", "all"]),
    default="all",
    show_default=True,
    help="Which instance to act on.",
)


def _apps(instance: str) -> list[Flask]:
    from app.jobs import app_for

    names = ["production", "training"] if instance == "all" else [instance]
    own = current_app._get_current_object()
    return [own if own.config["INSTANCE"] == name else app_for(name) for name in names]


def init_app(app: Flask) -> None:
    @app.cli.command("db-upgrade")
    @INSTANCE_OPTION
    def db_upgrade(instance: str) -> None:
        """Apply the database migrations."""
        from app.migrate import upgrade

        for target in _apps(instance):
            upgrade(target)
            click.echo(f"{target.config['INSTANCE']}: database at the latest migration")

    @app.cli.command("seed-demo")
    @INSTANCE_OPTION
    def seed_demo(instance: str) -> None:
        """Create the demo authorities and accounts (idempotent)."""
        from app import demo

        for target in _apps(instance):
            with target.app_context():
                accounts = demo.seed()
            click.echo(f"{target.config['INSTANCE']}: {len(accounts)} demo accounts ready")

    @app.cli.command("demo-accounts")
    @INSTANCE_OPTION
    @click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
    def demo_accounts(instance: str, as_json: bool) -> None:
        """Print the demo accounts: e-mail, password, TOTP secret, authority, roles."""
        from app import demo

        for target in _apps(instance):
            with target.app_context():
                for account in demo.list_accounts():
                    if as_json:
                        click.echo(json.dumps(dataclasses.asdict(account), ensure_ascii=False))
                    else:
                        click.echo(
                            f"{account.instance:10} {account.email:38} {','.join(account.roles):22} "
                            f"{account.country} {account.authority}"
                        )

    @app.cli.command("worker")
    @INSTANCE_OPTION
    @click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
    def worker(instance: str, burst: bool) -> None:
        """Run an RQ worker (with scheduler) for the instances' queues."""
        from rq.serializers import JSONSerializer

        from app.jobs import QUEUES, queue, redis_connection
        from app.jobs.retention import ensure_scheduled
        from app.jobs.worker import CappedWorker

        targets = _apps(instance)
        connections = {t.config["REDIS_URL"] for t in targets}
        if None in connections:
            click.echo("REDIS_URL is not set: jobs run in-process, no worker is needed.")
            sys.exit(1)
        if len(connections) > 1:
            click.echo("The instances use different Redis servers: run one worker per instance.")
            sys.exit(1)
        queues = [queue(t, name) for t in targets for name in QUEUES]
        for target in targets:
            ensure_scheduled(target)
        try:  # load WeasyPrint, fonts and the PDF stylesheet once: every forked job starts warm
            from app.records import pdf_render

            pdf_render.warm_up()
        except OSError:  # Pango missing: PDF jobs will fail and say so; the rest runs
            click.echo("WeasyPrint cannot load its libraries: PDF exports will fail.")
        caps = {
            queue(t, "pdf").name: t.config["PDF_MEMORY_LIMIT_MB"] * 1024 * 1024 for t in targets
        }
        CappedWorker(
            queues,
            connection=redis_connection(targets[0]),
            serializer=JSONSerializer,
            memory_caps=caps,
        ).work(with_scheduler=True, burst=burst)

    @app.cli.command("outbox-flush")
    @INSTANCE_OPTION
    def outbox_flush(instance: str) -> None:
        """Queue again the unsent outbox mail whose job is lost (after an outage of Redis
        or SMTP); mail already waiting in a queue is left there."""
        from app import mail

        for target in _apps(instance):
            queued = mail.flush(target)
            click.echo(f"{target.config['INSTANCE']}: {queued} pending mails queued")

    @app.cli.command("purge")
    @INSTANCE_OPTION
    def purge(instance: str) -> None:
        """Delete expired sessions and old rate-limit counters (run it hourly from cron)."""
        from app.accounts import ratelimit
        from app.sessions import purge_expired

        for target in _apps(instance):
            with target.app_context():
                sessions = purge_expired()
                counters = ratelimit.purge()
                from app.extensions import db

                db.session.commit()
            click.echo(
                f"{target.config['INSTANCE']}: {sessions} expired sessions, "
                f"{counters} old rate-limit counters deleted"
            )

    @app.cli.group("requests")
    def requests_group() -> None:
        """Requests between authorities."""

    @requests_group.command("remind")
    @INSTANCE_OPTION
    @click.option("--as-of", "as_of", default=None, help="The day to act as (ISO date).")
    def requests_remind(instance: str, as_of: str | None) -> None:
        """Send the reply-date reminders due today that have not gone out (run it daily
        from cron; the worker's scheduler also sends them on their day)."""
        from datetime import date

        from app.cases.requests import notices as request_notices
        from app.models.base import utcnow

        try:
            today = date.fromisoformat(as_of) if as_of else utcnow().date()
        except ValueError:
            raise click.BadParameter(
                "use an ISO date like 2027-01-31", param_hint="--as-of"
            ) from None
        for target in _apps(instance):
            with target.app_context():
                sent = request_notices.remind_all(today)
            click.echo(f"{target.config['INSTANCE']}: {sent} reminders sent")

    @app.cli.group("retention")
    def retention_group() -> None:
        """Blocking and erasure of personal data (Reg. 1024/2012 art. 14)."""

    @retention_group.command("run")
    @INSTANCE_OPTION
    @click.option("--as-of", "as_of", default=None, help="The moment to act as (ISO, UTC).")
    @click.option("--dry-run", is_flag=True, help="Print what is due; change nothing.")
    def retention_run(instance: str, as_of: str | None, dry_run: bool) -> None:
        """Block and erase what is due (the worker also runs it daily at 02:30 UTC)."""
        from datetime import UTC, datetime

        from app.records import retention

        try:
            moment = datetime.fromisoformat(as_of) if as_of else None
        except ValueError:
            raise click.BadParameter(
                "use an ISO time like 2027-01-31T12:00:00", param_hint="--as-of"
            ) from None
        if moment is not None and moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        for target in _apps(instance):
            with target.app_context():
                report = retention.run(moment, dry_run=dry_run)
            for line in report.lines():
                click.echo(f"{target.config['INSTANCE']}: {line}")

    @app.cli.group("audit")
    def audit_group() -> None:
        """The audit trail."""

    @audit_group.command("verify")
    @INSTANCE_OPTION
    @click.option(
        "--known-head",
        "known_heads",
        multiple=True,
        help="A head hash printed or logged earlier: fail if the chain no longer holds it "
        "(rows cut off the end).",
    )
    def audit_verify(instance: str, known_heads: tuple[str, ...]) -> None:
        """Check the hash chain of the audit trail; exit 1 at the first broken row."""
        from app.records import audit

        failed = False
        for target in _apps(instance):
            with target.app_context():
                result = audit.verify(known_heads)
            name = target.config["INSTANCE"]
            if result.broken_at is not None:
                failed = True
                click.echo(f"{name}: chain broken at event {result.broken_at}", err=True)
            elif result.lost_head is not None:
                failed = True
                click.echo(
                    f"{name}: head {result.lost_head} is missing: events were removed "
                    "from the end of the trail",
                    err=True,
                )
            else:
                click.echo(
                    f"{name}: {result.checked} audit events, chain intact, head {result.head}"
                )
        sys.exit(1 if failed else 0)

    @app.cli.group("procedures")
    def procedures_group() -> None:
        """Procedure packs (procedures are data)."""

    @procedures_group.command("check")
    def procedures_check() -> None:
        """Validate every pack and its 24 catalogs (complete, plural forms as in CLDR,
        compiling); exit 1 on any error or gap."""
        from app.procedures import PackError, load_pack, pack_folders

        failed = False
        folders = pack_folders([Path(d) for d in current_app.config["PROCEDURE_DIRS"]])
        for folder in folders:
            try:
                pack = load_pack(folder)
            except PackError as error:
                failed = True
                click.echo(f"{folder.name}: INVALID", err=True)
                for problem in error.problems:
                    click.echo(f"  - {problem}", err=True)
                continue
            gaps = pack.missing_translations()
            total = len(pack.source_strings())
            status = "ok" if not gaps else f"{len(gaps)} languages incomplete"
            click.echo(f"{pack.key} v{pack.version} ({pack.kind}, {total} texts): {status}")
            for language, missing in sorted(gaps.items()):
                failed = True
                click.echo(f"  {language}: {total - len(missing)}/{total} translated", err=True)
        from app.i18n_check import check_procedure_catalogs

        for problem in check_procedure_catalogs(folders):
            failed = True
            click.echo(f"  {problem}", err=True)
        click.echo(f"{len(folders)} packs checked")
        sys.exit(1 if failed else 0)

    @procedures_group.command("catalogs")
    def procedures_catalogs() -> None:
        """Write each pack's 24 catalogs from its English texts (translations kept)."""
        from app.procedures import registry, write_catalogs

        for pack in registry(current_app).values():
            write_catalogs(pack)
            click.echo(f"{pack.key}: catalogs written")

    @procedures_group.command("sync")
    @INSTANCE_OPTION
    def procedures_sync(instance: str) -> None:
        """Make the procedure table list every loaded pack (for access grants)."""
        from app.procedures.store import sync

        for target in _apps(instance):
            with target.app_context():
                count = sync()
            click.echo(f"{target.config['INSTANCE']}: {count} procedures")

    @app.cli.group("translations")
    def translations_group() -> None:
        """Interface translations."""

    @translations_group.command("check")
    def translations_check() -> None:
        """Fail on a missing or fuzzy entry, a placeholder mismatch, plural forms that
        differ from CLDR's or a catalog that does not compile."""
        from app.i18n_check import check_catalogs

        problems = check_catalogs()
        for problem in problems:
            click.echo(problem, err=True)
        if problems:
            sys.exit(1)
        click.echo("translations: all 24 catalogs complete")

    @app.cli.group("public")
    def public_group() -> None:
        """Cases of the public interface."""

    @public_group.command("purge")
    @INSTANCE_OPTION
    def public_purge(instance: str) -> None:
        """Delete cases never confirmed within 48 hours (with their files) and old
        rate-limit counters (cron, hourly)."""
        from app.cases.public import purge_unconfirmed

        for target in _apps(instance):
            with target.app_context():
                count = purge_unconfirmed()
            click.echo(f"{target.config['INSTANCE']}: {count} unconfirmed public cases deleted")

    @app.cli.group("alerts")
    def alerts_group() -> None:
        """Alerts and notifications."""

    @alerts_group.command("remind")
    @INSTANCE_OPTION
    @click.option("--as-of", "as_of", default=None, help="The day to act as (ISO date).")
    def alerts_remind(instance: str, as_of: str | None) -> None:
        """Send the send-by reminders of unsent alerts due today that have not gone out
        (run it daily from cron; the worker's scheduler also sends them on their day)."""
        from datetime import date

        from app.cases.alerts import notices as alert_notices
        from app.models.base import utcnow

        try:
            today = date.fromisoformat(as_of) if as_of else utcnow().date()
        except ValueError:
            raise click.BadParameter(
                "use an ISO date like 2027-01-31", param_hint="--as-of"
            ) from None
        for target in _apps(instance):
            with target.app_context():
                sent = alert_notices.remind_all(today)
            click.echo(f"{target.config['INSTANCE']}: {sent} reminders sent")

    @app.cli.group("search")
    def search_group() -> None:
        """Officers' search of their cases."""

    @search_group.command("reindex")
    @INSTANCE_OPTION
    def search_reindex(instance: str) -> None:
        """Rebuild the search text of every case (after an upgrade; safe to run again)."""
        from app.cases.search import reindex_all

        for target in _apps(instance):
            with target.app_context():
                count = reindex_all()
            click.echo(f"{target.config['INSTANCE']}: {count} cases indexed")
