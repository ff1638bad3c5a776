"""The bare route of bench/load.py: Flask and SQLAlchemy serving the inbox's one indexed
query as a small HTML list, and nothing else (no session, no templates, no audit). It is
the ceiling that the real inbox is compared with (its query in the inbox's order, from
the index ix_request_responder_updated), under the same gunicorn settings:

    DATABASE_URL=... BARE_AUTHORITY=7 gunicorn -c deploy/gunicorn.conf.py bench.bare:app
"""

from __future__ import annotations

import os
from html import escape

from flask import Flask
from sqlalchemy import create_engine, text

from app import database

# Its connections checked at checkout as the app's are (app/database.py).
engine = create_engine(os.environ["DATABASE_URL"], pool_size=8)
database.check_at_checkout(engine)
AUTHORITY = int(os.environ["BARE_AUTHORITY"])
QUERY = text(
    "SELECT id, subject, state, updated_at FROM request WHERE responder_authority_id = :a "
    "ORDER BY updated_at DESC, id DESC LIMIT 25"
)

app = Flask(__name__)


@app.get("/bare")
def bare() -> str:
    with engine.connect() as connection:
        rows = connection.execute(QUERY, {"a": AUTHORITY}).all()
    items = "".join(
        f"<li>{row.id} {escape(row.subject)} {row.state} {row.updated_at:%Y-%m-%d}</li>"
        for row in rows
    )
    return f"<!doctype html><title>Inbox</title><ul>{items}</ul>"
