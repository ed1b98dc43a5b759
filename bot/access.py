"""Who may read what: Recap shows a person a summary only of what they could read themselves.

Rules (source: Slack's docs on channel types, guests, the user object and ``conversations.members``):
    * public channel: every full member of the workspace may read it; guests (``is_restricted``,
      ``is_ultra_restricted``) and people of other organisations (Slack Connect) only if they are in it;
      Slack Connect (``is_ext_shared``) channels are treated like private ones;
    * private channel, DM, group DM: only members (checked with ``conversations.members``);
    * the bot must be a member to read anything it is not already in (``BotNotInChannel`` otherwise).

A summary may be *shared* (posted) into a destination only when everyone who can read the
destination can read the source: the same conversation; a public source shown in a destination that is
neither shared with another organisation nor has guests or outside members; or every destination member
is a member of the source.

Freshness (issue 14): a decision that *posts* (a share, an org digest's post) reads the channels and
their members live, never from the cache. A *read* check uses a short cache (``ttl``, 30 s) that the
events ``member_joined_channel``, ``member_left_channel``, ``channel_shared`` and ``channel_unshared``
(:meth:`AccessChecker.forget_channel`) and ``user_change`` (:meth:`AccessChecker.forget_user`) clear at
once (``handlers/membership.py``). Guests are recognised with one ``users.info`` (Tier 4) per person
actually needed (the requester; for a share, the destination's members, looked up a few at a time and
stopping at the first guest), cached as briefly and cleared by ``user_change``; the directory
(``users.list``) is never downloaded.

People are kept in the rate limiter's shared store instead (:mod:`bot.slack.shared`; Redis when
``RATE_LIMIT_URL`` is one) for ``ttl``, so one ``users.info`` serves every process, and ``user_change``
clears them there for every process at once. Channels and member lists are cached per process: with
several processes, an event clears the cache of the one it reaches and the others' entries expire
within ``ttl``. Every Web API call is paced by the shared limiter (:func:`bot.slack.client.paced`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from typing import Generic, TypeVar

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import strings
from bot.errors import BotNotInChannel, SlackAccessError, SlackReadError
from bot.models import Channel
from bot.slack.client import PacedWebClient, limiter_of, paced

READ_TTL = 30.0  # seconds a cached channel, member list or person stays valid for a read check
LOOKUP_BATCH = 8  # people looked up with users.info at once when a share checks a destination's members
MAX_ENTRIES = 50_000  # per cache; expired entries are dropped past it, then the oldest

V = TypeVar("V")


@dataclass(frozen=True)
class Person:
    """What access checks need of a user (``users.info``'s user object, Slack docs "User object").

    Attributes:
        id: user ID.
        is_guest: a multi- or single-channel guest (``is_restricted`` / ``is_ultra_restricted``).
        is_external: of another organisation (``is_stranger``, a different ``team_id``) or unknown to
            this workspace (``users.info`` answered ``user_not_found``).
        is_deleted: deactivated.
        is_admin: a workspace admin, owner or primary owner.
        locale: the person's Slack language (``es-ES``, ``pt-BR``; ``users.info`` with ``include_locale``),
            or None when Slack did not say.
    """

    id: str
    is_guest: bool = False
    is_external: bool = False
    is_deleted: bool = False
    is_admin: bool = False
    locale: str | None = None

    @property
    def is_full_member(self) -> bool:
        """May read every public channel of the workspace without being in it."""
        return not (self.is_guest or self.is_external or self.is_deleted)

    @classmethod
    def from_user(cls, user: dict, *, team_id: str | None) -> Person:
        """Build from a Slack user object; ``team_id`` is the workspace's (``auth.test``). On Enterprise
        Grid a person of another workspace of the organisation who is also in this one
        (``enterprise_user.teams``) is not external."""
        grid_teams = (user.get("enterprise_user") or {}).get("teams") or []
        foreign_team = bool(team_id) and user.get("team_id") not in (None, "", team_id) and team_id not in grid_teams
        return cls(
            id=str(user.get("id", "")),
            is_guest=bool(user.get("is_restricted") or user.get("is_ultra_restricted")),
            is_external=bool(user.get("is_stranger")) or foreign_team,
            is_deleted=bool(user.get("deleted")),
            is_admin=bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner")),
            locale=str(user.get("locale") or "") or None,
        )


class _Cache(Generic[V]):
    """A thread-safe TTL map whose invalidation wins over fetches in flight.

    :meth:`epoch` is read before a Web API call and passed to :meth:`put`; a :meth:`forget` in between
    bumps the epoch, so the answer fetched before the change is not stored over it.
    """

    def __init__(self, ttl: float, clock: Callable[[], float]) -> None:
        self.ttl, self.clock = ttl, clock
        self._lock = threading.Lock()
        self._items: dict[str, tuple[float, V]] = {}
        self._epoch = 0

    def get(self, key: str) -> V | None:
        with self._lock:
            hit = self._items.get(key)
        return hit[1] if hit is not None and self.clock() - hit[0] < self.ttl else None

    def epoch(self) -> int:
        with self._lock:
            return self._epoch

    def put(self, key: str, value: V, *, epoch: int) -> None:
        with self._lock:
            if epoch != self._epoch:
                return
            self._items.pop(key, None)
            self._items[key] = (self.clock(), value)
            if len(self._items) > MAX_ENTRIES:
                now = self.clock()
                self._items = {k: v for k, v in self._items.items() if now - v[0] < self.ttl}
                while len(self._items) > MAX_ENTRIES:
                    self._items.pop(next(iter(self._items)))

    def forget(self, key: str) -> None:
        with self._lock:
            self._epoch += 1
            self._items.pop(key, None)


def _api_error(exc: SlackApiError) -> str:
    return str(exc.response.get("error", "")) if exc.response is not None else ""


class AccessChecker:
    """Membership, channel and person facts from the Web API: live where a decision posts, cached
    briefly (and cleared by membership events) where it reads.

    Args:
        client: a WebClient with the bot token of the workspace.
        ttl: seconds a cached answer stays valid for read checks.
        clock: time source (seconds), for tests.
    """

    def __init__(self, client: WebClient, *, ttl: float = READ_TTL, clock: Callable[[], float] = time.monotonic):
        self.client = paced(client)
        limiter = limiter_of(self.client)
        self._shared = limiter.shared if limiter is not None else None
        self.ttl = ttl
        self._channels: _Cache[Channel] = _Cache(ttl, clock)
        self._members: _Cache[frozenset[str]] = _Cache(ttl, clock)
        self._people: _Cache[Person] = _Cache(ttl, clock)
        self._identity: tuple[str, str] | None = None  # (team_id, bot user_id) of the token: never changes

    # ------------------------------------------------------------------ invalidation (membership events)
    def forget_channel(self, channel_id: str) -> None:
        """Drop what is cached about a channel (its facts and members): someone joined or left, or it was
        shared with or unshared from another organisation. Cheap, no I/O."""
        self._channels.forget(channel_id)
        self._members.forget(channel_id)

    def forget_user(self, user_id: str) -> None:
        """Drop what is cached about a person (``user_change``: e.g. turned guest, deactivated, made
        admin): here and, for every process, in the shared store."""
        self._people.forget(user_id)
        if self._shared is not None:
            self._shared.delete(self._person_key(user_id))

    def _person_key(self, user_id: str) -> str:
        return f"person:{self._whoami()[0]}:{user_id}"

    # ------------------------------------------------------------------ facts
    def channel(self, channel_id: str, *, fresh: bool = False) -> Channel:
        """``conversations.info`` as a :class:`Channel` (cached ``ttl`` seconds unless ``fresh``).

        Raises:
            BotNotInChannel: Slack says ``channel_not_found`` (a private conversation the bot isn't in).
            SlackReadError: any other API error.
        """
        hit = None if fresh else self._channels.get(channel_id)
        if hit is not None:
            return hit
        epoch = self._channels.epoch()
        try:
            info = self.client.conversations_info(channel=channel_id)["channel"]
        except SlackApiError as exc:
            raise _read_error("conversations.info", channel_id, exc) from exc
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
        self._channels.put(channel_id, channel, epoch=epoch)
        return channel

    def members(self, channel_id: str, *, fresh: bool = False) -> frozenset[str]:
        """Every member's user ID (``conversations.members``, all pages; cached ``ttl`` unless ``fresh``).

        Raises:
            BotNotInChannel / SlackReadError: as :meth:`channel`.
        """
        hit = None if fresh else self._members.get(channel_id)
        if hit is not None:
            return hit
        epoch = self._members.epoch()
        found: set[str] = set()
        try:
            for page in self.client.conversations_members(channel=channel_id, limit=1000):
                found.update(page.get("members", []))
        except SlackApiError as exc:
            raise _read_error("conversations.members", channel_id, exc) from exc
        members = frozenset(found)
        self._members.put(channel_id, members, epoch=epoch)
        return members

    def person(self, user_id: str, *, fresh: bool = False) -> Person:
        """One person's facts (``users.info``; cached ``ttl`` here and in the shared store unless ``fresh``).
        A user Slack does not know here (``user_not_found``) is treated as external: members-only access.

        Raises:
            SlackReadError: any other API error.
        """
        # With a shared store it is the only cache of people, so that ``user_change`` reaching any process
        # (forget_user) is seen by every process at its next check.
        hit = None if fresh or self._shared is not None else self._people.get(user_id)
        if hit is not None:
            return hit
        epoch = self._people.epoch()
        team_id, _ = self._whoami()
        if not fresh and self._shared is not None:
            stored = self._shared.get_json(self._person_key(user_id))
            if isinstance(stored, dict):
                try:
                    person = Person(**stored)
                except TypeError:
                    person = None  # written by another version: ask Slack
                if person is not None:
                    return person
        try:
            user = self.client.users_info(user=user_id, include_locale=True).get("user") or {}
            person = Person.from_user({"id": user_id, **user}, team_id=team_id)
        except SlackApiError as exc:
            if _api_error(exc) not in ("user_not_found", "user_not_visible"):
                raise SlackReadError(f"users.info {user_id}: {_api_error(exc)}",
                                     user_message=strings.GENERIC_ERROR) from exc
            person = Person(user_id, is_external=True)
        self._people.put(user_id, person, epoch=epoch)
        if self._shared is not None and epoch == self._people.epoch():
            self._shared.set_json(self._person_key(user_id), asdict(person), ttl=self.ttl)
        return person

    def is_admin(self, user_id: str) -> bool:
        """True when ``user_id`` is a workspace admin, owner or primary owner, read live (``users.info``).

        Raises:
            SlackReadError: Slack did not answer.
        """
        return self.person(user_id, fresh=True).is_admin

    def _whoami(self) -> tuple[str, str]:
        if self._identity is None:
            try:
                auth = self.client.auth() if isinstance(self.client, PacedWebClient) else self.client.auth_test()
            except SlackApiError as exc:
                raise SlackReadError(f"auth.test: {_api_error(exc)}", user_message=strings.GENERIC_ERROR) from exc
            self._identity = (str(auth.get("team_id") or ""), str(auth.get("user_id") or ""))
        return self._identity

    def _first_not_full_member(self, user_ids: Iterable[str]) -> str | None:
        """The first of ``user_ids`` who is not a full member (guest, external, deactivated), or None.

        People not cached are looked up with ``users.info``, :data:`LOOKUP_BATCH` at a time (each call
        paced by the shared limiter), stopping after the batch that finds one.
        """
        _, bot_user_id = self._whoami()
        people = [u for u in user_ids if u != bot_user_id]
        with ThreadPoolExecutor(max_workers=LOOKUP_BATCH, thread_name_prefix="access-people") as pool:
            for start in range(0, len(people), LOOKUP_BATCH):
                batch = people[start:start + LOOKUP_BATCH]
                for user_id, person in zip(batch, pool.map(self.person, batch), strict=True):
                    if not person.is_full_member:
                        return user_id
        return None

    # ------------------------------------------------------------------ decisions
    def check_read(self, *, user_id: str, channel_id: str) -> Channel:
        """Check that ``user_id`` may read ``channel_id`` and the bot can read it too (short cache).

        Returns:
            the channel.

        Raises:
            SlackAccessError: the user is not a member of a private channel / DM / group DM / shared
                channel, or is a guest or outside member and not in the (public) channel.
            BotNotInChannel: the bot is not in the channel.
            SlackReadError: Slack did not answer.
        """
        channel = self.channel(channel_id)
        members_only = channel.is_restricted or channel.is_ext_shared or not self.person(user_id).is_full_member
        if members_only and user_id not in self.members(channel_id):
            raise SlackAccessError(f"{user_id} is not a member of {channel_id}", user_message=strings.NO_ACCESS)
        if not channel.is_member and not channel.is_im:
            raise BotNotInChannel(
                f"bot is not a member of {channel_id}",
                user_message=strings.BOT_NOT_IN_CHANNEL.format(channel_id=channel_id),
            )
        return channel

    def check_share(self, *, source_id: str, destination_id: str) -> None:
        """Check, live, that a summary of ``source_id`` may be posted where ``destination_id``'s audience
        reads it (:meth:`check_shares` with one source).

        Raises:
            SlackAccessError: some reader of the destination cannot read the source.
            SlackReadError: Slack did not answer.
        """
        self.check_shares(source_ids=[source_id], destination_id=destination_id)

    def check_shares(self, *, source_ids: Iterable[str], destination_id: str) -> None:
        """Check, live, that summaries of every source may be posted where ``destination_id``'s audience
        reads them: the destination's facts and members, and each private source's members, are read
        from Slack now (no cache); the destination is read once for all sources.

        Raises:
            ShareRefused: some reader of the destination cannot read a source (``source_id`` names it;
                ``user_message`` is :data:`bot.strings.SHARE_REFUSED`).
            SlackAccessError: the bot is not in the destination (``user_message``: the same refusal).
            SlackReadError: Slack did not answer.
        """
        sources = [s for s in dict.fromkeys(source_ids) if s != destination_id]
        if not sources:
            return
        try:
            destination = self.channel(destination_id, fresh=True)
            destination_members = self.members(destination_id, fresh=True)
        except BotNotInChannel as exc:
            raise SlackAccessError(str(exc), user_message=strings.SHARE_REFUSED) from exc
        outsider_checked = False
        for source_id in sources:
            source = self.channel(source_id, fresh=True)
            if not (source.is_restricted or source.is_ext_shared):
                # a public source: every full member may read it, but not another organisation or guests
                if destination.is_ext_shared:
                    raise _refused(source_id, f"{destination_id} is shared with another organisation")
                if not outsider_checked:
                    outsider = self._first_not_full_member(destination_members)
                    if outsider is not None:
                        raise _refused(source_id, f"{outsider} in {destination_id} is not a full member")
                    outsider_checked = True
                continue
            if not (destination.is_restricted or destination.is_ext_shared):
                # a public channel can be read by anyone in the workspace, members or not
                raise _refused(source_id, f"{source_id} is private, {destination_id} is public")
            if not destination_members <= self.members(source_id, fresh=True):
                raise _refused(source_id, f"members of {destination_id} outside {source_id}")


class ShareRefused(SlackAccessError):
    """A share (or an org digest's post) was refused: some reader of the destination cannot read
    ``source_id``."""

    def __init__(self, message: str, *, source_id: str) -> None:
        super().__init__(message, user_message=strings.SHARE_REFUSED)
        self.source_id = source_id


def _refused(source_id: str, why: str) -> ShareRefused:
    return ShareRefused(f"share of {source_id} refused: {why}", source_id=source_id)


def _read_error(method: str, channel_id: str, exc: SlackApiError) -> SlackAccessError | SlackReadError:
    error = _api_error(exc)
    if error in ("channel_not_found", "not_in_channel"):
        return BotNotInChannel(f"{method} {channel_id}: {error}",
                               user_message=strings.BOT_NOT_IN_CHANNEL.format(channel_id=channel_id))
    return SlackReadError(f"{method} {channel_id}: {error}", user_message=strings.GENERIC_ERROR)
