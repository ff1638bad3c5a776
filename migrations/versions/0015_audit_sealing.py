"""Audit rows are appended without a global lock and sealed into the hash chain later

Each row now carries `digest`, the hash of its own content, written by a plain INSERT;
`prev_hash` and `hash` (the chain) stay NULL until the sealer (app/records/sealing.py)
chains the row. Rows written before this migration keep their chain as it was (their
`digest` is NULL: `audit verify` checks them with the former formula), so heads logged
earlier still verify.

On PostgreSQL:
- a BEFORE INSERT trigger takes the shared advisory lock 727275 of the transaction and
  only then draws the row's id from the sequence. Shared locks never wait for each other;
  the sealer reads them in pg_locks to know which transactions may still hold an id it
  has not seen committed (see app/records/sealing.py). The column loses its default:
  the trigger draws the id after the lock. A row that names its own id (a COPY of a
  restore) keeps it; one named below the sealed rows is reported by `audit verify`.
- the append-only trigger refuses, as before, DELETE, TRUNCATE and any UPDATE that names
  a content column; a second, row-level trigger lets an UPDATE do one thing only: give an
  unsealed row its chain hashes, once, changing nothing else.
- the sequence keeps CACHE 1 (the sealer relies on ids being drawn one at a time), and the
  table leaves room in its pages so that sealing updates stay on the row's page.

Revision ID: 0015
Revises: 0014
"""

from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

CONTENT = "id, at, actor_id, authority_id, action, object_type, object_id, details, digest"


def upgrade() -> None:
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('digest', sa.String(length=64), nullable=True))
        batch_op.alter_column('prev_hash', existing_type=sa.String(length=64), nullable=True)
        batch_op.alter_column('hash', existing_type=sa.String(length=64), nullable=True)
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute('ALTER SEQUENCE audit_event_id_seq CACHE 1')
    op.execute('ALTER TABLE audit_event ALTER COLUMN id DROP DEFAULT')
    op.execute('ALTER TABLE audit_event SET (fillfactor = 80)')
    op.execute(
        """
        CREATE FUNCTION audit_event_in_flight() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_advisory_xact_lock_shared(727275);
            IF NEW.id IS NULL THEN
                NEW.id := nextval('audit_event_id_seq');
            END IF;
            RETURN NEW;
        END
        $$
        """
    )
    op.execute(
        """
        CREATE TRIGGER audit_event_in_flight BEFORE INSERT ON audit_event
        FOR EACH ROW EXECUTE FUNCTION audit_event_in_flight()
        """
    )
    op.execute('DROP TRIGGER audit_event_append_only ON audit_event')
    op.execute(
        f"""
        CREATE TRIGGER audit_event_append_only
        BEFORE UPDATE OF {CONTENT} OR DELETE OR TRUNCATE ON audit_event
        FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()
        """
    )
    op.execute(
        """
        CREATE FUNCTION audit_event_seal_once() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF coalesce(current_setting('openimi.audit_maintenance', true), '') = 'on' THEN
                RETURN NEW;
            END IF;
            IF OLD.hash IS NULL AND OLD.prev_hash IS NULL
               AND NEW.hash IS NOT NULL AND NEW.prev_hash IS NOT NULL
               AND to_jsonb(NEW) - 'hash' - 'prev_hash' = to_jsonb(OLD) - 'hash' - 'prev_hash'
            THEN
                RETURN NEW;
            END IF;
            RAISE EXCEPTION 'audit_event is append-only: only an unsealed row may be sealed, once'
                USING ERRCODE = 'insufficient_privilege';
        END
        $$
        """
    )
    op.execute(
        """
        CREATE TRIGGER audit_event_seal_once BEFORE UPDATE ON audit_event
        FOR EACH ROW EXECUTE FUNCTION audit_event_seal_once()
        """
    )


def downgrade() -> None:
    # Unsealed rows cannot go back to the former schema: seal them first (flask audit seal).
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP TRIGGER audit_event_seal_once ON audit_event')
        op.execute('DROP FUNCTION audit_event_seal_once()')
        op.execute('DROP TRIGGER audit_event_append_only ON audit_event')
        op.execute(
            """
            CREATE TRIGGER audit_event_append_only
            BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_event
            FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()
            """
        )
        op.execute('DROP TRIGGER audit_event_in_flight ON audit_event')
        op.execute('DROP FUNCTION audit_event_in_flight()')
        op.execute(
            "ALTER TABLE audit_event ALTER COLUMN id SET DEFAULT nextval('audit_event_id_seq')"
        )
        op.execute('ALTER TABLE audit_event RESET (fillfactor)')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.alter_column('hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('prev_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.drop_column('digest')
