"""Shared fixtures.

Tests that read ``../shared/data`` use the ``shared_data`` fixture: they run where the folder exists,
skip on a user's fresh clone without it, and fail when ``CI`` is set and it is missing.
Tests that need PostgreSQL use ``postgres_url``: same policy, keyed on reaching 127.0.0.1:5432.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("RECAP_SHARED_DATA", ROOT.parent / "shared" / "data"))
IN_CI = bool(os.environ.get("CI"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """Path of ``../shared/data``; skips (or fails under CI) when it is absent."""
    if not SHARED_DATA.is_dir():
        if IN_CI:
            pytest.fail(f"CI is set but the shared data folder {SHARED_DATA} is missing")
        pytest.skip(f"{SHARED_DATA} not present")
    return SHARED_DATA


def _postgres_url() -> str:
    return os.environ.get("RECAP_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """SQLAlchemy URL of the test PostgreSQL database; skips (fails under CI) when unreachable."""
    import sqlalchemy as sa

    url = _postgres_url()
    try:
        engine = sa.create_engine(url)
        with engine.connect() as conn:
            conn.execute(sa.text("select 1"))
        engine.dispose()
    except Exception as exc:  # noqa: BLE001 - any failure to connect means "not reachable"
        if IN_CI:
            pytest.fail(f"CI is set but PostgreSQL at {url} is unreachable: {exc}")
        pytest.skip(f"PostgreSQL not reachable: {exc}")
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """A fresh, empty database URL on each backend: a SQLite file, and a PostgreSQL schema of its own
    (dropped afterwards) so parallel tests and processes never see each other's tables."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/test.sqlite3"
        return
    import uuid

    import sqlalchemy as sa

    base = request.getfixturevalue("postgres_url")
    schema = f"recap_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    yield f"{base}{sep}options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture
def workspace():
    """A running FakeSlack with two people (U1 maya, U2 raj) in #general (C0GEN); modules may override it."""
    from tests.fakeslack import FakeSlack

    with FakeSlack() as fake:
        for uid, name in [("U1", "maya"), ("U2", "raj")]:
            fake.add_user(uid, name)
        fake.add_channel("C0GEN", "general", members=["U1", "U2"])
        yield fake


@pytest.fixture
def harness(workspace, tmp_path):
    """The real Recap app over HTTP (signed requests) against the test module's ``workspace`` fixture
    (a running FakeSlack); stopped after the test. Modules may override it."""
    from tests.e2e import start_harness

    running = start_harness(workspace, tmp_path=tmp_path)
    yield running
    running.close()
