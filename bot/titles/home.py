"""App Home: the person's weekly digests, "Your recent conversations" (titles linking to their threads),
and their settings (the language of headings, their title style with "Forget me").

Slack sources: https://docs.slack.dev/reference/methods/views.publish,
https://docs.slack.dev/surfaces/app-home and the Block Kit reference
(https://docs.slack.dev/reference/block-kit/block-elements/select-menu-element,
https://docs.slack.dev/reference/block-kit/composition-objects/confirmation-dialog-object). Channel
threads are titled too, but Slack shows no title for them: App Home is where those titles show.

Everything a model wrote (titles, the style description) passes the output guard
(:func:`bot.summaries.guard.guard_text`) with an empty source before it is shown: no link, address,
@name or broadcast from a model reaches the Home. The digests are not read here (the titles and digest
features are independent layers): :mod:`bot.home.service` passes them in as :class:`HomeDigest` rows.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import strings
from bot.lang import LANGUAGE_NAMES
from bot.periods import WEEKDAYS
from bot.services import Services
from bot.slack.text import escape_mrkdwn, mrkdwn_object
from bot.slack.writer import is_dm_conversation
from bot.summaries.guard import guard_text
from bot.titles.store import TitledConversation, title_store_for
from bot.titles.style import StyleProfile

logger = logging.getLogger(__name__)

HOME_CONVERSATIONS = 15
"""How many recent conversations App Home lists."""
HOME_DIGESTS = 10
"""How many of the person's digests App Home lists (two blocks each: Slack allows 100 blocks in a view)."""

ACTION_DIGEST_DAY = "home_digest_day"
"""``static_select`` of a channel digest's weekday; its ``block_id`` is ``home_digest:<channel_id>``."""
ACTION_DIGEST_OFF = "home_digest_off"
"""Button turning a channel digest off; its ``value`` is the channel ID."""
ACTION_LANGUAGE = "home_language"
"""``static_select`` of the language of headings; values are ISO 639-1 codes or :data:`LANGUAGE_AUTO`."""
ACTION_FORGET = "home_forget_me"
"""Button deleting the person's conversations, titles, style profile and settings (with a confirmation)."""
HOME_ACTIONS = (ACTION_DIGEST_DAY, ACTION_DIGEST_OFF, ACTION_LANGUAGE, ACTION_FORGET)
DIGEST_BLOCK_PREFIX = "home_digest:"
LANGUAGE_AUTO = "auto"
"""The language choice meaning "the conversation's language" (no stored setting)."""


@dataclass(frozen=True)
class HomeDigest:
    """One digest the person manages, as App Home shows it.

    Attributes:
        channel_id: the channel (a channel digest) or the destination (an org digest).
        when: its schedule in words, e.g. ``"Mondays at 09:00 (UTC)"``.
        weekday: 0 = Monday … 6 = Sunday.
        org_id: the org digest's number, or None for a channel digest (only those are changed here).
        source_ids: an org digest's channels.
    """

    channel_id: str
    when: str
    weekday: int
    org_id: int | None = None
    source_ids: tuple[str, ...] = ()


def _plain(text: str, limit: int = 75) -> dict[str, Any]:
    return {"type": "plain_text", "text": text[:limit], "emoji": True}


def _confirm(text: str) -> dict[str, Any]:
    """A confirmation dialog (title ≤ 100, text ≤ 300, buttons ≤ 30 characters)."""
    return {"title": _plain(strings.CONFIRM_TITLE, 100), "text": _plain(text, 300),
            "confirm": _plain(strings.CONFIRM_YES, 30), "deny": _plain(strings.CONFIRM_NO, 30), "style": "danger"}


def _option(text: str, value: str) -> dict[str, Any]:
    return {"text": _plain(text), "value": value}


def language_options() -> list[dict[str, Any]]:
    """The choices of the language select: "the conversation's language", then each language headings have."""
    return [_option(strings.HOME_LANGUAGE_AUTO, LANGUAGE_AUTO),
            *(_option(f"{LANGUAGE_NAMES.get(code, code)} ({code})", code) for code in strings.HEADINGS)]


def _digest_blocks(digest: HomeDigest) -> list[dict[str, Any]]:
    if digest.org_id is not None:
        sources = " ".join(f"<#{c}>" for c in digest.source_ids)
        line = strings.HOME_ORG_DIGEST_LINE.format(org_id=digest.org_id, sources=sources,
                                                   destination_id=digest.channel_id, when=escape_mrkdwn(digest.when))
        return [{"type": "section", "text": mrkdwn_object(line[:3000])}]
    days = [_option(day.capitalize(), str(i)) for i, day in enumerate(WEEKDAYS)]
    line = strings.HOME_DIGEST_LINE.format(channel_id=digest.channel_id, when=escape_mrkdwn(digest.when))
    return [
        {"type": "section", "block_id": f"{DIGEST_BLOCK_PREFIX}{digest.channel_id}", "text": mrkdwn_object(line[:3000]),
         "accessory": {"type": "static_select", "action_id": ACTION_DIGEST_DAY,
                       "placeholder": _plain(strings.HOME_DIGEST_DAY), "options": days,
                       "initial_option": days[digest.weekday]}},
        {"type": "actions", "block_id": f"home_digest_off:{digest.channel_id}", "elements": [
            {"type": "button", "action_id": ACTION_DIGEST_OFF, "text": _plain(strings.HOME_DIGEST_OFF),
             "value": digest.channel_id,
             "confirm": _confirm(strings.HOME_DIGEST_OFF_CONFIRM.format(channel_id=digest.channel_id))}]},
    ]


