"""App Home's service: what the Home shows (digests, titles, settings) and the changes made there.

Handlers call these functions, never the stores. Each change is checked (a digest is changed only by the
person who set it up or a workspace admin, as ``/summarize digest``), applied, and the Home published again
so the person sees the new state (``views.publish``, https://docs.slack.dev/reference/methods/views.publish).

"The digests a person manages" are the channel digests and org digests they set up (``created_by``):
Slack's channel-manager role is not readable with a bot token (see :mod:`bot.digests.command`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace

from slack_sdk import WebClient

from bot import strings
from bot.digests.command import describe
from bot.digests.store import DigestStore
from bot.errors import InputError, SlackAccessError, answer_errors
from bot.home.store import UserSettingsStore
from bot.services import Respond, Services
from bot.slack.writer import post_text
from bot.titles.home import (
    ACTION_DIGEST_DAY,
    ACTION_DIGEST_OFF,
    ACTION_FORGET,
    ACTION_LANGUAGE,
    DIGEST_BLOCK_PREFIX,
    LANGUAGE_AUTO,
    HomeDigest,
    publish_home,
)
from bot.titles.store import title_store_for

logger = logging.getLogger(__name__)


def user_digests(services: Services, *, team_id: str, user_id: str) -> list[HomeDigest]:
    """The digests ``user_id`` set up in ``team_id``: channel digests first, then org digests."""
    store = DigestStore(services.store)
    rows = [HomeDigest(channel_id=s.channel_id, when=describe(s.schedule), weekday=s.schedule.weekday)
            for s in store.subscriptions(team_id=team_id) if s.created_by == user_id]
    rows += [HomeDigest(channel_id=o.destination_id, when=describe(o.schedule), weekday=o.schedule.weekday,
                        org_id=o.id, source_ids=o.source_ids)
             for o in store.orgs(team_id=team_id) if o.created_by == user_id]
    return rows


def user_language(services: Services, *, team_id: str, user_id: str) -> str | None:
    """The language ``user_id`` chose for headings (an ISO 639-1 code of :data:`bot.strings.HEADINGS`), or
    None for "the conversation's language"."""
    return UserSettingsStore(services.store.engine).language(team_id, user_id)


def publish(services: Services, client: WebClient, *, team_id: str, user_id: str) -> bool:
    """Publish ``user_id``'s App Home with their digests, conversations and settings, its texts in the
    language they chose (:func:`bot.strings.language_for`), else English.

    Returns:
        True when Slack accepted the view; False when it refused (logged, never raised).
    """
    language = user_language(services, team_id=team_id, user_id=user_id)
    with strings.use_language(strings.language_for(None, None, chosen=language)):  # the Home in their language
        return publish_home(services=services, client=client, team_id=team_id, user_id=user_id,
                            digests=user_digests(services, team_id=team_id, user_id=user_id), language=language)


def _own_digest(services: Services, client: WebClient, *, team_id: str, user_id: str, channel_id: str):
    store = DigestStore(services.store)
    sub = store.subscription(team_id=team_id, channel_id=channel_id)
    if sub is None:
        raise InputError(f"no digest in {channel_id}", user_message=strings.HOME_DIGEST_GONE.format(channel_id=channel_id))
    if sub.created_by != user_id and not services.access_for(client).is_admin(user_id):
        raise SlackAccessError(f"{user_id} may not change the digest of {channel_id}",
                               user_message=strings.HOME_DIGEST_NOT_YOURS)
    return store, sub


def set_digest_weekday(services: Services, client: WebClient, *, team_id: str, user_id: str, channel_id: str,
                       weekday: int) -> None:
    """Move the weekly digest of ``channel_id`` to ``weekday`` (0 = Monday), same time and zone.

    Raises:
        InputError: ``weekday`` is not 0-6, or the channel has no digest.
        SlackAccessError: ``user_id`` neither set it up nor is a workspace admin.
    """
    if not 0 <= weekday <= 6:
        raise InputError(f"weekday {weekday}", user_message=strings.HOME_PICK_WEEKDAY)
    store, sub = _own_digest(services, client, team_id=team_id, user_id=user_id, channel_id=channel_id)
    store.subscribe(team_id=team_id, channel_id=channel_id, schedule=replace(sub.schedule, weekday=weekday),
                    quiet=sub.quiet, created_by=sub.created_by or user_id)
    services.digest_jobs.sync_channel(team_id=team_id, channel_id=channel_id)


def turn_digest_off(services: Services, client: WebClient, *, team_id: str, user_id: str, channel_id: str) -> None:
    """Stop the weekly digest of ``channel_id``.

    Raises:
        InputError: the channel has no digest.
        SlackAccessError: ``user_id`` neither set it up nor is a workspace admin.
    """
    store, _ = _own_digest(services, client, team_id=team_id, user_id=user_id, channel_id=channel_id)
    store.unsubscribe(team_id=team_id, channel_id=channel_id)
    services.digest_jobs.sync_channel(team_id=team_id, channel_id=channel_id)


def set_language(services: Services, *, team_id: str, user_id: str, language: str) -> None:
    """Store the language of headings ``user_id`` picked; :data:`~bot.titles.home.LANGUAGE_AUTO` clears it.

    Raises:
        InputError: not a language headings exist in.
    """
    if language != LANGUAGE_AUTO and language not in strings.HEADINGS:
        raise InputError(f"language {language!r}", user_message=strings.HOME_PICK_LANGUAGE)
    UserSettingsStore(services.store.engine).set_language(team_id, user_id,
                                                         None if language == LANGUAGE_AUTO else language)


def forget_user(services: Services, *, team_id: str, user_id: str) -> int:
    """Delete what Recap keeps about ``user_id``: conversations, titles, style profile, pending shares,
    settings, ratings and notes, and the answers they asked for (App Home's "Forget me" button and
    ``/summarize forget me``).

    Returns:
        How many conversations were deleted.
    """
    titles = title_store_for(services)
    count = titles.count_conversations(team_id, user_id)
    titles.forget_user(team_id, user_id)
    services.store.forget_shares(team_id=team_id, user_id=user_id)
    UserSettingsStore(services.store.engine).forget(team_id, user_id)
    if services.feedback is not None:  # their 👍/👎, notes and the answers they asked for
        services.feedback.forget(team_id=team_id, user_id=user_id)
    return count


def handle_home_action(services: Services, client: WebClient, *, team_id: str, user_id: str, action_id: str,
                       value: str, block_id: str = "") -> None:
    """Apply one App Home action, then publish the Home again (the new state, or the unchanged one).

    Args:
        action_id: one of :data:`bot.titles.home.HOME_ACTIONS`.
        value: the picked option's value (a weekday 0-6, a language code) or the button's value.
        block_id: the block the element sits in (``home_digest:<channel_id>`` for a weekday select).

    A refusal or a failure is told to the person in Recap's DM with them (the Home has no place for a
    reply) under :func:`bot.errors.answer_errors`; nothing is raised.
    """
    def reply(text: str) -> None:
        try:
            post_text(client, channel_id=user_id, thread_ts=None, text=text)
        except Exception:  # noqa: BLE001 - the Home is still republished below
            logger.warning("could not tell %s why their App Home change failed", user_id, exc_info=True)

    with answer_errors(reply, what=f"App Home {action_id} by {user_id}"):
        if action_id == ACTION_DIGEST_DAY and block_id.startswith(DIGEST_BLOCK_PREFIX):
            try:
                weekday = int(value)
            except ValueError:
                raise InputError(f"weekday {value!r}", user_message=strings.HOME_PICK_WEEKDAY) from None
            set_digest_weekday(services, client, team_id=team_id, user_id=user_id,
                               channel_id=block_id.removeprefix(DIGEST_BLOCK_PREFIX), weekday=weekday)
        elif action_id == ACTION_DIGEST_OFF:
            turn_digest_off(services, client, team_id=team_id, user_id=user_id, channel_id=value)
        elif action_id == ACTION_LANGUAGE:
            set_language(services, team_id=team_id, user_id=user_id, language=value)
        elif action_id == ACTION_FORGET:
            forget_user(services, team_id=team_id, user_id=user_id)
        else:
            logger.info("unknown App Home action %s from %s", action_id, user_id)
    publish(services, client, team_id=team_id, user_id=user_id)


def handle_forget_command(
    *, services: Services, client: WebClient, respond: Respond, team_id: str, channel_id: str, user_id: str,
    args: Sequence[str] = (),
) -> None:
    """``/summarize forget me``: the same deletion as App Home's "Forget me" (:func:`forget_user`: conversations,
    titles, style profile, pending shares and settings), confirmed privately; then the Home is published again.

    A :class:`SubcommandHandler` for ``handlers.commands.SUBCOMMANDS["forget"]``. Failures are logged and
    answered with :data:`bot.strings.GENERIC_ERROR`; nothing is raised.
    """
    del channel_id, args
    try:
        conversations = forget_user(services, team_id=team_id, user_id=user_id)
        respond(text=strings.FORGOTTEN.format(conversations=conversations), response_type="ephemeral",
                replace_original=True)
    except Exception:
        logger.exception("/summarize forget me by %s failed", user_id)
        respond(text=strings.GENERIC_ERROR, response_type="ephemeral", replace_original=True)
        return
    publish(services, client, team_id=team_id, user_id=user_id)
