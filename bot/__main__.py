"""Recap's command line: ``recap run | scheduler | worker | summarize | digest | eval``.

``recap summarize`` is the same service the Slack app uses, reading a Slack workspace export (or the
Web API with a token) instead of events. Errors are printed as one clear line and exit code 2; they
never show a stack trace.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from slack_bolt.error import BoltError
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy.exc import SQLAlchemyError

from bot.errors import ConfigError, InputError, RecapError

SAMPLE_EXPORT = Path(__file__).resolve().parent / "sample"

logger = logging.getLogger("recap")


def _iso_week(text: str, tz: str) -> tuple[datetime, datetime]:
    """``2021-W10`` → [Monday 00:00, next Monday 00:00) in ``tz``. Raises InputError."""
    try:
        year, week = text.upper().split("-W")
        monday = date.fromisocalendar(int(year), int(week), 1)
    except ValueError:
        raise InputError(f"--week {text!r} is not an ISO week like 2021-W10") from None
    start = datetime.combine(monday, datetime.min.time(), tzinfo=ZoneInfo(tz))
    return start, start + timedelta(days=7)


def _domain(text: str | None) -> str | None:
    """``--domain``: a Slack workspace subdomain (``acme`` or ``acme.slack.com``), or None to guess it from the
    export's name. Raises InputError."""
    from bot.slack.export_files import parse_domain

    if text is None:
        return None
    domain = parse_domain(text)
    if domain is None:
        raise InputError(f"--domain {text!r} is not a Slack workspace subdomain like acme (for acme.slack.com)")
    return domain


def _date(text: str, tz: str) -> datetime:
    try:
        return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(tz)) if "T" not in text and "+" not in text \
            else datetime.fromisoformat(text)
    except ValueError:
        raise InputError(f"{text!r} is not a date like 2023-08-28") from None


def cmd_summarize(args: argparse.Namespace) -> int:
    """Summarize a thread or window from an export, the sample, or a permalink; print it.

    The same pipeline as Slack's surfaces (:func:`bot.summaries.pipeline.summarize_conversation`), with an
    export reader (or the Web API reader for ``--permalink``) and the terminal as the writer.
    """
    from bot.app import build_services
    from bot.config import load_settings
    from bot.periods import Window
    from bot.slack.reader import Reader
    from bot.summaries.pipeline import ConversationRequest, summarize_conversation

    settings = load_settings(**({"llm_provider": args.provider} if args.provider else {}))
    services = build_services(settings.model_copy(update={"database_url": "sqlite://"}))
    reader: Reader
    window: Window | None = None
    if args.permalink:
        if not settings.slack_bot_token:
            raise InputError("--permalink needs SLACK_BOT_TOKEN (a bot token that can read that channel)")
        from bot.slack.client import make_web_client
        from bot.slack.permalink import parse_permalink
        from bot.slack.webapi import WebAPIReader

        link = parse_permalink(args.permalink)
        reader = WebAPIReader(make_web_client(token=settings.slack_bot_token, base_url=settings.slack_api_url))
        channel_id, thread_ts = link.channel_id, link.thread_ts or link.ts
    else:
        from bot.slack.export import ExportReader

        if args.sample:
            reader = ExportReader(SAMPLE_EXPORT, domain="recap-sample")
            channel_name = "launch"
        else:
            if not args.export or not args.channel:
                raise InputError("give --export PATH --channel NAME, or --permalink URL, or --sample")
            reader = ExportReader(Path(args.export), domain=_domain(args.domain))
            channel_name = args.channel
        channel_id, thread_ts = reader.channel(channel_name).id, args.thread
        if not thread_ts:
            window = _cli_window(args, settings.workspace_tz)
    result = summarize_conversation(
        ConversationRequest(channel_id=channel_id, thread_ts=thread_ts, window=window, question=args.question),
        reader=reader, provider=services.provider, now=datetime.now(timezone.utc), tz=settings.workspace_tz,
        default_hours=settings.default_window_hours,
    )
    if result.empty:
        print("Nothing to summarize: no messages from people in that conversation.", file=sys.stderr)
        return 1
    if args.format == "json":  # the structured summary for other tools (bot.summaries.render.to_json)
        from bot.summaries.render import render_json

        assert result.summary is not None
        authors = {m.ts: m.user_name for m in result.messages}
        print(render_json(result.summary, permalink_for=result.permalink_for, title=result.title,
                          author_for=authors.get), end="")
        return 0
    print(result.text(markdown=args.format != "mrkdwn"), end="" if args.format != "mrkdwn" else "\n")
    return 0