def home_view(
    *, conversations: Sequence[TitledConversation], permalink_for: Callable[[TitledConversation], str | None],
    profile: StyleProfile | None, conversation_count: int, digests: Sequence[HomeDigest] | None = None,
    language: str | None = None,
) -> dict[str, Any]:
    """The App Home tab: intro, the person's digests (when ``digests`` is given), "Your recent conversations"
    (title -> thread permalink, then the channel of a channel thread and the date), and the settings: language
    select, style line, "Forget me".

    Args:
        conversations: the user's titled conversations, newest first.
        permalink_for: a conversation's thread permalink, or None (the title is then shown unlinked).
        profile: the user's style profile, or None when none was learned yet.
        conversation_count: how many conversations Recap keeps for the user (for the neutral line).
        digests: the digests the person manages (a weekday select and "Turn off" for each channel digest);
            None leaves the section out.
        language: the language chosen for headings (an ISO 639-1 code), or None for the conversation's.

    Returns:
        A ``home`` view for ``views.publish`` (well under Slack's 100-block limit; each text at most
        3,000 characters).
    """
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": strings.HOME_HEADER}},
        {"type": "section", "text": mrkdwn_object(strings.HOME_INTRO)},
    ]
    if digests is not None:
        blocks += [{"type": "divider"}, {"type": "header", "text": _plain(strings.HOME_DIGESTS, 150)}]
        if not digests:
            blocks.append({"type": "section", "text": mrkdwn_object(strings.HOME_NO_DIGESTS)})
        for digest in digests[:HOME_DIGESTS]:
            blocks += _digest_blocks(digest)
    blocks += [{"type": "divider"}, {"type": "header", "text": {"type": "plain_text", "text": strings.HOME_RECENT}}]
    if not conversations:
        blocks.append({"type": "section", "text": mrkdwn_object(strings.HOME_NO_CONVERSATIONS)})
    for conversation in conversations:
        # titles were guarded against their conversation when made; shown here, nothing foreign passes at all
        title = escape_mrkdwn(guard_text(conversation.title, source=(), prompts=("title",)) or "…")
        url = permalink_for(conversation)
        line = f"*<{url}|{title}>*" if url else f"*{title}*"
        where = [] if is_dm_conversation(conversation.channel_id) else [f"<#{conversation.channel_id}>"]
        if conversation.created_at is not None:
            stamp = int(conversation.created_at.timestamp())
            where.append(f"<!date^{stamp}^{{date_short_pretty}} at {{time}}|{conversation.created_at:%Y-%m-%d %H:%M} UTC>")
        if where:  # a channel thread says which channel: the same subject comes up in several
            line += "\n" + " · ".join(where)
        blocks.append({"type": "section", "text": mrkdwn_object(line[:3000])})
    description = guard_text(profile.description, source=(), prompts=("title_style",)) if profile else ""
    if profile is None or profile.is_neutral or not description:
        style = strings.HOME_STYLE_NEUTRAL.format(count=conversation_count)
    else:
        style = strings.HOME_STYLE.format(description=escape_mrkdwn(description))
    blocks.append({"type": "context", "elements": [mrkdwn_object(style[:3000])]})
    options = language_options()
    chosen = next((o for o in options if o["value"] == (language or LANGUAGE_AUTO)), options[0])
    blocks += [
        {"type": "divider"},
        {"type": "header", "text": _plain(strings.HOME_SETTINGS, 150)},
        {"type": "section", "block_id": "home_language", "text": mrkdwn_object(strings.HOME_LANGUAGE),
         "accessory": {"type": "static_select", "action_id": ACTION_LANGUAGE, "options": options,
                       "initial_option": chosen}},
        {"type": "section", "block_id": "home_forget", "text": mrkdwn_object(
            strings.HOME_FORGET_TEXT.format(count=conversation_count)),
         "accessory": {"type": "button", "action_id": ACTION_FORGET, "style": "danger",
                       "text": _plain(strings.HOME_FORGET), "value": "forget",
                       "confirm": _confirm(strings.HOME_FORGET_CONFIRM)}},
    ]
    return {"type": "home", "blocks": blocks}


def publish_home(*, services: Services, client: WebClient, team_id: str, user_id: str,
                 digests: Sequence[HomeDigest] | None = None, language: str | None = None) -> bool:
    """Publish ``user_id``'s App Home (``views.publish``) with their recent titled conversations.

    Args:
        services: the services (the titles store's engine, the workspace's reader for permalinks).
        client: the workspace's Web API client.
        team_id, user_id: whose Home.
        digests, language: the settings sections (:func:`home_view`); :func:`bot.home.service.publish`
            fills them.

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
                     conversation_count=store.count_conversations(team_id, user_id), digests=digests,
                     language=language)
    try:
        client.views_publish(user_id=user_id, view=view)
        return True
    except SlackApiError as exc:
        logger.warning("views.publish for %s: %s", user_id, exc.response.get("error"))
        return False
