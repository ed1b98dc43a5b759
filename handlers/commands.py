"""``/summarize``: ack with a sign of life at once, answer privately from a lazy listener.

Sub-commands are routed by :data:`SUBCOMMANDS`, the one table of what ``/summarize <name> …`` can do
besides summarizing (parsing is :func:`bot.summaries.command.parse_command`).
"""

from __future__ import annotations

from collections.abc import Mapping

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot import strings
from bot.digests.command import handle_digest_command
from bot.home.service import handle_forget_command
from bot.services import Services
from bot.summaries.service import SubcommandHandler, handle_summarize_command
from bot.titles.service import handle_style_command

SUBCOMMANDS: Mapping[str, SubcommandHandler] = {
    "digest": handle_digest_command,
    "style": handle_style_command,
    "forget": handle_forget_command,
}


def register(app: App, services: Services) -> None:
    """Register the ``/summarize`` command."""

    def ack_working(ack: Ack) -> None:
        ack(text=strings.WORKING_COMMAND)

    def answer(command: dict, client: WebClient, respond: Respond, context: BoltContext) -> None:
        handle_summarize_command(
            services=services, client=client, respond=respond, team_id=context.team_id or command.get("team_id", ""),
            channel_id=command["channel_id"], user_id=command["user_id"], text=command.get("text", ""),
            subcommands=SUBCOMMANDS,
        )

    app.command("/summarize")(ack=ack_working, lazy=[answer])
