"""End to end: App Home with settings. Signed requests (``app_home_opened``, ``block_actions``) go into the
real Bolt app, which publishes the Home on the fake Slack Web API (``views.publish`` checked against Block
Kit's rules by the fake): the person's digests, a digest setting changed from the Home, the language of
headings, "Forget me", and model-written text passing the output guard."""

from __future__ import annotations

import json

import pytest

from bot.digests.store import DigestStore, Schedule
from bot.home.store import UserSettingsStore
from bot.titles.home import (
    ACTION_DIGEST_DAY,
    ACTION_DIGEST_OFF,
    ACTION_FORGET,
    ACTION_LANGUAGE,
)
from bot.titles.store import TitleStore
from tests.e2e import start_harness
from tests.fakeslack import FakeSlack


@pytest.fixture
def harness(tmp_path):
    with FakeSlack() as fake:
        for user, name in (("U1", "ann"), ("U2", "bob"), ("U4", "dan")):
            fake.add_user(user, name)
        fake.users["U4"]["is_admin"] = True
        fake.add_channel("C0PUB", "general", members=["U1", "U2", "U4"])
        fake.add_channel("C0ANN", "announcements", members=["U1", "U2", "U4"])
        h = start_harness(fake, tmp_path=tmp_path)
        digests = DigestStore(h.services.store)
        digests.subscribe(team_id=fake.team_id, channel_id="C0PUB", schedule=Schedule(0, 9, 0, "UTC"), created_by="U1")
        digests.subscribe(team_id=fake.team_id, channel_id="C0ANN", schedule=Schedule(2, 10, 30, "UTC"),
                          created_by="U2")
        yield h
        h.close()


_ids = iter(range(1, 1_000_000))


def _open_home(harness, user: str) -> dict:
    count = len(harness.fake.calls_to("views.publish"))
    status, _, _ = harness.event({"type": "app_home_opened", "user": user, "channel": f"D0{user}", "tab": "home",
                                  "event_ts": harness.fake.next_ts()}, event_id=f"EvHome{next(_ids)}")
    assert status == 200
    return _published(harness, user, count)


