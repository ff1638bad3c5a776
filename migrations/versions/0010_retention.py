"""Retention dates of cases: blocked and erased on the schedule of Reg. 1024/2012 art. 14

Revision ID: 0010
Revises: 0009
"""

from alembic import op
import sqlalchemy as sa



revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

TABLES = ('request', 'alert', 'public_case', 'repository_record')


def upgrade() -> None:
    # Cases closed before this upgrade get their dates from the first `retention run`.
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('block_due', sa.DateTime(timezone=True), nullable=True))
            batch_op.add_column(sa.Column('erase_due', sa.DateTime(timezone=True), nullable=True))
            batch_op.add_column(sa.Column('blocked_at', sa.DateTime(timezone=True), nullable=True))
            batch_op.add_column(sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True))
            batch_op.create_index(batch_op.f(f'ix_{table}_block_due'), ['block_due'], unique=False)
            batch_op.create_index(batch_op.f(f'ix_{table}_erase_due'), ['erase_due'], unique=False)


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_erase_due'))
            batch_op.drop_index(batch_op.f(f'ix_{table}_block_due'))
            for column in ('erased_at', 'blocked_at', 'erase_due', 'block_due'):
                batch_op.drop_column(column)
