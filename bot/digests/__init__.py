"""Weekly channel digests and the multi-channel "org news" digest (docs/digests.md).

* :mod:`bot.digests.command` — ``/summarize digest …`` (on, off, status, list, org, run).
* :mod:`bot.digests.runs` — one run, exactly once: claim, read, build, post, record.
* :mod:`bot.digests.build` — messages of a week in, a digest record out (summarized by the summaries feature).
* :mod:`bot.digests.render` — the record as Block Kit (and Markdown for the command line).
* :mod:`bot.digests.scheduler` — :class:`~bot.digests.scheduler.DigestScheduler`: the persistent job store.
* :mod:`bot.digests.store` — subscriptions, org digests and run claims.
* :mod:`bot.digests.check` — the structural checker; :mod:`bot.digests.cli` — ``recap digest``.
"""
