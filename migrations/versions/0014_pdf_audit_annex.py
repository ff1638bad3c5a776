"""A PDF export says whether it carries the audit extract as an annex

Revision ID: 0014
Revises: 0013
"""

from alembic import op
import sqlalchemy as sa



revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('pdf_export', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('with_audit', sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table('pdf_export', schema=None) as batch_op:
        batch_op.drop_column('with_audit')
