"""``Services``: what a handler or a job needs, built once by :func:`bot.app.create_app` (the composition root).

Typed and explicit: no registry that handler modules fill. The features plug in through two small
protocols that the factory sets:

* :class:`AfterAnswer` — called after an exchange with Recap produced an answer (the titles feature
  records and titles the conversation, :class:`bot.titles.service.TitlesHook`);
* :class:`DigestJobs` — keeps the persistent digest scheduler in step with the subscriptions table
  (:class:`bot.digests.scheduler.DigestScheduler`), so ``/summarize digest on`` schedules the job in the
  same request, in every process.

This module is shared by every feature and imports none of them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Protocol

from slack_sdk import WebClient

from bot.access import AccessChecker
from bot.config import Settings
from bot.llm.base import Provider
from bot.models import Summary
from bot.slack.reader import Reader
from bot.storage.store import Store

if TYPE_CHECKING:
    pass

Respond = Callable[..., Any]
"""Bolt's ``respond`` (posts through a ``response_url``): ``respond(text=…, blocks=…, response_type=…)``."""


class AfterAnswer(Protocol):
    """Called after an exchange with Recap produced an answer (never raises into the caller's path:
    :func:`bot.summaries.service.run_after_answer` logs its failures).

    Args:
        client: the workspace's Web API client.
        team_id, user_id: the workspace and the person who asked.
        channel_id, thread_ts: the conversation's thread (where the answer was posted).
        texts: the person's message first, then up to 20 source messages' texts.
        summary: the answer.
        channel_view: for a channel's summary, what it covered ("#general, the last 7 days"); None for a thread.
    """

    def __call__(self, *, client: WebClient, team_id: str, user_id: str, channel_id: str, thread_ts: str,
                 texts: Sequence[str], summary: Summary | None, channel_view: str | None = None) -> None: ...


class AnswerFeedback(Protocol):
    """The 👍/👎 and *Try again* controls under an answer (:class:`bot.feedback.service.FeedbackHook`)."""

    def answer_id(self, job_id: str | None) -> str:
        """The id of the answer about to be posted (stable across a job's redeliveries)."""
        ...

    def with_controls(self, chunks: list[list[dict]], answer_id: str) -> list[list[dict]]:
        """The answer's messages (Block Kit) with the controls appended."""
        ...

    def record(self, **answer: Any) -> None:
        """Remember the posted answer (never its text); see :func:`bot.feedback.service.record_answer`."""
        ...

    def forget(self, *, team_id: str, user_id: str) -> int:
        """Delete the person's ratings and notes, and the answers they asked for (``forget me``)."""
        ...

    def prune(self) -> int:
        """Delete answer records past their retention (the maintenance job); returns rows deleted."""
        ...


class DigestJobs(Protocol):
    """Keeps the persistent scheduler's jobs in step with the digest tables (one call per change)."""

    def sync_channel(self, *, team_id: str, channel_id: str) -> None:
        """Add, replace or remove the job of a channel's subscription, as the table says now."""
        ...

    def sync_org(self, *, team_id: str, org_id: int) -> None:
        """Add, replace or remove the job of an org digest, as the table says now."""
        ...


class NoDigestJobs:
    """:class:`DigestJobs` for processes that schedule nothing (CLI, tests): the scheduler process's
    maintenance job re-syncs from the tables."""

    def sync_channel(self, *, team_id: str, channel_id: str) -> None:
        """Do nothing."""

    def sync_org(self, *, team_id: str, org_id: int) -> None:
        """Do nothing."""


def utcnow() -> datetime:
    """Now, as an aware UTC datetime (the default clock)."""
    return datetime.now(timezone.utc)


def _default_reader(client: WebClient) -> Reader:
    from bot.slack.webapi import WebAPIReader

    return WebAPIReader(client)


@dataclass
class Services:
    """Everything a service function or a job needs.

    Attributes:
        settings: the settings.
        store: events, shares and the engine every feature store is built on.
        provider: the model provider, or None when no model is configured (summaries then use the
            extractive strategy, :mod:`bot.summaries.extractive`, and say so).
        clock: returns now (aware); tests freeze it.
        make_reader: builds a reader for a workspace's ``WebClient`` (the Web API reader by default).
        after_answer: the titles hook (None: nothing runs after an answer).
        feedback: the answer controls (None: answers carry no 👍/👎 or *Try again*).
        chosen_language: ``(team_id, user_id) -> language`` the person picked in App Home, or None.
        digest_jobs: the digest scheduler's job sync.
    """

    settings: Settings
    store: Store
    provider: Provider | None = None
    clock: Callable[[], datetime] = utcnow
    make_reader: Callable[[WebClient], Reader] = _default_reader
    after_answer: AfterAnswer | None = None
    feedback: AnswerFeedback | None = None
    chosen_language: Callable[[str, str], str | None] = lambda team_id, user_id: None
    digest_jobs: DigestJobs = field(default_factory=NoDigestJobs)
    _cache: OrderedDict[tuple[str, str], Any] = field(default_factory=OrderedDict, repr=False)
    _cache_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def _cached(self, kind: str, client: WebClient, build: Callable[[WebClient], Any]) -> Any:
        """One object per (kind, token): Bolt hands every request a new WebClient, but user and channel
        caches should live as long as the workspace's token. Bounded LRU of 256 workspaces."""
        key = (kind, client.token or "")
        with self._cache_lock:
            found = self._cache.get(key)
            if found is not None:
                self._cache.move_to_end(key)
                return found
            found = self._cache[key] = build(client)
            while len(self._cache) > 256:
                self._cache.popitem(last=False)
            return found

    def reader_for(self, client: WebClient) -> Reader:
        """The (cached) reader of this client's workspace."""
        reader: Reader = self._cached("reader", client, self.make_reader)
        return reader

    def language_of(self, client: WebClient, *, team_id: str, user_id: str,
                    conversation_language: str | None = None) -> str:
        """The language to speak to a person in: the one they picked in App Home, else their Slack locale,
        else the conversation's, else English (:func:`bot.strings.language_for`). Never raises: a failed
        look-up means English."""
        from bot import strings

        try:
            chosen = self.chosen_language(team_id, user_id) if user_id else None
            locale = self.access_for(client).person(user_id).locale if user_id and not chosen else None
        except Exception:  # noqa: BLE001 - the language is a nicety; the answer must not fail for it
            chosen, locale = None, None
        return strings.language_for(locale, conversation_language, chosen=chosen)

    def access_for(self, client: WebClient) -> AccessChecker:
        """The (cached) access checker of this client's workspace."""
        checker: AccessChecker = self._cached("access", client, AccessChecker)
        return checker
