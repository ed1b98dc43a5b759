"""Nothing to steal, nothing left behind: tokens encrypted at rest (and key rotation), install states that
expire, ``tokens_revoked`` for user tokens only touching nothing, and uninstalls recorded so rows written
by work in flight are purged — end to end through the real app, the OAuth flow and the fake Slack."""

from __future__ import annotations

import json
import logging
import threading
import time
from datetime import datetime, timedelta, timezone
from wsgiref.simple_server import make_server

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet

from tests.e2e import SIGNING_SECRET, Harness, ResponseUrlReceiver, _QuietHandler, _ThreadingWSGIServer
from tests.fakeslack.server import BOT_USER_ID
from tests.test_oauth import CLIENT_ID, CLIENT_SECRET, OAuthFakeSlack, _get, _install, _mention, _team_rows

pytest.importorskip("greenlet")  # slack_sdk's SQLAlchemy stores import sqlalchemy.ext.asyncio

KEY_A, KEY_B, KEY_C = (Fernet.generate_key().decode() for _ in range(3))


@pytest.fixture
def fake():
    with OAuthFakeSlack() as fake:
        fake.add_user("U1", "maya")
        fake.add_user("U2", "raj")
        fake.add_channel("C0GEN", "general", members=["U1", "U2"])
        yield fake


