"""👍/👎 under an answer, its "What was wrong?" note, and *Try again* / *Shorter* / *More detail*.

The 👎 click opens the note modal from the ack function itself: ``views.open`` needs the click's
``trigger_id``, which expires 3 seconds after the click (https://docs.slack.dev/interactivity/handling-user-interaction),
so it cannot wait for a queued job. Everything else (storing, regenerating) runs after the ack.
"""

from __future__ import annotations

import logging

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.feedback.service import (
    FEEDBACK_ACTION_ID,
    NOTE_CALLBACK_ID,
    REDO_ACTION_RE,
    note_view,
    parse_value,
    rate,
    redo,
    save_note,
)
from bot.services import Services
from bot.slack import writer
from handlers import just_ack

logger = logging.getLogger(__name__)


def register(app: App, services: Services) -> None:
    """Register the feedback buttons, the note modal and the redo buttons."""

    def ack_feedback(ack: Ack, body: dict, action: dict, client: WebClient) -> None:
        ack()
        parsed = parse_value(str(action.get("value") or ""))
        if parsed is not None and parsed[0] == "down" and body.get("trigger_id"):
            try:
                client.views_open(trigger_id=body["trigger_id"], view=note_view(parsed[1]))
            except (SlackApiError, SlackClientError) as exc:  # the rating is still stored
                logger.info("could not open the feedback note: %s", exc)

    def store_feedback(body: dict, action: dict, context: BoltContext) -> None:
        try:
            rate(services, team_id=context.team_id or "", user_id=body["user"]["id"],
                 value=str(action.get("value") or ""))
        except ValueError:
            logger.info("ignored a feedback click with a value Recap did not set")

    def store_note(body: dict, view: dict, context: BoltContext) -> None:
        save_note(services, team_id=context.team_id or "", user_id=body["user"]["id"],
                  answer_id=str(view.get("private_metadata") or ""), view_state=view.get("state") or {})

    def redo_answer(body: dict, action: dict, client: WebClient, context: BoltContext) -> None:
        user_id = body["user"]["id"]
        channel_id = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id", "")
        thread_ts = (body.get("message") or {}).get("thread_ts")

        def tell(text: str) -> None:
            writer.post_ephemeral(client, channel_id=channel_id, user_id=user_id, thread_ts=thread_ts, text=text)

        try:
            redo(services, client, team_id=context.team_id or "", user_id=user_id,
                 value=str(action.get("value") or ""), tell=tell, bot_user_id=context.bot_user_id)
        except ValueError:
            logger.info("ignored a redo click with a value Recap did not set")

    app.action(FEEDBACK_ACTION_ID)(ack=ack_feedback, lazy=[store_feedback])
    app.view(NOTE_CALLBACK_ID)(ack=just_ack, lazy=[store_note])
    app.action(REDO_ACTION_RE)(ack=just_ack, lazy=[redo_answer])
