"""Serializing writers on both backends, inside the caller's transaction.

SQLite has one writer at a time, but pysqlite opens its transaction lazily at the first
INSERT/UPDATE/DELETE, so a read made before it (say, the audit log's last hash) may already
be stale when the write starts. `hold_writer` opens the transaction with BEGIN IMMEDIATE, so
what is read afterwards stays true until commit. On PostgreSQL it does nothing: rows are
locked with SELECT ... FOR UPDATE and the audit chain with a transaction-level advisory lock.

    with sessions().begin() as session:
        hold_writer(session)          # SQLite: waits (busy timeout) for the writer lock
        advisory_lock(session, AUDIT_LOCK)   # PostgreSQL: released at commit or rollback
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session


def is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def hold_writer(session: Session) -> None:
    """On SQLite, make the session's transaction a write transaction now (BEGIN IMMEDIATE).

    If pysqlite has already begun one, a write has been made in it, so the writer lock is held.
    """
    if not is_sqlite(session):
        return
    driver = session.connection().connection.driver_connection
    if not driver.in_transaction:
        session.execute(text("BEGIN IMMEDIATE"))


def advisory_lock(session: Session, key: int) -> None:
    """On PostgreSQL, hold lock `key` until the transaction ends; on SQLite, the writer lock."""
    if is_sqlite(session):
        hold_writer(session)
        return
    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
