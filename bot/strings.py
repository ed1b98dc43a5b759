"""Every user-facing string, in one place, so tone stays consistent and headings can be translated.

Headings follow the conversation's language (``Summary.language``, :func:`heading`). Every other text
constant (an uppercase ``NAME = "…"``, or a tuple of strings such as ``LOADING_MESSAGES``) is written here
in English and translated in ``bot/locales/<lang>.json`` (one ``{"NAME": "…"}`` object per language of
:data:`HEADINGS`; a tuple is a JSON list), shipped as package data.

How a read resolves: the block at the end of this file moves every text constant into an English table
and deletes it from the module's globals, so ``strings.NAME`` reaches the module ``__getattr__``
(PEP 562), which returns the text in :func:`current_language` (a :class:`contextvars.ContextVar`,
default ``"en"``), falling back to English for any string a catalog lacks. Always read
``strings.NAME`` at call time (``from bot import strings``): ``from bot.strings import NAME`` works but
freezes the language of the moment of import. Set the language around a request with
``with strings.use_language(strings.language_for(locale, summary_language)):`` (or :func:`set_language`);
a ContextVar is per thread / asyncio task, so a new thread or pool worker starts in English until it
sets its own. Static ``NAME = "…"`` assignments keep mypy's types.

Catalogs keep each ``{placeholder}`` (name, conversion, format spec), Slack mrkdwn (``*bold*``,
``_italic_``, `` `code` ``, ``<#C…>``, ``:emoji:``) and slash commands with their English sub-command
words; a translation whose fields English lacks is ignored at load time (logged), so a broken catalog
can never break a ``.format()``. The one placeholder a language may drop is English's plural ``{s}``.
``tests/test_i18n.py`` lists every constant a catalog is missing. Add new strings ABOVE the block.
"""

from __future__ import annotations

HEADINGS: dict[str, dict[str, str]] = {
    "en": {"key_points": "Key points", "decisions": "Decisions", "action_items": "Action items",
           "open_questions": "Open questions", "answer": "Answer", "owner": "owner",
           "outcome": "Where it ended", "topic": "Topic"},
    "zh": {"key_points": "要点", "decisions": "决定", "action_items": "待办事项",
           "open_questions": "未决问题", "answer": "回答", "owner": "负责人",
           "outcome": "结果", "topic": "主题"},
    "ja": {"key_points": "要点", "decisions": "決定事項", "action_items": "アクションアイテム",
           "open_questions": "未解決の質問", "answer": "回答", "owner": "担当",
           "outcome": "結論", "topic": "話題"},
    "es": {"key_points": "Puntos clave", "decisions": "Decisiones", "action_items": "Tareas",
           "open_questions": "Preguntas abiertas", "answer": "Respuesta", "owner": "responsable",
           "outcome": "Cómo terminó", "topic": "Tema"},
    "de": {"key_points": "Kernpunkte", "decisions": "Entscheidungen", "action_items": "Aufgaben",
           "open_questions": "Offene Fragen", "answer": "Antwort", "owner": "verantwortlich",
           "outcome": "Stand am Ende", "topic": "Thema"},
    "fr": {"key_points": "Points clés", "decisions": "Décisions", "action_items": "Actions",
           "open_questions": "Questions ouvertes", "answer": "Réponse", "owner": "responsable",
           "outcome": "Où cela en est", "topic": "Sujet"},
    "pt": {"key_points": "Pontos principais", "decisions": "Decisões", "action_items": "Tarefas",
           "open_questions": "Perguntas em aberto", "answer": "Resposta", "owner": "responsável",
           "outcome": "Como terminou", "topic": "Tema"},
}


def heading(language: str, key: str) -> str:
    """The heading ``key`` in ``language`` (falls back to English)."""
    return HEADINGS.get(language, HEADINGS["en"]).get(key, HEADINGS["en"][key])


