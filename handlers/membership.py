"""Membership changes clear the access cache at once: ``member_joined_channel``, ``member_left_channel``,
``channel_shared``, ``channel_unshared`` (a channel's audience changed) and ``user_change`` (a person
changed: turned guest, deactivated, made admin).

Each listener forgets what the workspace's :class:`bot.access.AccessChecker` holds about that channel or
person (in memory, no I/O) and acks; the next read check asks Slack again. Sources: Slack's event
reference (https://docs.slack.dev/reference/events/member_joined_channel and siblings): ``channel`` is the
channel ID, ``user`` the user ID, except in ``user_change``, where ``user`` is the whole user object.
"""

from __future__ import annotations

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.services import Services


def register(app: App, services: Services) -> None:
    """Register the membership listeners."""

    def channel_changed(ack: Ack, event: dict, client: WebClient) -> None:
        channel_id = event.get("channel")
        if isinstance(channel_id, str) and channel_id:
            services.access_for(client).forget_channel(channel_id)
        ack()

    def user_changed(ack: Ack, event: dict, client: WebClient) -> None:
        user = event.get("user")
        user_id = user.get("id") if isinstance(user, dict) else user
        if isinstance(user_id, str) and user_id:
            services.access_for(client).forget_user(user_id)
        ack()

    app.event("member_joined_channel")(channel_changed)
    app.event("member_left_channel")(channel_changed)
    app.event("channel_shared")(channel_changed)
    app.event("channel_unshared")(channel_changed)
    app.event("user_change")(user_changed)
