"""The demo data: `make run` seeds it, and the accounts sign in for real."""

from __future__ import annotations

import dataclasses
import json

import click

from app.cli import INSTANCE_OPTION, each_instance, run_each


@click.command("seed-demo")
@INSTANCE_OPTION
def seed_demo(instance: str) -> None:
    """Create the demo authorities and accounts (idempotent)."""
    from app import demo

    run_each(instance, lambda: len(demo.seed()), "{} demo accounts ready")


@click.command("demo-accounts")
@INSTANCE_OPTION
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
def demo_accounts(instance: str, as_json: bool) -> None:
    """Print the demo accounts: e-mail, password, TOTP secret, authority, roles."""
    from app import demo

    for _name, _target in each_instance(instance):
        for account in demo.list_accounts():
            if as_json:
                click.echo(json.dumps(dataclasses.asdict(account), ensure_ascii=False))
            else:
                click.echo(
                    f"{account.instance:10} {account.email:38} {','.join(account.roles):22} "
                    f"{account.country} {account.authority}"
                )


COMMANDS = (seed_demo, demo_accounts)