NO_REPLY: dict[str, str] = {
    "en": "No one else has replied yet.", "zh": "还没有其他人回复。", "ja": "まだ他の人からの返信はありません。",
    "es": "Nadie más ha respondido todavía.", "de": "Noch hat niemand sonst geantwortet.",
    "fr": "Personne d'autre n'a encore répondu.", "pt": "Ninguém mais respondeu ainda.",
}
"""What "Where it ended" says of a thread no one but its starter wrote in (``Summary.awaiting_reply``), in the
conversation's language like the label before it (:func:`no_reply`)."""


def no_reply(language: str) -> str:
    """:data:`NO_REPLY` in ``language`` (falls back to English)."""
    return NO_REPLY.get(language, NO_REPLY["en"])


WORKING_THREAD = ":hourglass_flowing_sand: Reading the thread…"
WORKING_COMMAND = ":hourglass_flowing_sand: Working on it — I'll answer here, only you can see it."
OFFLINE_NOTE = "_Offline summary (extractive: sentences picked from the conversation, no AI model)._"
FALLBACK_NOTE = "_Offline summary: {reason}, so these are sentences picked from the conversation._"
NOTHING_TO_SUMMARIZE = "There's nothing to summarize here yet: no messages from people in {where}."
BOT_NOT_IN_CHANNEL = (
    "I'm not in <#{channel_id}>, so I can't read it. Invite me with `/invite @Recap` in that channel, "
    "then try again."
)
NO_ACCESS = "You're not a member of that conversation, so I can't summarize it for you."
GENERIC_ERROR = "Sorry, something went wrong on my side and I couldn't finish. Please try again in a minute."
JOB_GAVE_UP = (
    "Sorry, I gave up on your request after {attempts} tries ({reason}). Nothing was posted twice; "
    "please try again in a few minutes."
)
COULD_NOT_POST = (
    "Sorry, I couldn't post my answer in this conversation (Slack said `{error}`). "
    "`/summarize` answers only you and works here too."
)
SHARE_BUTTON = "Share to channel"
SHARE_EXPIRED = "That summary has expired; run `/summarize` again to share a fresh one."
SHARE_REFUSED = (
    "I can't share this here: it summarizes a conversation that some people in this channel can't read."
)
SHARED_BY = "Shared by <@{user_id}>"
SHARE_FAILED = (
    "I couldn't post the summary to the channel: Slack didn't take it ({error}). Your private copy is "
    "still here; press *Share to channel* again in a moment."
)
PRIVATE_FALLBACK_TEXT = "Your summary"
PRIVATE_FALLBACK_DM = "Slack couldn't show my answer in <#{channel_id}>, so here it is, only for you."
LOADING_MESSAGES = (
    "Reading the conversation…",
    "Finding the decisions…",
    "Checking who promised what…",
    "Linking each point to its message…",
)
GAVE_UP_THREAD = ":warning: I couldn't finish this one. <@{user_id}>, I've told you why, privately."
GAVE_UP_WHY_SLACK_BUSY = "Slack kept asking me to slow down"
GAVE_UP_WHY_SLACK_DOWN = "Slack didn't answer, or answered with an error"
GAVE_UP_WHY_MODEL = "the AI model didn't answer in time"
GAVE_UP_WHY_INTERRUPTED = "the worker handling it stopped before it could finish, each time"
GAVE_UP_WHY_UNKNOWN = "something went wrong on my side (it's logged for the team running Recap)"
OMITTED_NOTE = "_Left out: {what}_"
UNSUPPORTED_ANSWER_NOTE = (
    "_The model cited no message for this answer, and no message here says it: check before relying on it._"
)
POINTS_LEFT_OUT_NOTE = "_{count} more point{s} left out to keep this short._"
HELP_MENTION = (
    "Hi! Mention me in a thread with `summarize` (or just `@Recap`) and I'll summarize it, with links to "
    "the messages. Ask a question instead (`@Recap what did we decide about the launch?`) and I'll answer "
    "from the thread. In a channel, `/summarize` summarizes the last 24 hours (`/summarize help` for more)."
)

