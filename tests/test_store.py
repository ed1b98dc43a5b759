"""The core store on SQLite and PostgreSQL: event claims across processes, shares, purge."""

from __future__ import annotations

import subprocess
import sys
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import sqlalchemy as sa

from bot.storage.store import ProcessedEvent, Store


def test_event_is_claimed_once_across_threads(db_url):
    store = Store.from_url(db_url)
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: store.claim_event("T1:Ev1", team_id="T1"), range(16)))
    assert results.count(True) == 1


def test_event_is_claimed_once_across_processes(db_url):
    Store.from_url(db_url)  # create tables first
    code = (
        "import sys; from bot.storage.store import Store; "
        "print(Store.from_url(sys.argv[1]).claim_event('T1:EvProc', team_id='T1'))"
    )
    procs = [subprocess.Popen([sys.executable, "-c", code, db_url], stdout=subprocess.PIPE, text=True) for _ in range(3)]
    outputs = [p.communicate(timeout=60)[0].strip() for p in procs]
    assert sorted(outputs) == ["False", "False", "True"]


def test_share_is_taken_once_and_only_by_its_owner(db_url):
    store = Store.from_url(db_url)
    share_id = store.save_share(team_id="T1", user_id="U1", source_channel_id="C1", destination_channel_id="C2",
                                blocks=[[{"type": "section"}]], text="hi")
    assert store.take_share(share_id=share_id, team_id="T1", user_id="U2") is None
    assert store.take_share(share_id=share_id, team_id="T1", user_id="U1").source_channel_id == "C1"
    assert store.take_share(share_id=share_id, team_id="T1", user_id="U1") is None


def test_expired_share_is_refused(db_url):
    store = Store.from_url(db_url)
    share_id = store.save_share(team_id="T1", user_id="U1", source_channel_id="C1", destination_channel_id="C1",
                                blocks=[], text="")
    assert store.take_share(share_id=share_id, team_id="T1", user_id="U1", max_age=timedelta(seconds=-1)) is None


def test_purge_team_removes_only_that_team(db_url):
    store = Store.from_url(db_url)
    store.claim_event("T1:a", team_id="T1")
    store.claim_event("T2:b", team_id="T2")
    store.save_share(team_id="T1", user_id="U1", source_channel_id="C", destination_channel_id="C", blocks=[], text="")
    assert store.purge_team("T1") == 2
    with store.session() as session:
        teams = session.scalars(sa.select(ProcessedEvent.team_id)).all()
    assert teams == ["T2"]


def test_two_clicks_at_once_share_once(db_url):
    store = Store.from_url(db_url)
    for _ in range(10):
        share_id = store.save_share(team_id="T1", user_id="U1", source_channel_id="C1", destination_channel_id="C1",
                                    blocks=[], text="")
        with ThreadPoolExecutor(2) as pool:
            taken = list(pool.map(lambda sid: store.take_share(share_id=sid, team_id="T1", user_id="U1"), [share_id] * 2))
        assert sum(t is not None for t in taken) == 1


def test_processes_starting_at_once_create_the_schema_once(db_url):
    """Several workers (gunicorn, Granian) start on a fresh database at the same moment: each creates the
    schema or finds it, none crashes with "already exists", and the version row is written once."""
    import threading

    from bot.storage.engine import make_engine
    from bot.storage.schema import SchemaVersion, create_schema

    engines = [make_engine(db_url) for _ in range(6)]
    start = threading.Barrier(len(engines))

    def boot(engine):
        start.wait()
        create_schema(engine)

    with ThreadPoolExecutor(len(engines)) as pool:
        for future in [pool.submit(boot, engine) for engine in engines]:
            future.result()
    with engines[0].connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(SchemaVersion)).scalar() == 1
        assert "recap_processed_events" in sa.inspect(conn).get_table_names()
    for engine in engines:
        engine.dispose()


def test_a_claim_survives_the_database_closing_its_pooled_connections(postgres_url):
    """PostgreSQL restarted or an idle timeout: the claim pool's connections are dead. The next claim
    still answers (on a fresh connection), and still only once."""
    store = Store.from_url(postgres_url)
    store.warm_up()
    assert store.claim_event("T1:EvBefore-" + uuid.uuid4().hex, team_id="T1")
    admin = sa.create_engine(postgres_url)
    with admin.begin() as conn:
        killed = conn.execute(sa.text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE application_name = 'recap-claims' AND pid <> pg_backend_pid()")).scalar()
    admin.dispose()
    assert killed >= 1
    key = "T1:EvAfter-" + uuid.uuid4().hex
    assert store.claim_event(key, team_id="T1") is True
    assert store.claim_event(key, team_id="T1") is False
    store.engine.dispose()
