"""What Recap keeps about its answers and the feedback people give on them (SQLAlchemy 2).

Tables (on :class:`bot.storage.schema.Base`: created by ``create_schema``, purged on uninstall):
    recap_answers   one row per answer Recap posted: where it is (``team_id``, ``channel_id``, ``answer_ts``),
                    what it summarized (``source_channel_id``, ``source_thread_ts`` or the ``period`` of a
                    channel window), who asked, the request's ``ts``, the provider, model and
                    prompt version, and the cited ``ts`` — never message text. What "Try again" needs, and
                    what a 👍/👎 is stored with. Kept :data:`ANSWER_DAYS` days.
    recap_feedback  one row per (answer, person): the rating (+1 / -1), the person's optional note
                    ("what was wrong?", ≤ :data:`NOTE_CHARS` characters), and a copy of the answer's
                    provider, model, prompt version and cited ``ts``, so it outlives the answer row.
                    Kept until ``/summarize forget me`` (for the person's own feedback) or uninstall.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from bot.storage.schema import Base, rowcount

ANSWER_DAYS = 30
"""Days an answer row is kept (after that its buttons answer "too old to try again")."""
NOTE_CHARS = 500
CITED_MAX = 50


def _utcnow() -> datetime:
    return datetime.now(UTC)


class AnswerRow(Base):
    """An answer Recap posted (no message text)."""

    __tablename__ = "recap_answers"
    __table_args__ = (sa.Index("ix_recap_answers_created", "created_at"),)

    answer_id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    team_id: Mapped[str] = mapped_column(sa.String(32))
    user_id: Mapped[str] = mapped_column(sa.String(32))
    channel_id: Mapped[str] = mapped_column(sa.String(32))
    thread_ts: Mapped[str | None] = mapped_column(sa.String(32), nullable=True)
    request_ts: Mapped[str | None] = mapped_column(sa.String(32), nullable=True)
    answer_ts: Mapped[str | None] = mapped_column(sa.String(32), nullable=True)
    source_channel_id: Mapped[str] = mapped_column(sa.String(32), default="")
    source_thread_ts: Mapped[str | None] = mapped_column(sa.String(32), nullable=True)
    period: Mapped[str | None] = mapped_column(sa.String(100), nullable=True)
    is_question: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    provider: Mapped[str] = mapped_column(sa.String(32), default="offline")
    model: Mapped[str] = mapped_column(sa.String(100), default="extractive")
    prompt_version: Mapped[str] = mapped_column(sa.String(32), default="")
    cited_ts: Mapped[list] = mapped_column(sa.JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=_utcnow)


class FeedbackRow(Base):
    """One person's rating of one answer."""

    __tablename__ = "recap_feedback"
    __table_args__ = (sa.UniqueConstraint("answer_id", "user_id", name="uq_recap_feedback_answer_user"),
                      sa.Index("ix_recap_feedback_rating", "rating", "created_at"))

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    answer_id: Mapped[str] = mapped_column(sa.String(32))
    team_id: Mapped[str] = mapped_column(sa.String(32))
    user_id: Mapped[str] = mapped_column(sa.String(32))
    rating: Mapped[int] = mapped_column(sa.Integer)
    note: Mapped[str | None] = mapped_column(sa.String(NOTE_CHARS), nullable=True)
    channel_id: Mapped[str] = mapped_column(sa.String(32))
    thread_ts: Mapped[str | None] = mapped_column(sa.String(32), nullable=True)
    is_question: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    provider: Mapped[str] = mapped_column(sa.String(32), default="offline")
    model: Mapped[str] = mapped_column(sa.String(100), default="extractive")
    prompt_version: Mapped[str] = mapped_column(sa.String(32), default="")
    cited_ts: Mapped[list] = mapped_column(sa.JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=_utcnow)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=_utcnow)


@dataclass(frozen=True)
class Answer:
    """An answer as the feedback service needs it.

    Attributes:
        channel_id, thread_ts, answer_ts: where the answer is posted (its thread and its first message).
        source_channel_id, source_thread_ts, period: what it summarized (a thread, or a channel window:
            ``period`` text, None for the default window).
        request_ts: the message that asked (a mention or DM message), read again for "Try again".
        is_question: the answer answered a question (rather than summarizing).
    """

    answer_id: str
    team_id: str
    user_id: str
    channel_id: str
    thread_ts: str | None
    request_ts: str | None
    answer_ts: str | None
    is_question: bool
    provider: str
    model: str
    prompt_version: str
    cited_ts: tuple[str, ...]
    source_channel_id: str = ""
    source_thread_ts: str | None = None
    period: str | None = None


@dataclass(frozen=True)
class Feedback:
    """A stored rating (see :class:`FeedbackRow`)."""

    answer_id: str
    team_id: str
    user_id: str
    rating: int
    note: str | None
    channel_id: str
    thread_ts: str | None
    is_question: bool
    provider: str
    model: str
    prompt_version: str
    cited_ts: tuple[str, ...]
    created_at: datetime


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


