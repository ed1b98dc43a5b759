"""Batch APIs: many calls at half the token price, answered within hours, with a deadline and a fallback.

Both providers sell asynchronous batches at 50% of the token price: Anthropic's Message Batches
(https://docs.anthropic.com/en/docs/build-with-claude/batch-processing: ``messages.batches.create`` with
``{"custom_id", "params"}`` requests, ``retrieve`` until ``processing_status == "ended"``, ``results``
as JSON lines of ``{"custom_id", "result": {"type": "succeeded", "message"} | errored | canceled |
expired}``, ``cancel``) and OpenAI's Batch API (https://platform.openai.com/docs/guides/batch: a JSONL
file of ``{"custom_id", "method", "url", "body"}`` uploaded with ``purpose="batch"``, ``batches.create``
on ``/v1/chat/completions`` with a 24 h window, ``retrieve`` until ``completed``, the output file's
lines ``{"custom_id", "response": {"status_code", "body"}, "error"}``, ``cancel``).

:func:`run_batch` submits one batch, polls it until it ends or the deadline passes, then answers every
request **exactly once**: from the batch's result when it has a usable one, else (not done by the
deadline, errored, expired, canceled, cut at ``max_tokens``) by a direct call of the same request. A
batch still running at the deadline is cancelled first, so nothing keeps running for nothing.

:class:`PrefilledProvider` hands those answers to code written for direct calls (the summarizer): a call
whose request matches a batch answer gets it (once); any other call (a repair, a reduce) goes to the
model directly.
"""

from __future__ import annotations

import io
import json
import logging
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from pydantic import BaseModel

from bot.errors import LLMError
from bot.llm.base import Completion, Provider, translate_error

logger = logging.getLogger(__name__)

ENDED = "ended"
RUNNING = "running"


@dataclass(frozen=True)
class BatchRequest:
    """One call of a batch.

    Attributes:
        custom_id: the caller's id for it (unique in the batch; 1–64 characters of ``[A-Za-z0-9_-]``).
        system, prompt, max_tokens, schema: as :meth:`bot.llm.base.Provider.complete`.
    """

    custom_id: str
    system: str
    prompt: str
    max_tokens: int = 1024
    schema: type[BaseModel] | None = None

    @property
    def key(self) -> tuple[str, str, int, str]:
        """What identifies the call (:class:`PrefilledProvider` matches on it)."""
        return self.system, self.prompt, self.max_tokens, self.schema.__name__ if self.schema else ""


class BatchAPI(Protocol):
    """A provider's batch endpoints (:class:`AnthropicBatches`, :class:`OpenAIBatches`)."""

    def submit(self, requests: Sequence[BatchRequest]) -> str:
        """Create the batch; its id. Raises LLMError."""
        ...

    def status(self, batch_id: str) -> str:
        """:data:`ENDED` once no request is processing, else :data:`RUNNING`. Raises LLMError."""
        ...

    def results(self, batch_id: str) -> dict[str, Completion]:
        """The usable answers of an ended batch by ``custom_id`` (failed ones left out). Raises LLMError."""
        ...

    def cancel(self, batch_id: str) -> None:
        """Ask the provider to stop the batch. Raises LLMError."""
        ...


class _SDKBatches:
    """What both batch APIs share: the provider whose requests and answer reading they reuse, its SDK
    client, and SDK errors translated to :class:`bot.errors.LLMError` (as the provider's own calls do)."""

    def __init__(self, provider: Any, client: Any) -> None:
        self.provider = provider
        self.client = client

    @staticmethod
    def _sdk_error() -> type[Exception]:
        raise NotImplementedError

    def _call(self, fn: Callable[[], Any]) -> Any:
        try:
            return fn()
        except self._sdk_error() as exc:
            raise translate_error(exc, provider=self.provider.name, timeout=self.provider.timeout) from exc


