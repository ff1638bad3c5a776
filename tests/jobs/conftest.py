from tests.web.requests.conftest import people  # noqa: F401  (officers of two countries)
