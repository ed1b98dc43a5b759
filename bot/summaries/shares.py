"""*Share to channel*: a private summary posted for everyone, when its whole audience may read the source."""

from __future__ import annotations

import json

from slack_sdk import WebClient

from bot import strings
from bot.errors import answer_errors
from bot.services import Respond, Services
from bot.slack.text import mrkdwn_object
from bot.summaries.delivery import PrivateReply, ResponseUrlFailed

SHARE_ACTION_ID = "recap_share"


def share_button(share_id: str) -> dict:
    """The actions block with the "Share to channel" button of a pending share."""
    return {"type": "actions", "elements": [{
        "type": "button", "action_id": SHARE_ACTION_ID, "value": share_id,
        "text": {"type": "plain_text", "text": strings.SHARE_BUTTON},
    }]}


def handle_share(*, services: Services, client: WebClient, respond: Respond, team_id: str, user_id: str,
                 share_id: str) -> None:
    """The "Share to channel" button: post the private summary for everyone, if its audience may read it.

    The access check runs before the share is used up, so a refused share can be retried later; of two
    clicks at once only one posts (:meth:`bot.storage.store.Store.take_share`). The messages are posted
    through the click's ``response_url`` (``in_channel``). When one of them fails (the URL answers 500,
    429, 404 or nothing), the share is put back with the messages not yet posted
    (:meth:`~bot.storage.store.Store.restore_share`), the private copy and its button stay, and the person
    is told privately that they can press it again. The private copy is deleted only after every message
    was posted.
    """
    pending = services.store.peek_share(share_id=share_id, team_id=team_id, user_id=user_id)
    private = PrivateReply(respond, client=client, user_id=user_id,
                           channel_id=pending.destination_channel_id if pending is not None else user_id)

    def reply(text: str) -> None:
        private(text=text, response_type="ephemeral", replace_original=False)

    with answer_errors(reply, what=f"share by {user_id}"):
        if pending is not None:
            services.access_for(client).check_share(source_id=pending.source_channel_id,
                                                    destination_id=pending.destination_channel_id)
        share = services.store.take_share(share_id=share_id, team_id=team_id, user_id=user_id)
        if share is None:
            reply(strings.SHARE_EXPIRED)
            return
        chunks = json.loads(share.blocks_json)
        footer = [{"type": "context", "elements": [mrkdwn_object(strings.SHARED_BY.format(user_id=user_id))]}]
        posted = 0
        try:
            for index, blocks in enumerate(chunks):
                private(text=share.text, blocks=blocks + (footer if index == len(chunks) - 1 else []),
                        response_type="in_channel", replace_original=False)
                posted += 1
        except ResponseUrlFailed as exc:
            services.store.restore_share(share, blocks=chunks[posted:])
            reply(strings.SHARE_FAILED.format(error=f"HTTP {exc.status}" if exc.status else "no answer"))
            return
        except Exception:
            services.store.restore_share(share, blocks=chunks[posted:])
            raise
        private(delete_original=True)
