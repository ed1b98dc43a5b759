"""``app_mention``: summarize or answer in the thread (work runs in a lazy listener after the ack)."""

from __future__ import annotations

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.services import Services
from bot.summaries.service import handle_mention
from handlers import just_ack


def register(app: App, services: Services) -> None:
    """Register the ``app_mention`` listener."""

    def answer(event: dict, body: dict, client: WebClient, context: BoltContext) -> None:
        handle_mention(
            services=services, client=client, team_id=context.team_id or body.get("team_id", ""),
            channel_id=event["channel"], user_id=event.get("user", ""), text=event.get("text", ""),
            ts=event["ts"], thread_ts=event.get("thread_ts"), bot_user_id=context.bot_user_id,
        )

    app.event("app_mention")(ack=just_ack, lazy=[answer])
