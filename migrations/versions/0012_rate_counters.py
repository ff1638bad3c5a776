"""Rate limits counted atomically: one counter row per key and window replaces the rows
of sign-in failures and public form uses (counted, then inserted: a race); a lost-link
request keeps its new token pending until it is used

Revision ID: 0012
Revises: 0011
"""

from alembic import op
import sqlalchemy as sa



revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Counts in flight are dropped, not carried over: at worst an attacker gets one
    # fresh window at the moment of the upgrade.
    op.create_table('rate_counter',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('window_start', sa.Integer(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', 'window_start', name=op.f('pk_rate_counter'))
    )
    with op.batch_alter_table('rate_counter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rate_counter_expires_at'), ['expires_at'], unique=False)

    with op.batch_alter_table('auth_failure', schema=None) as batch_op:
        batch_op.drop_index('ix_auth_failure_key_at')
    op.drop_table('auth_failure')
    with op.batch_alter_table('public_hit', schema=None) as batch_op:
        batch_op.drop_index('ix_public_hit_client_form_at')
    op.drop_table('public_hit')

    with op.batch_alter_table('public_case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pending_token_hash', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_public_case_pending_token_hash'), ['pending_token_hash'])


def downgrade() -> None:
    with op.batch_alter_table('public_case', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_public_case_pending_token_hash'), type_='unique')
        batch_op.drop_column('pending_token_hash')

    op.create_table('public_hit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_hash', sa.String(length=64), nullable=False),
    sa.Column('form', sa.String(length=40), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_public_hit'))
    )
    with op.batch_alter_table('public_hit', schema=None) as batch_op:
        batch_op.create_index('ix_public_hit_client_form_at', ['client_hash', 'form', 'at'], unique=False)
    op.create_table('auth_failure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_auth_failure'))
    )
    with op.batch_alter_table('auth_failure', schema=None) as batch_op:
        batch_op.create_index('ix_auth_failure_key_at', ['key', 'at'], unique=False)

    with op.batch_alter_table('rate_counter', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rate_counter_expires_at'))
    op.drop_table('rate_counter')
