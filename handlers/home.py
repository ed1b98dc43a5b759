"""App Home: ``app_home_opened``.

``app_home_opened`` with ``tab == "home"`` publishes the user's Home ("Your recent conversations");
with ``tab == "messages"`` (a DM open in the agent messaging experience) it sets the suggested
prompts, without ``thread_ts`` (https://docs.slack.dev/ai/migrating-to-agent-messaging/).
"""

from __future__ import annotations

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.services import Services
from bot.summaries.assistant import set_suggested_prompts
from bot.titles.home import publish_home
from handlers import just_ack


def register(app: App, services: Services) -> None:
    """Register ``app_home_opened``."""

    def home_opened(event: dict, body: dict, client: WebClient, context: BoltContext) -> None:
        user_id = event.get("user") or ""
        if not user_id:
            return
        if event.get("tab") == "messages":
            if event.get("channel"):
                set_suggested_prompts(client=client, channel_id=event["channel"])
            return
        publish_home(services=services, client=client, team_id=context.team_id or body.get("team_id", ""),
                     user_id=user_id)

    app.event("app_home_opened")(ack=just_ack, lazy=[home_opened])
