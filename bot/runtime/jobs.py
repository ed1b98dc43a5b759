"""The job being run: who runs it and how many times it has been tried.

The queue worker (or, in the embedded mode, the in-process executor) enters :func:`running_job` around
each lazy listener it runs; service code reads :func:`current_job` to make its visible effects
idempotent under retry (a post carries the job id in Slack message ``metadata`` and is looked up before
posting again). Outside a job (CLI, tests calling services directly) :func:`current_job` is None.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class JobInfo:
    """One delivery of a job.

    Attributes:
        job_id: the job's id, the same on every redelivery and retry of that job (a Slack retry of the
            same event is a different job, dropped by the claim).
        attempt: 0 on the first delivery, then 1, 2, … on retries and redeliveries.
        max_attempts: deliveries before the job gives up (the person is then told why).
        sign_of_life_shown: the worker showed the request's first sign of life (a mention's :eyes:) as soon
            as it took the message, before claiming it (:class:`bot.queue.worker.WorkerContext`); the
            listener then does not show it again.
    """

    job_id: str
    attempt: int = 0
    max_attempts: int = 1
    sign_of_life_shown: bool = False

    @property
    def last_attempt(self) -> bool:
        """True on the delivery after which the job gives up."""
        return self.attempt + 1 >= self.max_attempts


_current: ContextVar[JobInfo | None] = ContextVar("recap_current_job", default=None)


def current_job() -> JobInfo | None:
    """The job this thread is running, or None outside a job."""
    return _current.get()


@contextmanager
def running_job(info: JobInfo) -> Iterator[JobInfo]:
    """Run the body as ``info`` (sets :func:`current_job` for this thread/context)."""
    token = _current.set(info)
    try:
        yield info
    finally:
        _current.reset(token)