def _start(fake, tmp_path, *, keys: str = KEY_A) -> Harness:
    """The app in OAuth mode (multi-workspace) with ``RECAP_ENCRYPTION_KEYS=keys``."""
    from bot.app import build_services
    from bot.config import load_settings
    from bot.wsgi import create_wsgi_app

    settings = load_settings(None, slack_client_id=CLIENT_ID, slack_client_secret=CLIENT_SECRET,
                             slack_signing_secret=SIGNING_SECRET, slack_api_url=fake.base_url,
                             database_url=f"sqlite:///{tmp_path}/recap.sqlite3", llm_provider="offline",
                             recap_encryption_keys=keys)
    services = build_services(settings)
    server = make_server("127.0.0.1", 0, create_wsgi_app(settings, services=services),
                         server_class=_ThreadingWSGIServer, handler_class=_QuietHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/slack/events"
    return Harness(fake=fake, receiver=ResponseUrlReceiver(), app_url=url, services=services, server=server)


def _store(harness: Harness, keys: str | None = None):
    from bot.config import load_settings
    from bot.runtime.oauth import make_installation_store

    settings = harness.services.settings
    if keys is not None:
        settings = load_settings(None, **{**settings.model_dump(), "recap_encryption_keys": keys})
    return make_installation_store(settings, harness.services.store.engine)


def _raw_tokens(engine: sa.Engine) -> list[str]:
    with engine.connect() as conn:
        rows = [*conn.execute(sa.text("SELECT bot_token, bot_refresh_token FROM slack_bots")),
                *conn.execute(sa.text("SELECT bot_token, bot_refresh_token FROM slack_installations"))]
    return [value for row in rows for value in row if value]


def _wait(predicate, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition never became true")
        time.sleep(0.05)


# ------------------------------------------------------------------------------ tokens at rest


def test_tokens_are_encrypted_in_the_database_and_the_app_still_answers(fake, tmp_path):
    harness = _start(fake, tmp_path)
    try:
        assert _install(harness)[0] == 200
        raw = _raw_tokens(harness.services.store.engine)
        assert len(raw) == 4  # bot and refresh token, in both tables
        assert all(value.startswith("gAAAAA") for value in raw), raw
        assert not any("xoxe" in value for value in raw)  # neither token appears in clear
        found = _store(harness).find_bot(enterprise_id=None, team_id=fake.team_id)
        assert (found.bot_token, found.bot_refresh_token) == ("xoxe.xoxb-1", "xoxe-1-refresh-1")
        installation = _store(harness).find_installation(enterprise_id=None, team_id=fake.team_id)
        assert installation.bot_token == "xoxe.xoxb-1"
        _mention(harness, "EvSealed1")
        assert harness.wait_calls("chat.update")  # authorized with the decrypted token
    finally:
        harness.close()


def test_a_rotated_token_is_saved_encrypted(fake, tmp_path):
    harness = _start(fake, tmp_path)
    try:
        fake.expires_in = 600  # within Bolt's rotation window: the first request refreshes it
        assert _install(harness)[0] == 200
        _mention(harness, "EvSealed2")
        harness.wait_calls("chat.update")
        assert len(fake.issued) >= 2
        raw = _raw_tokens(harness.services.store.engine)
        assert raw and not any(token in value for value in raw for token in fake.issued)
        assert _store(harness).find_bot(enterprise_id=None, team_id=fake.team_id).bot_token == fake.issued[-1]
    finally:
        harness.close()


def test_key_rotation_reencrypts_at_start_and_a_missing_key_fails_closed(fake, tmp_path, caplog):
    harness = _start(fake, tmp_path, keys=KEY_A)
    try:
        assert _install(harness)[0] == 200
        engine = harness.services.store.engine
        _store(harness, f"{KEY_B},{KEY_A}")  # a new key in front: rows re-encrypted with it at start
        for value in _raw_tokens(engine):
            Fernet(KEY_B.encode()).decrypt(value.encode())  # raises InvalidToken if still under A
        assert _store(harness, KEY_B).find_bot(enterprise_id=None, team_id=fake.team_id).bot_token == "xoxe.xoxb-1"
        with caplog.at_level(logging.ERROR):
            assert _store(harness, KEY_C).find_bot(enterprise_id=None, team_id=fake.team_id) is None
        assert "RECAP_ENCRYPTION_KEYS lacks the key" in caplog.text
        assert KEY_C not in caplog.text and KEY_B not in caplog.text
    finally:
        harness.close()


def test_tokens_stored_in_plain_text_before_are_encrypted_at_start(db_url):
    from slack_sdk.oauth.installation_store import Bot
    from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore

    from bot.config import load_settings
    from bot.runtime.oauth import make_installation_store

    engine = sa.create_engine(db_url)
    try:
        old = SQLAlchemyInstallationStore(client_id=CLIENT_ID, engine=engine)  # VARCHAR(200) columns
        old.create_tables()
        long_token = "xoxe.xoxb-1-" + "M" * 180  # a rotating token: encrypted, it no longer fits 200
        old.save_bot(Bot(app_id="A0RECAP", enterprise_id=None, team_id="T0OLD", bot_token=long_token,
                         bot_refresh_token="xoxe-1-" + "r" * 150, bot_id="B1", bot_user_id="U0BOT",
                         installed_at=time.time()))
        settings = load_settings(None, slack_client_id=CLIENT_ID, slack_client_secret=CLIENT_SECRET,
                                 recap_encryption_keys=KEY_A)
        store = make_installation_store(settings, engine)
        with engine.connect() as conn:
            stored = conn.execute(sa.text("SELECT bot_token, bot_refresh_token FROM slack_bots")).one()
        assert all(value.startswith("gAAAAA") and len(value) > 200 for value in stored)
        assert store.find_bot(enterprise_id=None, team_id="T0OLD").bot_token == long_token
    finally:
        engine.dispose()


def test_oauth_mode_without_a_key_refuses_to_start_with_a_clear_message(fake, tmp_path, monkeypatch):
    from bot.app import build_services, create_app
    from bot.config import load_settings, require_slack
    from bot.errors import ConfigError

    monkeypatch.delenv("RECAP_ENCRYPTION_KEYS", raising=False)

    base = {"slack_client_id": CLIENT_ID, "slack_client_secret": CLIENT_SECRET,
            "slack_signing_secret": SIGNING_SECRET, "slack_api_url": fake.base_url,
            "database_url": f"sqlite:///{tmp_path}/recap.sqlite3", "llm_provider": "offline"}
    settings = load_settings(None, **base)
    with pytest.raises(ConfigError, match="RECAP_ENCRYPTION_KEYS") as refused:
        require_slack(settings)
    assert "Fernet.generate_key()" in str(refused.value)
    with pytest.raises(ConfigError, match="RECAP_ENCRYPTION_KEYS"):
        create_app(settings, services=build_services(settings))
    with pytest.raises(ConfigError, match="RECAP_ENCRYPTION_KEYS: .*key 2 is not a Fernet key") as bad:
        load_settings(None, **base, recap_encryption_keys=f"{KEY_A},not-a-real-key-0123456789")
    assert KEY_A not in str(bad.value) and "not-a-real-key" not in str(bad.value)


# ------------------------------------------------------------------------------ install states


def test_install_states_expire_and_are_pruned(fake, tmp_path):
    from bot.runtime.oauth import prune_oauth_states

    harness = _start(fake, tmp_path)
    try:
        base = harness.app_url.rsplit("/slack/events", 1)[0]
        for _ in range(5):  # five visits to the install page, abandoned
            assert _get(f"{base}/slack/install")[0] == 200
        engine = harness.services.store.engine

        def states() -> int:
            with engine.connect() as conn:
                return conn.execute(sa.text("SELECT COUNT(*) FROM slack_oauth_states")).scalar_one()

        assert states() == 5
        assert prune_oauth_states(engine) == 0  # none expired yet (10 minutes)
        with engine.begin() as conn:  # three of them are now past their expiry
            conn.execute(sa.text("UPDATE slack_oauth_states SET expire_at = :t WHERE id <= 3"),
                         {"t": datetime.now(timezone.utc).replace(tzinfo=None) - timedelta(seconds=1)})
        assert prune_oauth_states(engine) == 3 and states() == 2
        state_store = harness.server.get_app().app.oauth_flow.settings.state_store
        with engine.begin() as conn:
            conn.execute(sa.text("UPDATE slack_oauth_states SET expire_at = :t"),
                         {"t": datetime.now(timezone.utc).replace(tzinfo=None) - timedelta(seconds=1)})
        state_store._next_prune = 0.0  # a prune is due (at most one per 10 minutes in a process)
        assert _get(f"{base}/slack/install")[0] == 200  # issuing a state deletes the expired ones
        assert states() == 1
    finally:
        harness.close()


def test_pruning_states_in_single_workspace_mode_is_a_no_op(tmp_path):
    from bot.runtime.oauth import prune_oauth_states
    from bot.storage.engine import make_engine

    assert prune_oauth_states(make_engine(f"sqlite:///{tmp_path}/x.sqlite3")) == 0


# ------------------------------------------------------------------------------ tokens_revoked, uninstall


def _uninstalled(engine: sa.Engine) -> set[str]:
    with engine.connect() as conn:
        return {row[0] for row in conn.execute(sa.text("SELECT uninstalled_team_id FROM recap_uninstalls"))}


def test_tokens_revoked_for_user_tokens_only_leaves_the_workspace_installed(fake, tmp_path):
    harness = _start(fake, tmp_path)
    try:
        assert _install(harness)[0] == 200
        store = harness.services.store
        store.save_share(team_id=fake.team_id, user_id="U1", source_channel_id="C0GEN",
                         destination_channel_id="C0GEN", blocks=[], text="kept")
        event = {"type": "tokens_revoked", "event_ts": fake.next_ts(), "tokens": {"oauth": ["U1", "U2"]}}
        assert harness.event(event, event_id="EvUserRevoke")[0] == 200
        time.sleep(0.5)
        rows = _team_rows(store.engine, fake.team_id)
        assert rows["recap_shared_summaries"] == 1 and rows["slack_bots"] == 1 and rows["slack_installations"] == 1
        assert fake.team_id not in _uninstalled(store.engine)
        _mention(harness, "EvStillHere")
        assert harness.wait_calls("chat.update")  # still installed, still answering
        # The same event naming the bot token ends the installation.
        event = {"type": "tokens_revoked", "event_ts": fake.next_ts(), "tokens": {"bot": [BOT_USER_ID]}}
        assert harness.event(event, event_id="EvBotRevoke")[0] == 200
        _wait(lambda: not any(_team_rows(store.engine, fake.team_id).values()))
        _wait(lambda: fake.team_id in _uninstalled(store.engine))
    finally:
        harness.close()


def test_single_workspace_user_token_revocation_purges_nothing(harness, workspace):
    store = harness.services.store
    store.save_share(team_id=workspace.team_id, user_id="U1", source_channel_id="C0GEN",
                     destination_channel_id="C0GEN", blocks=[], text="kept")
    event = {"type": "tokens_revoked", "event_ts": workspace.next_ts(), "tokens": {"oauth": ["U1"], "bot": []}}
    assert harness.event(event, event_id="EvUserOnly")[0] == 200
    time.sleep(0.5)
    assert _team_rows(store.engine, workspace.team_id)["recap_shared_summaries"] == 1
    assert harness.event({"type": "app_uninstalled", "event_ts": workspace.next_ts()}, event_id="EvGone")[0] == 200
    _wait(lambda: _team_rows(store.engine, workspace.team_id)["recap_shared_summaries"] == 0)


def test_rows_written_by_work_in_flight_at_an_uninstall_are_purged_by_maintenance(harness, workspace):
    """A mention is being answered when the workspace uninstalls; its titles hook writes its row after
    the uninstall's purge. The maintenance job's ``purge_uninstalled`` removes it."""
    from bot.runtime.uninstalls import purge_uninstalled

    services, engine = harness.services, harness.services.store.engine
    release, entered, finished = threading.Event(), threading.Event(), threading.Event()
    real_hook = services.after_answer

    def slow_hook(**kwargs):
        entered.set()
        release.wait(15)
        try:
            real_hook(**kwargs)
        finally:
            finished.set()

    services.after_answer = slow_hook
    parent = workspace.post("C0GEN", "U1", "Shall we ship on Wednesday?")
    workspace.post("C0GEN", "U2", "Yes, Wednesday.", thread_ts=parent["ts"])
    harness.event({"type": "app_mention", "user": "U1", "text": "<@U0BOT> summarize", "ts": workspace.next_ts(),
                   "thread_ts": parent["ts"], "channel": "C0GEN"}, event_id="EvInFlight")
    assert entered.wait(15)  # the answer is written; the after-answer work is in flight
    assert harness.event({"type": "app_uninstalled", "event_ts": workspace.next_ts()}, event_id="EvUninst")[0] == 200
    _wait(lambda: workspace.team_id in _uninstalled(engine))
    # the uninstall is recorded before its purge runs: release the hook only once the purge is over, or the purge
    # may delete the row the hook writes (as it did in CI on a busy machine) and nothing is left for maintenance
    _wait(lambda: not any(_team_rows(engine, workspace.team_id).values()), timeout=30)
    release.set()
    assert finished.wait(15)  # every row the hook writes (the conversation, its title, …) is written after
    assert _team_rows(engine, workspace.team_id).get("recap_conversations", 0) == 1
    assert purge_uninstalled(services) >= 1
    assert not any(_team_rows(engine, workspace.team_id).values())
    assert workspace.team_id in _uninstalled(engine)  # watched for 24 hours
    assert purge_uninstalled(services, now=datetime.now(timezone.utc) + timedelta(hours=25)) == 0
    assert workspace.team_id not in _uninstalled(engine)


def test_a_workspace_that_installs_again_is_no_longer_purged(harness, workspace):
    """Single-workspace mode: a request from the workspace claimed after the uninstall means Recap is
    installed again; its new rows are kept and the record is dropped."""
    from bot.runtime.uninstalls import purge_uninstalled

    services, engine = harness.services, harness.services.store.engine
    assert harness.event({"type": "app_uninstalled", "event_ts": workspace.next_ts()}, event_id="EvBye")[0] == 200
    _wait(lambda: workspace.team_id in _uninstalled(engine))
    time.sleep(0.01)
    parent = workspace.post("C0GEN", "U1", "Back again: ship on Wednesday?")
    workspace.post("C0GEN", "U2", "Yes.", thread_ts=parent["ts"])
    harness.event({"type": "app_mention", "user": "U1", "text": "<@U0BOT> summarize", "ts": workspace.next_ts(),
                   "thread_ts": parent["ts"], "channel": "C0GEN"}, event_id="EvHello")
    _wait(lambda: _team_rows(engine, workspace.team_id).get("recap_conversations", 0) == 1)
    assert purge_uninstalled(services) == 0
    assert _team_rows(engine, workspace.team_id)["recap_conversations"] == 1
    assert workspace.team_id not in _uninstalled(engine)


def test_an_oauth_reinstall_clears_the_uninstall_record(fake, tmp_path):
    harness = _start(fake, tmp_path)
    try:
        assert _install(harness)[0] == 200
        engine = harness.services.store.engine
        assert harness.event({"type": "app_uninstalled", "event_ts": fake.next_ts()}, event_id="EvOff")[0] == 200
        _wait(lambda: fake.team_id in _uninstalled(engine))
        assert _store(harness).find_bot(enterprise_id=None, team_id=fake.team_id) is None
        assert _install(harness)[0] == 200
        assert fake.team_id not in _uninstalled(engine)
        assert _store(harness).find_bot(enterprise_id=None, team_id=fake.team_id).bot_token == fake.issued[-1]
    finally:
        harness.close()


def test_which_lifecycle_events_end_an_installation():
    from bot.runtime.uninstalls import ends_installation

    cases = [({"type": "app_uninstalled"}, True), ({"type": "tokens_revoked", "tokens": {"bot": ["U0BOT"]}}, True),
             ({"type": "tokens_revoked", "tokens": {"oauth": ["U1"], "bot": []}}, False),
             ({"type": "tokens_revoked", "tokens": {"oauth": ["U1"]}}, False),
             ({"type": "tokens_revoked"}, False), ({"type": "tokens_revoked", "tokens": "x"}, False),
             ({"type": "app_mention"}, False)]
    assert [ends_installation(event) for event, _ in cases] == [expected for _, expected in cases], json.dumps(cases)
