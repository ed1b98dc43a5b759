"""Who may read what: Recap shows a person a summary only of what they could read themselves.

Rules (source: Slack's docs on channel types, guests and ``conversations.members``):
    * public channel: every full member of the workspace may read it; guests (``is_restricted``,
      ``is_ultra_restricted``) and people of other organisations (Slack Connect) only if they are in it;
      Slack Connect (``is_ext_shared``) channels are treated like private ones;
    * private channel, DM, group DM: only members (checked with ``conversations.members``);
    * the bot must be a member to read anything it is not already in (``BotNotInChannel`` otherwise).

A summary may be *shared* (posted) into a destination only when everyone who can read the
destination can read the source: the same conversation; a public source shown in a destination that is
neither shared with another organisation nor has guests or outside members; or every destination member
is a member of the source.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import strings
from bot.errors import BotNotInChannel, SlackAccessError, SlackReadError
from bot.models import Channel


class AccessChecker:
    """Membership and channel facts from the Web API, cached briefly.

    Args:
        client: a WebClient with the bot token of the workspace.
        ttl: seconds a cached answer stays valid (short: membership changes).
        clock: time source (seconds), for tests.
    """

    def __init__(self, client: WebClient, *, ttl: float = 60.0, clock: Callable[[], float] = time.monotonic):
        self.client = client
        self.ttl = ttl
        self.clock = clock
        self._lock = threading.Lock()
        self._channels: dict[str, tuple[float, Channel]] = {}
        self._members: dict[str, tuple[float, frozenset[str]]] = {}
        self._full_members: tuple[float, frozenset[str]] | None = None
        self.directory_ttl = max(ttl, 600.0)

    def channel(self, channel_id: str) -> Channel:
        """``conversations.info`` as a :class:`Channel`.

        Raises:
            BotNotInChannel: Slack says ``channel_not_found`` (a private conversation the bot isn't in).
            SlackReadError: any other API error.
        """
        with self._lock:
            hit = self._channels.get(channel_id)
        if hit and self.clock() - hit[0] < self.ttl:
            return hit[1]
        try:
            info = self.client.conversations_info(channel=channel_id)["channel"]
        except SlackApiError as exc:
            error = exc.response.get("error", "")
            if error in ("channel_not_found", "not_in_channel"):
                raise BotNotInChannel(
                    f"conversations.info {channel_id}: {error}",
                    user_message=strings.BOT_NOT_IN_CHANNEL.format(channel_id=channel_id),
                ) from exc
            raise SlackReadError(f"conversations.info {channel_id}: {error}",
                                 user_message=strings.GENERIC_ERROR) from exc
        channel = Channel(
            id=info["id"],
            name=info.get("name") or info.get("user") or info["id"],
            is_private=bool(info.get("is_private")),
            is_im=bool(info.get("is_im")),
            is_mpim=bool(info.get("is_mpim")),
            is_ext_shared=bool(info.get("is_ext_shared") or info.get("is_shared")),
            is_member=bool(info.get("is_member", info.get("is_im", False))),
            is_archived=bool(info.get("is_archived")),
        )
        with self._lock:
            self._channels[channel_id] = (self.clock(), channel)
        return channel

    def members(self, channel_id: str) -> frozenset[str]:
        """Every member's user ID (``conversations.members``, all pages).

        Raises:
            BotNotInChannel / SlackReadError: as :meth:`channel`.
        """
        with self._lock:
            hit = self._members.get(channel_id)
        if hit and self.clock() - hit[0] < self.ttl:
            return hit[1]
        found: set[str] = set()
        try:
            for page in self.client.conversations_members(channel=channel_id, limit=1000):
                found.update(page.get("members", []))
        except SlackApiError as exc:
            error = exc.response.get("error", "")
            if error in ("channel_not_found", "not_in_channel"):
                raise BotNotInChannel(
                    f"conversations.members {channel_id}: {error}",
                    user_message=strings.BOT_NOT_IN_CHANNEL.format(channel_id=channel_id),
                ) from exc
            raise SlackReadError(f"conversations.members {channel_id}: {error}",
                                 user_message=strings.GENERIC_ERROR) from exc
        members = frozenset(found)
        with self._lock:
            self._members[channel_id] = (self.clock(), members)
        return members

    def full_members(self) -> frozenset[str]:
        """User IDs of the workspace's full members: not guests, not from another organisation, not
        deactivated (``users.list``, all pages, cached ``directory_ttl`` seconds)."""
        with self._lock:
            hit = self._full_members
        if hit and self.clock() - hit[0] < self.directory_ttl:
            return hit[1]
        try:
            team_id = self.client.auth_test().get("team_id")
            found: set[str] = set()
            for page in self.client.users_list(limit=200):
                for user in page.get("members", []):
                    if user.get("deleted") or user.get("is_restricted") or user.get("is_ultra_restricted"):
                        continue
                    if user.get("is_stranger") or (team_id and user.get("team_id") not in (None, team_id)):
                        continue
                    found.add(user["id"])
        except SlackApiError as exc:
            raise SlackReadError(f"users.list: {exc.response.get('error', '')}",
                                 user_message=strings.GENERIC_ERROR) from exc
        members = frozenset(found)
        with self._lock:
            self._full_members = (self.clock(), members)
        return members

    def check_read(self, *, user_id: str, channel_id: str) -> Channel:
        """Check that ``user_id`` may read ``channel_id`` and the bot can read it too.

        Returns:
            the channel.

        Raises:
            SlackAccessError: the user is not a member of a private channel / DM / group DM / shared
                channel, or is a guest or outside member and not in the (public) channel.
            BotNotInChannel: the bot is not in the channel.
        """
        channel = self.channel(channel_id)
        members_only = channel.is_restricted or channel.is_ext_shared or user_id not in self.full_members()
        if members_only:
            if user_id not in self.members(channel_id):
                raise SlackAccessError(f"{user_id} is not a member of {channel_id}", user_message=strings.NO_ACCESS)
        if not channel.is_member and not channel.is_im:
            raise BotNotInChannel(
                f"bot is not a member of {channel_id}",
                user_message=strings.BOT_NOT_IN_CHANNEL.format(channel_id=channel_id),
            )
        return channel

    def check_share(self, *, source_id: str, destination_id: str) -> None:
        """Check that a summary of ``source_id`` may be posted where ``destination_id``'s audience reads it.

        Raises:
            SlackAccessError: some member of the destination cannot read the source.
        """
        if source_id == destination_id:
            return
        source = self.channel(source_id)
        try:
            destination_members = self.members(destination_id)
        except BotNotInChannel as exc:
            raise SlackAccessError(str(exc), user_message=strings.SHARE_REFUSED) from exc
        destination = self.channel(destination_id)
        if not (source.is_restricted or source.is_ext_shared):
            # a public source: every full member may read it, but not another organisation or guests
            if destination.is_ext_shared or not destination_members <= self.full_members():
                raise SlackAccessError(f"{destination_id} has members outside the workspace's full members",
                                       user_message=strings.SHARE_REFUSED)
            return
        if not (destination.is_restricted or destination.is_ext_shared):
            # a public channel can be read by anyone in the workspace, members or not
            raise SlackAccessError(f"{source_id} is private, {destination_id} is public",
                                   user_message=strings.SHARE_REFUSED)
        if not destination_members <= self.members(source_id):
            raise SlackAccessError(f"members of {destination_id} outside {source_id}",
                                   user_message=strings.SHARE_REFUSED)