def _cli_window(args: argparse.Namespace, tz: str):
    """The window of ``--week``, ``--since``/``--until`` or ``--sample`` (everything). Raises InputError."""
    from bot.periods import Window

    if args.week:
        oldest, latest = _iso_week(args.week, tz)
        return Window(oldest, latest, args.week)
    if args.since:
        now = datetime.now(timezone.utc)
        oldest, latest = _date(args.since, tz), (_date(args.until, tz) if args.until else now)
        if oldest >= now:
            raise InputError(f"--since {args.since} is in the future: nothing has been said yet")
        if latest <= oldest:
            raise InputError(f"--until {args.until} is not after --since {args.since}")
        return Window(oldest, latest, f"from {args.since}" + (f" to {args.until}" if args.until else ""))
    if args.sample:
        return Window(datetime(2000, 1, 1, tzinfo=timezone.utc), datetime.now(timezone.utc), "the whole conversation")
    raise InputError("choose what to read: --thread TS, --week 2021-W10, or --since DATE [--until DATE]")


def _app_with_digests(*, scheduler: bool = True):
    """Settings (checked), logging, the Bolt app and the running digest scheduler (``scheduler``: it
    runs jobs; else it only writes them); returns (settings, app)."""
    from bot.app import attach_digest_scheduler, build_services, create_app

    settings = _settings_and_logging()
    try:
        services = build_services(settings)
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise ConfigError(f"cannot open the database DATABASE_URL={settings.database_url} ({reason})") from None
    try:
        app = create_app(settings, services=services)
    except (BoltError, SlackApiError, SlackClientError, OSError) as exc:  # auth.test at start-up
        raise ConfigError(_slack_start_error(exc)) from None
    attach_digest_scheduler(services, app, run_jobs=scheduler)
    return settings, app


def _slack_start_error(exc: Exception) -> str:
    """One line for a start-up failure talking to Slack (a bad token, no network)."""
    if isinstance(exc, SlackApiError):
        return (f"Slack refused SLACK_BOT_TOKEN ({exc.response.get('error', 'error')}): copy the Bot User OAuth "
                "Token (xoxb-…) from your app's OAuth & Permissions page")
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if "invalid_auth" in text or "not_authed" in text or "token" in text.lower():
        return f"Slack refused SLACK_BOT_TOKEN ({text}): copy the Bot User OAuth Token (xoxb-…) from your app"
    return f"could not reach Slack at start-up ({text}): check the network and SLACK_API_URL"


def _settings_and_logging(*, slack: bool = True):
    """Settings (checked for serving Slack when ``slack``) and logging; returns the settings."""
    from bot.config import load_settings, require_slack

    settings = load_settings()
    if slack:
        require_slack(settings)
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return settings


def _start_scheduler(settings) -> None:
    """Start the one digest scheduler in this process, without a Bolt app (:func:`bot.app.start_scheduler`)."""
    from bot.app import start_scheduler

    try:
        start_scheduler(settings)
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise ConfigError(f"cannot open the database DATABASE_URL={settings.database_url} ({reason})") from None


def _check_database(settings) -> None:
    """Fail fast when ``DATABASE_URL`` cannot be opened (one connection). Raises ConfigError."""
    from bot.storage.engine import make_engine

    try:
        engine = make_engine(settings.database_url)
        with engine.connect():
            pass
        engine.dispose()
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise ConfigError(f"cannot open the database DATABASE_URL={settings.database_url} ({reason})") from None


def _check_slack(settings) -> None:
    """Fail fast when Slack refuses the bot token or cannot be reached (one ``auth.test``; the HTTP
    workers build the app themselves). Nothing to check in OAuth mode (tokens come with installs).

    Raises:
        ConfigError: one line naming the problem.
    """
    if settings.slack_client_id:
        return
    from slack_sdk import WebClient

    try:
        WebClient(token=settings.slack_bot_token, base_url=settings.slack_api_url, timeout=10).auth_test()
    except (SlackApiError, SlackClientError, OSError) as exc:
        raise ConfigError(_slack_start_error(exc)) from None


