"""End to end: a scheduled weekly digest is summarized through the provider's batch API (half the token
price), posted once in the channel, and a second run of the same job posts nothing more."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from bot.digests.runs import run_subscription
from bot.digests.store import DigestStore, Schedule
from bot.llm.openai import OpenAIProvider
from tests.fakellm import FakeLLM
from tests.fakeslack import BOT_TOKEN, FakeSlack


@pytest.fixture
def workspace():
    with FakeSlack() as fake:
        for uid, name in [("U1", "maya"), ("U2", "raj"), ("U3", "lena")]:
            fake.add_user(uid, name)
        fake.add_channel("C0ENG", "eng", members=["U1", "U2", "U3"])
        yield fake


def test_a_scheduled_digest_goes_through_one_batch_and_posts_once(workspace, tmp_path):
    from bot.app import build_services
    from bot.config import load_settings
    from bot.slack.client import make_web_client

    now = datetime(2024, 5, 13, 9, 30, tzinfo=UTC)  # a Monday, after the 09:00 digest
    week = [now - timedelta(days=d, hours=2) for d in range(6, 0, -1)]
    texts = ["The build cache is cold again after the runner upgrade.", "I pinned the runner image to 22.04.",
             "Decision: we keep the pinned image until the cache fix ships.", "Cache hit rate is back to 92%.",
             "Raj will write the post-mortem by Friday.", "Post-mortem is up, please review."]
    for when, text, user in zip(week, texts, ["U1", "U2", "U1", "U3", "U1", "U2"], strict=True):
        workspace.post("C0ENG", user, text, ts=when.timestamp())

    with FakeLLM() as llm:
        def handler(request):
            return json.dumps({"overview": "The build cache week.", "outcome": {
                "text": "The post-mortem is up for review.", "sources": ["m6"]}, "key_points": [
                {"text": "The runner image stays pinned until the cache fix ships.", "sources": ["m3"]}]})

        llm.handler = handler
        llm.batch_polls = 1
        settings = load_settings(None, slack_bot_token=BOT_TOKEN, slack_signing_secret="s",
                                 slack_api_url=workspace.base_url, llm_provider="offline",
                                 database_url=f"sqlite:///{tmp_path}/recap.sqlite3", llm_batch_deadline=60)
        services = build_services(settings)
        services.provider = OpenAIProvider(api_key="k", base_url=llm.openai_base_url, timeout=5, max_retries=0)
        DigestStore(services.store).subscribe(team_id=workspace.team_id, channel_id="C0ENG",
                                              schedule=Schedule(0, 9, 0, "UTC"), created_by="U1")
        client = make_web_client(token=BOT_TOKEN, base_url=workspace.base_url)

        first = run_subscription(services=services, client=client, team_id=workspace.team_id, channel_id="C0ENG",
                                 now=now)
        second = run_subscription(services=services, client=client, team_id=workspace.team_id,
                                  channel_id="C0ENG", now=now)
        batches = list(llm.batches.values())
        direct = [r.prompt for r in llm.requests if "x-batch-id" not in r.headers]

    assert first.status == "posted" and second.status == "duplicate"
    posts = workspace.calls_to("chat.postMessage")
    assert len(posts) == 1 and posts[0]["channel"] == "C0ENG"
    assert "pinned until the cache fix ships" in json.dumps(posts[0].get("blocks"))
    assert len(batches) == 1 and len(batches[0].requests) == 1  # the channel's summary came from the batch
    assert not [p for p in direct if "<transcript>" in p]  # no summary was asked directly (full price)
