"""The one Slack writer: post, update, ephemeral, reactions, assistant status; split messages; never unfurl.

Every post Recap makes goes through here, so every post has ``unfurl_links=False, unfurl_media=False``
(a summary must never expand a link someone put in the source) and long answers are posted as the
chunks :mod:`bot.summaries.render` split them into (Slack: at most 50 blocks per message,
https://docs.slack.dev/reference/block-kit/blocks).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

logger = logging.getLogger(__name__)

def is_dm_conversation(channel_id: str) -> bool:
    """True for a DM (``D…``): where agent / assistant threads live and ``assistant.threads.*`` apply."""
    return channel_id.startswith("D")


def post_text(client: WebClient, *, channel_id: str, thread_ts: str | None, text: str) -> str | None:
    """Post ``text`` (mrkdwn) in a thread (or the channel when ``thread_ts`` is None).

    Returns:
        the new message's ``ts`` (None if Slack gave none).

    Raises:
        SlackApiError: Slack refused.
    """
    response = client.chat_postMessage(channel=channel_id, thread_ts=thread_ts, text=text, unfurl_links=False,
                                       unfurl_media=False)
    ts = response.get("ts")
    return str(ts) if ts else None


def update_text(client: WebClient, *, channel_id: str, ts: str | None, text: str) -> None:
    """Replace the text of a message Recap posted (``chat.update``); nothing when ``ts`` is None.

    Raises:
        SlackApiError: Slack refused.
    """
    if ts:
        client.chat_update(channel=channel_id, ts=ts, text=text)


def post_chunks(
    client: WebClient, *, channel_id: str, thread_ts: str | None, chunks: Sequence[list[dict[str, Any]]],
    text: str, update_ts: str | None = None,
) -> str | None:
    """Post (or update into ``update_ts``) the first chunk of Block Kit blocks, then the rest as replies.

    Args:
        chunks: messages' blocks, in order (each within Slack's per-message limits).
        text: the notification / fallback text of every message.
        update_ts: a message to update with the first chunk (the "Reading…" placeholder), or None.

    Returns:
        the ``ts`` of the first message.

    Raises:
        SlackApiError: Slack refused a post or update.
    """
    first_ts = update_ts
    for index, blocks in enumerate(chunks):
        if index == 0 and update_ts:
            client.chat_update(channel=channel_id, ts=update_ts, text=text, blocks=list(blocks))
            continue
        response = client.chat_postMessage(channel=channel_id, thread_ts=thread_ts, text=text, blocks=list(blocks),
                                           unfurl_links=False, unfurl_media=False)
        first_ts = first_ts or response.get("ts")
    return first_ts


def add_reaction(client: WebClient, *, channel_id: str, ts: str, name: str) -> bool:
    """Add the reaction ``name`` (best effort). Returns False when Slack refused (logged)."""
    try:
        client.reactions_add(channel=channel_id, timestamp=ts, name=name)
        return True
    except SlackApiError as exc:
        logger.info("could not add :%s: in %s: %s", name, channel_id, exc.response.get("error"))
        return False


def remove_reaction(client: WebClient, *, channel_id: str, ts: str, name: str) -> bool:
    """Remove the reaction ``name`` (best effort). Returns False when Slack refused (logged)."""
    try:
        client.reactions_remove(channel=channel_id, timestamp=ts, name=name)
        return True
    except SlackApiError as exc:
        logger.info("could not remove :%s: in %s: %s", name, channel_id, exc.response.get("error"))
        return False


def post_ephemeral(client: WebClient, *, channel_id: str, user_id: str, thread_ts: str | None, text: str) -> bool:
    """Show ``text`` to ``user_id`` only (``chat.postEphemeral``). Returns False when Slack refused (logged)."""
    try:
        client.chat_postEphemeral(channel=channel_id, user=user_id, thread_ts=thread_ts, text=text)
        return True
    except SlackApiError as exc:
        logger.info("could not tell %s in %s: %s", user_id, channel_id, exc.response.get("error"))
        return False


def set_status(client: WebClient, *, channel_id: str, thread_ts: str, status: str) -> None:
    """``assistant.threads.setStatus`` in a DM thread ("is reading…"; ``""`` clears it); nothing elsewhere.
    Never raises: a missing status is not worth failing an answer."""
    if not is_dm_conversation(channel_id):
        return
    try:
        client.assistant_threads_setStatus(channel_id=channel_id, thread_ts=thread_ts, status=status)
    except SlackApiError as exc:
        logger.info("setStatus in %s: %s", channel_id, exc.response.get("error"))
