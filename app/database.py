"""A pooled PostgreSQL connection is checked before each use, without a round trip unless
its socket has something to say.

SQLAlchemy's `pool_pre_ping` sends `SELECT 1` each time a request takes a connection from
the pool: one more round trip, and a statement for PostgreSQL, on every page (issue 17).
What it finds is a connection the server has ended: a restart, an administrator's
pg_terminate_backend, an idle timeout. In each case the server sends its reason (a FATAL
error) and closes the socket, so the socket of an idle connection has something to read.
An idle connection in good health mostly has nothing to read. When it has (a message
the server sent late, such as a TLS session ticket on a new connection, or a
notification), a ping decides, as pool_pre_ping would have. So at checkout, a connection
psycopg knows to be broken or closed, or one whose socket has something to read and that
fails the ping, is replaced: the pool opens a new one and the request goes on
(tests/faults).

What neither check can see is a server that vanished without closing anything (a host
powered off, a cut cable): the first statement then waits for TCP's own timeout.
"""

from __future__ import annotations

import select

from sqlalchemy import event, exc


def check_at_checkout(engine) -> None:
    """Check `engine`'s connections at checkout (PostgreSQL; SQLite is a file)."""
    if engine.dialect.name != "postgresql":
        return

    @event.listens_for(engine, "checkout")
    def refuse_ended(dbapi_connection, connection_record, connection_proxy) -> None:
        if ended(dbapi_connection, engine.dialect.do_ping):
            # The pool replaces the connection and tries again.
            raise exc.DisconnectionError("the server ended this connection")


def ended(connection, ping) -> bool:
    """Whether the server has ended this idle psycopg connection (see the module)."""
    if connection.closed or connection.broken:
        return True
    poller = select.poll()
    poller.register(connection.fileno(), select.POLLIN | select.POLLPRI)
    if not poller.poll(0):
        return False
    try:
        ping(connection)
    except Exception:  # noqa: BLE001 (whatever the driver raises, the connection is gone)
        return True
    return False
