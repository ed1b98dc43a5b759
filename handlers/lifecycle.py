"""Workspace lifecycle: ``app_uninstalled`` and ``tokens_revoked`` purge the workspace's rows."""

from __future__ import annotations

import logging

from slack_bolt import App, BoltContext

from bot.summaries.service import Services
from handlers import just_ack

logger = logging.getLogger(__name__)


def register(app: App, services: Services) -> None:
    """Register the uninstall / revoke listeners."""


    def purge(body: dict, context: BoltContext) -> None:
        team_id = context.team_id or body.get("team_id", "")
        if team_id:
            deleted = services.store.purge_team(team_id)
            logger.info("purged %d rows of workspace %s", deleted, team_id)

    app.event("app_uninstalled")(ack=just_ack, lazy=[purge])
    app.event("tokens_revoked")(ack=just_ack, lazy=[purge])
