"""An invitation names the legislative areas of the roles it gives

An administrator who invites a colleague may limit each role that acts on cases to some
legislative areas, as on the member's page (Membership.role_areas); the membership made
on acceptance takes them. Open invitations get none listed: every role in all areas, as
before.

Revision ID: 0026
Revises: 0025
"""

from alembic import op
import sqlalchemy as sa


revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("invitation") as batch_op:
        # '{}': no role limited to areas, that is every role in all areas
        batch_op.add_column(
            sa.Column("role_areas", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
        )


def downgrade() -> None:
    with op.batch_alter_table("invitation") as batch_op:
        batch_op.drop_column("role_areas")
