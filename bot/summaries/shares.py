"""*Share to channel*: a private summary posted for everyone, when its whole audience may read the source."""

from __future__ import annotations

import json

from slack_sdk import WebClient

from bot import strings
from bot.errors import answer_errors
from bot.services import Respond, Services
from bot.slack.text import mrkdwn_object

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
    clicks at once only one posts (:meth:`bot.storage.store.Store.take_share`). The private copy with its
    button is deleted after the public post, in a call of its own.
    """
    reply = lambda text: respond(text=text, response_type="ephemeral", replace_original=False)  # noqa: E731
    with answer_errors(reply, what=f"share by {user_id}"):
        pending = services.store.peek_share(share_id=share_id, team_id=team_id, user_id=user_id)
        if pending is not None:
            services.access_for(client).check_share(source_id=pending.source_channel_id,
                                                    destination_id=pending.destination_channel_id)
        share = services.store.take_share(share_id=share_id, team_id=team_id, user_id=user_id)
        if share is None:
            reply(strings.SHARE_EXPIRED)
            return
        chunks = json.loads(share.blocks_json)
        footer = [{"type": "context", "elements": [mrkdwn_object(strings.SHARED_BY.format(user_id=user_id))]}]
        for index, blocks in enumerate(chunks):
            respond(text=share.text, blocks=blocks + (footer if index == len(chunks) - 1 else []),
                    response_type="in_channel", replace_original=False)
        respond(delete_original=True)