class FeedbackStore:
    """Answers and feedback in the shared database.

    Args:
        engine: the SQLAlchemy engine every Recap store shares (``Services.store.engine``).
    """

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        Base.metadata.create_all(engine, tables=[AnswerRow.__table__, FeedbackRow.__table__])  # type: ignore[list-item]

    @contextmanager
    def _session(self) -> Iterator[Session]:
        with self._sessions.begin() as session:
            yield session

    def record_answer(self, answer: Answer) -> None:
        """Insert (or, for the same ``answer_id``, replace) an answer row."""
        values = {
            "team_id": answer.team_id, "user_id": answer.user_id, "channel_id": answer.channel_id,
            "thread_ts": answer.thread_ts, "request_ts": answer.request_ts, "answer_ts": answer.answer_ts,
            "is_question": answer.is_question, "provider": answer.provider[:32], "model": answer.model[:100],
            "prompt_version": answer.prompt_version[:32], "cited_ts": list(answer.cited_ts[:CITED_MAX]),
            "source_channel_id": answer.source_channel_id or answer.channel_id,
            "source_thread_ts": answer.source_thread_ts, "period": (answer.period or None) and answer.period[:100],
        }
        with self._session() as session:
            row = session.get(AnswerRow, answer.answer_id)
            if row is None:
                session.add(AnswerRow(answer_id=answer.answer_id, created_at=_utcnow(), **values))
            else:
                for key, value in values.items():
                    setattr(row, key, value)

    def answer(self, team_id: str, answer_id: str) -> Answer | None:
        """The answer ``answer_id`` of ``team_id`` (another workspace's id finds nothing), or None."""
        with self._session() as session:
            row = session.get(AnswerRow, answer_id)
            if row is None or row.team_id != team_id:
                return None
            return Answer(row.answer_id, row.team_id, row.user_id, row.channel_id, row.thread_ts, row.request_ts,
                          row.answer_ts, row.is_question, row.provider, row.model, row.prompt_version,
                          tuple(row.cited_ts or ()), row.source_channel_id or row.channel_id,
                          row.source_thread_ts, row.period)

    def rate(self, answer: Answer, *, user_id: str, rating: int) -> None:
        """Store ``user_id``'s rating (+1 or -1) of ``answer``; a second click changes it."""
        if rating not in (1, -1):
            raise ValueError("rating must be +1 or -1")
        with self._session() as session:
            row = session.execute(sa.select(FeedbackRow).where(
                FeedbackRow.answer_id == answer.answer_id, FeedbackRow.user_id == user_id)).scalar_one_or_none()
            if row is None:
                session.add(FeedbackRow(
                    answer_id=answer.answer_id, team_id=answer.team_id, user_id=user_id, rating=rating,
                    channel_id=answer.source_channel_id or answer.channel_id,
                    thread_ts=answer.source_thread_ts, is_question=answer.is_question,
                    provider=answer.provider, model=answer.model, prompt_version=answer.prompt_version,
                    cited_ts=list(answer.cited_ts), created_at=_utcnow(), updated_at=_utcnow()))
            else:
                row.rating = rating
                row.updated_at = _utcnow()

    def add_note(self, *, team_id: str, answer_id: str, user_id: str, note: str) -> bool:
        """Attach the person's note to their rating of the answer; False when they have not rated it."""
        with self._session() as session:
            row = session.execute(sa.select(FeedbackRow).where(
                FeedbackRow.answer_id == answer_id, FeedbackRow.user_id == user_id,
                FeedbackRow.team_id == team_id)).scalar_one_or_none()
            if row is None:
                return False
            row.note = note.strip()[:NOTE_CHARS] or None
            row.updated_at = _utcnow()
            return True

    def feedback(self, *, rating: int | None = None, since: datetime | None = None,
                 team_id: str | None = None) -> list[Feedback]:
        """Stored ratings, oldest first, filtered by rating, time (aware) and workspace."""
        query = sa.select(FeedbackRow).order_by(FeedbackRow.created_at, FeedbackRow.id)
        if rating is not None:
            query = query.where(FeedbackRow.rating == rating)
        if since is not None:
            query = query.where(FeedbackRow.created_at >= since)
        if team_id is not None:
            query = query.where(FeedbackRow.team_id == team_id)
        with self._session() as session:
            return [Feedback(r.answer_id, r.team_id, r.user_id, r.rating, r.note, r.channel_id, r.thread_ts,
                             r.is_question, r.provider, r.model, r.prompt_version, tuple(r.cited_ts or ()),
                             _aware(r.created_at))
                    for r in session.execute(query).scalars()]

    def forget_user(self, team_id: str, user_id: str) -> int:
        """Delete the person's ratings and notes and the answers they asked for; returns rows deleted."""
        with self._session() as session:
            deleted = rowcount(session.execute(sa.delete(FeedbackRow).where(
                FeedbackRow.team_id == team_id, FeedbackRow.user_id == user_id)))
            return deleted + rowcount(session.execute(sa.delete(AnswerRow).where(
                AnswerRow.team_id == team_id, AnswerRow.user_id == user_id)))

    def prune_answers(self, *, now: datetime | None = None, days: int = ANSWER_DAYS) -> int:
        """Delete answer rows older than ``days`` (their feedback rows stay); returns rows deleted."""
        cutoff = (now or _utcnow()) - timedelta(days=days)
        with self._session() as session:
            return rowcount(session.execute(sa.delete(AnswerRow).where(AnswerRow.created_at < cutoff)))

    def counts(self, answer_ids: Sequence[str]) -> dict[str, tuple[int, int]]:
        """``answer_id -> (thumbs up, thumbs down)`` for the given answers."""
        if not answer_ids:
            return {}
        query = (sa.select(FeedbackRow.answer_id, FeedbackRow.rating, sa.func.count())
                 .where(FeedbackRow.answer_id.in_(list(answer_ids)))
                 .group_by(FeedbackRow.answer_id, FeedbackRow.rating))
        out: dict[str, tuple[int, int]] = {}
        with self._session() as session:
            for answer_id, rating, count in session.execute(query):
                up, down = out.get(answer_id, (0, 0))
                out[answer_id] = (up + count, down) if rating > 0 else (up, down + count)
        return out
