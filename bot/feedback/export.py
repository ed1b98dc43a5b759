"""``recap eval feedback``: thumbs-down answers as candidate rows for the labelled sets.

The loop from product use to evals: each 👎 (with the person's note, if any) becomes one JSON line that a
person reviews, fetches the conversation for (``recap summarize --permalink …`` with a token that may
read it), labels, and adds to ``evals/`` — Recap stores no message text, so the row names the
conversation, the cited messages and what was wrong, never what was said.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from bot.feedback.store import Feedback


def candidate_row(feedback: Feedback, *, domain: str | None = None) -> dict[str, Any]:
    """One candidate row: ``id``, where (``team_id``, ``channel_id``, ``thread_ts``, ``permalink`` when the
    workspace domain is known), what was rated (``provider``, ``model``, ``prompt_version``, ``cited_ts``,
    ``kind``), the person's ``note``, ``rated_at`` (ISO 8601) and ``status: "to_review"``."""
    where = feedback.thread_ts
    permalink = None
    if domain and where:
        permalink = f"https://{domain}.slack.com/archives/{feedback.channel_id}/p{where.replace('.', '')}"
    return {
        "id": f"feedback-{feedback.answer_id[:12]}-{feedback.user_id}",
        "source": "feedback",
        "status": "to_review",
        "team_id": feedback.team_id,
        "channel_id": feedback.channel_id,
        "thread_ts": feedback.thread_ts,
        "permalink": permalink,
        "kind": "question" if feedback.is_question else "summary",
        "provider": feedback.provider,
        "model": feedback.model,
        "prompt_version": feedback.prompt_version,
        "cited_ts": list(feedback.cited_ts),
        "note": feedback.note,
        "rated_at": feedback.created_at.isoformat(),
    }


def write_candidates(rows: Iterable[Feedback], out: Any, *, domain: str | None = None) -> int:
    """Write one JSON line per thumbs-down to the text stream ``out``; returns how many."""
    count = 0
    for feedback in rows:
        if feedback.rating >= 0:
            continue
        out.write(json.dumps(candidate_row(feedback, domain=domain), ensure_ascii=False) + "\n")
        count += 1
    return count


def since_date(text: str | None) -> datetime | None:
    """``--since 2026-11-01`` → an aware UTC datetime (None for None).

    Raises:
        ValueError: not an ISO date.
    """
    if not text:
        return None
    from datetime import UTC

    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def add_parser(sets: Any) -> None:
    """Add ``recap eval feedback`` to the eval sub-commands (``sets``: argparse sub-parsers)."""
    parser = sets.add_parser("feedback", help="export 👎 answers as candidate rows for the labelled sets, to review")
    parser.add_argument("--out", help="JSON Lines file to write (default: standard output)")
    parser.add_argument("--since", help="only feedback given on or after this date (2026-11-01)")
    parser.add_argument("--team", help="only this workspace (team_id)")
    parser.add_argument("--domain", help="the workspace's Slack subdomain, to write permalinks")
    parser.set_defaults(func=run_export)


def run_export(args: Any, console: Any = None) -> int:
    """``recap eval feedback``: read the feedback table of ``DATABASE_URL`` and write the 👎 rows.

    Returns:
        0 (written, maybe none); 2 on bad input (a bad ``--since``, an unreachable database).
    """
    import sys
    from pathlib import Path

    import sqlalchemy as sa

    from bot.config import load_settings
    from bot.errors import InputError
    from bot.feedback.store import FeedbackStore
    from bot.storage.engine import make_engine

    try:
        since = since_date(args.since)
    except ValueError:
        raise InputError(f"--since {args.since!r} is not a date like 2026-11-01") from None
    settings = load_settings()
    try:
        store = FeedbackStore(make_engine(settings.database_url))
        rows = store.feedback(rating=-1, since=since, team_id=args.team)
    except sa.exc.SQLAlchemyError as exc:
        raise InputError(f"could not read the feedback in DATABASE_URL: {type(exc).__name__}") from None
    if args.out:
        path = Path(args.out)
        with path.open("w", encoding="utf-8") as out:
            count = write_candidates(rows, out, domain=args.domain)
        print(f"{count} thumbs-down case(s) written to {path}: review each, fetch its thread, label it, then add "
              "it to evals/.", file=sys.stderr)
    else:
        count = write_candidates(rows, sys.stdout, domain=args.domain)
    return 0