def cmd_run(args: argparse.Namespace) -> int:
    """Start the Bolt app (Socket Mode with SLACK_APP_TOKEN, else HTTP mode on PORT) and the digest scheduler.

    HTTP mode builds the app once, in each Granian worker; this process keeps only the digest scheduler
    (none with ``--no-scheduler``). With ``QUEUE_URL`` the app only acks and enqueues (``recap worker``
    processes do the work).
    """
    settings = _settings_and_logging()
    if args.http or not settings.slack_app_token:
        if not settings.slack_signing_secret:
            raise InputError("HTTP mode needs SLACK_SIGNING_SECRET")
        from bot.wsgi import default_http_threads, serve

        _check_database(settings)  # both before the scheduler starts: a refused start leaves nothing running
        _check_slack(settings)
        if not args.no_scheduler:
            _start_scheduler(settings)
        logger.info("starting in HTTP mode on port %d (%d worker process(es) × %d threads)%s",
                    settings.port, settings.http_workers, settings.http_threads or default_http_threads(),
                    "; work goes to the queue" if settings.queue_url else "")
        serve(settings)  # the workers build their own apps
        return 0
    settings, app = _app_with_digests(scheduler=not args.no_scheduler)
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.runtime.executor import prepare_to_serve

    logger.info("starting in Socket Mode")
    prepare_to_serve(app)
    SocketModeHandler(app, settings.slack_app_token).start()
    return 0


def cmd_scheduler(args: argparse.Namespace) -> int:
    """Run only the digest scheduler (beside web replicas and workers); with ``QUEUE_URL`` it sends each
    due digest to the queue."""
    import threading

    _start_scheduler(_settings_and_logging())
    logger.info("digest scheduler running; Ctrl-C to stop")
    threading.Event().wait()
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    """Consume the queue (``QUEUE_URL``): ``--processes`` processes × ``--threads`` threads, each process
    building the worker app once (:func:`bot.app.create_worker_context`). Stops on SIGTERM/SIGINT after
    the jobs in hand (the others stay on the broker)."""
    settings = _settings_and_logging(slack=False)
    if not settings.queue_url:
        raise ConfigError("recap worker needs QUEUE_URL (redis://HOST:6379/0 or amqp://USER:PASSWORD@HOST:5672/)")
    if not settings.slack_bot_token and not settings.slack_client_id:
        raise ConfigError("recap worker needs SLACK_BOT_TOKEN (or SLACK_CLIENT_ID/SECRET in OAuth mode)")
    if args.processes <= 1:
        _worker_process(args.threads)
        return 0
    import multiprocessing
    import os
    import signal

    context = multiprocessing.get_context("spawn")
    children = [context.Process(target=_worker_process, args=(args.threads,), name=f"recap-worker-{n}")
                for n in range(args.processes)]
    for child in children:
        child.start()

    def forward(signum, _frame):  # noqa: ANN001 - signal handler
        for child in children:
            if child.pid is not None and child.is_alive():
                os.kill(child.pid, signum)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    for child in children:
        child.join()
    return max((child.exitcode or 0) for child in children)


def _worker_process(threads: int) -> None:
    """One worker process: build the worker app once, freeze the start-up heap, consume until stopped."""
    from bot.app import create_worker_context
    from bot.queue.worker import consume
    from bot.runtime.executor import freeze_heap

    settings = _settings_and_logging(slack=False)
    try:
        context = create_worker_context(settings)
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise ConfigError(f"cannot open the database DATABASE_URL={settings.database_url} ({reason})") from None
    except (BoltError, SlackApiError, SlackClientError, OSError) as exc:
        raise ConfigError(_slack_start_error(exc)) from None
    freeze_heap()
    consume(context, threads=threads)


