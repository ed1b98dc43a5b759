"""Feedback on answers and "try again", as a service (no Bolt): the controls under an answer, what a click
stores, and the regenerated answer that replaces the old one in place.

Under every answer Recap posts in a conversation (mention, DM / agent thread):

* a ``context_actions`` block with Slack's ``feedback_buttons`` element (👍 / 👎; Slack's block for AI
  answers: https://docs.slack.dev/reference/block-kit/blocks/context-actions-block);
* an ``actions`` block with *Try again*, *Shorter* and *More detail* buttons.

A click is stored with the answer's provider, model, prompt version and cited ``ts`` — never the message
text (:mod:`bot.feedback.store`); a 👎 opens an optional "What was wrong?" note. *Try again* re-runs the
same request (the question is read again from Slack, not stored) for the person who clicked, with their
own access checked, and updates the answer's message in place. ``recap eval feedback``
(:mod:`bot.feedback.export`) turns the 👎 cases into candidate rows for the labelled sets.
"""

from __future__ import annotations

import hashlib
import logging
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from slack_sdk import WebClient

from bot import strings
from bot.errors import answer_errors
from bot.feedback.store import ANSWER_DAYS, NOTE_CHARS, Answer, FeedbackStore
from bot.llm.prompts import PROMPTS_DIR
from bot.models import Summary
from bot.services import Services
from bot.summaries.pipeline import ConversationRequest, SummaryResult
from bot.summaries.service import run_pipeline
from bot.summaries.trigger import classify_mention

logger = logging.getLogger(__name__)

FEEDBACK_ACTION_ID = "recap_feedback"
REDO_ACTION_PREFIX = "recap_redo_"
REDO_ACTION_RE = re.compile(r"^recap_redo_(again|shorter|longer)$")
NOTE_CALLBACK_ID = "recap_feedback_note"
NOTE_BLOCK_ID = "note"
NOTE_ACTION_ID = "note_input"
REDO_POINTS = {"again": 5, "shorter": 2, "longer": 10}
"""Points per section for each kind of redo (the default answer has 5)."""
_VALUE_RE = re.compile(r"^(up|down|again|shorter|longer):([0-9a-f]{32})$")


def new_answer_id() -> str:
    """A fresh answer id (32 hex characters), carried in the buttons' values."""
    return uuid.uuid4().hex


