"""TitleStore and title_conversation on SQLite and PostgreSQL (a schema of its own per test)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from bot.titles.features import StyleFeatures, text_casing
from bot.titles.store import TitleStore
from bot.titles.style import StyleProfile
from bot.titles.titling import title_conversation

T0 = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path) -> Iterator[TitleStore]:
    """A TitleStore with fresh tables: a SQLite file, or a throw-away PostgreSQL schema."""
    if request.param == "sqlite":
        engine = sa.create_engine(f"sqlite:///{tmp_path / 'titles.sqlite3'}")
        store = TitleStore(engine)
        store.create_tables()
        yield store
        engine.dispose()
        return
    url = request.getfixturevalue("postgres_url")
    schema = f"t_titles_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(url)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    engine = sa.create_engine(url).execution_options(schema_translate_map={None: schema})
    store = TitleStore(engine)
    store.create_tables()
    try:
        yield store
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def record(store: TitleStore, user: str, n: int, *, team: str = "T1", text: str = "hello", title: str | None = None,
           kept: bool = True, day: int | None = None) -> None:
    store.record_conversation(team_id=team, user_id=user, channel_id="D1", thread_ts=f"{user}.{n}",
                              first_user_text=text, created_at=T0 + timedelta(days=n if day is None else day))
    if title is not None:
        store.set_title(team_id=team, channel_id="D1", thread_ts=f"{user}.{n}", title=title, kept=kept)


def test_record_is_idempotent_and_trims_text(store: TitleStore) -> None:
    first = store.record_conversation(team_id="T1", user_id="U1", channel_id="D1", thread_ts="1.0",
                                      first_user_text="x" * 900)
    again = store.record_conversation(team_id="T1", user_id="U1", channel_id="D1", thread_ts="1.0",
                                      first_user_text="other")
    assert first == again
    (conv,) = store.recent_conversations("T1", "U1")
    assert conv.texts == ("x" * 500,) and conv.title is None and not conv.kept_title


def test_recent_conversations_newest_first_limited_and_excluding(store: TitleStore) -> None:
    for n in range(7):
        record(store, "U1", n, text=f"message {n}", title=f"title {n}")
    recent = store.recent_conversations("T1", "U1", limit=5)
    assert [c.title for c in recent] == ["title 6", "title 5", "title 4", "title 3", "title 2"]
    assert recent[0].created_at == T0 + timedelta(days=6)
    excluded = store.recent_conversations("T1", "U1", limit=2, exclude_thread=("D1", "U1.6"))
    assert [c.title for c in excluded] == ["title 5", "title 4"]
    assert store.set_title(team_id="T1", channel_id="D1", thread_ts="nope", title="x") is False


def test_profile_round_trip(store: TitleStore) -> None:
    assert store.get_profile("T1", "U1") is None
    profile = StyleProfile("terse", StyleFeatures(casing="lower", words=2, emoji=("🚀",), emoji_rate=1.0), 5)
    store.save_profile("T1", "U1", profile, source_key="k1")
    store.save_profile("T1", "U1", profile, source_key="k2")
    assert store.get_profile("T1", "U1") == profile
    assert store.get_profile_key("T1", "U1") == "k2"
    assert store.get_profile("T2", "U1") is None


def test_forget_user_deletes_only_that_user(store: TitleStore) -> None:
    for n in range(3):
        record(store, "U1", n, title="a")
        record(store, "U2", n, title="b")
    record(store, "U1", 0, team="T2")
    store.save_profile("T1", "U1", StyleProfile("x", StyleFeatures(), 5))
    store.save_profile("T1", "U2", StyleProfile("y", StyleFeatures(), 5))
    assert store.forget_user("T1", "U1") == 4
    assert store.recent_conversations("T1", "U1") == [] and store.get_profile("T1", "U1") is None
    assert len(store.recent_conversations("T1", "U2")) == 3 and store.get_profile("T1", "U2") is not None
    assert len(store.recent_conversations("T2", "U1")) == 1


def test_purge_team(store: TitleStore) -> None:
    record(store, "U1", 0)
    record(store, "U1", 0, team="T2")
    store.save_profile("T1", "U1", StyleProfile("x", StyleFeatures(), 5))
    assert store.purge_team("T1") == 2
    assert store.recent_conversations("T1", "U1") == [] and store.get_profile("T1", "U1") is None
    assert len(store.recent_conversations("T2", "U1")) == 1


DEPLOY = ["the production deploy keeps timing out after the database migration",
          "the migration locks the users table", "roll back the deploy tonight"]


def test_title_conversation_first_ever_is_neutral_and_stored(store: TitleStore) -> None:
    title = title_conversation(store=store, team_id="T1", user_id="U1", channel_id="D1", thread_ts="9.0",
                               texts=DEPLOY)
    assert store.get_profile("T1", "U1").is_neutral
    assert title[0].isupper() and text_casing(title) in ("sentence", None)
    (conv,) = store.recent_conversations("T1", "U1")
    assert conv.title == title and conv.kept_title is False and conv.texts == (DEPLOY[0],)


def test_two_users_styles_never_leak(store: TitleStore) -> None:
    for n in range(5):
        record(store, "ULOW", n, text="staging slow pls look", title="staging slow")
        record(store, "UCAPS", n, text="DEPLOY IS BLOCKED", title="DEPLOY BLOCKED NOW")
    record(store, "UOTHER", 0, team="T2", text="x", title="x")
    low = title_conversation(store=store, team_id="T1", user_id="ULOW", channel_id="D1", thread_ts="n.1",
                             texts=DEPLOY)
    caps = title_conversation(store=store, team_id="T1", user_id="UCAPS", channel_id="D1", thread_ts="n.2",
                              texts=DEPLOY)
    new_team = title_conversation(store=store, team_id="T2", user_id="ULOW", channel_id="D1", thread_ts="n.3",
                                  texts=DEPLOY)
    assert low == low.lower() and caps == caps.upper() and low != caps
    assert store.get_profile("T1", "ULOW").features.casing == "lower"
    assert store.get_profile("T1", "UCAPS").features.casing == "upper"
    assert store.get_profile("T2", "ULOW").is_neutral and new_team[0].isupper() and new_team != new_team.upper()


def test_profile_follows_the_user_within_five_conversations(store: TitleStore) -> None:
    for n in range(5):
        record(store, "U1", n, text="staging slow", title="staging slow")
    assert title_conversation(store=store, team_id="T1", user_id="U1", channel_id="D1", thread_ts="a",
                              texts=DEPLOY).islower()
    for n in range(5, 10):
        record(store, "U1", n, text="DEPLOY BLOCKED AGAIN", title="DEPLOY BLOCKED")
    title = title_conversation(store=store, team_id="T1", user_id="U1", channel_id="D1", thread_ts="b",
                               texts=DEPLOY)
    assert title == title.upper() and store.get_profile("T1", "U1").features.casing == "upper"


def test_title_tables_live_on_the_core_schema_and_are_purged_on_uninstall(tmp_path) -> None:
    from bot.storage.store import Store

    core = Store.from_url(f"sqlite:///{tmp_path / 'core.sqlite3'}")  # create_schema makes the title tables
    store = TitleStore(core.engine)
    for team in ("T1", "T2"):
        record(store, "U1", 1, team=team, title="a title")
        store.save_profile(team, "U1", StyleProfile("d", StyleFeatures(), 5))
    assert core.purge_team("T1") >= 2
    assert store.count_conversations("T1", "U1") == 0 and store.get_profile("T1", "U1") is None
    assert store.count_conversations("T2", "U1") == 1 and store.get_profile("T2", "U1") is not None
    core.engine.dispose()
