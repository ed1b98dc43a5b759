"""Storage of conversations, their titles and users' title-style profiles (SQLAlchemy 2).

Tables (on :class:`bot.storage.schema.Base`, so ``bot.storage.schema.create_schema`` creates them and
``bot.storage.store.Store.purge_team`` purges them when the app is uninstalled):
    recap_conversations   one row per conversation (``team_id``, ``channel_id``, ``thread_ts``): who
                          started it, when, its title, whether the user kept the title, and the first
                          user message trimmed to :data:`FIRST_TEXT_CHARS` characters (all the style
                          learner needs).
    recap_style_profiles  one row per (``team_id``, ``user_id``): the learned style description, the
                          measured features (JSON), how many conversations it came from.

Everything is keyed by ``team_id`` + ``user_id``, so one user's style never reaches another's;
:meth:`TitleStore.forget_user` and :meth:`TitleStore.purge_team` delete what Recap keeps. Runs on
SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from bot.services import Services
from bot.storage.schema import Base, rowcount
from bot.titles.features import StyleFeatures
from bot.titles.style import PastConversation, StyleProfile

FIRST_TEXT_CHARS = 500
"""How much of the user's first message is kept (characters)."""
TITLE_CHARS = 300


def _utcnow() -> datetime:
    return datetime.now(UTC)


class ConversationRow(Base):
    """A conversation Recap titled (an assistant thread or a summarized thread)."""

    __tablename__ = "recap_conversations"
    __table_args__ = (
        sa.UniqueConstraint("team_id", "channel_id", "thread_ts", name="uq_recap_conversations_thread"),
        sa.Index("ix_recap_conversations_user", "team_id", "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(sa.String(32))
    user_id: Mapped[str] = mapped_column(sa.String(32))
    channel_id: Mapped[str] = mapped_column(sa.String(32))
    thread_ts: Mapped[str] = mapped_column(sa.String(32))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=_utcnow)
    title: Mapped[str | None] = mapped_column(sa.String(TITLE_CHARS), nullable=True)
    first_user_text: Mapped[str] = mapped_column(sa.String(FIRST_TEXT_CHARS), default="")
    kept_title: Mapped[bool] = mapped_column(sa.Boolean, default=False)


class StyleProfileRow(Base):
    """A user's learned title style."""

    __tablename__ = "recap_style_profiles"

    team_id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    user_id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    features: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    conversation_count: Mapped[int] = mapped_column(sa.Integer, default=0)
    is_neutral: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    source_key: Mapped[str] = mapped_column(sa.String(200), default="")
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=_utcnow)


@dataclass(frozen=True)
class TitledConversation:
    """A titled conversation, as App Home lists it.

    Attributes:
        channel_id, thread_ts: where the conversation is (a DM / agent thread, or a channel thread).
        title: its title.
        created_at: when it started (aware UTC datetime).
    """

    channel_id: str
    thread_ts: str
    title: str
    created_at: datetime | None = None


