"""App Home and the titles feature: ``app_home_opened``, the conversation hook, ``/summarize style|forget``.

``app_home_opened`` with ``tab == "home"`` publishes the user's Home ("Your recent conversations");
with ``tab == "messages"`` (a DM open in the agent messaging experience) it sets the suggested
prompts, without ``thread_ts`` (https://docs.slack.dev/ai/migrating-to-agent-messaging/).
"""

from __future__ import annotations

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.summaries.service import Services
from bot.titles.service import (
    handle_forget_command,
    handle_style_command,
    make_conversation_hook,
    publish_home,
    set_suggested_prompts,
)
from handlers import just_ack


def register(app: App, services: Services) -> None:
    """Register ``app_home_opened``, the titles conversation hook and the ``style`` / ``forget`` subcommands."""
    if not any(getattr(hook, "recap_titles", False) for hook in services.conversation_hooks):
        services.conversation_hooks.append(make_conversation_hook(services))
    services.subcommands["style"] = handle_style_command
    services.subcommands["forget"] = handle_forget_command


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