# --- titles, App Home and the AI-app (agent / assistant) surfaces -------------------------------------
PROMPTS_TITLE = "Try one of these"
PROMPT_MISSED_TITLE = "What did I miss?"
PROMPT_MISSED = "What did I miss in {where}?"
PROMPT_WEEK_TITLE = "Summarize this week"
PROMPT_WEEK = "Summarize this week in {where}"
PROMPT_THREAD_TITLE = "Summarize a thread"
PROMPT_THREAD = "Summarize a thread: paste its link"
PROMPT_ANY_CHANNEL = "#channel"
ASSISTANT_GREETING = (
    "Hi! I summarize Slack conversations, with links to every message I used. Paste a thread's link, or "
    "name a channel and a period (`#general this week`)."
)
STATUS_READING = "is reading…"
HELP_DM = (
    "I can summarize for you, privately, anything you can read yourself:\n"
    "• *a thread*: paste its link (⋯ More actions → Copy link)\n"
    "• *a channel*: name it and, if you like, a period: `#general`, `#general this week`, `#general 7d`\n"
    "My titles for our conversations follow your own style: `/summarize style` shows it, "
    "`/summarize forget me` deletes it."
)
DM_PICK_CHANNEL = (
    "Which channel do you mean? Type `#` and pick it from the list Slack offers, e.g. "
    "`What did I miss in #general?`"
)
HOME_HEADER = "Recap"
HOME_INTRO = (
    "Mention me in a thread (`@Recap summarize`), use `/summarize`, or message me here with a thread link or "
    "a `#channel`. Only you see what I summarize for you."
)
HOME_RECENT = "Your recent conversations"
HOME_NO_CONVERSATIONS = "No conversations yet. Message me a thread link or a `#channel` to start one."
HOME_STYLE = "Titles follow your style: {description}. `/summarize style` shows more."
HOME_STYLE_NEUTRAL = (
    "Titles use a neutral style until you've had 5 conversations with me ({count} so far)."
)
HOME_DIGESTS = "Your weekly digests"
HOME_NO_DIGESTS = "You haven't set up a weekly digest. In a channel, `/summarize digest on` starts one."
HOME_DIGEST_LINE = "<#{channel_id}> — {when}"
HOME_ORG_DIGEST_LINE = "Org digest #{org_id}: {sources} → <#{destination_id}> — {when}"
HOME_DIGEST_DAY = "Day"
HOME_DIGEST_OFF = "Turn off"
HOME_DIGEST_OFF_CONFIRM = "Stop the weekly digest of <#{channel_id}>? Nothing more will be posted there."
HOME_DIGEST_NOT_YOURS = "Only the person who set up that digest, or a workspace admin, can change it."
HOME_SETTINGS = "Your settings"
HOME_LANGUAGE = "*Headings in* (summaries themselves follow the conversation's language)"
HOME_LANGUAGE_AUTO = "The conversation's language"
HOME_FORGET = "Forget me"
HOME_FORGET_TEXT = "Recap keeps your {count} conversation(s), their titles, your style and these settings."
HOME_FORGET_CONFIRM = (
    "This deletes your conversations with Recap, their titles, your title style and your settings. "
    "It can't be undone."
)
CONFIRM_TITLE = "Are you sure?"
CONFIRM_YES = "Yes"
CONFIRM_NO = "Cancel"
STYLE_HEADER = "*Your title style*"
STYLE_NEUTRAL = (
    "Neutral ({description}). Recap uses a neutral style until you've had 5 conversations with it; "
    "you've had {count}."
)
STYLE_LEARNED = "{description}\n_Learned from your {count} latest conversations with Recap._"
STYLE_FEATURES = (
    "Measured: casing *{casing}* · about *{words}* words · emoji in *{emoji_rate:.0%}* of texts{emoji} · "
    "ending *{ending}* · questions *{question_rate:.0%}* · language *{language}*"
)
STYLE_FOOTER = "Recap keeps {stored} of your conversations. `/summarize forget me` deletes them, their titles and this profile."
FORGOTTEN = (
    "Done: I deleted your {conversations} stored conversations, their titles and your style profile. "
    "New titles start neutral again."
)

