import pytest

from tests.factories import make_authority, make_user


@pytest.fixture
def authority(app):
    return make_authority("AT", name="Bundesministerium für Arbeit")


@pytest.fixture
def officer(authority):
    return make_user(authority, ["handler"], email="anna.huber@example.eu")


@pytest.fixture
def other_client(app, client):
    """A second browser (another device of the same person, or an attacker)."""
    return app.test_client()
