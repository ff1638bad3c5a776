"""Public interface cases

Revision ID: 0005
Revises: 0004
"""

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('public_hit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_hash', sa.String(length=64), nullable=False),
    sa.Column('form', sa.String(length=40), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_public_hit'))
    )
    with op.batch_alter_table('public_hit', schema=None) as batch_op:
        batch_op.create_index('ix_public_hit_client_form_at', ['client_hash', 'form', 'at'], unique=False)

    op.create_table('public_case',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=16), nullable=False),
    sa.Column('procedure_key', sa.String(length=80), nullable=False),
    sa.Column('pack_version', sa.Integer(), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('authority_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('unconfirmed', 'submitted', 'in_progress', 'awaiting_submitter', 'closed', name='publiccasestate', native_enum=False, length=32), nullable=False),
    sa.Column('submitter_name', sa.String(length=200), nullable=False),
    sa.Column('submitter_email', sa.String(length=254), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('confirm_hash', sa.String(length=64), nullable=True),
    sa.Column('confirm_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('unread', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['authority_id'], ['authority.id'], name=op.f('fk_public_case_authority_id_authority')),
    sa.ForeignKeyConstraint(['procedure_key'], ['procedure.key'], name=op.f('fk_public_case_procedure_key_procedure')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_public_case')),
    sa.UniqueConstraint('confirm_hash', name=op.f('uq_public_case_confirm_hash')),
    sa.UniqueConstraint('reference', name=op.f('uq_public_case_reference')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_public_case_token_hash'))
    )
    with op.batch_alter_table('public_case', schema=None) as batch_op:
        batch_op.create_index('ix_public_case_authority_updated', ['authority_id', 'updated_at', 'id'], unique=False)

    op.create_table('public_case_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['public_case.id'], name=op.f('fk_public_case_event_case_id_public_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_public_case_event_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_public_case_event'))
    )
    with op.batch_alter_table('public_case_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_public_case_event_case_id'), ['case_id'], unique=False)

    op.create_table('public_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('storage_name', sa.String(length=64), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['public_case.id'], name=op.f('fk_public_document_case_id_public_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'], name=op.f('fk_public_document_uploaded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_public_document')),
    sa.UniqueConstraint('storage_name', name=op.f('uq_public_document_storage_name'))
    )
    with op.batch_alter_table('public_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_public_document_case_id'), ['case_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('public_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_public_document_case_id'))

    op.drop_table('public_document')
    with op.batch_alter_table('public_case_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_public_case_event_case_id'))

    op.drop_table('public_case_event')
    with op.batch_alter_table('public_case', schema=None) as batch_op:
        batch_op.drop_index('ix_public_case_authority_updated')

    op.drop_table('public_case')
    with op.batch_alter_table('public_hit', schema=None) as batch_op:
        batch_op.drop_index('ix_public_hit_client_form_at')

    op.drop_table('public_hit')
