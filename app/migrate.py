"""Run Alembic migrations for one app instance (SQLite or PostgreSQL)."""

from pathlib import Path

import click
from alembic import command
from alembic.config import Config
from flask import Flask

from app.cli import INSTANCE_OPTION, each_instance

ROOT = Path(__file__).resolve().parent.parent


def alembic_config(database_url: str) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade_database(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def upgrade(app: Flask, revision: str = "head") -> None:
    upgrade_database(app.config["SQLALCHEMY_DATABASE_URI"], revision)


@click.command("db-upgrade")
@INSTANCE_OPTION
def db_upgrade(instance: str) -> None:
    """Apply the database migrations."""
    for name, target in each_instance(instance):
        upgrade(target)
        click.echo(f"{name}: database at the latest migration")


COMMANDS = (db_upgrade,)
