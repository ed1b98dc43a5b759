"""One structured call: ask for a schema, read leniently, validate, repair once, budget the output.

:func:`ask_structured` is what the summarizer calls for every map, reduce and question call::

    complete(schema=…)  -> cut at max_tokens?   ask again with twice the budget when the window has room,
                                                else raise Truncated (the caller splits the chunk)
                        -> refused?             LLMError ("declined")
                        -> parse leniently      (bot.llm.lenient)
                        -> check_answer         (bot.llm.schema): wrong shape, template echo, nothing
                                                said, citations to no message of the transcript
                        -> problems?            ONE repair call carrying the problems; still unusable ->
                                                LLMError whose user_message says what was wrong

It never sends the same call twice: a retry always changes the budget or carries the repair note.

What a repair costs: an answer that is not JSON but carries the content (it cites message ids of the
transcript) is sent back alone with the parse error, to be rewritten as JSON, without the transcript.
Any other problem (wrong shape, template echo, empty, unknown citations) needs the transcript: the
repair re-sends the prompt once with the problems appended after it, so the prefix (system and
transcript) is the one the first call just cached (:mod:`bot.llm.anthropic`; OpenAI caches prefixes
itself). :data:`REPAIRS` counts both kinds.

The wire schema: summaries and questions are both asked in the shape of :data:`WIRE_SCHEMA` (the
question's, whose ``answer`` a summary leaves empty) and validated against their own model, so a
follow-up question in a thread offers the model the same tool as the summary before it: the cached
prefix (tools, system, transcript) stays the same.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import Counter
from collections.abc import Callable, Collection, Mapping
from typing import Any, TypeVar

import jiter

from bot.errors import LLMError
from bot.llm.base import Completion, Provider, StreamingProvider
from bot.llm.lenient import parse_json_object
from bot.llm.schema import Checked, QuestionAnswer, SummaryAnswer, check_answer

logger = logging.getLogger(__name__)

MAX_OUTPUT_TOKENS = 1500
"""The largest completion budget one call asks for, tokens."""
MIN_OUTPUT_TOKENS = 256
"""The smallest, tokens (a summary in JSON needs room)."""

A = TypeVar("A", bound=SummaryAnswer)

WIRE_SCHEMA: type[SummaryAnswer] = QuestionAnswer
"""The shape every summary and question call asks for on the wire (see the module docstring)."""

REPAIRS: Counter[str] = Counter()
"""Repair calls made in this process: ``"reformat"`` (the bad answer alone) and ``"resend"`` (the
transcript again); read by ``bench/token_bench.py``."""
_REPAIRS_LOCK = threading.Lock()
_CITED_ID = re.compile(r"\bm\d+\b")


def output_budget(context_tokens: int) -> int:
    """The completion budget of one call for a context window of ``context_tokens``.

    A quarter of the window, between :data:`MIN_OUTPUT_TOKENS` and :data:`MAX_OUTPUT_TOKENS`: 1,500 of
    100,000, 512 of 2,048 (issue 12: a fixed 1,500 of 2,048 left 120-token chunks).
    """
    return max(MIN_OUTPUT_TOKENS, min(MAX_OUTPUT_TOKENS, context_tokens // 4))


class Truncated(LLMError):
    """The answer was cut at the output budget and a larger one does not fit the window: the caller
    should ask about less (a smaller chunk)."""

    def __init__(self, provider: str, max_tokens: int) -> None:
        super().__init__(f"the {provider} answer was cut at {max_tokens} tokens",
                         user_message=f"The {provider} model's answer was too long for its output limit.")
        self.max_tokens = max_tokens


def _complete(provider: Provider, *, system: str, prompt: str, max_tokens: int, schema: type[SummaryAnswer] | None,
              first: Completion | None = None) -> Completion:
    """A completion that was not cut short: on ``length`` ask again with twice the budget while the
    window has room for it, else raise :class:`Truncated`. ``first``: the answer of this call already
    received (streamed), read instead of calling again."""
    prompt_tokens = provider.count_tokens(system) + provider.count_tokens(prompt)
    while True:
        completion = first or provider.complete(system=system, prompt=prompt, max_tokens=max_tokens, schema=schema)
        first = None
        if completion.stop_reason == "refusal":
            raise LLMError(f"the {provider.name} model refused: {completion.text[:200]!r}",
                           user_message=f"The {provider.name} model declined to summarize this conversation.")
        if not completion.truncated:
            return completion
        larger = max_tokens * 2
        if prompt_tokens + larger > provider.context_tokens:
            raise Truncated(provider.name, max_tokens)
        logger.info("%s answer cut at %d tokens; asking again with %d", provider.name, max_tokens, larger)
        max_tokens = larger


def _read(completion: Completion, *, schema: type[A], known_ids: Collection[str], users: Mapping[str, str],
          message_count: int) -> Checked:
    try:
        data = parse_json_object(completion.text, expected=schema.model_fields)
    except ValueError as exc:
        return Checked(schema(), [f"The answer is not valid JSON: {exc}."], fatal=True)
    return check_answer(data, model=schema, known_ids=known_ids, users=users, message_count=message_count)


def ask_structured(provider: Provider, *, system: str, prompt: str, schema: type[A], known_ids: Collection[str],
                   users: Mapping[str, str] | None = None, message_count: int = 0,
                   max_tokens: int | None = None, first: Completion | None = None) -> A:
    """Ask for an answer of shape ``schema`` and return it validated (see the module docstring).

    Args:
        provider: the model.
        system, prompt: the prompts.
        schema: :class:`~bot.llm.schema.SummaryAnswer` or :class:`~bot.llm.schema.QuestionAnswer`.
        known_ids: the message ids the answer may cite.
        users: Slack user id -> name (owners written ``<@U123>``).
        message_count: messages behind the prompt (an all-empty answer about 3 or more is wrong).
        max_tokens: the output budget; defaults to :func:`output_budget` of the provider's window.
        first: the first call's answer when it was already received (streamed by
            :func:`ask_structured_streaming`): it is read, repaired or enlarged like a fresh one.

    Returns:
        The answer, normalised; points that cited nothing known or repeated the template removed.

    Raises:
        Truncated: cut at the output budget even after enlarging it as far as the window allows.
        LLMError: the provider failed, refused, or answered unusably twice (``user_message`` says how).
    """
    budget = max_tokens or output_budget(provider.context_tokens)
    users = users or {}
    wire = WIRE_SCHEMA if issubclass(WIRE_SCHEMA, schema) else schema
    completion = _complete(provider, system=system, prompt=prompt, max_tokens=budget, schema=wire, first=first)
    checked = _read(completion, schema=schema, known_ids=known_ids, users=users, message_count=message_count)
    if not checked.problems:
        return checked.answer  # type: ignore[return-value]  # check_answer builds an instance of schema
    logger.info("%s answer needs repair: %s", provider.name, "; ".join(checked.problems))
    problems = "\n".join(f"- {problem}" for problem in checked.problems[:8])
    cited = set(_CITED_ID.findall(completion.text)) & set(known_ids)
    if checked.fatal and checked.problems[0].startswith("The answer is not valid JSON") and cited:
        kind = "reformat"  # the content is there, only the syntax is wrong: no need for the transcript
        repair = ("Your answer below is not valid JSON:\n" + problems + "\n<answer>\n" + completion.text[:8000]
                  + "\n</answer>\nRewrite it as one valid JSON object with the same content, nothing else.")
    else:
        kind = "resend"  # the same prefix (system, transcript): cached by the first call
        repair = (prompt + "\n\nYour previous answer could not be used:\n" + problems
                  + "\nAnswer again with the corrected JSON object only, filled from the transcript.")
    with _REPAIRS_LOCK:
        REPAIRS[kind] += 1
    completion = _complete(provider, system=system, prompt=repair, max_tokens=budget, schema=wire)
    second = _read(completion, schema=schema, known_ids=known_ids, users=users, message_count=message_count)
    if second.fatal:
        raise LLMError(f"the {provider.name} model answered unusably twice: {'; '.join(second.problems)}",
                       user_message=_why(provider.name, second.problems))
    if second.problems:
        logger.info("%s repaired answer still had problems, dropped: %s", provider.name, "; ".join(second.problems))
    return second.answer  # type: ignore[return-value]


def complete_items(text: str) -> tuple[dict[str, Any], int]:
    """The part of a JSON object being streamed that can no longer change, and how many items it holds.

    ``text`` is parsed with ``jiter``'s ``partial_mode="on"`` (an unfinished string is left out, open
    arrays and objects are closed). The last key of the object may still grow, and so may the last element
    of its list: both are left out, every key before it and every element before the last is complete.
    Anything before the first ``{`` (a fence, a "Here is the JSON") is skipped.
    https://github.com/pydantic/jiter#partial-mode

    Args:
        text: the answer so far.

    Returns:
        ``(complete, count)``: the finished keys (a list: its finished elements) and the number of finished
        values (a list counts its elements, anything else 1); ``({}, 0)`` while nothing is finished or the
        text is not a JSON object.
    """
    start = text.find("{")
    if start < 0:
        return {}, 0
    try:
        value = jiter.from_json(text[start:].encode(), partial_mode="on")
    except ValueError:
        return {}, 0
    if not isinstance(value, dict) or not value:
        return {}, 0
    keys = list(value)
    done: dict[str, Any] = {key: value[key] for key in keys[:-1]}
    last = value[keys[-1]]
    if isinstance(last, list) and len(last) > 1:
        done[keys[-1]] = last[:-1]
    count = sum(len(v) if isinstance(v, list) else 1 for v in done.values())
    return done, count


def ask_structured_streaming(provider: StreamingProvider, *, system: str, prompt: str, schema: type[A],
                             known_ids: Collection[str], on_partial: Callable[[dict[str, Any]], None],
                             deadline: float, users: Mapping[str, str] | None = None, message_count: int = 0,
                             max_tokens: int | None = None,
                             on_streamed: Callable[[Completion], None] | None = None) -> A:
    """:func:`ask_structured` with the first call streamed: ``on_partial`` sees the answer's finished part
    (:func:`complete_items`) each time it grows, never raw tokens; the caller checks and guards each new
    item before showing it. The whole answer is then read, checked, repaired or enlarged exactly as by
    :func:`ask_structured` (without streaming those later calls).

    Args:
        provider: a provider that can stream (:class:`~bot.llm.base.StreamingProvider`).
        on_partial: called with the finished keys and elements so far (a dict in the wire shape).
        deadline: seconds the stream may take; past it the stream is closed and LLMError raised.
        on_streamed: called with the streamed answer once the stream is over, before it is read (and
            maybe repaired or enlarged, which is not streamed).
        (the rest as :func:`ask_structured`)

    Returns:
        The validated answer.

    Raises:
        Truncated, LLMError: as :func:`ask_structured`; LLMError also when the stream breaks or its
            deadline passes (what ``on_partial`` was shown is then not the answer).
    """
    budget = max_tokens or output_budget(provider.context_tokens)
    wire = WIRE_SCHEMA if issubclass(WIRE_SCHEMA, schema) else schema
    text, seen, completion = "", 0, None
    for piece in provider.stream_structured(system=system, prompt=prompt, max_tokens=budget, schema=wire,
                                            deadline=deadline):
        if isinstance(piece, Completion):
            completion = piece
            continue
        text += piece
        done, count = complete_items(text)
        if count > seen:
            seen = count
            on_partial(done)
    if completion is None:
        raise LLMError(f"the {provider.name} stream ended without an answer",
                       user_message=f"The {provider.name} model's answer stopped midway.")
    if on_streamed is not None:
        on_streamed(completion)
    return ask_structured(provider, system=system, prompt=prompt, schema=schema,
                          known_ids=known_ids, users=users, message_count=message_count, max_tokens=budget,
                          first=completion)


_REASONS = (
    ("not valid JSON", "gave an answer Recap could not read"),
    ("none of the keys", "did not answer in the requested shape"),
    ("Wrong shape", "did not answer in the requested shape"),
    ("template", "repeated its instructions instead of summarizing"),
    ("Every list is empty", "gave an empty summary of a conversation with content"),
    ("answer field is empty", "did not answer the question"),
)


def _why(provider: str, problems: list[str]) -> str:
    """The user-facing sentence for an answer that stayed unusable after the repair."""
    for needle, reason in _REASONS:
        if any(needle in problem for problem in problems):
            return f"The {provider} model {reason}."
    return f"The {provider} model gave an answer Recap could not use."