# --- feedback and "try again" (bot/feedback) ---
FEEDBACK_UP_LABEL = "Useful"
FEEDBACK_DOWN_LABEL = "Not useful"
REDO_AGAIN = "Try again"
REDO_SHORTER = "Shorter"
REDO_LONGER = "More detail"
FEEDBACK_THANKS = "Thanks, noted. It helps us measure Recap against real answers."
FEEDBACK_NOTE_TITLE = "What was wrong?"
FEEDBACK_NOTE_LABEL = "Tell us what was wrong (optional). Recap stores your note, not the conversation."
FEEDBACK_NOTE_SUBMIT = "Send"
FEEDBACK_TOO_OLD = "That answer is too old to rate or redo now (Recap keeps answers for {days} days). Mention me again."
REDOING = ":hourglass_flowing_sand: Writing it again…"
REDO_SAME_OFFLINE = (
    "_Written again by the built-in summarizer: it picks the same sentences each time; Shorter or More "
    "detail change how many._"
)


# --- weekly and org digests (bot/digests/command.py) ---
DIGEST_USAGE = (
    "*Weekly digests*\n"
    "• `/summarize digest on` — this channel every Monday 09:00 (`on friday 16:00 Europe/Berlin`, "
    "`quiet=skip` to post nothing in a quiet week)\n"
    "• `/summarize digest off` (whoever set it up, or an admin) · `status` · `list` (admins)\n"
    "• `/summarize digest org #a #b #c to #announcements` — a Friday digest of up to "
    "{max_sources} channels ({max_per_person} per person; `org off 3` to stop org digest #3)\n"
    "• `/summarize digest run` — post this channel's digest now (admins; asks to confirm)"
)
DIGEST_BAD_QUIET = "Use `quiet=post` or `quiet=skip`."
DIGEST_UNKNOWN_ZONE = "I don't know the time zone `{word}`. Use an IANA name like `Europe/Berlin`."
DIGEST_UNKNOWN_WORD = "I didn't understand `{word}`. Try `/summarize digest on friday 16:00 Europe/Berlin`."
DIGEST_NOT_A_CHANNEL = "`{word}` isn't a channel I can use. Pick channels from the list Slack offers as you type `#`."
DIGEST_ACTION_CHANGE = "change"
DIGEST_ACTION_TURN_OFF = "turn off"
DIGEST_OWNER_ONLY = (
    "Only <@{owner_id}>, who set up the weekly digest of <#{channel_id}>, or a workspace admin can {action} it."
)
DIGEST_ADMIN_ONLY = "Only a workspace admin can {action} the weekly digest of <#{channel_id}>."
DIGEST_ON_DONE = (
    ":calendar: <#{channel_id}> will get a weekly digest {schedule}. "
    "First one: {when}. In a quiet week I'll post {quiet_text}."
)
DIGEST_QUIET_POST = "a one-line note"
DIGEST_QUIET_SKIP = "nothing"
DIGEST_OFF_DONE = "Weekly digest of <#{channel_id}> turned off."
DIGEST_NONE = "<#{channel_id}> has no weekly digest."
DIGEST_LIST_ADMIN_ONLY = "Only workspace admins can list every digest."
DIGEST_LIST_HEADER = "*Digests in this workspace*"
DIGEST_LIST_EMPTY = "none yet"
DIGEST_RUN_ADMIN_ONLY = "Only workspace admins can run a digest now."
DIGEST_RUN_CONFIRM = (
    "This posts the digest of <#{channel_id}> for {period} in the channel, for everyone. "
    "Type `/summarize digest run confirm` to go ahead."
)
DIGEST_STATUS_NONE = "<#{channel_id}> has no weekly digest. Turn it on with `/summarize digest on`."
DIGEST_STATUS_SCHEDULE = "Weekly digest of <#{channel_id}>: {schedule}."
DIGEST_STATUS_NEXT = "Next run: {when}."
DIGEST_STATUS_LAST = "Last run: {status} for the week starting {start}.{link}"
DIGEST_STATUS_LINK = " <{permalink}|see the post>"
DIGEST_POSTED = "Posted: {permalink}"
DIGEST_POSTED_DONE = "done"
DIGEST_DUPLICATE = "That digest is already being posted."
DIGEST_SKIPPED = "A quiet week: nothing posted (this channel's digest skips quiet weeks)."
DIGEST_FAILED = "The digest failed: {error}"
ORG_NO_DESTINATION = "Say where to post it: `/summarize digest org #a #b #c to #announcements`."
ORG_NO_CHANNELS = "Name the channels and the destination: `/summarize digest org #a #b to #announcements`."
ORG_TOO_MANY_SOURCES = (
    "An org digest can cover at most {max_sources} channels; you named {count}. "
    "Leave some out, or split them over two org digests."
)
ORG_NOT_SHAREABLE = (
    "I can't post an org digest of <#{source_id}> in <#{destination_id}>: some people who can read "
    "<#{destination_id}> can't read <#{source_id}>. Pick a destination whose members are all in "
    "every private source (and has no guests or people from other organisations), or leave that "
    "channel out."
)
ORG_CREATED = ":newspaper: Org digest #{org_id} of {sources} will be posted in <#{destination_id}> {schedule}."
ORG_LIMIT_PERSON = (
    "You already have {count} org digests, the most one person can set up. Turn one off with "
    "`/summarize digest org off <number>` first (the numbers are in their confirmations)."
)
ORG_LIMIT_TEAM = (
    "This workspace already has {count} org digests, the most it can have. A workspace admin can "
    "see them with `/summarize digest list` and turn some off."
)
ORG_OFF_NO_NUMBER = (
    "Say which one: `/summarize digest org off 3` (the number is in its confirmation and in "
    "`/summarize digest list`)."
)
ORG_NOT_FOUND = "There is no org digest #{number}."
ORG_OFF_NOT_YOURS = "Only the person who set up org digest #{number}, or a workspace admin, can turn it off."
ORG_OFF_DONE = "Org digest #{number} turned off."

