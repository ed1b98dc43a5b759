"""Workspace lifecycle: ``app_uninstalled``, and ``tokens_revoked`` naming a bot token, record the
uninstall and purge the workspace's rows; a ``tokens_revoked`` naming only user tokens changes nothing."""

from __future__ import annotations

import logging

from slack_bolt import App, BoltContext

from bot.runtime.uninstalls import ends_installation, record_uninstall
from bot.services import Services
from handlers import just_ack

logger = logging.getLogger(__name__)


def register(app: App, services: Services) -> None:
    """Register the uninstall / revoke listeners."""

    def purge(body: dict, context: BoltContext) -> None:
        team_id = context.team_id or body.get("team_id", "")
        event = body.get("event") or {}
        if not team_id:
            return
        if not ends_installation(event):
            logger.info("tokens_revoked in workspace %s names no bot token; nothing to purge", team_id)
            return
        # Recorded first: work still in flight may write rows after the purge below, and the
        # maintenance job purges them (bot.runtime.uninstalls.purge_uninstalled).
        record_uninstall(services.store, team_id)
        deleted = services.store.purge_team(team_id)
        logger.info("purged %d rows of workspace %s (%s)", deleted, team_id, event.get("type"))

    app.event("app_uninstalled")(ack=just_ack, lazy=[purge])
    app.event("tokens_revoked")(ack=just_ack, lazy=[purge])
