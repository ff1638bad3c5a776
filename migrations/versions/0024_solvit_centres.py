"""SOLVIT as it works: the lead centre, the running clock, the outcome and the hand-over
of a structural problem to the Commission's SOLVIT desk, on public_case

Revision ID: 0024
Revises: 0023
"""

from alembic import op
import sqlalchemy as sa


revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("public_case", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lead_country", sa.String(length=2), nullable=True))
        batch_op.add_column(sa.Column("lead_authority_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("lead_unread", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("clock", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("due_on", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("reminders_sent", sa.JSON(), server_default="[]", nullable=False)
        )
        batch_op.add_column(sa.Column("contacted_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("sent_to_lead_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("lead_accepted_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("outcome", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("desk_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("handed_over_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("handover_summary", sa.Text(), server_default="", nullable=False)
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_public_case_lead_authority_id_authority"),
            "authority",
            ["lead_authority_id"],
            ["id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_public_case_desk_id_authority"), "authority", ["desk_id"], ["id"]
        )
        batch_op.create_index(
            "ix_public_case_lead_updated", ["lead_authority_id", "updated_at", "id"], unique=False
        )
        batch_op.create_index("ix_public_case_desk", ["desk_id", "handed_over_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("public_case", schema=None) as batch_op:
        batch_op.drop_index("ix_public_case_desk")
        batch_op.drop_index("ix_public_case_lead_updated")
        batch_op.drop_constraint(
            batch_op.f("fk_public_case_desk_id_authority"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_public_case_lead_authority_id_authority"), type_="foreignkey"
        )
        for column in (
            "handover_summary", "handed_over_at", "desk_id", "outcome", "lead_accepted_at",
            "sent_to_lead_at", "contacted_at", "reminders_sent", "due_on", "clock",
            "lead_unread", "lead_authority_id", "lead_country",
        ):
            batch_op.drop_column(column)