# --- /summarize help (bot/summaries/command.py) ---
USAGE = (
    "*How to use* `/summarize`\n"
    "• `/summarize` — this channel, last 24 hours\n"
    "• `/summarize #channel 7d` — another channel over a period "
    "(`today`, `yesterday`, `24h`, `7d`, `last week`, `since monday`)\n"
    "• `/summarize <thread link>` — one thread (use *Copy link* on a message)\n"
    "• `/summarize style` — your title style · `/summarize forget me` — delete your data\n"
    "• `/summarize digest on|off|status` — weekly digest of this channel\n"
    "In a thread, mention me (`@Recap`) or use the *Summarize thread* message shortcut."
)
THREAD_LINK_ALONE = "A thread link takes no other arguments."
UNKNOWN_CHANNEL = "I couldn't find the channel `{channel}`. Pick it from the list Slack offers as you type `#`."
SUBCOMMAND_UNAVAILABLE = "`/summarize {name}` isn't available in this version of Recap."

# --- the conversation named inside NOTHING_TO_SUMMARIZE's {where} (bot/summaries/pipeline.py) ---
WHERE_THIS_THREAD = "this thread"
WHERE_THAT_THREAD = "that thread"
WHERE_THIS_CHANNEL = "this channel in {period}"
WHERE_CHANNEL = "#{name} in {period}"

# --- reading Slack (bot/slack/webapi.py, bot/slack/permalink.py) and App Home (bot/home/service.py) ---
READ_NOT_A_MEMBER = (
    "I can't read <#{channel_id}>: I'm not a member of it. "
    "Invite me with `/invite @Recap` in that channel, then try again."
)
READ_FAILED = "I couldn't read that conversation from Slack. Please try again in a minute."
READ_UNREACHABLE = "I couldn't reach Slack to read that conversation. Please try again in a minute."
PERMALINK_HELP = (
    "I couldn't read that link. Paste a Slack message link (in Slack: ⋯ More actions → Copy link), "
    "like https://your-team.slack.com/archives/C0123ABCD/p1700000000000100"
)
HOME_DIGEST_GONE = "<#{channel_id}> has no weekly digest any more."
HOME_PICK_WEEKDAY = "Pick a day from Monday to Sunday."
HOME_PICK_LANGUAGE = "Pick a language from the list."

