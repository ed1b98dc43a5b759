"""A stateful fake of the Slack Web API for tests, on a real local HTTP server.

Usage::

    from tests.fakeslack import FakeSlack

    with FakeSlack() as fake:
        fake.add_channel("C1", "general")
        fake.post("C1", "U1", "hello")
        client = slack_sdk.WebClient(token="xoxb-test", base_url=fake.base_url)

Or as a pytest fixture: ``from tests.fakeslack import fake_slack  # noqa: F401`` in a test module
(or ``pytest_plugins = ["tests.fakeslack"]`` in a conftest) and take ``fake_slack`` as an argument.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakeslack.server import BOT_TOKEN, BOT_USER_ID, FakeChannel, FakeSlack, SlackFault

__all__ = ["BOT_TOKEN", "BOT_USER_ID", "FakeChannel", "FakeSlack", "SlackFault", "fake_slack"]


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    """A running :class:`FakeSlack` on a free port, stopped after the test."""
    with FakeSlack() as fake:
        yield fake