class AnthropicBatches(_SDKBatches):
    """:class:`BatchAPI` over Anthropic's Message Batches (``client.messages.batches``).

    Args:
        provider: the :class:`bot.llm.anthropic.AnthropicProvider` whose request parameters and answer
            reading are reused (the same cache breakpoints, tool and ``stop_reason`` mapping).
        client: its ``anthropic.Anthropic`` client.
    """

    @staticmethod
    def _sdk_error() -> type[Exception]:
        import anthropic

        return anthropic.AnthropicError

    def submit(self, requests: Sequence[BatchRequest]) -> str:
        items = [{"custom_id": r.custom_id, "params": self.provider.params(
            system=r.system, prompt=r.prompt, max_tokens=r.max_tokens, schema=r.schema)} for r in requests]
        return str(self._call(lambda: self.client.messages.batches.create(requests=items)).id)

    def status(self, batch_id: str) -> str:
        batch = self._call(lambda: self.client.messages.batches.retrieve(batch_id))
        return ENDED if batch.processing_status == "ended" else RUNNING

    def results(self, batch_id: str) -> dict[str, Completion]:
        out: dict[str, Completion] = {}
        for item in self._call(lambda: list(self.client.messages.batches.results(batch_id))):
            if item.result.type == "succeeded":
                out[item.custom_id] = self.provider.completion(item.result.message)
            else:
                logger.info("batch %s: %s %s", batch_id, item.custom_id, item.result.type)
        return out

    def cancel(self, batch_id: str) -> None:
        self._call(lambda: self.client.messages.batches.cancel(batch_id))


class OpenAIBatches(_SDKBatches):
    """:class:`BatchAPI` over OpenAI's Batch API (``client.files`` and ``client.batches``).

    Args:
        provider: the :class:`bot.llm.openai.OpenAIProvider` whose request bodies and answer reading
            are reused.
        client: its ``openai.OpenAI`` client.
    """

    ENDPOINT = "/v1/chat/completions"

    @staticmethod
    def _sdk_error() -> type[Exception]:
        import openai

        return openai.OpenAIError

    def submit(self, requests: Sequence[BatchRequest]) -> str:
        lines = [json.dumps({"custom_id": r.custom_id, "method": "POST", "url": self.ENDPOINT,
                             "body": self.provider.body(system=r.system, prompt=r.prompt, max_tokens=r.max_tokens,
                                                        schema=r.schema)}, ensure_ascii=False)
                 for r in requests]
        data = ("\n".join(lines) + "\n").encode()
        upload = self._call(lambda: self.client.files.create(file=("batch.jsonl", io.BytesIO(data)), purpose="batch"))
        batch = self._call(lambda: self.client.batches.create(input_file_id=upload.id, endpoint=self.ENDPOINT,
                                                              completion_window="24h"))
        return str(batch.id)

    def status(self, batch_id: str) -> str:
        batch = self._call(lambda: self.client.batches.retrieve(batch_id))
        return ENDED if batch.status in ("completed", "failed", "expired", "cancelled") else RUNNING

    def results(self, batch_id: str) -> dict[str, Completion]:
        from openai.types.chat import ChatCompletion

        batch = self._call(lambda: self.client.batches.retrieve(batch_id))
        if not batch.output_file_id:
            return {}
        text = self._call(lambda: self.client.files.content(batch.output_file_id).text)
        out: dict[str, Completion] = {}
        for line in text.splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            response = row.get("response") or {}
            if row.get("error") or response.get("status_code") != 200:
                logger.info("batch %s: %s failed: %s", batch_id, row.get("custom_id"), row.get("error"))
                continue
            try:
                out[row["custom_id"]] = self.provider.completion(ChatCompletion.model_validate(response["body"]))
            except (LLMError, ValueError) as exc:
                logger.info("batch %s: %s unreadable: %s", batch_id, row.get("custom_id"), exc)
        return out

    def cancel(self, batch_id: str) -> None:
        self._call(lambda: self.client.batches.cancel(batch_id))


def batch_api_for(provider: Provider | None) -> BatchAPI | None:
    """The provider's batch endpoints, or None when it has none (no model, a wrapper, a test double)."""
    make = getattr(provider, "batch_api", None)
    return make() if callable(make) else None


@dataclass
class BatchRun:
    """What :func:`run_batch` did.

    Attributes:
        answers: ``custom_id`` -> completion, one for every request that could be answered.
        errors: ``custom_id`` -> the error of a direct call that failed too.
        from_batch: ids answered by the batch (half price).
        direct: ids answered by a direct call (not done by the deadline, failed in the batch, or no
            batch API).
        batch_id: the batch, or None when none was submitted.
    """

    answers: dict[str, Completion]
    errors: dict[str, LLMError]
    from_batch: list[str]
    direct: list[str]
    batch_id: str | None = None


