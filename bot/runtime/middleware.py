"""Bolt middleware: drop Slack's retries and duplicate deliveries of an event, and replays of a signed
request, before any work."""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from slack_bolt import BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware

from bot.storage.store import Store

logger = logging.getLogger(__name__)


class DropDuplicateEvents(Middleware):
    """Acknowledge and drop a request already claimed, across processes sharing one database
    (:meth:`bot.storage.store.Store.claim_event`); a dropped request gets a 200 with an empty body and
    no listener runs.

    * **Events** (``event_callback``): the key is the envelope's ``team_id`` and ``event_id``, so Slack's
      retries (``X-Slack-Retry-Num`` 1–3 over HTTP, ``retry_attempt`` in Socket Mode) and duplicate
      deliveries are dropped. Socket Mode hands Bolt the same body (``SocketModeRequest.payload``), so
      one check serves both transports.
    * **Everything with a** ``trigger_id`` (slash commands, shortcuts, block actions, view submissions):
      the key is ``{team_id}:trigger:{trigger_id}:{digest of X-Slack-Signature}``. Slack gives each
      invocation its own ``trigger_id`` and never retries these requests, so a second one is a replay: a
      captured signed request sent again within the 5-minute window that the signature check allows
      (older ones are refused with 401 before this). A replay must repeat the exact bytes and timestamp
      to pass that check, so its signature, and its key, are the same; two different requests never
      share a key even when a client reuses a ``trigger_id``. Over Socket Mode (no signature header) the
      key is the ``trigger_id`` alone. Source: https://docs.slack.dev/interactivity/handling-user-interaction
      (``trigger_id``) and https://docs.slack.dev/authentication/verifying-requests-from-slack.

    Args:
        store: where claims are written (table ``recap_processed_events``, pruned after 2 days).
    """

    def __init__(self, store: Store) -> None:
        self.store = store

    def process(self, *, req: BoltRequest, resp: BoltResponse, next):  # noqa: A002 - Bolt's signature
        claim = claim_key(req)
        if claim is not None:
            key, team_id = claim
            if not self.store.claim_event(key, team_id=team_id):
                logger.info("dropping a duplicate or replayed request %s (retry %s)", key,
                            (req.headers.get("x-slack-retry-num") or ["0"])[0])
                return BoltResponse(status=200, body="")
        return next()


def claim_key(req: BoltRequest) -> tuple[str, str] | None:
    """The claim key and ``team_id`` of a request (see :class:`DropDuplicateEvents`), or None when the
    request is neither an event nor carries a ``trigger_id`` (e.g. ``url_verification``)."""
    body: dict[str, Any] = req.body if isinstance(req.body, dict) else {}
    return claim_key_of(body, signature=(req.headers.get("x-slack-signature") or [""])[0],
                        team_id=req.context.team_id)


def claim_key_of(body: dict[str, Any], *, signature: str, team_id: str | None) -> tuple[str, str] | None:
    """:func:`claim_key` from the parsed body, the ``X-Slack-Signature`` header (empty over Socket Mode)
    and the request's team (Bolt's ``context.team_id``, ``slack_bolt.request.internals.extract_team_id``)."""
    event_id = body.get("event_id")
    if body.get("type") == "event_callback" and event_id:
        event_team = str(body.get("team_id") or "")
        return f"{event_team}:{event_id}", event_team
    trigger_id = body.get("trigger_id")
    if isinstance(trigger_id, str) and trigger_id:
        team = str(team_id or body.get("team_id") or "")
        digest = hashlib.sha256(signature.encode()).hexdigest()[:32] if signature else ""
        return f"{team}:trigger:{trigger_id[:100]}:{digest}", team
    return None
