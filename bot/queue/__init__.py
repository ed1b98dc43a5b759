"""The durable queue (``QUEUE_URL``): the web tier acks and enqueues, workers on any machine do the work.

Built on Dramatiq (Redis or RabbitMQ; see ``docs/queue.md`` for why):

* :mod:`bot.queue.broker` — the broker of ``QUEUE_URL``, the two actors' names and how a job is sent;
* :mod:`bot.queue.web` — the web tier's lazy-listener runner: each lazy listener becomes one message;
* :mod:`bot.queue.worker` — the worker side: claim under a lease, run the lazy listener with the
  worker's Bolt app (built once per process), renew, finish; tell the person when a job gives up.

Without ``QUEUE_URL`` none of this runs (embedded mode, :mod:`bot.runtime.executor`).
"""
