"""Thread and channel-window summaries: fit the context, map, reduce, cite, defend.

:func:`summarize` takes the conversation's messages and a provider, or None for no model:

- without a model (``provider=None``) it is :func:`bot.summaries.extractive.summarize_offline`;
- a model provider gets the transcript (compact ``m12 alice: text`` lines, fenced,
  see :mod:`bot.llm.prompts`). When it fits the provider's ``context_tokens`` (after the prompt and the
  output budget) that is one call; otherwise the messages are split into chunks on thread (else
  message) boundaries, each chunk is summarized ("map") and the partial summaries are combined
  ("reduce", recursively when they do not fit either) — the map-reduce scheme of LangChain's
  ``MapReduceDocumentsChain`` and of Wu et al. 2021, "Recursively Summarizing Books".
- The model answers JSON in the shape of :mod:`bot.llm.schema`, read leniently, checked, repaired
  once (:mod:`bot.llm.structured`); message ids in ``sources`` are mapped back to Slack ``ts``.
  Every summary then passes the output guard (:func:`bot.summaries.guard.guard_summary`):
  links, e-mail addresses and ``@names`` absent from the conversation go with the clause that carried
  them, broadcasts always go, prompt text is never repeated (a message cannot make the bot post a link
  or ping someone).
- Map calls run in parallel, at most :data:`MAP_WORKERS` at a time (the SDK clients are thread-safe);
  the partials keep the chunks' order.
- On :class:`bot.errors.LLMError` (timeout, 5xx, rate limit after the SDK's retries, output that
  is unusable after one repair) the offline summary is returned with ``fallback_reason`` set.
- Streaming (:func:`streaming`): while a caller (the mention) holds a :data:`PointSink`, a conversation
  that fits one call is asked with the answer streamed (:func:`bot.llm.structured.ask_structured_streaming`);
  each point is handed to the sink only once it is complete and has passed the same checks
  (:func:`bot.llm.schema.check_answer`: shape, template echo, citations), the same conversion and the same
  output guard as the final answer, and the same cuts (``max_points``, context-only citations). Raw model
  tokens never reach the sink. The summary returned is still the final, validated one.

:func:`combine_summaries` builds one summary from several finished ones (the org digest's highlights
from its channels' summaries) with the same reduce step, instead of summarizing every message again.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any

from bot.errors import LLMError
from bot.lang import language_label
from bot.llm.base import Provider, StreamingProvider
from bot.llm.batch import BatchRequest
from bot.llm.lenient import parse_json_object
from bot.llm.prompts import format_transcript, load_prompt, message_id, neutralize, render_prompt
from bot.llm.schema import QuestionAnswer, SummaryAnswer, check_answer
from bot.llm.structured import (
    MAX_OUTPUT_TOKENS,
    WIRE_SCHEMA,
    Truncated,
    ask_structured,
    ask_structured_streaming,
    output_budget,
)
from bot.models import Message, Point, Summary
from bot.summaries.attribution import ground_answer
from bot.summaries.extractive import awaiting_reply, summarize_offline
from bot.summaries.guard import guard_summary, guard_text
from bot.summaries.links import SUMMARY_PROMPTS, SourceIndex
from bot.summaries.ranking import conversation_language, handed_off_point, human_messages
from bot.summaries.render import point_budget

logger = logging.getLogger(__name__)

OUTPUT_TOKENS = MAX_OUTPUT_TOKENS  # the largest completion budget of one call (see output_budget)
MIN_CHUNK_TOKENS = 120  # never plan chunks smaller than this, tokens
MAP_WORKERS = 4
"""Map calls in flight at once for one summary (a small bound: the provider's rate limit is shared)."""
SECTIONS = ("key_points", "decisions", "action_items", "open_questions")

_MESSAGE_ID = re.compile(r"m?(\d+)$", re.IGNORECASE)


@dataclass(frozen=True)
class StreamItem:
    """One finished, checked and guarded part of a model's answer, as it is streamed.

    Attributes:
        section: ``"overview"``, ``"outcome"``, a section of :data:`SECTIONS`, or ``"answer"``.
        index: its place in the section (0 for the single-valued ones).
        point: the part as a :class:`~bot.models.Point` (an overview or answer has no ``source_ts``).
        language: the conversation's language (headings, owner labels).
        cited: the messages ``point.source_ts`` names (their permalinks, channels, threads).
    """

    section: str
    index: int
    point: Point
    language: str
    cited: tuple[Message, ...] = ()

    def same_as(self, other: StreamItem) -> bool:
        """True when both show the same thing (section, text, citations, owner)."""
        return (self.section, self.point.text, self.point.source_ts, self.point.owner) == (
            other.section, other.point.text, other.point.source_ts, other.point.owner)


PointSink = Callable[[StreamItem], None]
"""Receives each :class:`StreamItem` once, in the order the model finishes them."""

ITEM_ORDER = ("overview", "outcome", *SECTIONS, "answer")
"""The order of a summary's parts on the wire (the schema's field order), so the order they stream in."""


@dataclass(frozen=True)
class _Streaming:
    """What :func:`streaming` set for the current context."""

    sink: PointSink
    deadline: float
    unstreamed: Callable[[], None] | None


_SINK: ContextVar[_Streaming | None] = ContextVar("recap_point_sink", default=None)


@contextmanager
def streaming(sink: PointSink, *, deadline: float, unstreamed: Callable[[], None] | None = None) -> Iterator[None]:
    """Within the block, :func:`summarize` streams a one-call answer's parts to ``sink`` (see the module
    docstring) and gives the stream ``deadline`` seconds; past it the model's HTTP stream is closed and
    the labelled offline summary comes back. Scoped to the current thread / context.

    Args:
        sink: called with each finished :class:`StreamItem`; its exceptions propagate (the caller decides).
        deadline: seconds the model's stream may take.
        unstreamed: called once when the answer will come without streaming: the conversation needs
            several calls (map-reduce), the provider cannot stream, or the streamed call ended without a
            single usable part (a repair or the offline fallback follows). The mention then shows its
            classic "reading…" reply.
    """
    token = _SINK.set(_Streaming(sink, deadline, unstreamed))
    try:
        yield
    finally:
        _SINK.reset(token)


def stream_items(summary: Summary, *, max_points: int | None = None) -> list[StreamItem]:
    """A summary's parts in :data:`ITEM_ORDER`, as :func:`streaming` hands them out (overview and answer
    only when not empty; sections cut to ``max_points``). The mention compares what it streamed with this
    for the final summary."""
    items: list[StreamItem] = []
    language = summary.language
    if summary.overview.strip():
        items.append(StreamItem("overview", 0, Point(summary.overview, []), language))
    if summary.outcome is not None:
        items.append(StreamItem("outcome", 0, summary.outcome, language))
    for section in SECTIONS:
        points: list[Point] = getattr(summary, section)
        for index, point in enumerate(points[:max_points] if max_points else points):
            items.append(StreamItem(section, index, point, language))
    if summary.answer and summary.answer.strip():
        items.append(StreamItem("answer", 0, Point(summary.answer, []), language))
    return items


class _Streamer:
    """Turns the finished parts of a streamed answer into guarded :class:`StreamItem` for the sink."""

    def __init__(self, sink: PointSink, messages: list[Message], *, schema: type[SummaryAnswer], known_ids: set[str],
                 users: dict[str, str], question: str | None, language: str, max_points: int) -> None:
        self.sink, self.messages, self.schema = sink, messages, schema
        self.known_ids, self.users, self.question = known_ids, users, question
        self.language, self.max_points = language, max_points
        self.context = {m.ts for m in messages if m.context}
        self.by_ts = {m.ts: m for m in messages}
        self.budget = point_budget(len(messages))  # the renderer shows no more points than this
        self.points = 0
        self.sent: set[tuple[str, int]] = set()

    def __call__(self, done: dict[str, Any]) -> None:
        checked = check_answer(done, model=self.schema, known_ids=self.known_ids, users=self.users)
        summary = _to_summary(checked.answer.model_dump(), self.messages, question=self.question)
        summary.offline, summary.language = False, self.language
        _guarded(summary, self.messages)
        for item in stream_items(summary, max_points=self.max_points):
            if item.point.source_ts and set(item.point.source_ts) <= self.context:
                continue  # cites only context (the pipeline's within_window drops it too)
            key = (item.section, item.index)
            if key not in self.sent:
                if item.section in ("outcome", *SECTIONS):
                    if self.budget is not None and self.points >= self.budget:
                        continue  # past what the final rendering can show: it says so in a note
                    self.points += 1
                self.sent.add(key)
                self.sink(replace(item, cited=tuple(self.by_ts[ts] for ts in item.point.source_ts
                                                    if ts in self.by_ts)))


def summarize(
    messages: Sequence[Message],
    *,
    provider: Provider | None,
    question: str | None = None,
    max_points: int = 5,
    window: bool = False,
) -> Summary:
    """Summarize a thread or channel window, or answer a question about it.

    Args:
        messages: the conversation, oldest first; bot messages (``is_bot``) and empty ones are ignored.
        provider: the model provider (:func:`bot.llm.factory.make_provider`), or None for no model: the
            extractive summary (``offline=True``, no ``fallback_reason``).
        question: when given, answer it from the conversation (``Summary.answer``) instead.
        max_points: at most this many points per section.
        window: True for a channel's period or a digest's week (the extractive summary keeps each point to one
            line: :func:`bot.summaries.extractive.summarize_offline`), False for one thread.

    Returns:
        A cited :class:`~bot.models.Summary`. Never raises :class:`LLMError`: when the model fails the
        offline summary comes back with ``offline=True`` and ``fallback_reason`` saying why. A model's answer
        that cites no message is given the one that states it, or marked ``answer_unsupported``
        (:func:`bot.summaries.attribution.ground_answer`).
    """
    human = human_messages(messages)
    if provider is None or not human:
        return _with_handoff(guard_summary(summarize_offline(human, question=question, max_points=max_points, window=window),
                                           human), messages)
    language = conversation_language(human)
    try:
        summary = _guarded(_summarize_with_model(human, provider=provider, question=question,
                                                 max_points=max_points, language=language), human)
        for section in SECTIONS:
            setattr(summary, section, getattr(summary, section)[:max_points])
        if question:
            return ground_answer(summary, human, question)
        summary.awaiting_reply = awaiting_reply(human, window=window)  # a fact of the thread, whoever wrote the summary
        return _with_handoff(summary, messages)
    except LLMError as exc:
        logger.warning("%s model failed, falling back to the offline summary", provider.name, exc_info=True)
        summary = summarize_offline(human, question=question, max_points=max_points, window=window)
        summary.fallback_reason = _clause(exc.user_message)
        summary.offline = True
        return _with_handoff(guard_summary(summary, human), messages)


def _with_handoff(summary: Summary, messages: Sequence[Message]) -> Summary:
    """``summary`` with ``handed_off`` set when no one else replied in the thread (``awaiting_reply``) and a bot's reply
    there says where its question went on (:func:`bot.summaries.ranking.handed_off_point`: "Success, it has been cross
    posted to Discourse (https://…)"): where a reader looks for the answer."""
    if summary.awaiting_reply and not summary.answer:
        summary.handed_off = handed_off_point(messages)
    return summary


def _guarded(summary: Summary, messages: Sequence[Message]) -> Summary:
    """:func:`guard_summary`, and the same guard on a model's ``outcome`` (dropped when nothing is left)."""
    guard_summary(summary, messages)
    if summary.outcome is not None and not summary.offline:
        summary.outcome.text = guard_text(summary.outcome.text, source=SourceIndex.from_messages(messages),
                                          prompts=SUMMARY_PROMPTS)
        if not summary.outcome.text:
            summary.outcome = None
    return summary


def combine_summaries(summaries: Sequence[Summary], messages: Sequence[Message], *, provider: Provider | None,
                      max_points: int = 3) -> Summary:
    """One summary of several conversations from their finished summaries (the org digest's highlights).

    With a model, the summaries are the partials of one reduce step (``prompts/reduce.md``, as for a long
    conversation): the model reads their points, not the messages again. A single summary is cut to
    ``max_points``; without a model (or when no summary is given) the extractive summary of ``messages``
    is returned, which costs no tokens.

    Args:
        summaries: the conversations' summaries, citing messages of ``messages`` by ``ts``.
        messages: every message the summaries cite (and the fallback reads), oldest first.
        provider: the model, or None.
        max_points: at most this many points per section.

    Returns:
        A cited :class:`~bot.models.Summary`; never raises :class:`LLMError` (the extractive summary of
        ``messages`` comes back labelled with ``fallback_reason`` when the model fails).
    """
    human = human_messages(messages)
    parts = [s for s in summaries if s is not None]
    if provider is None or not human or not parts:
        return summarize(human, provider=None, max_points=max_points, window=True)
    if len(parts) == 1:
        one = replace(parts[0])
        for section in SECTIONS:
            setattr(one, section, getattr(one, section)[:max_points])
        return one
    id_by_ts = {m.ts: message_id(i) for i, m in enumerate(human)}
    language = conversation_language(human)
    users = {m.user_id: m.user_name.lstrip("@") for m in human if m.user_id and m.user_name}
    try:
        result = _reduce([_partial(s, id_by_ts) for s in parts], provider=provider, question=None,
                         language=language_label(language), max_points=max_points, schema=SummaryAnswer,
                         known_ids=set(id_by_ts.values()), users=users)
        summary = _to_summary(result, human, question=None)
        summary.language, summary.provider, summary.model = language, provider.name, provider.model
        summary.offline, summary.message_count = False, len(human)
        summary = _guarded(summary, human)
        for section in SECTIONS:
            setattr(summary, section, getattr(summary, section)[:max_points])
        return summary
    except LLMError as exc:
        logger.warning("%s model failed to combine summaries; extractive highlights", provider.name, exc_info=True)
        fallback = summarize(human, provider=None, max_points=max_points, window=True)
        fallback.fallback_reason = _clause(exc.user_message)
        return fallback


def _partial(summary: Summary, id_by_ts: dict[str, str]) -> dict[str, Any]:
    """A finished summary as a partial of the reduce prompt: its points citing transcript ids."""
    def point(p: Point) -> dict[str, Any]:
        item: dict[str, Any] = {"text": p.text, "sources": [id_by_ts[ts] for ts in p.source_ts if ts in id_by_ts]}
        if p.owner:
            item["owner"] = p.owner
        return item

    out: dict[str, Any] = {"overview": summary.overview,
                           "outcome": point(summary.outcome) if summary.outcome else None}
    for section in SECTIONS:
        out[section] = [point(p) for p in getattr(summary, section)]
    return out


# --------------------------------------------------------------------------------------------------
# Planning


@dataclass
class _Plan:
    chunks: list[tuple[int, list[Message]]]  # (index of the first message, messages)
    omitted: str | None


REPLY_NOTE = " (↳ marks a thread reply)"
"""Said in the prompt only when the transcript marks replies (not in one thread's own transcript)."""


def _prompt_fields(*, question: str | None, language: str, max_points: int) -> dict[str, object]:
    fields: dict[str, object] = {"language": language, "max_points": max_points, "reply_note": REPLY_NOTE}
    if question:
        fields["question"] = neutralize(question)
    return fields


def _chunk_budget(provider: Provider, *, template: str, fields: dict[str, object]) -> int:
    """Tokens of transcript one call may carry: context minus system prompt, template and output."""
    overhead = provider.count_tokens(load_prompt("system")) + provider.count_tokens(
        render_prompt(template, transcript="", message_count=0, **fields))
    return max(MIN_CHUNK_TOKENS, provider.context_tokens - overhead - output_budget(provider.context_tokens))


def _clause(sentence: str) -> str:
    """A user message as a clause for ``strings.FALLBACK_NOTE`` ("…: {reason}, so these are…"): no final
    period, and a lower-case first letter unless the first word is an acronym ("The X" -> "the X")."""
    text = sentence.strip().rstrip(".").strip()
    if len(text) > 1 and text[0].isupper() and not text.split()[0].isupper():
        text = text[0].lower() + text[1:]
    return text


def _plan(messages: list[Message], *, provider: Provider, budget: int) -> _Plan:
    """Split messages into chunks of at most ``budget`` transcript tokens, preferring thread boundaries."""
    cost = [provider.count_tokens(format_transcript([m], start=i)) + 1 for i, m in enumerate(messages)]
    cut_notes: list[str] = []
    items: list[Message] = []
    for i, message in enumerate(messages):
        if cost[i] <= budget:
            items.append(message)
            continue
        # One message longer than a whole chunk: keep its start, say so.
        keep = len(message.text)
        while keep > 0 and provider.count_tokens(
                format_transcript([replace(message, text=message.text[:keep] + " […]")], start=i)) + 1 > budget:
            keep = int(keep * 0.8)
        items.append(replace(message, text=message.text[:keep] + " […]"))
        cost[i] = provider.count_tokens(format_transcript([items[-1]], start=i)) + 1
        cut_notes.append(f"{message_id(i)} was cut to {keep} of {len(message.text)} characters")

    chunks: list[tuple[int, list[Message]]] = []
    start, used, boundary = 0, 0, None  # boundary: index of the last thread start in the chunk
    for i, message in enumerate(items):
        if used + cost[i] > budget and i > start:
            # Cut at the last thread start when that keeps the chunk at least half full.
            if boundary is not None and boundary > start and sum(cost[start:boundary]) >= budget // 2:
                cut = boundary
            else:
                cut = i
            chunks.append((start, items[start:cut]))
            start, used = cut, sum(cost[cut:i])
            boundary = None
        if not message.is_reply:
            boundary = i
        used += cost[i]
    chunks.append((start, items[start:]))
    omitted = None
    if cut_notes:
        omitted = "Some messages were too long for the model and were shortened: " + "; ".join(cut_notes) + "."
    return _Plan(chunks, omitted)


# --------------------------------------------------------------------------------------------------
# Calls


def _call(provider: Provider, prompt: str, *, schema: type[SummaryAnswer], known_ids: set[str],
          users: dict[str, str], message_count: int) -> dict[str, Any]:
    """One structured call (:func:`bot.llm.structured.ask_structured`: schema, lenient reading, checks,
    one repair), as a plain dict.

    Raises:
        Truncated: the answer does not fit the output budget; ask about fewer messages.
        LLMError: the provider failed, or answered unusably twice.
    """
    answer = ask_structured(provider, system=load_prompt("system"), prompt=prompt, schema=schema,
                            known_ids=known_ids, users=users, message_count=message_count)
    return answer.model_dump()


def _map_prompt(template: str, fields: dict[str, object], start: int, chunk: list[Message]) -> str:
    transcript = format_transcript(chunk, start=start)
    return render_prompt(template, transcript=transcript, message_count=len(chunk),
                         **{**fields, "reply_note": REPLY_NOTE if "↳" in transcript else ""})


def first_round_requests(messages: Sequence[Message], *, provider: Provider, custom_id: str,
                         question: str | None = None, max_points: int = 5) -> list[BatchRequest]:
    """The calls :func:`summarize` opens with for these messages (the one call, or every map call), as
    batch requests (:mod:`bot.llm.batch`): answered through a batch and handed back with
    :class:`bot.llm.batch.PrefilledProvider`, they make the same summary at half the price; what
    depends on their answers (a repair, the reduce) is called directly.

    Args:
        messages, question, max_points: as :func:`summarize` will be called.
        provider: the model :func:`summarize` will be given (its window plans the chunks).
        custom_id: the prefix of the requests' ids (``<custom_id>-<n>``).

    Returns:
        The requests, in the chunks' order; ``[]`` when :func:`summarize` would call no model.
    """
    human = human_messages(messages)
    if not human:
        return []
    fields = _prompt_fields(question=question, language=language_label(conversation_language(human)),
                            max_points=max_points)
    template = "answer" if question else "summarize"
    plan = _plan(human, provider=provider, budget=_chunk_budget(provider, template=template, fields=fields))
    budget = output_budget(provider.context_tokens)
    return [BatchRequest(f"{custom_id}-{n}", load_prompt("system"), _map_prompt(template, fields, start, chunk),
                         budget, WIRE_SCHEMA) for n, (start, chunk) in enumerate(plan.chunks)]


def _map(provider: Provider, *, template: str, fields: dict[str, object], start: int, chunk: list[Message],
         schema: type[SummaryAnswer], users: dict[str, str]) -> list[dict[str, Any]]:
    """The partial summaries of one chunk: one call, or, when its answer is cut at the output budget,
    the chunk's two halves (recursively) — never the same call again."""
    prompt = _map_prompt(template, fields, start, chunk)
    ids = {message_id(start + i) for i in range(len(chunk))}
    try:
        return [_call(provider, prompt, schema=schema, known_ids=ids, users=users, message_count=len(chunk))]
    except Truncated:
        if len(chunk) < 2:
            raise
        half = len(chunk) // 2
        logger.info("%s answer for %d messages was cut; splitting them in two", provider.name, len(chunk))
        options: dict[str, Any] = {"template": template, "fields": fields, "schema": schema, "users": users}
        return (_map(provider, start=start, chunk=chunk[:half], **options)
                + _map(provider, start=start + half, chunk=chunk[half:], **options))


def _map_streamed(provider: StreamingProvider, *, template: str, fields: dict[str, object], start: int,
                  chunk: list[Message], schema: type[SummaryAnswer], users: dict[str, str], streaming: _Streaming,
                  messages: list[Message], question: str | None, language: str,
                  max_points: int) -> list[dict[str, Any]]:
    """The one call of a conversation that fits, streamed to the sink (:class:`_Streamer`); an answer cut
    at the output budget is asked again as two halves (:func:`_map`, not streamed), never the same call."""
    prompt = _map_prompt(template, fields, start, chunk)
    ids = {message_id(start + i) for i in range(len(chunk))}
    streamer = _Streamer(streaming.sink, messages, schema=schema, known_ids=ids, users=users, question=question,
                         language=language, max_points=max_points)

    def streamed(_: Any) -> None:  # the stream is over: a repair or a fallback may follow
        if not streamer.sent and streaming.unstreamed is not None:
            streaming.unstreamed()

    try:
        answer = ask_structured_streaming(provider, system=load_prompt("system"), prompt=prompt, schema=schema,
                                          known_ids=ids, on_partial=streamer, deadline=streaming.deadline,
                                          users=users, message_count=len(chunk), on_streamed=streamed)
        return [answer.model_dump()]
    except Truncated:
        streamed(None)
        if len(chunk) < 2:
            raise
        half = len(chunk) // 2
        options: dict[str, Any] = {"template": template, "fields": fields, "schema": schema, "users": users}
        return (_map(provider, start=start, chunk=chunk[:half], **options)
                + _map(provider, start=start + half, chunk=chunk[half:], **options))
    except LLMError:
        streamed(None)
        raise


def _summarize_with_model(messages: list[Message], *, provider: Provider, question: str | None, max_points: int,
                          language: str) -> Summary:
    label = language_label(language)
    fields = _prompt_fields(question=question, language=label, max_points=max_points)
    template = "answer" if question else "summarize"
    budget = _chunk_budget(provider, template=template, fields=fields)
    plan = _plan(messages, provider=provider, budget=budget)
    schema = QuestionAnswer if question else SummaryAnswer
    users = {m.user_id: m.user_name.lstrip("@") for m in messages if m.user_id and m.user_name}
    options: dict[str, Any] = {"template": template, "fields": fields, "schema": schema, "users": users}
    partials: list[dict[str, Any]] = []
    streamer = _SINK.get()
    if len(plan.chunks) == 1 and streamer is not None and isinstance(provider, StreamingProvider):
        start, chunk = plan.chunks[0]
        partials = _map_streamed(provider, start=start, chunk=chunk, streaming=streamer, messages=messages,
                                 question=question, language=language, max_points=max_points, **options)
    elif streamer is not None and streamer.unstreamed is not None:
        streamer.unstreamed()
    if partials:
        pass  # streamed
    elif len(plan.chunks) == 1:
        start, chunk = plan.chunks[0]
        partials = _map(provider, start=start, chunk=chunk, **options)
    else:
        pool = ThreadPoolExecutor(max_workers=min(MAP_WORKERS, len(plan.chunks)), thread_name_prefix="recap-map")
        try:
            futures = [pool.submit(_map, provider, start=start, chunk=chunk, **options) for start, chunk in plan.chunks]
            for future in futures:  # in the chunks' order; the first failure ends the summary
                partials.extend(future.result())
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    all_ids = {message_id(i) for i in range(len(messages))}
    result = partials[0] if len(partials) == 1 else _reduce(partials, provider=provider, question=question,
                                                            language=label, max_points=max_points, schema=schema,
                                                            known_ids=all_ids, users=users)
    summary = _to_summary(result, messages, question=question)
    summary.language = language
    summary.provider = provider.name
    summary.model = provider.model
    summary.offline = False
    summary.omitted = plan.omitted
    summary.message_count = len(messages)
    return summary


def _reduce(partials: list[dict[str, Any]], *, provider: Provider, question: str | None, language: str,
            max_points: int, schema: type[SummaryAnswer], known_ids: set[str],
            users: dict[str, str]) -> dict[str, Any]:
    """Combine partial summaries into one, in groups that fit the context, recursively."""
    fields: dict[str, object] = {"language": language, "max_points": max_points}
    if question:
        fields["question_block"] = f"\nThe question to answer (from the user):\n<question>\n{neutralize(question)}\n</question>\n"
        fields["answer_field"] = ' "answer" (the answer to the question, from all parts),'
    else:
        fields["question_block"] = ""
        fields["answer_field"] = ""
    overhead = provider.count_tokens(load_prompt("system")) + provider.count_tokens(
        render_prompt("reduce", partials="", part_count=0, **fields))
    budget = max(MIN_CHUNK_TOKENS, provider.context_tokens - overhead - output_budget(provider.context_tokens))
    texts = [_neutral_json(p) for p in partials]
    while True:
        groups: list[list[str]] = [[]]
        used = 0
        for text in texts:
            cost = provider.count_tokens(text) + 1
            if groups[-1] and used + cost > budget:
                groups.append([])
                used = 0
            groups[-1].append(text)
            used += cost
        if len(groups) == len(texts) and len(texts) > 1:
            # Every partial alone fills the context: pair them anyway so the recursion ends.
            groups = [texts[i : i + 2] for i in range(0, len(texts), 2)]
        reduced = []
        for group in groups:
            if len(group) == 1:
                reduced.append(parse_json_object(group[0]))
                continue
            prompt = render_prompt("reduce", partials="\n".join(group), part_count=len(group), **fields)
            reduced.append(_call(provider, prompt, schema=schema, known_ids=known_ids, users=users,
                                 message_count=len(known_ids)))
        if len(reduced) == 1:
            return reduced[0]
        texts = [_neutral_json(p) for p in reduced]


def _neutral_json(value: dict[str, Any]) -> str:
    return neutralize(json.dumps(value, ensure_ascii=False))


# --------------------------------------------------------------------------------------------------
# From the model's JSON to a Summary (the output guard runs after: bot.summaries.guard)


def _to_summary(data: dict[str, Any], messages: Sequence[Message], *, question: str | None) -> Summary:
    ts_by_id = {message_id(i): m.ts for i, m in enumerate(messages)}

    def clean(value: object) -> str:
        return value.strip() if isinstance(value, str) else ""

    def sources(raw: object) -> list[str]:
        ids = raw if isinstance(raw, list) else [raw] if isinstance(raw, (str, int)) else []
        out: list[str] = []
        for item in ids:
            match = _MESSAGE_ID.search(str(item).strip().strip("[]"))
            ts = ts_by_id.get(f"m{int(match.group(1))}") if match else None
            if ts and ts not in out:
                out.append(ts)
        return sorted(out, key=float)

    def owner(raw: object) -> str | None:  # checked against the conversation by the output guard
        return f"@{raw.strip().lstrip('@')}" if isinstance(raw, str) and raw.strip().lstrip("@") else None

    def points(section: str) -> list[Point]:
        raw = data.get(section)
        out: list[Point] = []
        for item in raw if isinstance(raw, list) else []:
            if isinstance(item, str):
                item = {"text": item}
            if not isinstance(item, dict):
                continue
            text = clean(item.get("text"))
            if not text:
                continue
            out.append(Point(text, sources(item.get("sources", item.get("source"))),
                             owner(item.get("owner")) if section == "action_items" else None))
        return out  # cut to max_points after the guard (summarize), so a dropped point frees its place

    summary = Summary(overview=clean(data.get("overview")))
    ended = data.get("outcome")
    if isinstance(ended, str):
        ended = {"text": ended}
    if isinstance(ended, dict) and clean(ended.get("text")):
        cited = sources(ended.get("sources", ended.get("source")))
        summary.outcome = Point(clean(ended.get("text")), cited) if cited else None
    for section in SECTIONS:
        setattr(summary, section, points(section))
    if question:
        summary.answer = clean(data.get("answer")) or None
    return summary
