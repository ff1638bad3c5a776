"""Alembic migrations build exactly the schema the models describe, on both databases."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

import app.models  # noqa: F401
from app.migrate import upgrade_database
from app.models.base import Base


def _differences(url: str) -> list:
    engine = create_engine(url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        diff = compare_metadata(context, Base.metadata)
    engine.dispose()
    return diff


def test_migrations_match_models_on_sqlite(tmp_path, app):
    # given a fresh SQLite database, when migrated to head
    url = f"sqlite:///{tmp_path / 'm.db'}"
    upgrade_database(url)
    # then the schema has every table and column of the models
    assert _differences(url) == []


def test_migrations_match_models_on_the_test_database(app):
    # the test database (PostgreSQL when available) was built by the same migrations
    assert _differences(app.config["SQLALCHEMY_DATABASE_URI"]) == []
