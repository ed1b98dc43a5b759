"""Recap in Slack's AI-app surfaces: the agent messaging experience (current) and the legacy assistant view.

Agent messaging experience (https://docs.slack.dev/ai/migrating-to-agent-messaging/): a DM open
arrives as ``app_home_opened`` with ``tab == "messages"`` (suggested prompts are set without
``thread_ts``), ``app_context_changed`` says which channel the user is viewing, and every top-level
DM message starts a thread. Legacy assistant view: ``assistant_thread_started`` and
``assistant_thread_context_changed``, replies inside the assistant thread. Both send the user's
messages as ``message`` events with ``channel_type == "im"``, answered by
:func:`bot.summaries.assistant.handle_dm_message` in a lazy listener after the ack.
(``app_home_opened`` with ``tab == "home"`` is handled by :mod:`handlers.home`.)
"""

from __future__ import annotations

import logging

from slack_bolt import App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.services import Services
from bot.summaries.assistant import handle_assistant_thread_started, handle_dm_message, set_suggested_prompts
from handlers import just_ack

logger = logging.getLogger(__name__)

_ANSWERED_SUBTYPES = {None, "file_share"}


def _is_im_message(event: dict) -> bool:
    return event.get("channel_type") == "im"


def _context_channel(event: dict) -> str | None:
    """The channel the user is viewing, from ``app_context_changed``'s ordered entities."""
    for entity in (event.get("context") or {}).get("entities") or []:
        if entity.get("type") == "slack#/types/channel_id" and entity.get("value"):
            return str(entity["value"])
        if entity.get("type") == "slack#/types/message_context":
            value = entity.get("value") or {}
            if value.get("channel_id"):
                return str(value["channel_id"])
    return None


def register(app: App, services: Services) -> None:
    """Register the DM / agent / assistant listeners."""

    def answer_message(event: dict, body: dict, client: WebClient, context: BoltContext) -> None:
        if event.get("subtype") not in _ANSWERED_SUBTYPES or event.get("bot_id"):
            return
        user_id = event.get("user") or ""
        if not user_id or user_id == context.bot_user_id:
            return
        handle_dm_message(
            services=services, client=client, team_id=context.team_id or body.get("team_id", ""),
            user_id=user_id, channel_id=event["channel"], text=event.get("text", ""), ts=event["ts"],
            thread_ts=event.get("thread_ts"),
        )

    def thread_started(event: dict, client: WebClient) -> None:
        thread = event.get("assistant_thread") or {}
        if thread.get("channel_id") and thread.get("thread_ts"):
            handle_assistant_thread_started(
                client=client, channel_id=thread["channel_id"], thread_ts=thread["thread_ts"],
                context_channel_id=(thread.get("context") or {}).get("channel_id"),
            )

    def thread_context_changed(event: dict, client: WebClient) -> None:
        thread = event.get("assistant_thread") or {}
        if thread.get("channel_id") and thread.get("thread_ts"):
            set_suggested_prompts(client=client, channel_id=thread["channel_id"], thread_ts=thread["thread_ts"],
                                  context_channel_id=(thread.get("context") or {}).get("channel_id"))

    def app_context_changed(event: dict, client: WebClient, context: BoltContext) -> None:
        channel_id = event.get("channel")
        user_id = event.get("user") or context.user_id
        try:
            if not channel_id and user_id and user_id != context.bot_user_id:
                channel_id = client.conversations_open(users=user_id)["channel"]["id"]
            if channel_id:
                set_suggested_prompts(client=client, channel_id=channel_id, context_channel_id=_context_channel(event))
        except SlackApiError as exc:  # prompts are a nicety: log, never fail the listener
            logger.warning("app_context_changed: %s", exc.response.get("error"))

    app.event("message", matchers=[_is_im_message])(ack=just_ack, lazy=[answer_message])
    app.event("assistant_thread_started")(ack=just_ack, lazy=[thread_started])
    app.event("assistant_thread_context_changed")(ack=just_ack, lazy=[thread_context_changed])
    app.event("app_context_changed")(ack=just_ack, lazy=[app_context_changed])
