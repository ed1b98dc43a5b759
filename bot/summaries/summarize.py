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
- On :class:`bot.errors.LLMError` (timeout, 5xx, rate limit after the SDK's retries, output that
  is unusable after one repair) the offline summary is returned with ``fallback_reason`` set.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from bot.errors import LLMError
from bot.lang import detect_language, language_label
from bot.llm.base import Provider
from bot.llm.lenient import parse_json_object
from bot.llm.prompts import format_transcript, load_prompt, message_id, neutralize, render_prompt
from bot.llm.schema import QuestionAnswer, SummaryAnswer
from bot.llm.structured import MAX_OUTPUT_TOKENS, Truncated, ask_structured, output_budget
from bot.models import Message, Point, Summary
from bot.summaries.extractive import summarize_offline
from bot.summaries.guard import guard_summary

logger = logging.getLogger(__name__)

OUTPUT_TOKENS = MAX_OUTPUT_TOKENS  # the largest completion budget of one call (see output_budget)
MIN_CHUNK_TOKENS = 120  # never plan chunks smaller than this, tokens
SECTIONS = ("key_points", "decisions", "action_items", "open_questions")

_MESSAGE_ID = re.compile(r"m?(\d+)$", re.IGNORECASE)


def summarize(
    messages: Sequence[Message],
    *,
    provider: Provider | None,
    question: str | None = None,
    max_points: int = 5,
) -> Summary:
    """Summarize a thread or channel window, or answer a question about it.

    Args:
        messages: the conversation, oldest first; bot messages (``is_bot``) and empty ones are ignored.
        provider: the model provider (:func:`bot.llm.factory.make_provider`), or None for no model: the
            extractive summary (``offline=True``, no ``fallback_reason``).
        question: when given, answer it from the conversation (``Summary.answer``) instead.
        max_points: at most this many points per section.

    Returns:
        A cited :class:`~bot.models.Summary`. Never raises :class:`LLMError`: when the model fails the
        offline summary comes back with ``offline=True`` and ``fallback_reason`` saying why.
    """
    human = [m for m in messages if not m.is_bot and (m.text or "").strip()]
    if provider is None or not human:
        return guard_summary(summarize_offline(human, question=question, max_points=max_points), human)
    language = detect_language([m.text for m in human])
    try:
        summary = guard_summary(_summarize_with_model(human, provider=provider, question=question,
                                                      max_points=max_points, language=language), human)
        for section in SECTIONS:
            setattr(summary, section, getattr(summary, section)[:max_points])
        return summary
    except LLMError as exc:
        logger.warning("%s model failed, falling back to the offline summary", provider.name, exc_info=True)
        summary = summarize_offline(human, question=question, max_points=max_points)
        summary.fallback_reason = _clause(exc.user_message)
        summary.offline = True
        return guard_summary(summary, human)


# --------------------------------------------------------------------------------------------------
# Planning


@dataclass
class _Plan:
    chunks: list[tuple[int, list[Message]]]  # (index of the first message, messages)
    omitted: str | None


def _prompt_fields(*, question: str | None, language: str, max_points: int) -> dict[str, object]:
    fields: dict[str, object] = {"language": language, "max_points": max_points}
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


def _map(provider: Provider, *, template: str, fields: dict[str, object], start: int, chunk: list[Message],
         schema: type[SummaryAnswer], users: dict[str, str]) -> list[dict[str, Any]]:
    """The partial summaries of one chunk: one call, or, when its answer is cut at the output budget,
    the chunk's two halves (recursively) — never the same call again."""
    prompt = render_prompt(template, transcript=format_transcript(chunk, start=start), message_count=len(chunk),
                           **fields)
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


def _summarize_with_model(messages: list[Message], *, provider: Provider, question: str | None, max_points: int,
                          language: str) -> Summary:
    label = language_label(language)
    fields = _prompt_fields(question=question, language=label, max_points=max_points)
    template = "answer" if question else "summarize"
    budget = _chunk_budget(provider, template=template, fields=fields)
    plan = _plan(messages, provider=provider, budget=budget)
    schema = QuestionAnswer if question else SummaryAnswer
    users = {m.user_id: m.user_name.lstrip("@") for m in messages if m.user_id and m.user_name}
    partials = []
    for start, chunk in plan.chunks:
        partials.extend(_map(provider, template=template, fields=fields, start=start, chunk=chunk, schema=schema,
                             users=users))
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
    for section in SECTIONS:
        setattr(summary, section, points(section))
    if question:
        summary.answer = clean(data.get("answer")) or None
    return summary
