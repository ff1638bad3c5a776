"""Urgent requests and refusals: the urgency level a request was sent at, its reason,
and the ground on which a responder refused one

Directive 2014/67/EU Article 6(6): an urgent request is answered within 2 working days,
any other within 25; a pack declares its urgency levels (app/procedures/workflow.py).
Article 17: the requested authority may refuse a request for recovery or notification of
a penalty on grounds the pack lists. The urgency is kept on the request for the inbox,
its counters and statistics; a partial index holds the urgent requests alone (they are
few), another serves statistics per procedure and urgency.

Revision ID: 0021
Revises: 0020
"""

from alembic import op
import sqlalchemy as sa


revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

URGENT = "urgency <> ''"


def upgrade() -> None:
    with op.batch_alter_table("request", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("urgency", sa.String(length=32), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("urgency_reason", sa.Text(), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("refusal_ground", sa.String(length=80), nullable=False, server_default="")
        )
        batch_op.create_index(
            "ix_request_responder_urgent",
            ["responder_authority_id", "updated_at", "id", "state"],
            unique=False,
            postgresql_where=sa.text(URGENT),
            sqlite_where=sa.text(URGENT),
        )
        batch_op.create_index(
            "ix_request_procedure_urgency_sent",
            ["procedure_key", "urgency", "sent_at"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("request", schema=None) as batch_op:
        batch_op.drop_index("ix_request_procedure_urgency_sent")
        batch_op.drop_index("ix_request_responder_urgent")
        batch_op.drop_column("refusal_ground")
        batch_op.drop_column("urgency_reason")
        batch_op.drop_column("urgency")
