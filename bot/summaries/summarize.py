"""Thread and channel-window summaries: fit the context, map, reduce, cite, defend.

:func:`summarize` takes the conversation's messages and a provider:

- the offline provider goes straight to :func:`bot.summaries.extractive.summarize_offline`;
- a model provider gets the transcript (``[m12] @alice (2024-05-01 10:02): text`` lines, fenced,
  see :mod:`bot.llm.prompts`). When it fits the provider's ``context_tokens`` (after the prompt and the
  output budget) that is one call; otherwise the messages are split into chunks on thread (else
  message) boundaries, each chunk is summarized ("map") and the partial summaries are combined
  ("reduce", recursively when they do not fit either) — the map-reduce scheme of LangChain's
  ``MapReduceDocumentsChain`` and of Wu et al. 2021, "Recursively Summarizing Books".
- The model answers JSON; message ids in ``sources`` are mapped back to Slack ``ts`` (unknown ids
  dropped), and URLs or ``@names`` that appear nowhere in the conversation are removed from the
  output (prompt-injection defence: a message cannot make the bot post a link or ping someone).
- On :class:`bot.errors.LLMError` (timeout, 5xx, rate limit after the SDK's retries, output that
  is not JSON twice) the offline summary is returned with ``fallback_reason`` set.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from bot.errors import LLMError
from bot.lang import detect_language
from bot.llm.base import Provider
from bot.llm.prompts import format_transcript, load_prompt, message_id, neutralize, render_prompt
from bot.models import Message, Point, Summary
from bot.summaries.extractive import summarize_offline

logger = logging.getLogger(__name__)

OUTPUT_TOKENS = 1500  # completion budget of one call, tokens
MIN_CHUNK_TOKENS = 120  # never plan chunks smaller than this, tokens
SECTIONS = ("key_points", "decisions", "action_items", "open_questions")

LANGUAGE_NAMES = {
    "en": "English", "zh": "Chinese", "ja": "Japanese", "ko": "Korean", "de": "German", "es": "Spanish",
    "fr": "French", "pt": "Portuguese", "it": "Italian", "nl": "Dutch", "ru": "Russian", "pl": "Polish",
    "sv": "Swedish", "tr": "Turkish", "uk": "Ukrainian", "ar": "Arabic", "hi": "Hindi", "vi": "Vietnamese",
    "id": "Indonesian", "cs": "Czech", "da": "Danish", "fi": "Finnish", "no": "Norwegian", "he": "Hebrew",
}

_URL = re.compile(r"<(https?://[^>|\s]+)(?:\|[^>]*)?>|https?://[^\s<>|]*[^\s<>|.,;:!?)\]'\"”’]")
_MENTION = re.compile(r"(?<![\w.@])@([\w][\w.\-]*\w|\w)")
_MESSAGE_ID = re.compile(r"m?(\d+)$", re.IGNORECASE)


def summarize(
    messages: Sequence[Message],
    *,
    provider: Provider,
    question: str | None = None,
    max_points: int = 5,
) -> Summary:
    """Summarize a thread or channel window, or answer a question about it.

    Args:
        messages: the conversation, oldest first; bot messages (``is_bot``) and empty ones are ignored.
        provider: the model provider (``bot.llm.factory.make_provider``).
        question: when given, answer it from the conversation (``Summary.answer``) instead.
        max_points: at most this many points per section.

    Returns:
        A cited :class:`~bot.models.Summary`. Never raises :class:`LLMError`: when the model fails the
        offline summary comes back with ``offline=True`` and ``fallback_reason`` saying why.
    """
    human = [m for m in messages if not m.is_bot and (m.text or "").strip()]
    if provider.name == "offline" or not human:
        return summarize_offline(human, question=question, max_points=max_points)
    language = detect_language([m.text for m in human])
    try:
        summary = _summarize_with_model(human, provider=provider, question=question, max_points=max_points,
                                        language=language)
        return _guard_summary(summary, human)
    except LLMError as exc:
        logger.warning("%s model failed, falling back to the offline summary", provider.name, exc_info=True)
        summary = summarize_offline(human, question=question, max_points=max_points)
        summary.fallback_reason = exc.user_message
        summary.offline = True
        return summary


# --------------------------------------------------------------------------------------------------
# Planning


@dataclass
class _Plan:
    chunks: list[tuple[int, list[Message]]]  # (index of the first message, messages)
    omitted: str | None


def _language_label(code: str) -> str:
    name = LANGUAGE_NAMES.get(code)
    return f"{name} ({code})" if name else code


def _prompt_fields(*, question: str | None, language: str, max_points: int) -> dict[str, object]:
    fields: dict[str, object] = {"language": language, "max_points": max_points}
    if question:
        fields["question"] = neutralize(question)
    return fields


def _chunk_budget(provider: Provider, *, template: str, fields: dict[str, object]) -> int:
    """Tokens of transcript one call may carry: context minus system prompt, template and output."""
    overhead = provider.count_tokens(load_prompt("system")) + provider.count_tokens(
        render_prompt(template, transcript="", message_count=0, **fields))
    return max(MIN_CHUNK_TOKENS, provider.context_tokens - overhead - OUTPUT_TOKENS)


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


def _parse_json(text: str) -> dict[str, Any]:
    """The JSON object in a completion: ``json`` fences and prose around it are ignored."""
    cleaned = re.sub(r"^\s*```(?:json)?\s*|\s*```\s*$", "", text.strip(), flags=re.IGNORECASE)
    try:
        value = json.loads(cleaned)
    except json.JSONDecodeError:
        start, end = cleaned.find("{"), cleaned.rfind("}")
        if start < 0 or end <= start:
            raise
        value = json.loads(cleaned[start : end + 1])
    if not isinstance(value, dict):
        raise json.JSONDecodeError("not a JSON object", cleaned, 0)
    return value


def _call_json(provider: Provider, prompt: str) -> dict[str, Any]:
    """One completion parsed as JSON; one retry with a reminder when it is not JSON.

    Raises:
        LLMError: the provider failed, or the output was not JSON twice.
    """
    system = load_prompt("system")
    completion = provider.complete(system=system, prompt=prompt, max_tokens=OUTPUT_TOKENS)
    try:
        return _parse_json(completion.text)
    except json.JSONDecodeError:
        logger.info("%s answered something that is not JSON; asking again", provider.name)
    retry = prompt + "\n\nYour previous answer was not valid JSON. Answer with the JSON object only."
    completion = provider.complete(system=system, prompt=retry, max_tokens=OUTPUT_TOKENS)
    try:
        return _parse_json(completion.text)
    except json.JSONDecodeError as exc:
        raise LLMError(f"the {provider.name} model did not answer valid JSON twice",
                       user_message=f"The {provider.name} model gave an answer Recap could not read.") from exc


def _summarize_with_model(messages: list[Message], *, provider: Provider, question: str | None, max_points: int,
                          language: str) -> Summary:
    label = _language_label(language)
    fields = _prompt_fields(question=question, language=label, max_points=max_points)
    template = "answer" if question else "summarize"
    budget = _chunk_budget(provider, template=template, fields=fields)
    plan = _plan(messages, provider=provider, budget=budget)
    partials = []
    for start, chunk in plan.chunks:
        prompt = render_prompt(template, transcript=format_transcript(chunk, start=start),
                               message_count=len(chunk), **fields)
        partials.append(_call_json(provider, prompt))
    result = partials[0] if len(partials) == 1 else _reduce(partials, provider=provider, question=question,
                                                            language=label, max_points=max_points)
    summary = _to_summary(result, messages, question=question, max_points=max_points)
    summary.language = language
    summary.provider = provider.name
    summary.model = provider.model
    summary.offline = False
    summary.omitted = plan.omitted
    summary.message_count = len(messages)
    return summary


def _reduce(partials: list[dict[str, Any]], *, provider: Provider, question: str | None, language: str,
            max_points: int) -> dict[str, Any]:
    """Combine partial summaries into one, in groups that fit the context, recursively."""
    fields: dict[str, object] = {"language": language, "max_points": max_points}
    if question:
        fields["question_block"] = f"\nThe question to answer (from the user):\n<question>\n{neutralize(question)}\n</question>\n"
        fields["answer_field"] = '\n  "answer": "the answer to the question, from all parts",'
    else:
        fields["question_block"] = ""
        fields["answer_field"] = ""
    overhead = provider.count_tokens(load_prompt("system")) + provider.count_tokens(
        render_prompt("reduce", partials="", part_count=0, **fields))
    budget = max(MIN_CHUNK_TOKENS, provider.context_tokens - overhead - OUTPUT_TOKENS)
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
                reduced.append(_parse_json(group[0]))
                continue
            prompt = render_prompt("reduce", partials="\n".join(group), part_count=len(group), **fields)
            reduced.append(_call_json(provider, prompt))
        if len(reduced) == 1:
            return reduced[0]
        texts = [_neutral_json(p) for p in reduced]


def _neutral_json(value: dict[str, Any]) -> str:
    return neutralize(json.dumps(value, ensure_ascii=False))


# --------------------------------------------------------------------------------------------------
# Output checks


def _source_vocabulary(messages: Sequence[Message]) -> tuple[set[str], set[str]]:
    """URLs and lower-case names (without ``@``) that appear in the conversation."""
    urls: set[str] = set()
    names: set[str] = set()
    for m in messages:
        for match in _URL.finditer(m.text):
            urls.add(match.group(1) or match.group(0))
        names.update(n.lower() for n in _MENTION.findall(m.text))
        if m.user_name:
            names.add(m.user_name.lstrip("@").lower())
    return urls, names


def _clean_text(text: str, *, urls: set[str], names: set[str]) -> str:
    """``text`` without URLs or @names that do not appear in the conversation."""

    def url(match: re.Match[str]) -> str:
        found = match.group(1) or match.group(0)
        return match.group(0) if found in urls else ""

    def mention(match: re.Match[str]) -> str:
        return match.group(0) if match.group(1).lower() in names else ""

    cleaned = _MENTION.sub(mention, _URL.sub(url, text))
    cleaned = re.sub(r"\(\s*\)|\[\s*\]|<\s*>", "", cleaned)
    cleaned = re.sub(r"[ \t]{2,}", " ", cleaned)
    return re.sub(r"\s+([,.;:!?])", r"\1", cleaned).strip()


def _to_summary(data: dict[str, Any], messages: Sequence[Message], *, question: str | None,
                max_points: int) -> Summary:
    ts_by_id = {message_id(i): m.ts for i, m in enumerate(messages)}
    urls, names = _source_vocabulary(messages)

    def clean(value: object) -> str:
        return _clean_text(value if isinstance(value, str) else "", urls=urls, names=names)

    def sources(raw: object) -> list[str]:
        ids = raw if isinstance(raw, list) else [raw] if isinstance(raw, (str, int)) else []
        out: list[str] = []
        for item in ids:
            match = _MESSAGE_ID.search(str(item).strip().strip("[]"))
            ts = ts_by_id.get(f"m{int(match.group(1))}") if match else None
            if ts and ts not in out:
                out.append(ts)
        return sorted(out, key=float)

    def owner(raw: object) -> str | None:
        if not isinstance(raw, str) or not raw.strip():
            return None
        name = raw.strip().lstrip("@")
        return f"@{name}" if name.lower() in names else None

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
        return out[:max_points]

    summary = Summary(overview=clean(data.get("overview")))
    for section in SECTIONS:
        setattr(summary, section, points(section))
    if question:
        summary.answer = clean(data.get("answer")) or None
    return summary


# --------------------------------------------------------------------------------------------------
# Output guard

_BARE_LINK = re.compile(r"(?<![\w@/.:-])(?:www\.)?[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.[a-z]{2,24}\b(?:/[^\s<>|]*)?",
                        re.IGNORECASE)
_WORD = re.compile(r"\w+")
_SHINGLE = 8  # words: a run this long shared with a prompt template is prompt text


def _prompt_shingles() -> set[tuple[str, ...]]:
    shingles: set[tuple[str, ...]] = set()
    for name in ("system", "summarize", "answer", "reduce"):
        try:
            words = _WORD.findall(load_prompt(name).lower())
        except Exception:  # noqa: BLE001 - a missing template simply adds nothing
            continue
        shingles.update(tuple(words[i : i + _SHINGLE]) for i in range(len(words) - _SHINGLE + 1))
    return shingles


def _guard_summary(summary: Summary, messages: Sequence[Message]) -> Summary:
    """Last defence against prompt injection, on the model's output (:func:`_to_summary` already drops
    ``http(s)`` URLs and @names absent from the conversation):

    * bare domains and ``www.`` links absent from the conversation are removed (Slack links them);
    * a text that repeats the prompt templates (8 words in a row not found in the conversation) is
      dropped, so the system prompt is never revealed.
    """
    source = " ".join(m.text or "" for m in messages).lower()
    source_words = _WORD.findall(source)
    source_shingles = {tuple(source_words[i : i + _SHINGLE]) for i in range(len(source_words) - _SHINGLE + 1)}
    prompt_shingles = _prompt_shingles() - source_shingles

    def clean(text: str | None) -> str | None:
        if not text:
            return text
        words = _WORD.findall(text.lower())
        if any(tuple(words[i : i + _SHINGLE]) in prompt_shingles for i in range(len(words) - _SHINGLE + 1)):
            logger.warning("dropped model output that repeats the prompt")
            return ""
        text = _BARE_LINK.sub(lambda m: m.group(0) if m.group(0).lower() in source else "", text)
        return re.sub(r"[ \t]{2,}", " ", text).strip()

    summary.overview = clean(summary.overview) or ""
    summary.answer = clean(summary.answer) or None
    for section in ("key_points", "decisions", "action_items", "open_questions"):
        points = []
        for point in getattr(summary, section):
            point.text = clean(point.text) or ""
            if point.text:
                points.append(point)
        setattr(summary, section, points)
    return summary
