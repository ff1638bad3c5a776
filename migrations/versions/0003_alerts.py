"""Alerts and notifications (one-to-many)

Revision ID: 0003
Revises: 0002
"""

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('alert',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('procedure_key', sa.String(length=80), nullable=False),
    sa.Column('pack_version', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('draft', 'awaiting_validation', 'sent', 'withdrawn', 'closed', name='alertstate', native_enum=False, length=32), nullable=False),
    sa.Column('sender_authority_id', sa.Integer(), nullable=False),
    sa.Column('sender_user_id', sa.Integer(), nullable=False),
    sa.Column('sender_country', sa.String(length=2), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('recipient_countries', sa.JSON(), nullable=False),
    sa.Column('to_commission', sa.Boolean(), nullable=False),
    sa.Column('needs_validation', sa.Boolean(), nullable=False),
    sa.Column('validator_authority_id', sa.Integer(), nullable=True),
    sa.Column('send_by', sa.Date(), nullable=True),
    sa.Column('reminders_sent', sa.JSON(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('withdrawal_reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['procedure_key'], ['procedure.key'], name=op.f('fk_alert_procedure_key_procedure')),
    sa.ForeignKeyConstraint(['sender_authority_id'], ['authority.id'], name=op.f('fk_alert_sender_authority_id_authority')),
    sa.ForeignKeyConstraint(['sender_user_id'], ['user.id'], name=op.f('fk_alert_sender_user_id_user')),
    sa.ForeignKeyConstraint(['validator_authority_id'], ['authority.id'], name=op.f('fk_alert_validator_authority_id_authority')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert'))
    )
    with op.batch_alter_table('alert', schema=None) as batch_op:
        batch_op.create_index('ix_alert_sender_updated', ['sender_authority_id', 'updated_at', 'id'], unique=False)
        batch_op.create_index('ix_alert_state_send_by', ['state', 'send_by'], unique=False)

    op.create_table('alert_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('alert_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('authority_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['alert_id'], ['alert.id'], name=op.f('fk_alert_event_alert_id_alert'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['authority_id'], ['authority.id'], name=op.f('fk_alert_event_authority_id_authority')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_alert_event_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_event'))
    )
    with op.batch_alter_table('alert_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_event_alert_id'), ['alert_id'], unique=False)

    op.create_table('alert_recipient',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('alert_id', sa.Integer(), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('coordinator_authority_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('received', 'disseminated', 'handled', name='recipientstate', native_enum=False, length=32), nullable=False),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_by_id', sa.Integer(), nullable=True),
    sa.Column('seen_revision', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['acknowledged_by_id'], ['user.id'], name=op.f('fk_alert_recipient_acknowledged_by_id_user')),
    sa.ForeignKeyConstraint(['alert_id'], ['alert.id'], name=op.f('fk_alert_recipient_alert_id_alert'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['coordinator_authority_id'], ['authority.id'], name=op.f('fk_alert_recipient_coordinator_authority_id_authority')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_recipient')),
    sa.UniqueConstraint('alert_id', 'country', name=op.f('uq_alert_recipient_alert_id'))
    )
    with op.batch_alter_table('alert_recipient', schema=None) as batch_op:
        batch_op.create_index('ix_alert_recipient_coordinator', ['coordinator_authority_id', 'alert_id'], unique=False)

    op.create_table('alert_dissemination',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('alert_id', sa.Integer(), nullable=False),
    sa.Column('authority_id', sa.Integer(), nullable=False),
    sa.Column('seen_revision', sa.Integer(), nullable=False),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['acknowledged_by_id'], ['user.id'], name=op.f('fk_alert_dissemination_acknowledged_by_id_user')),
    sa.ForeignKeyConstraint(['alert_id'], ['alert.id'], name=op.f('fk_alert_dissemination_alert_id_alert'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['authority_id'], ['authority.id'], name=op.f('fk_alert_dissemination_authority_id_authority')),
    sa.ForeignKeyConstraint(['recipient_id'], ['alert_recipient.id'], name=op.f('fk_alert_dissemination_recipient_id_alert_recipient'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_dissemination')),
    sa.UniqueConstraint('recipient_id', 'authority_id', name=op.f('uq_alert_dissemination_recipient_id'))
    )
    with op.batch_alter_table('alert_dissemination', schema=None) as batch_op:
        batch_op.create_index('ix_alert_dissemination_authority', ['authority_id', 'alert_id'], unique=False)

    op.create_table('alert_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('alert_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('changed_keys', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['alert_id'], ['alert.id'], name=op.f('fk_alert_revision_alert_id_alert'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_alert_revision_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_revision')),
    sa.UniqueConstraint('alert_id', 'number', name=op.f('uq_alert_revision_alert_id'))
    )

    op.create_table(
        "alert_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("storage_name", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=False),
        sa.Column("authority_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["alert_id"], ["alert.id"], name=op.f("fk_alert_attachment_alert_id_alert"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["authority_id"], ["authority.id"], name=op.f("fk_alert_attachment_authority_id_authority")),
        sa.ForeignKeyConstraint(["uploaded_by_id"], ["user.id"], name=op.f("fk_alert_attachment_uploaded_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_attachment")),
        sa.UniqueConstraint("storage_name", name=op.f("uq_alert_attachment_storage_name")),
    )
    with op.batch_alter_table("alert_attachment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alert_attachment_alert_id"), ["alert_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("alert_attachment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alert_attachment_alert_id"))

    op.drop_table("alert_attachment")
    op.drop_table('alert_revision')
    with op.batch_alter_table('alert_dissemination', schema=None) as batch_op:
        batch_op.drop_index('ix_alert_dissemination_authority')

    op.drop_table('alert_dissemination')
    with op.batch_alter_table('alert_recipient', schema=None) as batch_op:
        batch_op.drop_index('ix_alert_recipient_coordinator')

    op.drop_table('alert_recipient')
    with op.batch_alter_table('alert_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alert_event_alert_id'))

    op.drop_table('alert_event')
    with op.batch_alter_table('alert', schema=None) as batch_op:
        batch_op.drop_index('ix_alert_state_send_by')
        batch_op.drop_index('ix_alert_sender_updated')

    op.drop_table('alert')
