"""Per-person settings chosen in App Home: ``recap_user_settings``.

One row per (``team_id``, ``user_id``): ``language``, the ISO 639-1 code the person picked for headings
(one of :data:`bot.strings.HEADINGS`), or no row for "the conversation's language". Deleted on
"forget me" and, like every table with a ``team_id``, on uninstall (``Store.purge_team``).
"""

from __future__ import annotations

import weakref
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, sessionmaker

from bot.storage.schema import Base, rowcount, utcnow


class UserSettingsRow(Base):
    """A person's App Home settings."""

    __tablename__ = "recap_user_settings"
    __table_args__ = (sa.UniqueConstraint("team_id", "user_id", name="uq_recap_user_settings"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(sa.String(32), index=True)
    user_id: Mapped[str] = mapped_column(sa.String(32))
    language: Mapped[str] = mapped_column(sa.String(8))
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


_READY: weakref.WeakSet[sa.Engine] = weakref.WeakSet()  # engines whose table exists


class UserSettingsStore:
    """Read and write ``recap_user_settings`` on ``engine`` (the table is created on first use)."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        if engine not in _READY:  # create_schema makes it too when bot.app has imported this module
            Base.metadata.create_all(engine, tables=[UserSettingsRow.__table__])  # type: ignore[list-item]
            _READY.add(engine)

    def language(self, team_id: str, user_id: str) -> str | None:
        """The language the person chose (an ISO 639-1 code), or None for "the conversation's"."""
        with self._sessions() as session:
            return session.scalar(sa.select(UserSettingsRow.language).where(
                UserSettingsRow.team_id == team_id, UserSettingsRow.user_id == user_id))

    def set_language(self, team_id: str, user_id: str, language: str | None) -> None:
        """Store ``language`` for the person; None deletes the choice."""
        with self._sessions.begin() as session:
            row = session.scalar(sa.select(UserSettingsRow).where(
                UserSettingsRow.team_id == team_id, UserSettingsRow.user_id == user_id))
            if language is None:
                if row is not None:
                    session.delete(row)
            elif row is None:
                session.add(UserSettingsRow(team_id=team_id, user_id=user_id, language=language))
            else:
                row.language, row.updated_at = language, utcnow()

    def forget(self, team_id: str, user_id: str) -> int:
        """Delete the person's settings; returns the rows deleted."""
        with self._sessions.begin() as session:
            return rowcount(session.execute(sa.delete(UserSettingsRow).where(
                UserSettingsRow.team_id == team_id, UserSettingsRow.user_id == user_id)))
