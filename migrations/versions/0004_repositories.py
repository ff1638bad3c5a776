"""Repository records

Revision ID: 0004
Revises: 0003
"""

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('repository_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('procedure_key', sa.String(length=80), nullable=False),
    sa.Column('pack_version', sa.Integer(), nullable=False),
    sa.Column('owner_authority_id', sa.Integer(), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('state', sa.Enum('active', 'archived', name='recordstate', native_enum=False, length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_repository_record_created_by_id_user')),
    sa.ForeignKeyConstraint(['owner_authority_id'], ['authority.id'], name=op.f('fk_repository_record_owner_authority_id_authority')),
    sa.ForeignKeyConstraint(['procedure_key'], ['procedure.key'], name=op.f('fk_repository_record_procedure_key_procedure')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_repository_record_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_repository_record'))
    )
    with op.batch_alter_table('repository_record', schema=None) as batch_op:
        batch_op.create_index('ix_repository_record_list', ['procedure_key', 'updated_at', 'id'], unique=False)
        batch_op.create_index('ix_repository_record_country', ['procedure_key', 'country', 'updated_at', 'id'], unique=False)

    op.create_table('repository_record_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('changed', sa.JSON(), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('authority_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['authority_id'], ['authority.id'], name=op.f('fk_repository_record_version_authority_id_authority')),
    sa.ForeignKeyConstraint(['record_id'], ['repository_record.id'], name=op.f('fk_repository_record_version_record_id_repository_record')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_repository_record_version_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_repository_record_version')),
    sa.UniqueConstraint('record_id', 'number', name=op.f('uq_repository_record_version_record_id'))
    )


def downgrade() -> None:
    op.drop_table('repository_record_version')
    with op.batch_alter_table('repository_record', schema=None) as batch_op:
        batch_op.drop_index('ix_repository_record_country')
        batch_op.drop_index('ix_repository_record_list')
    op.drop_table('repository_record')