# --- periods (bot/periods.py) ---
PERIOD_HELP = "a period like `today`, `yesterday`, `24h`, `7d`, `2w`, `this week`, `last week`, `since monday`, `since 2024-05-01`"
PERIOD_EMPTY = "`{raw}` is an empty period; try {help}."
PERIOD_TOO_LONG = "`{raw}` is longer than Recap reads at once (90 days); try a shorter period."
PERIOD_BAD_DATE = "I couldn't read the date in `{raw}`; try {help}."
PERIOD_FUTURE = "`{raw}` is in the future."
PERIOD_TOO_OLD = "`{raw}` is more than 90 days ago; try a shorter period."
PERIOD_UNKNOWN = "I don't know the period `{raw}`; try {help}."


# --------------------------------------------------------------------------------------------------
# Translations (see the module docstring). KEEP THIS BLOCK LAST: add new strings ABOVE it.

import json as _json  # noqa: E402
import logging as _logging  # noqa: E402
import threading as _threading  # noqa: E402
import typing as _typing  # noqa: E402
from collections.abc import Iterator as _Iterator  # noqa: E402
from contextlib import contextmanager as _contextmanager  # noqa: E402
from contextvars import ContextVar as _ContextVar  # noqa: E402
from contextvars import Token as _Token  # noqa: E402
from importlib import resources as _resources  # noqa: E402
from string import Formatter as _Formatter  # noqa: E402

_logger = _logging.getLogger(__name__)
_Text = str | tuple[str, ...]

_EN = "en"
LANGUAGES: frozenset[str] = frozenset(HEADINGS)
"""The languages strings resolve to (ISO 639-1): English and one catalog (``bot/locales/<code>.json``) per
other language of :data:`HEADINGS`."""

_LANGUAGE: _ContextVar[str] = _ContextVar("recap_language", default=_EN)
_ENGLISH: dict[str, _Text] = {}
_CATALOGS: dict[str, dict[str, _Text]] = {}
_CATALOG_LOCK = _threading.Lock()


def _is_text(name: str, value: object) -> bool:
    """An uppercase module global holding a user-facing string (or a tuple of them, like LOADING_MESSAGES)."""
    if not name.isupper() or name.startswith("_"):
        return False
    return isinstance(value, str) or (isinstance(value, tuple) and bool(value)
                                      and all(isinstance(item, str) for item in value))


def _collect() -> None:
    """Move every text global into the English table, so that reads go through :func:`__getattr__`.

    Runs here and again before a language is set, which also catches a constant someone appended
    below this block (a global that reappears, e.g. set by a test, becomes the English text)."""
    module = globals()
    for name, value in list(module.items()):
        if _is_text(name, value):
            _ENGLISH[name] = value
            module.pop(name, None)


def placeholders(template: str) -> list[tuple[str, str, str]]:
    """The ``str.format`` fields of ``template`` as ``(name, conversion, format_spec)``, in order.

    Raises:
        ValueError: ``template`` is not a valid format string (e.g. a lone ``{``).
    """
    return [(name, conversion or "", spec or "") for _, name, spec, conversion in _Formatter().parse(template)
            if name is not None]


def _usable(name: str, value: object) -> _Text | None:
    """``value`` from a catalog if it can stand in for the English ``name`` without breaking a
    ``.format()`` call (same type; only fields English has, with the same conversion and spec), else None."""
    english = _ENGLISH.get(name)
    if isinstance(english, str) and isinstance(value, str):
        sources, texts = [english], [value]
    elif isinstance(english, tuple) and isinstance(value, list) and value:
        sources, texts = list(english), value
    else:
        return None
    allowed = {field for source in sources for field in placeholders(source)}
    for text in texts:
        if not isinstance(text, str) or not text.strip():
            return None
        try:
            if not set(placeholders(text)) <= allowed:
                return None
        except ValueError:
            return None
    return value if isinstance(value, str) else tuple(value)


