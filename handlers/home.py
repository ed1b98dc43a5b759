"""App Home: ``app_home_opened`` and the settings on the Home tab.

``app_home_opened`` with ``tab == "home"`` publishes the user's Home (their digests, recent conversations
and settings); with ``tab == "messages"`` (a DM open in the agent messaging experience) it sets the
suggested prompts, without ``thread_ts`` (https://docs.slack.dev/ai/migrating-to-agent-messaging/).
The Home's selects and buttons (``block_actions``, https://docs.slack.dev/reference/interaction-payloads/block_actions-payload)
are acked at once and handed to :func:`bot.home.service.handle_home_action`.
"""

from __future__ import annotations

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.home.service import handle_home_action, publish
from bot.services import Services
from bot.summaries.assistant import set_suggested_prompts
from bot.titles.home import HOME_ACTIONS
from handlers import just_ack


def register(app: App, services: Services) -> None:
    """Register ``app_home_opened`` and the Home's actions."""

    def home_opened(event: dict, body: dict, client: WebClient, context: BoltContext) -> None:
        user_id = event.get("user") or ""
        if not user_id:
            return
        if event.get("tab") == "messages":
            if event.get("channel"):
                set_suggested_prompts(client=client, channel_id=event["channel"])
            return
        publish(services, client, team_id=context.team_id or body.get("team_id", ""), user_id=user_id)

    def home_action(body: dict, action: dict, client: WebClient, context: BoltContext) -> None:
        value = (action.get("selected_option") or {}).get("value") or action.get("value") or ""
        handle_home_action(services, client, team_id=context.team_id or body.get("team", {}).get("id", ""),
                           user_id=body["user"]["id"], action_id=action["action_id"], value=value,
                           block_id=action.get("block_id", ""))

    app.event("app_home_opened")(ack=just_ack, lazy=[home_opened])
    for action_id in HOME_ACTIONS:
        app.action(action_id)(ack=just_ack, lazy=[home_action])
