"""The translation routes take every kind's translatable texts by name, and nothing else."""

from __future__ import annotations

import pytest
from werkzeug.exceptions import NotFound

from app.translation import texts


def test_every_translatable_text_has_its_route_and_nothing_else(app):
    # Given the routes of the app
    adapter = app.url_map.bind("localhost")

    # Then each text the kinds declare is routed, another name is not
    assert {"request", "request_event", "alert_event", "public_event"} <= set(texts.names())
    for name in texts.names():
        assert adapter.match(f"/translations/{name}/1")[0] == "translations.show"
    with pytest.raises(NotFound):
        adapter.match("/translations/user/1")
    # and the names are asked for (texts.names()), not read from an attribute the module
    # makes up on first use
    assert not hasattr(texts, "KINDS")
