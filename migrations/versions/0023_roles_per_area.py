"""Roles per legislative area, and delegation of coordinators by region

A membership's roles may now hold in some legislative areas only (`role_areas`: role ->
its areas); every existing membership gets none listed, so each of its roles keeps
holding in all areas, as before. Authorities get a region (a NUTS code), and delegated
coordinators the region they are delegated for (empty: the whole country).

Revision ID: 0023
Revises: 0022
"""

from alembic import op
import sqlalchemy as sa


revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("membership") as batch_op:
        # '{}': no role limited to areas, that is every role in all areas
        batch_op.add_column(
            sa.Column("role_areas", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
        )
    with op.batch_alter_table("authority") as batch_op:
        batch_op.add_column(
            sa.Column("region", sa.String(length=10), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column(
                "coordinated_region", sa.String(length=10), nullable=False, server_default=""
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("authority") as batch_op:
        batch_op.drop_column("coordinated_region")
        batch_op.drop_column("region")
    with op.batch_alter_table("membership") as batch_op:
        batch_op.drop_column("role_areas")
