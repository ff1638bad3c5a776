"""Partial indexes of the open requests, for the inbox counters

The counters above every inbox (received, assigned to me, sent, drafts, overdue) count an
authority's open requests. From the full indexes they read every request the authority
ever had, closed ones included, and closed requests pile up for years: an inbox's cost
grew with its history. These two indexes hold only the requests the counters count, so
their cost follows the open work (app/cases/inbox.py `counts`).

Revision ID: 0017
Revises: 0016
"""

from alembic import op
import sqlalchemy as sa


revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

OPEN = "state IN ('sent', 'accepted', 'info_requested', 'answered')"
OPEN_OR_DRAFT = "state IN ('draft', 'sent', 'accepted', 'info_requested', 'answered')"


def upgrade() -> None:
    with op.batch_alter_table("request", schema=None) as batch_op:
        batch_op.create_index(
            "ix_request_responder_open",
            ["responder_authority_id", "handler_id", "state", "reply_due"],
            unique=False,
            postgresql_where=sa.text(OPEN),
            sqlite_where=sa.text(OPEN),
        )
        batch_op.create_index(
            "ix_request_requester_open",
            ["requester_authority_id", "state"],
            unique=False,
            postgresql_where=sa.text(OPEN_OR_DRAFT),
            sqlite_where=sa.text(OPEN_OR_DRAFT),
        )


def downgrade() -> None:
    with op.batch_alter_table("request", schema=None) as batch_op:
        batch_op.drop_index("ix_request_requester_open")
        batch_op.drop_index("ix_request_responder_open")
