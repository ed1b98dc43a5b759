"""Pure helpers over Slack message JSON: mention resolution, noise and bot detection.

Slack's mrkdwn escapes ``&``, ``<`` and ``>`` and wraps references in angle brackets
(https://docs.slack.dev/messaging/formatting-message-text): ``<@U123>`` users, ``<#C123|name>``
channels, ``<!here>`` special mentions, ``<!subteam^S123|@team>`` user groups, ``<!date^…|fallback>``
dates and ``<https://x|label>`` links.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from bot.slack.attachments import file_section, files_of

#: Message subtypes that are system events, not people's words
#: (https://docs.slack.dev/reference/events/message#subtypes).
NOISE_SUBTYPES: frozenset[str] = frozenset(
    {
        "channel_join",
        "channel_leave",
        "channel_topic",
        "channel_purpose",
        "channel_name",
        "channel_archive",
        "channel_unarchive",
        "channel_convert_to_private",
        "channel_convert_to_public",
        "channel_posting_permissions",
        "group_join",
        "group_leave",
        "group_topic",
        "group_purpose",
        "group_name",
        "group_archive",
        "group_unarchive",
        "pinned_item",
        "unpinned_item",
        "reminder_add",
        "bot_add",
        "bot_remove",
        "bot_enable",
        "bot_disable",
        "app_conversation_join",
        "app_conversation_leave",
        "sh_room_created",
        "huddle_thread",
        "tombstone",
        "message_deleted",
        "joiner_notification",
        "joiner_notification_for_inviter",
        "ekm_access_denied",
        "file_comment",
    }
)

_REF = re.compile(r"<([^<>\n]*)>")


def escape_mrkdwn(text: str) -> str:
    """Escape the three characters Slack treats as control characters in mrkdwn (``&``, ``<``, ``>``), so
    text can never become a link, a mention or a broadcast. Source:
    https://docs.slack.dev/messaging/formatting-message-text#escaping"""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


#: An ``http(s)`` URL as people type it: up to a space or a character Slack's link syntax reserves.
_HTTP_URL = re.compile(r"(?<![\w+.-])https?://[^\s<>|\"'`]+", re.IGNORECASE)
_URL_TRAILING = ".,;:!?'\"”’»)]}…"


def one_line(text: str) -> str:
    """``text`` on one line: every run of whitespace (newlines included) becomes one space, ends trimmed.

    Model and message text shown in a summary is one line, so it can never start a line of its own
    (a fake heading, a fake bullet list)."""
    return " ".join(text.split())


def _trim_url(url: str) -> str:
    """A URL without the punctuation that ends the sentence around it (a ``)`` or ``]`` closing a pair
    opened inside the URL stays, as in ``https://en.wikipedia.org/wiki/Mercury_(planet)``)."""
    while url and url[-1] in _URL_TRAILING:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        if url[-1] == "]" and url.count("[") >= url.count("]"):
            break
        url = url[:-1]
    return url


def escape_mrkdwn_links(text: str) -> str:
    """:func:`escape_mrkdwn`, except that each ``http(s)://`` URL becomes an explicit Slack link ``<url>``.

    For text already checked by the output guard (:mod:`bot.summaries.guard`): the links left in it are
    the source's, and they stay clickable in a text object sent with ``verbatim: true`` (which turns
    off Slack's own auto-linking). A URL cut short (followed by ``…``), holding credentials
    (``user@host``) or written in Slack's own syntax with a label (``<url|label>``, which could disguise it) stays
    plain, escaped text; Slack's ``<url>`` without one, as message text carries a link, is a link. ``&`` inside a URL
    is escaped as Slack asks; ``|`` becomes ``%7C``.
    Source: https://docs.slack.dev/messaging/formatting-message-text#linking-urls
    """
    text = _SLACK_LINK.sub(r"\1", text)  # Slack's own "<url>" (no label: nothing to disguise) is a URL as typed
    out: list[str] = []
    pos = 0
    for match in _HTTP_URL.finditer(text):
        url = _trim_url(match.group(0))
        end = match.start() + len(url)
        authority = url.split("//", 1)[1].split("/", 1)[0]
        if (text[end : end + 1] == "…" or text[match.start() - 1 : match.start()] == "<" or "@" in authority
                or len(url) < len("http://x")):
            continue
        out.append(escape_mrkdwn(text[pos : match.start()]))
        out.append(f"<{escape_mrkdwn(url).replace('|', '%7C')}>")
        pos = end
    out.append(escape_mrkdwn(text[pos:]))
    return "".join(out)


