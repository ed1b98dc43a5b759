"""The database engine: SQLite (embedded default) or PostgreSQL (production), the same code on both."""

from __future__ import annotations

import sqlalchemy as sa


def make_engine(database_url: str) -> sa.Engine:
    """Create the engine for ``database_url``.

    SQLite gets WAL journaling and a busy timeout so several threads (and processes) can share the
    file; PostgreSQL gets ``pool_pre_ping``.
    """
    if database_url.startswith("sqlite"):
        engine = sa.create_engine(database_url, connect_args={"timeout": 30, "check_same_thread": False})

        @sa.event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # pragma: no cover - trivial
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA synchronous=NORMAL")  # WAL: durable at checkpoints, no fsync per commit
            cur.close()

        return engine
    return sa.create_engine(database_url, pool_pre_ping=True)


def make_serving_engine(database_url: str) -> sa.Engine:
    """The engine of a process that serves Slack (workers' reads and writes).

    The duplicate-event claim, which runs before the ack, has its own small pool in
    :class:`bot.storage.store.Store`, so busy workers never delay an ack (with one shared pool of
    SQLAlchemy's default size, ack p99 was 5.1 s under the 50 + 50 load on PostgreSQL). Per process: at
    most 10 + 30 connections here plus 4 + 4 for claims; size PostgreSQL's ``max_connections`` (or a
    PgBouncer) for the number of processes.
    """
    if database_url.startswith("sqlite"):
        return make_engine(database_url)
    return sa.create_engine(database_url, pool_pre_ping=True, pool_size=10, max_overflow=30, pool_timeout=30)
