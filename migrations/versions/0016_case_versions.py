"""Optimistic locking of cases, and the submissions already taken

- `version` on request, alert and public_case (a repository record has numbered its
  versions since 0004): every UPDATE names the version it read (SQLAlchemy
  `version_id_col`), so of two officers acting on one case at once the second changes
  nothing and is told so, with their text kept.
- `submission`: the idempotency key of each rendered form that changed something,
  written in the same transaction as the change; a second post of the same form is
  answered with the first one's page (`url`) and creates nothing.

Revision ID: 0016
Revises: 0015
"""

from alembic import op
import sqlalchemy as sa


revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

CASES = ("request", "alert", "public_case")


def upgrade() -> None:
    for table in CASES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("version", sa.Integer(), server_default="1", nullable=False)
            )
    op.create_table(
        "submission",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("url", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_submission")),
    )
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_submission_created_at"), ["created_at"], unique=False)


def downgrade() -> None:
    op.drop_table("submission")
    for table in CASES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("version")
