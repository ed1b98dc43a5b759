"""``/summarize``: ack with a sign of life at once, answer privately from a lazy listener."""

from __future__ import annotations

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot import strings
from bot.summaries.service import Services, handle_summarize_command


def register(app: App, services: Services) -> None:
    """Register the ``/summarize`` command."""

    def ack_working(ack: Ack) -> None:
        ack(text=strings.WORKING_COMMAND)

    def answer(command: dict, client: WebClient, respond: Respond, context: BoltContext) -> None:
        handle_summarize_command(
            services=services, client=client, respond=respond, team_id=context.team_id or command.get("team_id", ""),
            channel_id=command["channel_id"], user_id=command["user_id"], text=command.get("text", ""),
        )

    app.command("/summarize")(ack=ack_working, lazy=[answer])