_SLACK_LINK = re.compile(r"<(https?://[^\s<>|]+)>", re.IGNORECASE)


def mrkdwn_object(text: str) -> dict[str, Any]:
    """A Block Kit ``mrkdwn`` text object with ``verbatim: true``: Slack then shows ``text`` as written,
    without turning bare URLs, ``#channel`` names or ``@here``-style words into links or mentions; explicit
    ``<url|label>`` links still work. Use it for every text built from model or message text.
    Source: https://docs.slack.dev/reference/block-kit/composition-objects/text-object"""
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _resolve_ref(inner: str, user_name: Callable[[str], str], channel_name: Callable[[str], str]) -> str:
    target, _, label = inner.partition("|")
    if target.startswith("@"):
        user_id = target[1:]
        return "@" + (user_name(user_id) or label or user_id)
    if target.startswith("#"):
        channel_id = target[1:]
        name = label or channel_name(channel_id) or channel_id
        return "#" + name
    if target.startswith("!"):
        command = target[1:]
        if command in ("here", "channel", "everyone"):
            return "@" + command
        if command.startswith("subteam^"):
            return label or "@" + command.split("^", 1)[1]
        if command.startswith("date^"):
            return label or command
        return label or "@" + command.split("^", 1)[0]
    url = _unescape(target)
    if not label:
        return url.removeprefix("mailto:")
    label = _unescape(label)
    bare = url.removeprefix("mailto:")
    if label in (url, bare) or url.rstrip("/") == label.rstrip("/") or url.split("://", 1)[-1].rstrip("/") == label.rstrip("/"):
        return label  # also Slack's auto-links: "config.site" is sent as <http://config.site|config.site>
    return f"{label} ({url})"


def resolve_mrkdwn(
    text: str, *, user_name: Callable[[str], str], channel_name: Callable[[str], str]
) -> str:
    """Turn Slack mrkdwn references into readable text.

    ``<@U123>``/``<@U123|x>`` -> ``@name``; ``<#C123|general>``/``<#C123>`` -> ``#general``;
    ``<!here>`` -> ``@here``; ``<!subteam^S1|@devs>`` -> ``@devs``; ``<https://x|label>`` ->
    ``label (https://x)``; ``<https://x>`` -> ``https://x``; ``&amp; &lt; &gt;`` unescaped.

    Args:
        text: message text as Slack sends it.
        user_name: user ID -> display name (may return ``""`` when unknown: the ID is kept).
        channel_name: channel ID -> name without ``#`` (used when the reference has no label).

    Returns:
        The text with every reference resolved; never raises on odd input.
    """
    if not text:
        return ""
    out: list[str] = []
    pos = 0
    for match in _REF.finditer(text):
        out.append(_unescape(text[pos : match.start()]))
        out.append(_resolve_ref(match.group(1), user_name, channel_name))
        pos = match.end()
    out.append(_unescape(text[pos:]))
    return "".join(out)


def is_noise(raw: Mapping[str, Any]) -> bool:
    """True for system messages (joins, topic changes, pins, tombstones, …) and non-messages."""
    if raw.get("type", "message") != "message":
        return True
    return raw.get("subtype") in NOISE_SUBTYPES


def is_bot_message(raw: Mapping[str, Any]) -> bool:
    """True for integration/bot posts: ``subtype: bot_message`` or a ``bot_id`` present."""
    return raw.get("subtype") == "bot_message" or bool(raw.get("bot_id"))


def reaction_count(raw: Mapping[str, Any]) -> int:
    """People's reactions to a message, people × emoji: the sum of ``reactions[].count`` (each emoji's count of
    people, as ``conversations.history``, ``conversations.replies`` and workspace exports return them; the length
    of ``users`` where a count is missing). 0 for none or a malformed list."""
    return _people_reacting(raw, names=None)


