"""End to end: Recap speaks to each person in their Slack language (``users.info`` ``locale``), and a
refusal reaches a Spanish speaker in Spanish, while an English speaker in the same workspace gets English."""

from __future__ import annotations

import json

import pytest

from bot import strings
from tests.fakeslack import FakeSlack


@pytest.fixture
def workspace():
    with FakeSlack() as fake:
        for uid, name in [("U1", "maya"), ("U2", "raj"), ("U3", "tom"), ("U5", "lucia")]:
            fake.add_user(uid, name)
        fake.locales["U5"] = "es-ES"
        fake.add_channel("C0GEN", "general", members=["U1", "U2", "U5"])
        fake.add_channel("C0SEC", "secret-plans", is_private=True, members=["U1", "U2"])
        yield fake


def _spanish(name: str) -> str:
    with strings.use_language("es"):
        return str(getattr(strings, name))


def test_a_mention_by_a_spanish_speaker_gets_the_sign_of_life_in_spanish(harness, workspace):
    parent = workspace.post("C0GEN", "U1", "Can we move the launch review to Thursday at 3 pm?")
    workspace.post("C0GEN", "U2", "Thursday at 3 pm works for me.", thread_ts=parent["ts"])
    mention = workspace.post("C0GEN", "U5", "<@U0BOT> summarize", thread_ts=parent["ts"])
    harness.event({"type": "app_mention", "user": "U5", "text": f"<@{workspace.bot_user_id}> summarize",
                   "ts": mention["ts"], "thread_ts": parent["ts"], "channel": "C0GEN"}, event_id="EvEs1")
    working = harness.wait_calls("chat.postMessage")[0]
    assert working["text"] == _spanish("WORKING_THREAD") != strings.english()["WORKING_THREAD"]
    infos = workspace.calls_to("users.info")
    assert any(str(c.get("include_locale")).lower() in ("1", "true") for c in infos)


@pytest.mark.parametrize(("user", "language"), [("U5", "es"), ("U3", "en")])
def test_a_refusal_reaches_each_person_in_their_language(harness, workspace, user, language):
    workspace.add_channel("C0PUB", "pub", members=["U1", "U3", "U5"])
    harness.command("<#C0SEC|secret-plans>", user_id=user, channel_id="C0PUB")
    posts = harness.receiver.wait_for(lambda p: len(p) >= 1)
    body = json.dumps(posts, ensure_ascii=False)
    expected = _spanish("NO_ACCESS") if language == "es" else strings.english()["NO_ACCESS"]
    assert expected in body
