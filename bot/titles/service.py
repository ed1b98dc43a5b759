"""Slack-facing services of the titles feature: the after-answer hook and ``/summarize style|forget me``.

Plain functions (no Bolt) that:

* record and title every conversation with Recap (:func:`record_and_title`, run after each answer by
  :class:`TitlesHook`, which the composition root sets as ``services.after_answer``): a title in the
  user's style (:func:`bot.titles.titling.title_conversation`), shown with ``assistant.threads.setTitle``
  in DM threads and listed in App Home (:func:`bot.titles.home.publish_home`);
* serve ``/summarize style`` (:func:`handle_style_command`), routed by the table in ``handlers/commands.py``
  (``/summarize forget me`` is :func:`bot.home.service.handle_forget_command`: one deletion with App Home's
  "Forget me").

Where ``setTitle`` applies: only DM conversations (channel IDs starting with ``D``: agent and
assistant threads live in the user's DM with the app;
https://docs.slack.dev/reference/methods/assistant.threads.setTitle). Channel threads are titled too,
but the title shows only in App Home.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import strings
from bot.models import Summary
from bot.services import Respond, Services
from bot.slack.text import escape_mrkdwn
from bot.slack.writer import is_dm_conversation
from bot.titles.features import describe_features
from bot.titles.home import publish_home
from bot.titles.store import title_store_for
from bot.titles.style import StyleProfile
from bot.titles.titling import current_profile, summary_lines, title_conversation

logger = logging.getLogger(__name__)


# ---------------------------------------------------------------------------------------- titles


def record_and_title(
    *, services: Services, client: WebClient, team_id: str, user_id: str, channel_id: str, thread_ts: str,
    texts: Sequence[str], summary: Summary | None = None, channel_view: str | None = None,
) -> str | None:
    """Record the conversation and, after its first exchange, title it.

    The title is written in ``user_id``'s style (:func:`bot.titles.titling.title_conversation`, with
    ``services.provider``), shown with ``assistant.threads.setTitle`` when the conversation is a DM
    thread, and App Home is republished. Later exchanges of a titled conversation change nothing.

    Args:
        services: the services (settings, store, provider, reader).
        client: the workspace's Web API client.
        team_id, user_id: the workspace and the person talking to Recap (the style's owner).
        channel_id, thread_ts: the conversation's thread.
        texts: the exchange's texts, the user's own message first.
        summary: the answer; when a model wrote it, the title is made from its overview and first
            points (:func:`bot.titles.titling.summary_lines`), not from the conversation again.
        channel_view: what a channel's summary covered ("#general, the last 7 days"): an offline title says
            that, not the channel's first message; None for a thread.

    Returns:
        The new title, or None when the conversation already had one (or no title could be made).
    """
    store = title_store_for(services)
    if store.get_title(team_id=team_id, channel_id=channel_id, thread_ts=thread_ts):
        return None
    title = title_conversation(
        store=store, team_id=team_id, user_id=user_id, channel_id=channel_id, thread_ts=thread_ts,
        texts=list(texts), provider=services.provider, summary=_summary_lines(summary), channel_view=channel_view,
    ).strip()
    if not title:
        return None
    if is_dm_conversation(channel_id):
        try:
            client.assistant_threads_setTitle(channel_id=channel_id, thread_ts=thread_ts, title=title)
        except SlackApiError as exc:
            logger.info("setTitle in %s: %s", channel_id, exc.response.get("error"))
    publish_home(services=services, client=client, team_id=team_id, user_id=user_id)
    return title


def _summary_lines(summary: Summary | None) -> list[str]:
    """A model summary's overview and first points, for the title; ``[]`` for none or an offline one (a
    title of extracted sentences is better made from the conversation's own first lines)."""
    if summary is None or summary.offline or not summary.overview:
        return []
    points = [p.text for p in (summary.all_points())]
    return summary_lines(summary.overview, points, summary.answer)


class TitlesHook:
    """The titles feature's :class:`bot.services.AfterAnswer`: runs :func:`record_and_title` after an answer.

    Args:
        services: the services it titles with (the composition root sets
            ``services.after_answer = TitlesHook(services)``).
    """

    def __init__(self, services: Services) -> None:
        self.services = services

    def __call__(self, *, client: WebClient, team_id: str, user_id: str, channel_id: str, thread_ts: str,
                 texts: Sequence[str], summary: Summary | None, channel_view: str | None = None) -> None:
        """Record and title the conversation; does nothing when an id is missing.

        Raises:
            Whatever the store or the Web API raise (the caller,
            :func:`bot.summaries.service.run_after_answer`, logs it).
        """
        if not (team_id and user_id and channel_id and thread_ts):
            return
        record_and_title(services=self.services, client=client, team_id=team_id, user_id=user_id,
                         channel_id=channel_id, thread_ts=thread_ts, texts=texts, summary=summary,
                         channel_view=channel_view)


# ---------------------------------------------------------------------------------------- /summarize style


def style_text(profile: StyleProfile, *, stored: int) -> str:
    """``/summarize style``'s answer: the description, the measured features, the counts (mrkdwn).

    Args:
        profile: the user's current profile.
        stored: how many of the user's conversations Recap keeps.
    """
    features = profile.features
    if profile.is_neutral:
        head = strings.STYLE_NEUTRAL.format(description=describe_features(features), count=stored)
    else:
        head = strings.STYLE_LEARNED.format(description=escape_mrkdwn(profile.description),
                                            count=profile.conversation_count)
    measured = strings.STYLE_FEATURES.format(
        casing={"lower": "lowercase", "title": "Title Case", "sentence": "Sentence case",
                "upper": "ALL CAPS"}[features.casing],
        words=features.words, emoji_rate=features.emoji_rate,
        emoji=f" ({' '.join(features.emoji)})" if features.emoji else "",
        ending=features.ending or "none", question_rate=features.question_rate,
        language=features.language or "the conversation's",
    )
    return "\n".join([strings.STYLE_HEADER, head, measured, strings.STYLE_FOOTER.format(stored=stored)])


def handle_style_command(
    *, services: Services, client: WebClient, respond: Respond, team_id: str, channel_id: str, user_id: str,
    args: Sequence[str] = (),
) -> None:
    """``/summarize style``: show the user their own title-style profile, privately (ephemeral).

    Failures are logged and answered with :data:`bot.strings.GENERIC_ERROR`; nothing is raised.
    """
    del client, channel_id, args
    try:
        store = title_store_for(services)
        profile = current_profile(store=store, team_id=team_id, user_id=user_id, provider=services.provider)
        respond(text=style_text(profile, stored=store.count_conversations(team_id, user_id)),
                response_type="ephemeral", replace_original=True)
    except Exception:
        logger.exception("/summarize style by %s failed", user_id)
        respond(text=strings.GENERIC_ERROR, response_type="ephemeral", replace_original=True)
