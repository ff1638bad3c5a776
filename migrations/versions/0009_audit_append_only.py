"""Indexes for the audit search; the audit trail is append-only on PostgreSQL: a trigger refuses UPDATE, DELETE and
TRUNCATE of audit_event unless the transaction says it is maintenance
(SET LOCAL openimi.audit_maintenance = 'on'), which the application never does.

The hash chain still shows any change made around the trigger (by a superuser who
drops or disables it): `flask audit verify`.

Revision ID: 0009
Revises: 0008
"""

from alembic import op


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index('ix_audit_event_object', ['object_type', 'object_id'], unique=False)
        batch_op.create_index('ix_audit_event_authority', ['authority_id', 'id'], unique=False)
        batch_op.create_index('ix_audit_event_actor', ['actor_id', 'id'], unique=False)
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute(
        """
        CREATE FUNCTION audit_event_append_only() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF coalesce(current_setting('openimi.audit_maintenance', true), '') = 'on' THEN
                RETURN NULL;
            END IF;
            RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP
                USING ERRCODE = 'insufficient_privilege';
        END
        $$
        """
    )
    op.execute(
        """
        CREATE TRIGGER audit_event_append_only
        BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_event
        FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()
        """
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event')
        op.execute('DROP FUNCTION IF EXISTS audit_event_append_only()')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_event_actor')
        batch_op.drop_index('ix_audit_event_authority')
        batch_op.drop_index('ix_audit_event_object')
