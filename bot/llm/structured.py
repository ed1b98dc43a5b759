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
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping
from typing import TypeVar

from bot.errors import LLMError
from bot.llm.base import Completion, Provider
from bot.llm.lenient import parse_json_object
from bot.llm.schema import Checked, SummaryAnswer, check_answer

logger = logging.getLogger(__name__)

MAX_OUTPUT_TOKENS = 1500
"""The largest completion budget one call asks for, tokens."""
MIN_OUTPUT_TOKENS = 256
"""The smallest, tokens (a summary in JSON needs room)."""

A = TypeVar("A", bound=SummaryAnswer)


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


def _complete(provider: Provider, *, system: str, prompt: str, max_tokens: int, schema: type[SummaryAnswer]
              ) -> Completion:
    """A completion that was not cut short: on ``length`` ask again with twice the budget while the
    window has room for it, else raise :class:`Truncated`."""
    prompt_tokens = provider.count_tokens(system) + provider.count_tokens(prompt)
    while True:
        completion = provider.complete(system=system, prompt=prompt, max_tokens=max_tokens, schema=schema)
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
                   max_tokens: int | None = None) -> A:
    """Ask for an answer of shape ``schema`` and return it validated (see the module docstring).

    Args:
        provider: the model.
        system, prompt: the prompts.
        schema: :class:`~bot.llm.schema.SummaryAnswer` or :class:`~bot.llm.schema.QuestionAnswer`.
        known_ids: the message ids the answer may cite.
        users: Slack user id -> name (owners written ``<@U123>``).
        message_count: messages behind the prompt (an all-empty answer about 3 or more is wrong).
        max_tokens: the output budget; defaults to :func:`output_budget` of the provider's window.

    Returns:
        The answer, normalised; points that cited nothing known or repeated the template removed.

    Raises:
        Truncated: cut at the output budget even after enlarging it as far as the window allows.
        LLMError: the provider failed, refused, or answered unusably twice (``user_message`` says how).
    """
    budget = max_tokens or output_budget(provider.context_tokens)
    users = users or {}
    completion = _complete(provider, system=system, prompt=prompt, max_tokens=budget, schema=schema)
    checked = _read(completion, schema=schema, known_ids=known_ids, users=users, message_count=message_count)
    if not checked.problems:
        return checked.answer  # type: ignore[return-value]  # check_answer builds an instance of schema
    logger.info("%s answer needs repair: %s", provider.name, "; ".join(checked.problems))
    repair = (prompt + "\n\nYour previous answer could not be used:\n"
              + "\n".join(f"- {problem}" for problem in checked.problems[:8])
              + "\nAnswer again with the corrected JSON object only, filled from the transcript.")
    completion = _complete(provider, system=system, prompt=repair, max_tokens=budget, schema=schema)
    second = _read(completion, schema=schema, known_ids=known_ids, users=users, message_count=message_count)
    if second.fatal:
        raise LLMError(f"the {provider.name} model answered unusably twice: {'; '.join(second.problems)}",
                       user_message=_why(provider.name, second.problems))
    if second.problems:
        logger.info("%s repaired answer still had problems, dropped: %s", provider.name, "; ".join(second.problems))
    return second.answer  # type: ignore[return-value]


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