def _load(language: str) -> dict[str, _Text]:
    """Read and check ``bot/locales/<language>.json``; a missing or broken file gives {} (English)."""
    try:
        raw = _json.loads((_resources.files("bot") / "locales" / f"{language}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        _logger.warning("strings: no usable catalog for %r (%s); using English", language, exc)
        return {}
    if not isinstance(raw, dict):
        _logger.warning("strings: catalog %r is not a JSON object; using English", language)
        return {}
    catalog: dict[str, _Text] = {}
    for name, value in raw.items():
        text = _usable(name, value)
        if text is None:
            _logger.warning("strings: %s.json %s is unusable (type or placeholders); using English", language, name)
        else:
            catalog[name] = text
    return catalog


def catalog(language: str) -> dict[str, _Text]:
    """The checked translations of ``language`` (loaded once per process; {} for English or unknown)."""
    if language not in LANGUAGES or language == _EN:
        return {}
    loaded = _CATALOGS.get(language)
    if loaded is None:
        _collect()
        with _CATALOG_LOCK:
            loaded = _CATALOGS.get(language)
            if loaded is None:
                loaded = _CATALOGS[language] = _load(language)
    return loaded


def english() -> dict[str, _Text]:
    """Every user-facing text constant in English, by name (a copy)."""
    _collect()
    return dict(_ENGLISH)


def current_language() -> str:
    """The language strings resolve to in this context (thread / task): an ISO 639-1 code, "en" by default."""
    return _LANGUAGE.get()


def _normalise(language: str | None) -> str | None:
    """``language`` (an ISO 639-1 code or a Slack locale such as ``pt-BR``) as a supported code, or None."""
    if not language:
        return None
    code = language.strip().replace("_", "-").split("-", 1)[0].lower()
    return code if code in LANGUAGES else None


def set_language(language: str | None) -> _Token[str]:
    """Make strings resolve to ``language`` (an ISO 639-1 code or a Slack locale; unsupported or None:
    English) in the current context until :func:`reset_language`. Returns the token to pass to it.

    Prefer :func:`use_language`: a pool thread (Bolt's lazy listeners, the queue's workers) keeps a language
    set this way for the next request it runs."""
    _collect()
    return _LANGUAGE.set(_normalise(language) or _EN)


def reset_language(token: _Token[str]) -> None:
    """Undo the :func:`set_language` call that returned ``token``.

    Raises:
        ValueError: ``token`` was made in another context (thread / task).
    """
    _LANGUAGE.reset(token)


@_contextmanager
def use_language(language: str | None) -> _Iterator[str]:
    """``with strings.use_language("es"):`` — strings resolve to ``language`` inside the block, in this
    context only (other threads and tasks are unaffected); yields the code actually used."""
    token = set_language(language)
    try:
        yield _LANGUAGE.get()
    finally:
        _LANGUAGE.reset(token)


def language_for(locale: str | None, conversation_language: str | None, *, chosen: str | None = None) -> str:
    """The language to answer a person in: ``chosen`` (their App Home setting) if supported, else their
    Slack ``locale`` (``users.info`` with ``include_locale=true``: an IETF tag such as ``es-ES``, ``es-LA``,
    ``pt-BR``, ``zh-CN``, ``zh-TW``; only the primary subtag counts), else ``conversation_language``
    (``Summary.language``) if supported, else English. Returns an ISO 639-1 code of :data:`LANGUAGES`.

    Source: https://docs.slack.dev/reference/methods/users.info (``include_locale``; the user object's
    ``locale``, opt-in since https://api.slack.com/changelog/2017-09-locale-locale-locale)."""
    return _normalise(chosen) or _normalise(locale) or _normalise(conversation_language) or _EN


if not _typing.TYPE_CHECKING:  # mypy types strings.NAME from the assignments above, and still flags a typo

    def __getattr__(name: str) -> _Text:
        """``strings.NAME``: the text in :func:`current_language`, falling back to English per string (PEP 562)."""
        try:
            text = _ENGLISH[name]
        except KeyError:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
        language = _LANGUAGE.get()
        if language != _EN:
            return catalog(language).get(name, text)
        return text


def __dir__() -> list[str]:
    """``dir(strings)``: the module's names, text constants included."""
    return sorted({*globals(), *_ENGLISH})


_collect()
