"""Multi-workspace mode: the OAuth install flow against the fake Slack, token rotation, and the
purge of every row of a workspace on ``app_uninstalled`` / ``tokens_revoked`` in either order."""

from __future__ import annotations

import json
import re
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from wsgiref.simple_server import make_server

import pytest
import sqlalchemy as sa

from tests.e2e import SIGNING_SECRET, Harness, ResponseUrlReceiver, _QuietHandler, _ThreadingWSGIServer
from tests.fakeslack import FakeSlack
from tests.fakeslack.server import BOT_ID, BOT_USER_ID

pytest.importorskip("greenlet")  # slack_sdk's SQLAlchemy stores import sqlalchemy.ext.asyncio

ROOT = Path(__file__).resolve().parent.parent
CLIENT_ID, CLIENT_SECRET = "111.222", "oauth-secret"


class OAuthFakeSlack(FakeSlack):
    """FakeSlack plus ``oauth.v2.access``: code exchange and refresh-token grant (token rotation).

    Attributes:
        expires_in: seconds the issued bot tokens live (rotation refreshes when < 120 minutes).
        issued: every bot token issued, in order.
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.expires_in = 43_200
        self.issued: list[str] = []

    def dispatch(self, method, params, *, token):
        if method != "oauth.v2.access":
            return super().dispatch(method, params, token=token)
        with self.lock:
            self.calls.append((method, dict(params)))
            if params.get("grant_type") == "refresh_token":
                if not str(params.get("refresh_token", "")).startswith("xoxe-1-"):
                    return 200, {}, {"ok": False, "error": "invalid_refresh_token"}
            elif params.get("code") != "good-code":
                return 200, {}, {"ok": False, "error": "invalid_code"}
            bot_token = f"xoxe.xoxb-{len(self.issued) + 1}"
            self.issued.append(bot_token)
            self.add_token(bot_token, user_id=BOT_USER_ID, bot_id=BOT_ID)
        body = {"ok": True, "app_id": "A0RECAP", "access_token": bot_token, "token_type": "bot",
                "scope": "app_mentions:read,chat:write", "bot_user_id": BOT_USER_ID,
                "refresh_token": f"xoxe-1-refresh-{len(self.issued)}", "expires_in": self.expires_in,
                "team": {"id": self.team_id, "name": self.team_name}, "enterprise": None,
                "is_enterprise_install": False, "authed_user": {"id": "U1"}}
        return 200, {}, body


@pytest.fixture
def fake():
    with OAuthFakeSlack() as fake:
        fake.add_user("U1", "maya")
        fake.add_user("U2", "raj")
        fake.add_channel("C0GEN", "general", members=["U1", "U2"])
        yield fake


def _start(fake: FakeSlack, tmp_path) -> Harness:
    from bot.app import build_services
    from bot.config import load_settings, require_slack
    from bot.wsgi import create_wsgi_app

    settings = load_settings(None, slack_client_id=CLIENT_ID, slack_client_secret=CLIENT_SECRET,
                             slack_signing_secret=SIGNING_SECRET, slack_api_url=fake.base_url,
                             database_url=f"sqlite:///{tmp_path}/recap.sqlite3", llm_provider="offline",
                             recap_encryption_keys="ZmDfcTF7_60GrrY167zsiPd67pEvs0aGOv2oasOM1Pg=")
    require_slack(settings)  # no SLACK_BOT_TOKEN needed in OAuth mode
    services = build_services(settings)
    server = make_server("127.0.0.1", 0, create_wsgi_app(settings, services=services),
                         server_class=_ThreadingWSGIServer, handler_class=_QuietHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/slack/events"
    return Harness(fake=fake, receiver=ResponseUrlReceiver(), app_url=url, services=services, server=server)


def _get(url: str, headers: dict | None = None) -> tuple[int, str, Any]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as resp:
            return resp.status, resp.read().decode(), resp.headers
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(), exc.headers


def _install(harness: Harness, *, code: str = "good-code") -> tuple[int, str]:
    base = harness.app_url.rsplit("/slack/events", 1)[0]
    status, html, headers = _get(f"{base}/slack/install")
    assert status == 200
    state = re.search(r"state=([\w-]+)", html).group(1)
    cookie = headers["Set-Cookie"].split(";")[0]
    status, html, _ = _get(f"{base}/slack/oauth_redirect?code={code}&state={state}", {"Cookie": cookie})
    return status, html


def _installation_store(harness: Harness):
    from bot.runtime.oauth import make_installation_store

    return make_installation_store(harness.services.settings, harness.services.store.engine)


def _mention(harness: Harness, event_id: str) -> None:
    fake = harness.fake
    parent = fake.post("C0GEN", "U1", "Shall we ship v2.4 on Wednesday?")
    fake.post("C0GEN", "U2", "Yes; I'll fix the migration tests by Friday.", thread_ts=parent["ts"])
    event = {"type": "app_mention", "user": "U1", "text": "<@U0BOT> summarize", "ts": fake.next_ts(),
             "thread_ts": parent["ts"], "channel": "C0GEN"}
    status, _, seconds = harness.event(event, event_id=event_id)
    assert status == 200 and seconds < 3


def test_manifest_scopes_match_the_install_scopes():
    from bot.runtime.oauth import BOT_SCOPES

    manifest = (ROOT / "manifest.yml").read_text()
    block = manifest.split("bot:", 1)[1].split("settings:", 1)[0]
    assert set(re.findall(r"-\s+([\w:.]+)", block)) == set(BOT_SCOPES)


def test_install_then_answer_with_the_installed_token(fake, tmp_path):
    harness = _start(fake, tmp_path)
    try:
        status, _ = _install(harness, code="bad-code")
        assert status >= 400 and not fake.issued  # a bad code installs nothing
        status, html = _install(harness)
        assert status == 200, html
        bot = _installation_store(harness).find_bot(enterprise_id=None, team_id=fake.team_id)
        assert bot is not None and bot.bot_token == "xoxe.xoxb-1" and bot.bot_refresh_token == "xoxe-1-refresh-1"
        _mention(harness, "EvOauth1")
        assert harness.wait_calls("chat.update")
    finally:
        harness.close()


def test_expiring_token_is_rotated(fake, tmp_path):
    harness = _start(fake, tmp_path)
    try:
        fake.expires_in = 600  # expires within Bolt's 120-minute rotation window
        assert _install(harness)[0] == 200
        _mention(harness, "EvRotate1")
        harness.wait_calls("chat.update")
        grants = [c.get("grant_type") for c in fake.calls_to("oauth.v2.access")]
        assert grants.count("refresh_token") >= 1
        bot = _installation_store(harness).find_bot(enterprise_id=None, team_id=fake.team_id)
        assert bot.bot_token == fake.issued[-1] != "xoxe.xoxb-1"
    finally:
        harness.close()


def _team_rows(engine: sa.Engine, team_id: str) -> dict[str, int]:
    inspector = sa.inspect(engine)
    counts = {}
    with engine.connect() as conn:
        for name in inspector.get_table_names():
            if "team_id" in {c["name"] for c in inspector.get_columns(name)}:
                counts[name] = conn.execute(sa.text(f'SELECT COUNT(*) FROM "{name}" WHERE team_id = :t'),
                                            {"t": team_id}).scalar_one()
    return counts


@pytest.mark.parametrize("order", [("app_uninstalled", "tokens_revoked"), ("tokens_revoked", "app_uninstalled")])
def test_uninstall_and_revoke_in_either_order_purge_every_table(fake, tmp_path, order):
    harness = _start(fake, tmp_path)
    try:
        assert _install(harness)[0] == 200
        _mention(harness, "EvBefore")
        harness.wait_calls("chat.update")
        store = harness.services.store
        store.save_share(team_id=fake.team_id, user_id="U1", source_channel_id="C0GEN",
                         destination_channel_id="C0GEN", blocks=[], text="x")
        store.save_share(team_id="T0OTHER", user_id="U1", source_channel_id="C1", destination_channel_id="C1",
                         blocks=[], text="kept")
        before = _team_rows(store.engine, fake.team_id)
        assert before["slack_bots"] == 1 and before["slack_installations"] == 1
        assert before["recap_shared_summaries"] == 1 and before["recap_processed_events"] >= 1

        for i, kind in enumerate(order):
            event = {"type": kind, "event_ts": fake.next_ts()}
            if kind == "tokens_revoked":
                event["tokens"] = {"bot": [BOT_USER_ID], "oauth": ["U1"]}
            status, _, _ = harness.event(event, event_id=f"EvLife{i}")
            assert status == 200
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_team_rows(store.engine, fake.team_id).values()):
            time.sleep(0.05)
        assert not any(_team_rows(store.engine, fake.team_id).values()), _team_rows(store.engine, fake.team_id)
        assert _team_rows(store.engine, "T0OTHER")["recap_shared_summaries"] == 1  # other workspaces untouched
        assert _installation_store(harness).find_bot(enterprise_id=None, team_id=fake.team_id) is None
    finally:
        harness.close()


def test_half_of_the_oauth_settings_is_a_clear_error():
    from bot.config import load_settings, require_slack
    from bot.errors import ConfigError

    with pytest.raises(ConfigError, match="SLACK_CLIENT_SECRET"):
        require_slack(load_settings(None, slack_client_id=CLIENT_ID, slack_signing_secret="s"))
    with pytest.raises(ConfigError, match="SLACK_SIGNING_SECRET"):
        require_slack(load_settings(None, slack_client_id=CLIENT_ID, slack_client_secret=CLIENT_SECRET))


def test_event_from_an_uninstalled_workspace_gets_no_answer(fake, tmp_path):
    harness = _start(fake, tmp_path)
    try:
        _mention(harness, "EvNobody")
        time.sleep(0.5)
        assert not fake.calls_to("chat.postMessage")
        assert json.dumps(fake.calls_to("chat.update")) == "[]"
    finally:
        harness.close()


def test_scheduled_work_gets_a_rotated_token_for_the_workspace(fake, tmp_path):
    from bot.app import create_app
    from bot.runtime.oauth import make_client_for

    harness = _start(fake, tmp_path)
    try:
        fake.expires_in = 300  # expires within 10 minutes: the scheduler's lookup must refresh it
        assert _install(harness)[0] == 200
        installed = fake.issued[-1]
        app = create_app(harness.services.settings, services=harness.services)
        client = make_client_for(app, harness.services.settings)(fake.team_id)
        assert client.token == fake.issued[-1] != installed
        assert client.auth_test()["ok"]
        stored = _installation_store(harness).find_bot(enterprise_id=None, team_id=fake.team_id)
        assert stored.bot_token == client.token
    finally:
        harness.close()