def run_batch(provider: Provider, requests: Sequence[BatchRequest], *, deadline: float, poll_every: float = 30.0,
              clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep) -> BatchRun:
    """Answer ``requests`` through the provider's batch API when it has one, each exactly once.

    Submit, poll every ``poll_every`` seconds until the batch ends or ``deadline`` seconds have passed
    (then cancel it and read what ended, if the cancel already ended it), and call the provider directly
    for every request without a usable batch answer (see the module docstring). A batch that cannot be
    submitted (an API error) is skipped: every request is called directly.

    Args:
        provider: the model.
        requests: the calls; ``custom_id`` unique.
        deadline: seconds from now by which the batch must have ended.
        poll_every: seconds between status checks.
        clock, sleep: time source and sleeper (tests).

    Returns:
        A :class:`BatchRun`; a direct call that fails is in ``errors``, never raised.

    Raises:
        ValueError: duplicate ``custom_id``.
    """
    if len({r.custom_id for r in requests}) != len(requests):
        raise ValueError("custom_id must be unique in a batch")
    run = BatchRun(answers={}, errors={}, from_batch=[], direct=[])
    api = batch_api_for(provider) if requests else None
    if api is not None:
        try:
            run.batch_id = api.submit(requests)
            end = clock() + deadline
            ended = api.status(run.batch_id) == ENDED
            while not ended and clock() < end:
                sleep(max(0.0, min(poll_every, end - clock())))
                ended = api.status(run.batch_id) == ENDED
            if not ended:
                logger.warning("%s batch %s not done in %g s: cancelled, the rest is called directly",
                               provider.name, run.batch_id, deadline)
                api.cancel(run.batch_id)
                ended = api.status(run.batch_id) == ENDED
            if ended:
                for custom_id, completion in api.results(run.batch_id).items():
                    if completion.truncated or completion.stop_reason == "refusal":
                        continue  # the direct call (and the caller's checks) will deal with it
                    run.answers[custom_id] = completion
                    run.from_batch.append(custom_id)
        except LLMError:
            logger.warning("%s batch failed; calling directly", provider.name, exc_info=True)
    for request in requests:
        if request.custom_id in run.answers:
            continue
        run.direct.append(request.custom_id)
        try:
            run.answers[request.custom_id] = provider.complete(system=request.system, prompt=request.prompt,
                                                               max_tokens=request.max_tokens, schema=request.schema)
        except LLMError as exc:
            run.errors[request.custom_id] = exc
    return run


class PrefilledProvider:
    """A :class:`bot.llm.base.Provider` that answers known calls from a batch, each once, and passes the
    rest to ``inner``.

    Args:
        inner: the model (every call without a prefilled answer goes to it).
        answers: request -> completion (:attr:`BatchRequest.key` of each request and its answer from
            :func:`run_batch`).
    """

    def __init__(self, inner: Provider, answers: Mapping[tuple[str, str, int, str], Completion]) -> None:
        self.inner = inner
        self.name = inner.name
        self.model = inner.model
        self.context_tokens = inner.context_tokens
        self._answers = dict(answers)
        self._lock = threading.Lock()
        self.prefilled = 0
        """Calls answered from the batch."""

    def complete(self, *, system: str, prompt: str, max_tokens: int = 1024,
                 schema: type[BaseModel] | None = None) -> Completion:
        """The batch's answer to this exact call (used once), else ``inner.complete``. Raises LLMError."""
        key = (system, prompt, max_tokens, schema.__name__ if schema else "")
        with self._lock:
            answer = self._answers.pop(key, None)
            if answer is not None:
                self.prefilled += 1
        if answer is not None:
            return answer
        return self.inner.complete(system=system, prompt=prompt, max_tokens=max_tokens, schema=schema)

    def stream(self, *, system: str, prompt: str, max_tokens: int = 1024) -> Iterator[str]:
        """``inner.stream``."""
        return self.inner.stream(system=system, prompt=prompt, max_tokens=max_tokens)

    def count_tokens(self, text: str) -> int:
        """``inner.count_tokens``."""
        return self.inner.count_tokens(text)
