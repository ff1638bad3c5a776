"""Reminders of a notification's assessment date and of an EPC application's periods

The Commission desk is reminded of a notification's assessment date, and the home and
host authorities of the end of their EPC period, as requests, alerts and SOLVIT cases
are of theirs (app/cases/reminders.py): each case keeps the reminders already sent.

Revision ID: 0027
Revises: 0026
"""

from alembic import op
import sqlalchemy as sa


revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("notification", "epc_application"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(
                sa.Column(
                    "reminders_sent", sa.JSON(), nullable=False, server_default=sa.text("'[]'")
                )
            )


def downgrade() -> None:
    for table in ("epc_application", "notification"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("reminders_sent")
