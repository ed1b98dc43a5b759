"""The "Summarize thread" message shortcut and the "Share to channel" button."""

from __future__ import annotations

from slack_bolt import App, BoltContext, Respond
from slack_sdk import WebClient

from bot.services import Services
from bot.summaries.service import handle_thread_shortcut
from bot.summaries.shares import SHARE_ACTION_ID, handle_share
from handlers import just_ack

SHORTCUT_CALLBACK_ID = "summarize_thread"


def register(app: App, services: Services) -> None:
    """Register the message shortcut and the share button."""

    def summarize_thread(body: dict, client: WebClient, respond: Respond, context: BoltContext) -> None:
        message = body.get("message", {})
        handle_thread_shortcut(
            services=services, client=client, respond=respond, team_id=context.team_id or "",
            channel_id=body["channel"]["id"], user_id=body["user"]["id"],
            message_ts=message.get("ts") or body.get("message_ts", ""), thread_ts=message.get("thread_ts"),
        )

    def share(body: dict, action: dict, client: WebClient, respond: Respond, context: BoltContext) -> None:
        handle_share(services=services, client=client, respond=respond, team_id=context.team_id or "",
                     user_id=body["user"]["id"], share_id=action.get("value", ""))

    app.shortcut(SHORTCUT_CALLBACK_ID)(ack=just_ack, lazy=[summarize_thread])
    app.action(SHARE_ACTION_ID)(ack=just_ack, lazy=[share])
