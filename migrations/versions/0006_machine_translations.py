"""Machine translations, and the folded search text of cases

Revision ID: 0006
Revises: 0005
"""

from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('translation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_hash', sa.String(length=64), nullable=False),
    sa.Column('source_language', sa.String(length=5), nullable=False),
    sa.Column('target_language', sa.String(length=5), nullable=False),
    sa.Column('engine', sa.String(length=32), nullable=False),
    sa.Column('engine_version', sa.String(length=100), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_translation')),
    sa.UniqueConstraint('source_hash', 'source_language', 'target_language', 'engine', name=op.f('uq_translation_source_hash'))
    )
    op.create_table('translation_correction',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=False),
    sa.Column('source_hash', sa.String(length=64), nullable=False),
    sa.Column('target_language', sa.String(length=5), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('authority_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['authority_id'], ['authority.id'], name=op.f('fk_translation_correction_authority_id_authority'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_translation_correction_user_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_translation_correction'))
    )
    with op.batch_alter_table('translation_correction', schema=None) as batch_op:
        batch_op.create_index('ix_translation_correction_text', ['kind', 'object_id', 'target_language'], unique=False)

    op.create_table('translation_job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=False),
    sa.Column('source_hash', sa.String(length=64), nullable=False),
    sa.Column('source_language', sa.String(length=5), nullable=False),
    sa.Column('target_language', sa.String(length=5), nullable=False),
    sa.Column('status', sa.Enum('pending', 'submitted', 'done', 'unsupported', 'failed', name='jobstatus', native_enum=False, length=16), nullable=False),
    sa.Column('engine', sa.String(length=32), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('error', sa.String(length=32), nullable=False),
    sa.Column('external_ref', sa.String(length=64), nullable=True),
    sa.Column('parts', sa.JSON(), nullable=False),
    sa.Column('part_count', sa.Integer(), nullable=False),
    sa.Column('translation_id', sa.Integer(), nullable=True),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user.id'], name=op.f('fk_translation_job_requested_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['translation_id'], ['translation.id'], name=op.f('fk_translation_job_translation_id_translation'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_translation_job')),
    sa.UniqueConstraint('external_ref', name=op.f('uq_translation_job_external_ref')),
    sa.UniqueConstraint('kind', 'object_id', 'source_hash', 'target_language', name=op.f('uq_translation_job_kind'))
    )
    with op.batch_alter_table('translation_job', schema=None) as batch_op:
        batch_op.create_index('ix_translation_job_status', ['status', 'updated_at'], unique=False)

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('auto_translate', sa.Boolean(), nullable=False, server_default=sa.false()))

    # Filled as cases change; `flask search reindex` fills it for cases that existed.
    for table in ('request', 'alert', 'public_case'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('search_text', sa.Text(), nullable=False, server_default=''))



def downgrade() -> None:
    for table in ('request', 'alert', 'public_case'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('search_text')

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('auto_translate')

    with op.batch_alter_table('translation_job', schema=None) as batch_op:
        batch_op.drop_index('ix_translation_job_status')

    op.drop_table('translation_job')
    with op.batch_alter_table('translation_correction', schema=None) as batch_op:
        batch_op.drop_index('ix_translation_correction_text')

    op.drop_table('translation_correction')
    op.drop_table('translation')