_SUBPARSERS: dict[str, argparse.ArgumentParser] = {}


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``recap``."""
    parser = argparse.ArgumentParser(prog="recap", description="Recap: Slack summaries with citations.")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="start the Slack app (Socket Mode or HTTP)")
    run.add_argument("--http", action="store_true", help="HTTP mode even if SLACK_APP_TOKEN is set")
    run.add_argument("--no-scheduler", action="store_true",
                     help="no digest scheduler here (web replicas beside one `recap scheduler`)")
    run.set_defaults(func=cmd_run)

    sched = sub.add_parser("scheduler", help="run only the weekly-digest scheduler (beside another WSGI server)")
    sched.set_defaults(func=cmd_scheduler)

    worker = sub.add_parser("worker", help="do the queued work (QUEUE_URL): summaries, answers, digests")
    worker.add_argument("--processes", type=int, default=1, help="worker processes (one per core; default 1)")
    worker.add_argument("--threads", type=int, default=8,
                        help="jobs at once per process (mostly waiting on Slack and the model; default 8)")
    worker.set_defaults(func=cmd_worker)

    _SUBPARSERS.update(run=run, scheduler=sched, worker=worker)
    summ = sub.add_parser("summarize", help="summarize a thread or a period from an export or a permalink")
    source = summ.add_mutually_exclusive_group()
    source.add_argument("--export", help="Slack export folder or .zip")
    source.add_argument("--permalink", help="a thread permalink (needs SLACK_BOT_TOKEN)")
    source.add_argument("--sample", action="store_true", help="the sample conversation shipped with Recap")
    summ.add_argument("--channel", help="channel name (with --export)")
    summ.add_argument("--domain", help="the workspace's Slack subdomain for the links (with --export; an export does "
                                       "not record it, so it is guessed from the folder name: acme for acme.slack.com)")
    summ.add_argument("--thread", help="thread ts (with --export)")
    summ.add_argument("--week", help="ISO week, e.g. 2021-W10")
    summ.add_argument("--since", help="start date, e.g. 2023-08-28")
    summ.add_argument("--until", help="end date (exclusive)")
    summ.add_argument("--question", help="answer this question from the conversation instead of summarizing")
    summ.add_argument("--format", choices=["markdown", "mrkdwn", "json"], default="markdown",
                      help="markdown (default), Slack mrkdwn, or json: the structured summary for other tools")
    summ.add_argument("--provider", choices=["offline", "anthropic", "openai"], help="override LLM_PROVIDER")
    summ.set_defaults(func=cmd_summarize)
    _SUBPARSERS["summarize"] = summ

    for name, module in (("eval", "bot.evals.cli"), ("digest", "bot.digests.cli"), ("manifest", "bot.slack.manifest")):
        extra = sub.add_parser(name, help=f"{name} (see `recap {name} --help`)", add_help=False)
        extra.add_argument("rest", nargs=argparse.REMAINDER)
        extra.set_defaults(func=lambda a, module=module: _delegate(module, a.rest))
    return parser


def _delegate(module_name: str, argv: list[str]) -> int:
    import importlib

    if module_name == "bot.evals.cli" and argv[:1] == ["titles"]:
        module_name, argv = "bot.evals.titles", argv[1:]

    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError:
        raise InputError(f"this command is not available in this build ({module_name} missing)") from None
    return int(module.main(argv) or 0)


_SERVING = frozenset({"run", "scheduler", "worker"})
"""Commands that serve: they log as a service does (:func:`_settings_and_logging`, ``LOG_LEVEL``)."""


class OneLineFormatter(logging.Formatter):
    """A log record as one line for a person at a terminal: ``recap: <message> (<ExceptionType>: <its first
    line>)``, never a traceback (a failed model call already shows as the labelled offline summary)."""

    def format(self, record: logging.LogRecord) -> str:
        text = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            if len(first) > 200:  # "answered unusably twice: <every problem>" can run to kilobytes
                first = first[:199].rstrip() + "…"
            text += f" ({type(exc).__name__}{': ' + first if first else ''})"
        return f"recap: {text}"


def _one_line_logging() -> None:
    """Warnings of a one-shot command (``summarize``, ``digest``, ``eval``, …) as one line each on stderr; with
    ``LOG_LEVEL=DEBUG`` everything, tracebacks included. Left alone when logging is already set up (tests)."""
    import os

    root = logging.getLogger()
    if root.handlers:
        return
    if os.environ.get("LOG_LEVEL", "").upper() == "DEBUG":
        logging.basicConfig(level=logging.DEBUG, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(OneLineFormatter())
    root.addHandler(handler)
    root.setLevel(logging.WARNING)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``recap`` console script. Returns the exit code."""
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        if getattr(args, "rest", None) is None:  # the sub-command's own usage, not the top-level one
            _SUBPARSERS.get(args.command, parser).error(f"unrecognized arguments: {' '.join(unknown)}")
        args.rest = [*unknown, *args.rest]
    if args.command not in _SERVING:
        _one_line_logging()
    try:
        return int(args.func(args) or 0)
    except RecapError as exc:
        print(f"recap: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
