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


def test_0019_writes_every_authority_search_text_with_its_names_first(tmp_path, app):
    from sqlalchemy import text

    from app.directory import NAMES_END

    # given an authority whose search text was folded the old way (one run of words)
    url = f"sqlite:///{tmp_path / 'm.db'}"
    upgrade_database(url, "0018")
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO authority (id, kind, status, country, name, local_names, street,"
                " postcode, city, email, phone, website, competences, search_text,"
                " coordinated_procedures, created_at) VALUES (1, 'authority', 'active', 'PL',"
                " 'Chief Building Inspectorate', :local, '', '', 'Warszawa', '', '', '',"
                " 'Prawo budowlane', 'old', '[]', '2026-01-01 00:00:00')"
            ),
            {"local": '{"pl": "Główny Urząd Nadzoru Budowlanego"}'},
        )
    # when migrated to head
    upgrade_database(url)
    # then its names and city come first, ł written plain, then its free-text competences
    with engine.connect() as connection:
        written = connection.execute(text("SELECT search_text FROM authority")).scalar_one()
    engine.dispose()
    assert written == (
        f"chief building inspectorate glowny urzad nadzoru budowlanego warszawa{NAMES_END}"
        "prawo budowlane"
    )


def test_0023_leaves_every_existing_role_held_in_all_areas(tmp_path, app):
    from types import SimpleNamespace

    from sqlalchemy import text

    from app.policy import Actor

    # given a membership made before roles were held per legislative area
    url = f"sqlite:///{tmp_path / 'm.db'}"
    upgrade_database(url, "0019")
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO authority (id, kind, status, country, name, local_names, street,"
                " postcode, city, email, phone, website, competences, search_text,"
                " coordinated_procedures, created_at) VALUES (1, 'authority', 'active', 'FR',"
                " 'Ordre des médecins', '{}', '', '', 'Paris', '', '', '', '', '', '[]',"
                " '2026-01-01 00:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO user (id, email, full_name, language, auto_translate, status,"
                " totp_enrolled, totp_last_step, created_at) VALUES (1, 'luc@example.eu',"
                " 'Luc', 'fr', 0, 'active', 1, 0, '2026-01-01 00:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO membership (id, user_id, authority_id, roles, created_at)"
                " VALUES (1, 1, 1, '[\"handler\", \"allocator\"]', '2026-01-01 00:00:00')"
            )
        )
    # when migrated to head
    upgrade_database(url)
    with engine.connect() as connection:
        row = connection.execute(text("SELECT roles, role_areas FROM membership")).one()
        region = connection.execute(text("SELECT region, coordinated_region FROM authority")).one()
    engine.dispose()
    # then no role is limited to areas: each holds in every area, as before
    import json

    roles, role_areas = json.loads(row[0]), json.loads(row[1])
    assert role_areas == {}
    actor = Actor(SimpleNamespace(id=1), SimpleNamespace(roles=roles, role_areas=role_areas))
    assert (
        actor.roles_in("services")
        == actor.roles_in("professional_qualifications")
        == {
            "handler",
            "allocator",
        }
    )
    assert actor.areas() is None
    # and the authority lies in no region, delegated for none
    assert tuple(region) == ("", "")