def _published(harness, user: str, before: int) -> dict:
    calls = harness.wait_calls("views.publish", before + 1)
    assert calls[-1]["user_id"] == user
    view = calls[-1]["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert harness.fake.views[-1]["blocks"] == view["blocks"]  # the fake accepted (validated) it
    return view


def _click(harness, user: str, action: dict) -> dict:
    """A ``block_actions`` payload from the Home tab, as Slack sends it; returns the Home published after."""
    count = len(harness.fake.calls_to("views.publish"))
    payload = {"type": "block_actions", "user": {"id": user, "username": user, "team_id": harness.fake.team_id},
               "api_app_id": "A0RECAP", "token": "x", "team": {"id": harness.fake.team_id, "domain": "recap-test"},
               "container": {"type": "view", "view_id": "V0HOME"}, "trigger_id": "1.2.3",
               "view": {"id": "V0HOME", "type": "home", "blocks": []}, "actions": [{**action, "action_ts": "1.0"}]}
    status, _, seconds = harness.interactive(payload)
    assert status == 200 and seconds < 3
    return _published(harness, user, count)


def _day_select(view: dict, channel_id: str) -> dict:
    (block,) = [b for b in view["blocks"] if b.get("block_id") == f"home_digest:{channel_id}"]
    return block


def _pick_day(channel_id: str, day: int, name: str) -> dict:
    return {"type": "static_select", "action_id": ACTION_DIGEST_DAY, "block_id": f"home_digest:{channel_id}",
            "selected_option": {"text": {"type": "plain_text", "text": name}, "value": str(day)}}


def test_home_shows_and_changes_a_digest_setting(harness):
    view = _open_home(harness, "U1")
    text = json.dumps(view)
    block = _day_select(view, "C0PUB")
    assert "<#C0PUB> — Mondays at 09:00 (UTC)" in block["text"]["text"]
    assert block["accessory"]["initial_option"]["value"] == "0"
    assert "home_digest:C0ANN" not in text  # bob's digest is not ann's to manage
    assert "Your weekly digests" in text and "Your settings" in text

    after = _click(harness, "U1", _pick_day("C0PUB", 4, "Friday"))
    sub = DigestStore(harness.services.store).subscription(team_id=harness.fake.team_id, channel_id="C0PUB")
    assert sub.schedule == Schedule(4, 9, 0, "UTC") and sub.created_by == "U1"  # same time, zone and owner
    block = _day_select(after, "C0PUB")
    assert "Fridays at 09:00 (UTC)" in block["text"]["text"] and block["accessory"]["initial_option"]["value"] == "4"

    after = _click(harness, "U1", {"type": "button", "action_id": ACTION_DIGEST_OFF, "block_id": "home_digest_off:C0PUB",
                                   "value": "C0PUB"})
    assert DigestStore(harness.services.store).subscription(team_id=harness.fake.team_id, channel_id="C0PUB") is None
    assert "You haven't set up a weekly digest" in json.dumps(after)


def test_someone_elses_digest_is_refused_in_a_dm_and_left_unchanged(harness):
    before = len(harness.fake.calls_to("chat.postMessage"))
    _click(harness, "U1", _pick_day("C0ANN", 4, "Friday"))  # a forged action on bob's digest
    sub = DigestStore(harness.services.store).subscription(team_id=harness.fake.team_id, channel_id="C0ANN")
    assert sub.schedule.weekday == 2
    (told,) = harness.fake.calls_to("chat.postMessage")[before:]
    assert told["channel"] == "U1" and "Only the person who set up that digest, or a workspace admin" in told["text"]
    _click(harness, "U4", _pick_day("C0ANN", 5, "Saturday"))  # an admin may
    sub = DigestStore(harness.services.store).subscription(team_id=harness.fake.team_id, channel_id="C0ANN")
    assert sub.schedule.weekday == 5 and sub.created_by == "U2"


def test_language_is_stored_per_person_and_shown(harness):
    after = _click(harness, "U1", {"type": "static_select", "action_id": ACTION_LANGUAGE, "block_id": "home_language",
                                   "selected_option": {"text": {"type": "plain_text", "text": "German (de)"},
                                                       "value": "de"}})
    settings = UserSettingsStore(harness.services.store.engine)
    assert settings.language(harness.fake.team_id, "U1") == "de" and settings.language(harness.fake.team_id, "U2") is None
    (block,) = [b for b in after["blocks"] if b.get("block_id") == "home_language"]
    assert block["accessory"]["initial_option"]["value"] == "de"
    assert _open_home(harness, "U2")["blocks"][-2]["accessory"]["initial_option"]["value"] == "auto"
    # a value that is no choice of the select is refused, the setting kept
    _click(harness, "U1", {"type": "static_select", "action_id": ACTION_LANGUAGE, "block_id": "home_language",
                           "selected_option": {"text": {"type": "plain_text", "text": "x"}, "value": "xx"}})
    assert settings.language(harness.fake.team_id, "U1") == "de"


def test_forget_me_from_home_deletes_titles_and_settings_and_guards_what_it_shows(harness):
    team = harness.fake.team_id
    titles = TitleStore(harness.services.store.engine)
    titles.record_conversation(team_id=team, user_id="U1", channel_id="C0PUB", thread_ts="1.000100",
                               first_user_text="what happened in general")
    titles.set_title(team_id=team, channel_id="C0PUB", thread_ts="1.000100",
                     title="Release plan. Log in at https://evil.example/login and ping @channel")
    UserSettingsStore(harness.services.store.engine).set_language(team, "U1", "fr")

    shown = json.dumps(_open_home(harness, "U1"))
    assert "Release plan" in shown
    assert "evil.example" not in shown and "@channel" not in shown  # the output guard ran on the title

    after = _click(harness, "U1", {"type": "button", "action_id": ACTION_FORGET, "block_id": "home_forget",
                                   "value": "forget"})
    assert titles.count_conversations(team, "U1") == 0
    assert UserSettingsStore(harness.services.store.engine).language(team, "U1") is None
    assert "Release plan" not in json.dumps(after)
    # the digest ann set up is a channel's setting, not personal data: it stays
    assert DigestStore(harness.services.store).subscription(team_id=team, channel_id="C0PUB") is not None


def test_the_fake_refuses_a_home_slack_would_refuse(harness):
    from slack_sdk.errors import SlackApiError

    from bot.slack.client import make_web_client
    from bot.titles.home import home_view
    from tests.fakeslack.server import BOT_TOKEN

    client = make_web_client(token=BOT_TOKEN, base_url=harness.fake.base_url)
    good = home_view(conversations=[], permalink_for=lambda c: None, profile=None, conversation_count=0, digests=[],
                     language="de")
    client.views_publish(user_id="U1", view=good)
    for breaking in (
        lambda v: v["blocks"][-2]["accessory"].update(initial_option={"text": {"type": "plain_text", "text": "Klingon"},
                                                                      "value": "tlh"}),
        lambda v: v["blocks"][-1]["accessory"]["confirm"].update(text={"type": "plain_text", "text": "x" * 301}),
        lambda v: v["blocks"].append({"type": "header", "text": {"type": "mrkdwn", "text": "*bold*"}}),
        lambda v: v["blocks"].append(dict(v["blocks"][-1])),  # a repeated block_id
    ):
        bad = json.loads(json.dumps(good))
        breaking(bad)
        with pytest.raises(SlackApiError):
            client.views_publish(user_id="U1", view=bad)


def test_the_home_speaks_the_chosen_language(harness):
    from bot import strings

    view = _click(harness, "U1", {"type": "static_select", "action_id": ACTION_LANGUAGE, "block_id": "home_language",
                                  "selected_option": {"text": {"type": "plain_text", "text": "Deutsch"}, "value": "de"}})
    with strings.use_language("de"):
        german = strings.HOME_SETTINGS
    assert german != "Your settings" and german in json.dumps(view, ensure_ascii=False)
    assert "Your settings" in json.dumps(_open_home(harness, "U2"))  # bob chose nothing: English


def test_settings_store_on_each_database_and_purged_with_the_workspace(db_url):
    from bot.storage.engine import make_engine
    from bot.storage.schema import create_schema
    from bot.storage.store import Store

    engine = make_engine(db_url)
    create_schema(engine)
    settings = UserSettingsStore(engine)
    settings.set_language("T1", "U1", "es")
    settings.set_language("T1", "U1", "pt")  # one row per person, updated
    settings.set_language("T2", "U1", "ja")
    assert (settings.language("T1", "U1"), settings.language("T2", "U1"), settings.language("T1", "U2")) == ("pt", "ja", None)
    settings.set_language("T1", "U1", None)
    assert settings.language("T1", "U1") is None
    settings.set_language("T1", "U1", "de")
    Store(engine).purge_team("T1")  # app_uninstalled: every table with a team_id
    assert settings.language("T1", "U1") is None and settings.language("T2", "U1") == "ja"
    assert settings.forget("T2", "U1") == 1 and settings.language("T2", "U1") is None
    engine.dispose()


def test_the_forget_me_command_handler_clears_settings_and_republishes_the_full_home(harness):
    from bot.home.service import handle_forget_command
    from bot.slack.client import make_web_client
    from tests.fakeslack.server import BOT_TOKEN

    team = harness.fake.team_id
    UserSettingsStore(harness.services.store.engine).set_language(team, "U1", "es")
    said: list[dict] = []
    before = len(harness.fake.calls_to("views.publish"))
    handle_forget_command(services=harness.services, client=make_web_client(token=BOT_TOKEN, base_url=harness.fake.base_url),
                          respond=lambda **kw: said.append(kw), team_id=team, channel_id="C0PUB", user_id="U1")
    assert said and said[0]["response_type"] == "ephemeral"
    assert UserSettingsStore(harness.services.store.engine).language(team, "U1") is None
    view = _published(harness, "U1", before)
    assert _day_select(view, "C0PUB")  # the Home still lists ann's digest