def _aware(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; they were stored as UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


class TitleStore:
    """Conversations, titles and style profiles in a SQL database.

    Args:
        engine: a SQLAlchemy engine (``bot.storage.engine.make_engine``). Tables are created by
            :meth:`create_tables` (or ``Base.metadata.create_all``).
    """

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def create_tables(self) -> None:
        """Create the title tables that are missing (``bot.storage.schema.create_schema`` also does)."""
        tables = [Base.metadata.tables[row.__tablename__] for row in (ConversationRow, StyleProfileRow)]
        Base.metadata.create_all(self.engine, tables=tables)

    @contextmanager
    def _session(self) -> Iterator[Session]:
        with self._sessions.begin() as session:
            yield session

    # --- conversations -----------------------------------------------------------------------------

    def record_conversation(
        self,
        *,
        team_id: str,
        user_id: str,
        channel_id: str,
        thread_ts: str,
        first_user_text: str,
        created_at: datetime | None = None,
    ) -> int:
        """Record a conversation once; later calls for the same thread change nothing.

        Args:
            team_id, user_id, channel_id, thread_ts: Slack IDs of the workspace, the user who started
                it, and the thread.
            first_user_text: the user's first message (trimmed to 500 characters).
            created_at: when it started (aware datetime); default now.

        Returns:
            The conversation's row id.
        """
        key = (team_id, channel_id, thread_ts)
        existing = self._conversation_id(*key)
        if existing is not None:
            return existing
        row = ConversationRow(
            team_id=team_id,
            user_id=user_id,
            channel_id=channel_id,
            thread_ts=thread_ts,
            created_at=created_at or _utcnow(),
            first_user_text=(first_user_text or "")[:FIRST_TEXT_CHARS],
        )
        try:
            with self._session() as session:
                session.add(row)
                session.flush()
                return row.id
        except IntegrityError:  # recorded by a concurrent request in between
            found = self._conversation_id(*key)
            if found is None:  # pragma: no cover - the unique key was violated by something else
                raise
            return found

    def _conversation_id(self, team_id: str, channel_id: str, thread_ts: str) -> int | None:
        return self._scalar_of_thread(ConversationRow.id, team_id, channel_id, thread_ts)

    def _scalar_of_thread(self, column, team_id: str, channel_id: str, thread_ts: str):  # noqa: ANN001
        """One column of the conversation keyed by (team, channel, thread), or None."""
        with self._session() as session:
            return session.scalar(sa.select(column).where(
                ConversationRow.team_id == team_id, ConversationRow.channel_id == channel_id,
                ConversationRow.thread_ts == thread_ts))

    def set_title(self, *, team_id: str, channel_id: str, thread_ts: str, title: str, kept: bool = False) -> bool:
        """Store a conversation's title.

        Args:
            team_id, channel_id, thread_ts: the conversation.
            title: the title (trimmed to 300 characters).
            kept: True when the user wrote or kept the title, so it may teach their style. Titles
                Recap generated are stored with ``kept=False`` (learning from our own output would
                freeze the neutral style).

        Returns:
            False when the conversation was never recorded.
        """
        with self._session() as session:
            result = session.execute(
                sa.update(ConversationRow)
                .where(
                    ConversationRow.team_id == team_id,
                    ConversationRow.channel_id == channel_id,
                    ConversationRow.thread_ts == thread_ts,
                )
                .values(title=title[:TITLE_CHARS], kept_title=kept)
            )
            return bool(rowcount(result))

    def recent_conversations(
        self,
        team_id: str,
        user_id: str,
        limit: int = 5,
        *,
        exclude_thread: tuple[str, str] | None = None,
    ) -> list[PastConversation]:
        """The user's latest conversations, newest first.

        Args:
            team_id, user_id: whose.
            limit: at most this many.
            exclude_thread: ``(channel_id, thread_ts)`` of a conversation to leave out (the current one).

        Returns:
            :class:`bot.titles.style.PastConversation` records (texts = the stored first message).
        """
        query = (
            sa.select(ConversationRow)
            .where(ConversationRow.team_id == team_id, ConversationRow.user_id == user_id)
            .order_by(ConversationRow.created_at.desc(), ConversationRow.id.desc())
            .limit(limit)
        )
        if exclude_thread is not None:
            channel_id, thread_ts = exclude_thread
            query = query.where(
                sa.not_(sa.and_(ConversationRow.channel_id == channel_id, ConversationRow.thread_ts == thread_ts))
            )
        with self._session() as session:
            rows = session.scalars(query).all()
        return [
            PastConversation(
                texts=(row.first_user_text,) if row.first_user_text else (),
                title=row.title,
                kept_title=row.kept_title,
                created_at=_aware(row.created_at),
            )
            for row in rows
        ]

    def get_title(self, *, team_id: str, channel_id: str, thread_ts: str) -> str | None:
        """The stored title of a conversation, or None (not recorded, or not titled yet)."""
        return self._scalar_of_thread(ConversationRow.title, team_id, channel_id, thread_ts)

    def titled_conversations(self, team_id: str, user_id: str, limit: int = 10) -> list[TitledConversation]:
        """The user's latest titled conversations, newest first (what App Home lists).

        Args:
            team_id, user_id: whose.
            limit: at most this many.
        """
        query = (
            sa.select(ConversationRow)
            .where(
                ConversationRow.team_id == team_id,
                ConversationRow.user_id == user_id,
                ConversationRow.title.is_not(None),
            )
            .order_by(ConversationRow.created_at.desc(), ConversationRow.id.desc())
            .limit(limit)
        )
        with self._session() as session:
            rows = session.scalars(query).all()
        return [
            TitledConversation(
                channel_id=row.channel_id, thread_ts=row.thread_ts, title=row.title or "",
                created_at=_aware(row.created_at),
            )
            for row in rows
        ]

    def count_conversations(self, team_id: str, user_id: str) -> int:
        """How many conversations of the user are stored."""
        with self._session() as session:
            return session.scalar(
                sa.select(sa.func.count()).select_from(ConversationRow).where(
                    ConversationRow.team_id == team_id, ConversationRow.user_id == user_id
                )
            ) or 0

    # --- profiles -----------------------------------------------------------------------------------

    def get_profile(self, team_id: str, user_id: str) -> StyleProfile | None:
        """The user's stored profile, or None."""
        with self._session() as session:
            row = session.get(StyleProfileRow, (team_id, user_id))
            if row is None:
                return None
            return StyleProfile(
                description=row.description,
                features=StyleFeatures.from_dict(row.features or {}),
                conversation_count=row.conversation_count,
                is_neutral=row.is_neutral,
            )

    def get_profile_key(self, team_id: str, user_id: str) -> str | None:
        """The ``source_key`` the stored profile was learned from (see :meth:`save_profile`), or None."""
        with self._session() as session:
            return session.scalar(
                sa.select(StyleProfileRow.source_key).where(
                    StyleProfileRow.team_id == team_id, StyleProfileRow.user_id == user_id
                )
            )

    def save_profile(self, team_id: str, user_id: str, profile: StyleProfile, *, source_key: str = "") -> None:
        """Insert or replace the user's profile.

        Args:
            team_id, user_id: whose.
            profile: the profile.
            source_key: an opaque key of the conversations it was learned from, so an unchanged set is
                not learned again (saves a model call).
        """
        for attempt in range(2):  # two writers may insert at once: the loser updates the winner's row
            try:
                with self._session() as session:
                    row = session.get(StyleProfileRow, (team_id, user_id))
                    if row is None:
                        row = StyleProfileRow(team_id=team_id, user_id=user_id)
                        session.add(row)
                    row.description = profile.description
                    row.features = profile.features.to_dict()
                    row.conversation_count = profile.conversation_count
                    row.is_neutral = profile.is_neutral
                    row.source_key = source_key[:200]
                    row.updated_at = _utcnow()
                return
            except IntegrityError:
                if attempt:
                    raise

    # --- deletion -----------------------------------------------------------------------------------

    def forget_user(self, team_id: str, user_id: str) -> int:
        """Delete the user's conversations, titles and profile (``/summarize forget me``).

        Returns:
            How many rows were deleted.
        """
        with self._session() as session:
            n = rowcount(session.execute(
                sa.delete(ConversationRow).where(
                    ConversationRow.team_id == team_id, ConversationRow.user_id == user_id
                )
            ))
            n += rowcount(session.execute(
                sa.delete(StyleProfileRow).where(
                    StyleProfileRow.team_id == team_id, StyleProfileRow.user_id == user_id
                )
            ))
        return n

    def purge_team(self, team_id: str) -> int:
        """Delete everything kept for a workspace (app uninstalled, tokens revoked).

        Returns:
            How many rows were deleted.
        """
        with self._session() as session:
            n = rowcount(session.execute(sa.delete(ConversationRow).where(ConversationRow.team_id == team_id)))
            n += rowcount(session.execute(sa.delete(StyleProfileRow).where(StyleProfileRow.team_id == team_id)))
        return n


def title_store_for(services: Services) -> TitleStore:
    """The title store on the services' database (its tables are created with the shared schema,
    :func:`bot.storage.schema.create_schema`)."""
    return TitleStore(services.store.engine)
