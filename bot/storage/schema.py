"""The schema: one declarative base for every Recap table, its version, and numbered migrations.

A feature defines its tables on :class:`Base` in its own store module (``bot/titles/store.py``,
``bot/digests/store.py``, …). :func:`create_schema` creates what is missing and then runs the numbered
migrations above the version recorded in ``recap_schema``: a column change adds ``MIGRATIONS[n]`` (a
function of a connection, in a transaction) and bumps :data:`SCHEMA_VERSION` to ``n``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 3
MIGRATIONS: dict[int, Callable[[sa.Connection], None]] = {}
"""``MIGRATIONS[n]`` takes a database from version ``n - 1`` to ``n``."""


def _v2_job_claims(conn: sa.Connection) -> None:
    """Version 2: the queue workers' claims, ``recap_job_claims`` (:class:`bot.storage.store.JobClaim`).
    ``create_all`` has already made it when the store module is imported; this makes it explicit."""
    table = Base.metadata.tables.get("recap_job_claims")
    if table is not None:
        table.create(conn, checkfirst=True)


MIGRATIONS[2] = _v2_job_claims


def _v3_job_messages(conn: sa.Connection) -> None:
    """Version 3: the messages a job started streaming, ``recap_job_messages``
    (:class:`bot.storage.store.JobMessage`): a new table only, made here when ``create_all`` has not."""
    table = Base.metadata.tables.get("recap_job_messages")
    if table is not None:
        table.create(conn, checkfirst=True)


MIGRATIONS[3] = _v3_job_messages


class Base(DeclarativeBase):
    """Declarative base of every Recap table."""


def utcnow() -> datetime:
    """Now, as an aware UTC datetime."""
    return datetime.now(timezone.utc)


class SchemaVersion(Base):
    """The schema version this database is at."""

    __tablename__ = "recap_schema"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(sa.Integer)


def rowcount(result: sa.Result[Any]) -> int:
    """Rows a DML statement (``INSERT``/``UPDATE``/``DELETE``) touched; 0 when the driver does not say.

    ``Session.execute`` is typed to return :class:`sqlalchemy.Result`, but for DML it returns a
    :class:`sqlalchemy.CursorResult`, which carries ``rowcount``."""
    return int(getattr(result, "rowcount", 0) or 0)


def create_schema(engine: sa.Engine, *, attempts: int = 3) -> None:
    """Create every Recap table that is missing and record the schema version.

    Every table registered on :class:`Base` is created: a feature's tables register when its store module is
    imported (the composition root, :mod:`bot.app`, imports them all; each feature store also calls this on
    construction). Then the numbered migrations above the recorded version run, in order. Safe when several
    processes start at once on one database (gunicorn or Granian workers): on PostgreSQL they queue
    on a transaction-level advisory lock; on SQLite, a process that loses the race between "is the
    table there?" and ``CREATE TABLE`` retries, and then finds the table.

    Raises:
        sqlalchemy.exc.DBAPIError: the database refused, ``attempts`` times.
    """
    for attempt in range(1, attempts + 1):
        try:
            with engine.begin() as conn:
                if conn.dialect.name == "postgresql":
                    conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK_KEY})
                Base.metadata.create_all(conn)
                version = conn.execute(sa.select(SchemaVersion.version).where(SchemaVersion.id == 1)).scalar()
                if version is None:  # a new database: create_all made the current schema
                    conn.execute(sa.insert(SchemaVersion).values(id=1, version=SCHEMA_VERSION))
                elif version < SCHEMA_VERSION:
                    for number in range(version + 1, SCHEMA_VERSION + 1):
                        MIGRATIONS[number](conn)
                    conn.execute(sa.update(SchemaVersion).where(SchemaVersion.id == 1).values(version=SCHEMA_VERSION))
            return
        except sa.exc.DBAPIError:
            if attempt == attempts:
                raise
            logger.info("schema creation raced another process; retrying (%d/%d)", attempt, attempts)
            time.sleep(0.05 * attempt)


_SCHEMA_LOCK_KEY = 0x5245_4341_50  # "RECAP": one advisory lock key for schema creation
