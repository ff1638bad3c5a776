"""Notifications assessed by the Commission (e-commerce Art 3(4)-(6), Services
Directive Art 15(7), 35 and 39(5), EPC requirement notifications)

Revision ID: 0020
Revises: 0019
"""

from alembic import op
import sqlalchemy as sa


revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('procedure_key', sa.String(length=80), nullable=False),
    sa.Column('pack_version', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('draft', 'asked', 'awaiting_validation', 'notified', 'assessed', 'objected', 'withdrawn', name='notificationstate', native_enum=False, length=32), nullable=False),
    sa.Column('notifier_authority_id', sa.Integer(), nullable=False),
    sa.Column('notifier_user_id', sa.Integer(), nullable=False),
    sa.Column('notifier_country', sa.String(length=2), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('establishment_country', sa.String(length=2), nullable=False),
    sa.Column('urgent', sa.Boolean(), nullable=False),
    sa.Column('urgency_reason', sa.Text(), nullable=False),
    sa.Column('ask_first', sa.Boolean(), nullable=False),
    sa.Column('needs_validation', sa.Boolean(), nullable=False),
    sa.Column('validator_authority_id', sa.Integer(), nullable=True),
    sa.Column('commission_authority_id', sa.Integer(), nullable=True),
    sa.Column('reply', sa.Text(), nullable=False),
    sa.Column('decision', sa.Text(), nullable=False),
    sa.Column('withdrawal_reason', sa.Text(), nullable=False),
    sa.Column('assess_by', sa.Date(), nullable=True),
    sa.Column('measures_from', sa.Date(), nullable=True),
    sa.Column('deadline_basis', sa.JSON(), nullable=False),
    sa.Column('record_ids', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('asked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('replied_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('notified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('block_due', sa.DateTime(timezone=True), nullable=True),
    sa.Column('erase_due', sa.DateTime(timezone=True), nullable=True),
    sa.Column('blocked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['commission_authority_id'], ['authority.id'], name=op.f('fk_notification_commission_authority_id_authority')),
    sa.ForeignKeyConstraint(['notifier_authority_id'], ['authority.id'], name=op.f('fk_notification_notifier_authority_id_authority')),
    sa.ForeignKeyConstraint(['notifier_user_id'], ['user.id'], name=op.f('fk_notification_notifier_user_id_user')),
    sa.ForeignKeyConstraint(['procedure_key'], ['procedure.key'], name=op.f('fk_notification_procedure_key_procedure')),
    sa.ForeignKeyConstraint(['validator_authority_id'], ['authority.id'], name=op.f('fk_notification_validator_authority_id_authority')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification'))
    )
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_block_due'), ['block_due'], unique=False)
        batch_op.create_index('ix_notification_commission', ['commission_authority_id', 'updated_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notification_erase_due'), ['erase_due'], unique=False)
        batch_op.create_index('ix_notification_notifier_updated', ['notifier_authority_id', 'updated_at', 'id'], unique=False)

    op.create_table('notification_event',
    sa.Column('notification_id', sa.Integer(), nullable=False),
    sa.Column('authority_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['authority_id'], ['authority.id'], name=op.f('fk_notification_event_authority_id_authority')),
    sa.ForeignKeyConstraint(['notification_id'], ['notification.id'], name=op.f('fk_notification_event_notification_id_notification'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_notification_event_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_event'))
    )
    with op.batch_alter_table('notification_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_event_notification_id'), ['notification_id'], unique=False)

    op.create_table('notification_recipient',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('notification_id', sa.Integer(), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('authority_id', sa.Integer(), nullable=False),
    sa.Column('establishment', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['authority_id'], ['authority.id'], name=op.f('fk_notification_recipient_authority_id_authority')),
    sa.ForeignKeyConstraint(['notification_id'], ['notification.id'], name=op.f('fk_notification_recipient_notification_id_notification'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_recipient')),
    sa.UniqueConstraint('notification_id', 'country', name=op.f('uq_notification_recipient_notification_id'))
    )
    with op.batch_alter_table('notification_recipient', schema=None) as batch_op:
        batch_op.create_index('ix_notification_recipient_authority', ['authority_id', 'notification_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('notification_recipient', schema=None) as batch_op:
        batch_op.drop_index('ix_notification_recipient_authority')

    op.drop_table('notification_recipient')
    with op.batch_alter_table('notification_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notification_event_notification_id'))

    op.drop_table('notification_event')
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index('ix_notification_notifier_updated')
        batch_op.drop_index(batch_op.f('ix_notification_erase_due'))
        batch_op.drop_index('ix_notification_commission')
        batch_op.drop_index(batch_op.f('ix_notification_block_due'))

    op.drop_table('notification')

