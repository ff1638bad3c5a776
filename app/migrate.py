"""Run Alembic migrations for one app instance (SQLite or PostgreSQL)."""

from pathlib import Path

from alembic import command
from alembic.config import Config
from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def alembic_config(app: Flask) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.set_main_option(
        "sqlalchemy.url", app.config["SQLALCHEMY_DATABASE_URI"].replace("%", "%%")
    )
    return config


def upgrade(app: Flask, revision: str = "head") -> None:
    command.upgrade(alembic_config(app), revision)