@lru_cache(maxsize=1)
def _prompts_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(PROMPTS_DIR.glob("*.md")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def prompt_version(summary: Summary | None) -> str:
    """``"extractive"`` for the built-in summarizer, else a 12-hex digest of the shipped prompts, so
    feedback can be grouped by the prompts that produced the answer."""
    if summary is None or summary.offline:
        return "extractive"
    return _prompts_digest()


def parse_value(value: str) -> tuple[str, str] | None:
    """``"down:<answer_id>"`` → ``("down", answer_id)``; None for anything else (a forged value)."""
    match = _VALUE_RE.match(value or "")
    return (match.group(1), match.group(2)) if match else None


def _button(text: str, kind: str, answer_id: str) -> dict:
    return {"type": "button", "text": {"type": "plain_text", "text": text, "emoji": True},
            "action_id": f"{REDO_ACTION_PREFIX}{kind}", "value": f"{kind}:{answer_id}"}


def answer_controls(answer_id: str) -> list[dict]:
    """The blocks under an answer: 👍/👎 (``context_actions`` + ``feedback_buttons``) and the redo buttons.

    Block ids carry the answer id, so an answer updated in place gets new block ids (Slack asks for a new
    ``block_id`` on each iteration of a message).
    """
    return [
        {"type": "context_actions", "block_id": f"recap_feedback:{answer_id}", "elements": [{
            "type": "feedback_buttons", "action_id": FEEDBACK_ACTION_ID,
            "positive_button": {"text": {"type": "plain_text", "text": "👍"}, "value": f"up:{answer_id}",
                                "accessibility_label": strings.FEEDBACK_UP_LABEL},
            "negative_button": {"text": {"type": "plain_text", "text": "👎"}, "value": f"down:{answer_id}",
                                "accessibility_label": strings.FEEDBACK_DOWN_LABEL},
        }]},
        {"type": "actions", "block_id": f"recap_redo:{answer_id}", "elements": [
            _button(strings.REDO_AGAIN, "again", answer_id),
            _button(strings.REDO_SHORTER, "shorter", answer_id),
            _button(strings.REDO_LONGER, "longer", answer_id),
        ]},
    ]


def with_controls(chunks: list[list[dict]], answer_id: str, *, block_limit: int = 50) -> list[list[dict]]:
    """The answer's messages with the controls appended to the last one (or as one more message when
    the last is full)."""
    controls = answer_controls(answer_id)
    out = [list(chunk) for chunk in chunks] or [[]]
    if len(out[-1]) + len(controls) <= block_limit:
        out[-1].extend(controls)
    else:
        out.append(controls)
    return out


def feedback_store(services: Services) -> FeedbackStore:
    """The feedback store on the services' shared engine (one per engine)."""
    engine = services.store.engine
    store = _STORES.get(id(engine))
    if store is None or store.engine is not engine:
        store = _STORES[id(engine)] = FeedbackStore(engine)
    return store


_STORES: dict[int, FeedbackStore] = {}


def answer_id_for_job(job_id: str | None) -> str:
    """The answer id of the answer a job posts: derived from the job id, so a redelivered job posts the same
    buttons and records the same answer; random outside a job."""
    if not job_id:
        return new_answer_id()
    return hashlib.sha256(f"recap-answer:{job_id}".encode()).hexdigest()[:32]


def record_answer(services: Services, *, answer_id: str, team_id: str, user_id: str, channel_id: str,
                  thread_ts: str | None, request_ts: str | None, answer_ts: str | None,
                  summary: Summary | None, is_question: bool, source_channel_id: str | None = None,
                  source_thread_ts: str | None = None, period: str | None = None) -> None:
    """Remember a posted answer (no text) so its buttons work; failures are logged, never raised.

    Args:
        channel_id, thread_ts, answer_ts: where the answer was posted (its first message).
        source_channel_id, source_thread_ts, period: what it summarized (default: the answer's own channel
            and ``thread_ts``).
    """
    try:
        feedback_store(services).record_answer(Answer(
            answer_id=answer_id, team_id=team_id, user_id=user_id, channel_id=channel_id, thread_ts=thread_ts,
            request_ts=request_ts, answer_ts=answer_ts, is_question=is_question,
            provider=summary.provider if summary else "offline", model=summary.model if summary else "extractive",
            prompt_version=prompt_version(summary),
            cited_ts=tuple(dict.fromkeys(ts for p in (summary.all_points() if summary else []) for ts in p.source_ts)),
            source_channel_id=source_channel_id or channel_id,
            source_thread_ts=source_thread_ts if source_channel_id else (source_thread_ts or thread_ts),
            period=period,
        ))
    except Exception:  # noqa: BLE001 - the answer is posted; losing its buttons' record must not break it
        logger.exception("could not record answer %s", answer_id)


class FeedbackHook:
    """:class:`bot.services.AnswerFeedback` for the composition root: the controls under an answer and the
    record that makes them work."""

    def __init__(self, services: Services) -> None:
        self.services = services

    def answer_id(self, job_id: str | None) -> str:
        """See :func:`answer_id_for_job`."""
        return answer_id_for_job(job_id)

    def with_controls(self, chunks: list[list[dict]], answer_id: str) -> list[list[dict]]:
        """See :func:`with_controls`."""
        return with_controls(chunks, answer_id)

    def record(self, **answer: object) -> None:
        """See :func:`record_answer` (same keyword arguments)."""
        record_answer(self.services, **answer)  # type: ignore[arg-type]

    def forget(self, *, team_id: str, user_id: str) -> int:
        """Delete the person's ratings and notes and the answers they asked for; returns rows deleted."""
        return feedback_store(self.services).forget_user(team_id, user_id)

    def prune(self) -> int:
        """Delete answer rows older than :data:`bot.feedback.store.ANSWER_DAYS`; returns rows deleted."""
        return feedback_store(self.services).prune_answers()


@dataclass(frozen=True)
class Click:
    """What a 👍/👎 click did: ``rating`` +1/-1, or ``answer`` None when the answer is unknown or too old."""

    answer: Answer | None
    rating: int


def rate(services: Services, *, team_id: str, user_id: str, value: str) -> Click:
    """Store a 👍/👎 click (``value`` from the ``feedback_buttons`` element).

    Raises:
        ValueError: a value Recap did not put in the buttons.
    """
    parsed = parse_value(value)
    if parsed is None or parsed[0] not in ("up", "down"):
        raise ValueError("not a feedback value")
    kind, answer_id = parsed
    rating = 1 if kind == "up" else -1
    store = feedback_store(services)
    answer = store.answer(team_id, answer_id)
    if answer is not None:
        store.rate(answer, user_id=user_id, rating=rating)
    return Click(answer, rating)


def note_view(answer_id: str) -> dict:
    """The "What was wrong?" modal (``views.open``); its ``private_metadata`` is the answer id."""
    return {
        "type": "modal", "callback_id": NOTE_CALLBACK_ID, "private_metadata": answer_id,
        "title": {"type": "plain_text", "text": strings.FEEDBACK_NOTE_TITLE},
        "submit": {"type": "plain_text", "text": strings.FEEDBACK_NOTE_SUBMIT},
        "blocks": [{
            "type": "input", "block_id": NOTE_BLOCK_ID, "optional": True,
            "label": {"type": "plain_text", "text": strings.FEEDBACK_NOTE_LABEL[:2000]},
            "element": {"type": "plain_text_input", "action_id": NOTE_ACTION_ID, "multiline": True,
                        "max_length": NOTE_CHARS},
        }],
    }


def save_note(services: Services, *, team_id: str, user_id: str, answer_id: str, view_state: dict) -> bool:
    """Store the note of a submitted "What was wrong?" modal; False when there is nothing to attach it to."""
    if not re.fullmatch(r"[0-9a-f]{32}", answer_id or ""):
        return False
    value = (((view_state.get("values") or {}).get(NOTE_BLOCK_ID) or {}).get(NOTE_ACTION_ID) or {}).get("value")
    note = str(value or "").strip()
    if not note:
        return False
    return feedback_store(services).add_note(team_id=team_id, answer_id=answer_id, user_id=user_id, note=note)


def _question_of(services: Services, client: WebClient, answer: Answer) -> str | None:
    """The question the answer answered, read again from Slack (Recap does not store message text)."""
    if not answer.is_question or not answer.request_ts:
        return None
    reader = services.reader_for(client)
    for message in reader.thread(answer.channel_id, answer.thread_ts or answer.request_ts):
        if message.ts == answer.request_ts:
            trigger = classify_mention(message.text)
            return trigger.question if trigger.kind == "answer" else None
    return None


def redo(services: Services, client: WebClient, *, team_id: str, user_id: str, value: str,
         tell: Callable[[str], object], bot_user_id: str | None = None) -> str | None:
    """Regenerate an answer in place ("Try again", "Shorter", "More detail").

    Re-runs the answer's request for ``user_id`` (their access to the conversation is checked, like
    ``/summarize``), with 5, 2 or 10 points a section, then replaces the answer's message
    (``chat.update``) with the new answer and fresh controls, and records it under a new answer id.

    Args:
        value: the button's value, ``"<kind>:<answer_id>"``.
        tell: says something privately to the person (too old, no access, errors).

    Returns:
        the new answer id, or None when nothing was redone (the person was told why).

    Raises:
        ValueError: a value Recap did not put in the buttons.
    """
    parsed = parse_value(value)
    if parsed is None or parsed[0] not in REDO_POINTS:
        raise ValueError("not a redo value")
    kind, answer_id = parsed
    answer = feedback_store(services).answer(team_id, answer_id)
    if answer is None or not answer.answer_ts:
        tell(strings.FEEDBACK_TOO_OLD.format(days=ANSWER_DAYS))
        return None
    with answer_errors(tell, what=f"redo {kind} in {answer.channel_id}"):
        exclude = frozenset({answer.request_ts}) if answer.request_ts else frozenset()
        request = ConversationRequest(
            channel_id=answer.source_channel_id or answer.channel_id, thread_ts=answer.source_thread_ts,
            period=answer.period, here=answer.source_channel_id == answer.channel_id, requester_id=user_id,
            exclude_ts=exclude, bot_user_id=bot_user_id, question=_question_of(services, client, answer),
            max_points=REDO_POINTS[kind],
        )
        result = run_pipeline(services, client, request)
        new_id = new_answer_id()
        _update_in_place(client, answer, result, new_id, kind=kind)
        record_answer(services, answer_id=new_id, team_id=team_id, user_id=answer.user_id,
                      channel_id=answer.channel_id, thread_ts=answer.thread_ts, request_ts=answer.request_ts,
                      answer_ts=answer.answer_ts, summary=result.summary, is_question=answer.is_question,
                      source_channel_id=answer.source_channel_id, source_thread_ts=answer.source_thread_ts,
                      period=answer.period)
        return new_id
    return None


def _update_in_place(client: WebClient, answer: Answer, result: SummaryResult, new_id: str, *, kind: str) -> None:
    """Replace the answer's (first) message: the new answer's first message, a note when the built-in
    summarizer was asked to try again (it gives the same answer), and the controls."""
    chunks = result.blocks()
    blocks = list(chunks[0])
    if len(chunks) > 1:  # a long answer: the first message only (Slack can't insert messages in between)
        blocks = blocks[:44]
    if kind == "again" and result.summary is not None and result.summary.offline:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": strings.REDO_SAME_OFFLINE}]})
    blocks = with_controls([blocks], new_id)[0][:50]
    client.chat_update(channel=answer.channel_id, ts=str(answer.answer_ts), text=result.fallback_text(),
                       blocks=blocks)
