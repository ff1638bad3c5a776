"""Which section of the header's navigation a page belongs to, so the header can mark it
(aria-current): a page is in the section of its blueprint, with the exceptions below."""

from __future__ import annotations

from flask import request

# blueprint -> section (the key the header's links use)
_BLUEPRINTS = {
    "requests": "requests",
    "alerts": "alerts",
    "notifications": "notifications",
    "repositories": "repositories",
    "directory": "directory",
    "public_cases": "public_cases",
    "coordination": "coordination",
    "audit": "coordination",
    "proof": "coordination",
    "accounts": "users",
}
# endpoint -> section, where it differs from its blueprint's
_ENDPOINTS = {
    "requests.referrals": "coordination",
    "accounts.profile": "account",
    "accounts.switch_authority": "account",
}


def section() -> str | None:
    """The section of the page being rendered, or None (home, search, sign-in...)."""
    endpoint = request.endpoint or ""
    if endpoint in _ENDPOINTS:
        return _ENDPOINTS[endpoint]
    return _BLUEPRINTS.get(endpoint.partition(".")[0])
