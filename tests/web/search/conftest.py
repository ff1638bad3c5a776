from tests.web.requests.conftest import people  # noqa: F401  (the two countries' officers)