def _people_reacting(raw: Mapping[str, Any], *, names: frozenset[str] | None) -> int:
    """People × emoji over ``raw``'s reactions whose name (a skin tone, ``+1::skin-tone-5``, counts as its emoji) is in
    ``names``, or over all of them for None: each reaction's ``count``, or the length of its ``users``."""
    total = 0
    for reaction in raw.get("reactions") or ():
        if not isinstance(reaction, Mapping) or names is not None and str(reaction.get("name") or "").split("::")[0] not in names:
            continue
        count = reaction.get("count")
        total += count if isinstance(count, int) and count > 0 else len(reaction.get("users") or ())
    return total


APPROVING = frozenset({
    "+1", "thumbsup", "thumbsup_all", "100", "heavy_check_mark", "white_check_mark", "ballot_box_with_check",
    "correct_answer", "this", "this-is-true", "point_up", "point_up_2", "heavy_plus_sign", "ok_hand", "clap",
    "raised_hands", "pray", "thankyou", "thanks", "heart", "hearts", "heart_eyes", "tada", "star", "star-struck",
    "bulb", "muscle", "fire", "today-i-learned", "til", "exploding_head", "bow", "tick",
})
"""Reactions that approve of a message (agreement, thanks, "this solved it", "I learned something"): ``:+1:``,
``:100:``, ``:heavy_check_mark:``, ``:heart:``, ``:today-i-learned:`` and their skin tones (``+1::skin-tone-5``). Not
laughter, surprise, ``:eyes:`` or markers such as JuliaLang's ``:bridge:`` ("cross-post this to Discourse")."""


def approval_count(raw: Mapping[str, Any]) -> int:
    """People's approving reactions to a message (:data:`APPROVING`), people × emoji, counted as
    :func:`reaction_count` counts; a skin tone (``+1::skin-tone-5``) counts as its emoji. 0 for none."""
    return _people_reacting(raw, names=APPROVING)


_LEGACY_FILE_SHARE = re.compile(
    r"^<@[A-Z0-9]+(?:\|[^>]*)?> (?:uploaded|shared) a file: <[^>|]*\|?([^>]*)>(?: and commented: (.*))?$", re.DOTALL)
"""The text Slack gave a ``file_share`` message before files were shared as ordinary messages (exports up to
2018–2019): ``<@U…|name> uploaded a file: <url|title> and commented: comment``."""


def message_text(raw: Mapping[str, Any], read_file: Callable[[Mapping[str, Any]], str | None] | None = None) -> str:
    """The raw text of a message, with shared files and attachment-only messages given a readable text.

    Returns ``text`` when non-empty, then each shared file: ``[file: name]``, or, when ``read_file``
    returns its text (snippets, text files, canvases: :mod:`bot.slack.attachments`), the text fenced by
    ``[file: name]`` … ``[end of file: name]``; an attachment's ``fallback``/``text`` when there is
    nothing else (common for bot posts). Mentions are not resolved. A legacy ``file_share`` message
    (:data:`_LEGACY_FILE_SHARE`) reads as what its author wrote, then ``[file: title]``: "an array of unique
    topics in the dataset [file: unique-topics.json]", not "@Micah uploaded a file: … and commented: …".
    """
    text = str(raw.get("text") or "")
    legacy = _LEGACY_FILE_SHARE.match(text.strip()) if raw.get("subtype") == "file_share" else None
    if legacy is not None:  # the file itself is added below, from the message's legacy ``file``
        comment = (legacy.group(2) or "").strip()
        text = comment if files_of(raw) else f"{comment}\n[file: {legacy.group(1).strip()}]".lstrip("\n")
    file_bits = [file_section(file, read_file) for file in files_of(raw)]
    if file_bits:
        joiner = "\n" if any("\n" in bit for bit in file_bits) else " "
        text = (text + "\n" if text.strip() else "") + joiner.join(file_bits)
    if not text.strip():
        for attachment in raw.get("attachments") or []:
            if isinstance(attachment, dict):
                piece = attachment.get("text") or attachment.get("fallback") or attachment.get("title")
                if piece:
                    text = (text + "\n" if text else "") + str(piece)
    return text


def user_display_name(user: Mapping[str, Any]) -> str:
    """The name Slack shows for a ``users.info``/``users.json`` object: display name, real name, handle."""
    profile = user.get("profile") or {}
    return (
        str(profile.get("display_name") or "").strip()
        or str(profile.get("real_name") or user.get("real_name") or "").strip()
        or str(user.get("name") or user.get("id") or "unknown")
    )
