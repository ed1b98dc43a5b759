"""App Home: "Your recent conversations" (titles linking to their threads) and the user's style line.

Slack sources: https://docs.slack.dev/reference/methods/views.publish and
https://docs.slack.dev/surfaces/app-home. Channel threads are titled too, but Slack shows no title for
them: App Home is where those titles show.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import strings
from bot.services import Services
from bot.slack.text import escape_mrkdwn, mrkdwn_object
from bot.titles.store import TitledConversation, title_store_for
from bot.titles.style import StyleProfile

logger = logging.getLogger(__name__)

HOME_CONVERSATIONS = 15
"""How many recent conversations App Home lists."""


def home_view(
    *, conversations: Sequence[TitledConversation], permalink_for: Callable[[TitledConversation], str | None],
    profile: StyleProfile | None, conversation_count: int,
) -> dict[str, Any]:
    """The App Home tab: intro, "Your recent conversations" (title -> thread permalink), style line.

    Args:
        conversations: the user's titled conversations, newest first.
        permalink_for: a conversation's thread permalink, or None (the title is then shown unlinked).
        profile: the user's style profile, or None when none was learned yet.
        conversation_count: how many conversations Recap keeps for the user (for the neutral line).

    Returns:
        A ``home`` view for ``views.publish`` (well under Slack's 100-block limit; each text at most
        3,000 characters).
    """
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": strings.HOME_HEADER}},
        {"type": "section", "text": mrkdwn_object(strings.HOME_INTRO)},
        {"type": "divider"},
        {"type": "header", "text": {"type": "plain_text", "text": strings.HOME_RECENT}},
    ]
    if not conversations:
        blocks.append({"type": "section", "text": mrkdwn_object(strings.HOME_NO_CONVERSATIONS)})
    for conversation in conversations:
        title = escape_mrkdwn(conversation.title)
        url = permalink_for(conversation)
        line = f"*<{url}|{title}>*" if url else f"*{title}*"
        if conversation.created_at is not None:
            stamp = int(conversation.created_at.timestamp())
            line += f"\n<!date^{stamp}^{{date_short_pretty}} at {{time}}|{conversation.created_at:%Y-%m-%d %H:%M} UTC>"
        blocks.append({"type": "section", "text": mrkdwn_object(line[:3000])})
    if profile is None or profile.is_neutral:
        style = strings.HOME_STYLE_NEUTRAL.format(count=conversation_count)
    else:
        style = strings.HOME_STYLE.format(description=escape_mrkdwn(profile.description))
    blocks.append({"type": "context", "elements": [mrkdwn_object(style[:3000])]})
    return {"type": "home", "blocks": blocks}


def publish_home(*, services: Services, client: WebClient, team_id: str, user_id: str) -> bool:
    """Publish ``user_id``'s App Home (``views.publish``) with their recent titled conversations.

    Args:
        services: the services (the titles store's engine, the workspace's reader for permalinks).
        client: the workspace's Web API client.
        team_id, user_id: whose Home.

    Returns:
        True when published; False when Slack refused (logged, never raised).
    """
    store = title_store_for(services)
    conversations = store.titled_conversations(team_id, user_id, HOME_CONVERSATIONS)
    reader = services.reader_for(client)

    def permalink_for(conversation: TitledConversation) -> str | None:
        try:
            return reader.permalink(conversation.channel_id, conversation.thread_ts)
        except Exception:  # noqa: BLE001 - a missing link must not cost the user their Home
            logger.info("no permalink for %s/%s", conversation.channel_id, conversation.thread_ts)
            return None

    view = home_view(conversations=conversations, permalink_for=permalink_for,
                     profile=store.get_profile(team_id, user_id),
                     conversation_count=store.count_conversations(team_id, user_id))
    try:
        client.views_publish(user_id=user_id, view=view)
        return True
    except SlackApiError as exc:
        logger.warning("views.publish for %s: %s", user_id, exc.response.get("error"))
        return False
