"""``recap manifest``: Recap's Slack app manifest, for Socket Mode (as shipped) or HTTP mode (URLs filled in).

``manifest.yml`` (shipped in the package as ``bot/slack/manifest.yml``) is the Socket Mode manifest. For
HTTP mode Slack needs a request URL per feature, all served by Recap at one path (Bolt's
``/slack/events``): ``settings.event_subscriptions.request_url``, ``settings.interactivity.request_url``
(Slack has ONE interactivity URL, used by shortcuts, buttons, selects and the App Home alike) and each
``features.slash_commands[].url``; with OAuth (several workspaces) ``oauth_config.redirect_urls`` holds
``/slack/oauth_redirect``. ``socket_mode_enabled`` is then false.

:func:`manifest_problems` checks the rules of Slack's manifest reference that can be checked offline
(https://docs.slack.dev/reference/app-manifest, and the schema Slack's reference is mirrored by at
https://www.schemastore.org/slack-app-manifest.json): required keys, lengths, https URLs, known bot
scopes, the scope each subscribed event needs.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
from collections.abc import Sequence
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

import yaml

from bot.errors import InputError

EVENTS_PATH = "/slack/events"
"""Where Bolt serves events, commands and interactivity (``bot.wsgi``)."""
OAUTH_REDIRECT_PATH = "/slack/oauth_redirect"
"""Where Bolt's OAuth flow receives Slack's redirect (multi-workspace mode, ``bot.runtime.oauth``)."""

KNOWN_BOT_SCOPES = frozenset({
    "app_mentions:read", "assistant:write", "bookmarks:read", "bookmarks:write", "calls:read", "calls:write",
    "canvases:read", "canvases:write", "channels:history", "channels:join", "channels:manage", "channels:read",
    "channels:write.invites", "channels:write.topic", "chat:write", "chat:write.customize", "chat:write.public",
    "commands", "conversations.connect:manage", "conversations.connect:read", "conversations.connect:write",
    "dnd:read", "emoji:read", "files:read", "files:write", "groups:history", "groups:read", "groups:write",
    "groups:write.invites", "groups:write.topic", "im:history", "im:read", "im:write", "im:write.topic",
    "incoming-webhook", "links.embed:write", "links:read", "links:write", "lists:read", "lists:write",
    "metadata.message:read", "mpim:history", "mpim:read", "mpim:write", "mpim:write.topic", "pins:read",
    "pins:write", "reactions:read", "reactions:write", "reminders:read", "reminders:write", "remote_files:read",
    "remote_files:share", "remote_files:write", "search:read.files", "search:read.im", "search:read.mpim",
    "search:read.private", "search:read.public", "search:read.users", "team.billing:read",
    "team.preferences:read", "team:read", "usergroups:read", "usergroups:write", "users.profile:read",
    "users:read", "users:read.email", "users:write", "workflow.steps:execute",
})
"""Bot token scopes from Slack's scope reference (https://docs.slack.dev/reference/scopes)."""

EVENT_SCOPES: dict[str, tuple[str, ...]] = {
    "app_mention": ("app_mentions:read",), "message.im": ("im:history",), "message.mpim": ("mpim:history",),
    "message.channels": ("channels:history",), "message.groups": ("groups:history",),
    "member_joined_channel": ("channels:read", "groups:read"), "member_left_channel": ("channels:read", "groups:read"),
    "channel_shared": ("channels:read", "groups:read"), "channel_unshared": ("channels:read", "groups:read"),
    "user_change": ("users:read",), "assistant_thread_started": ("assistant:write",),
    "assistant_thread_context_changed": ("assistant:write",), "file_shared": ("files:read",),
    "reaction_added": ("reactions:read",), "reaction_removed": ("reactions:read",),
    "app_home_opened": (), "app_uninstalled": (), "tokens_revoked": (), "app_context_changed": (),
}
"""Each bot event Recap may subscribe to -> the scopes of which one is needed (Slack's event reference,
https://docs.slack.dev/reference/events). An event missing here is reported as unknown."""

_HEX_COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")
_COMMAND = re.compile(r"^/[a-z0-9_\-]{1,31}$")


def socket_mode_text() -> str:
    """The shipped ``manifest.yml`` as text (comments kept): the Socket Mode manifest."""
    return resources.files("bot.slack").joinpath("manifest.yml").read_text(encoding="utf-8")


def socket_mode_manifest() -> dict[str, Any]:
    """The shipped ``manifest.yml``, parsed."""
    manifest: dict[str, Any] = yaml.safe_load(socket_mode_text())
    return manifest


def base_url(url: str) -> str:
    """``url`` checked and normalised for request URLs: ``https://host[:port][/prefix]`` without a trailing slash.

    Raises:
        InputError: not an https URL with a host, or it carries a query or fragment.
    """
    parts = urlsplit(url.strip())
    if parts.scheme != "https" or not parts.hostname:
        raise InputError(f"--url {url!r} must be your public https URL, like https://recap.example.com "
                         "(Slack sends requests only over https)")
    if parts.query or parts.fragment:
        raise InputError(f"--url {url!r} must not have a ?query or #fragment")
    return f"https://{parts.netloc}{parts.path.rstrip('/')}"


def http_manifest(url: str, *, oauth: bool = False) -> dict[str, Any]:
    """The HTTP-mode manifest: the shipped one with every request URL pointing at ``url``.

    Args:
        url: the public https base URL Recap is served at (``recap run --http`` behind TLS), e.g.
            ``https://recap.example.com``; a path prefix is kept (``https://host/recap``).
        oauth: several workspaces (``SLACK_CLIENT_ID``/``SLACK_CLIENT_SECRET``): adds the OAuth redirect URL.

    Returns:
        The manifest dict, with ``socket_mode_enabled: false``, the events, interactivity and slash-command
        URLs at ``<url>/slack/events`` and, with ``oauth``, ``oauth_config.redirect_urls`` =
        ``[<url>/slack/oauth_redirect]``.

    Raises:
        InputError: ``url`` is not an https URL (:func:`base_url`).
    """
    root = base_url(url)
    manifest = copy.deepcopy(socket_mode_manifest())
    events_url = root + EVENTS_PATH
    settings = manifest.setdefault("settings", {})
    settings["socket_mode_enabled"] = False
    settings.setdefault("event_subscriptions", {})["request_url"] = events_url
    settings.setdefault("interactivity", {"is_enabled": True})["request_url"] = events_url
    for command in manifest.get("features", {}).get("slash_commands", []):
        command["url"] = events_url
    if oauth:
        manifest.setdefault("oauth_config", {})["redirect_urls"] = [root + OAUTH_REDIRECT_PATH]
    return manifest


def _https(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    parts = urlsplit(value)
    return parts.scheme == "https" and bool(parts.hostname)


def _too_long(problems: list[str], where: str, value: Any, limit: int, *, required: bool = False) -> None:
    if value is None:
        if required:
            problems.append(f"{where} is required")
        return
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where} must be a non-empty string")
    elif len(value) > limit:
        problems.append(f"{where} is {len(value)} characters; Slack allows {limit}")


def manifest_problems(manifest: dict[str, Any]) -> list[str]:
    """What Slack would refuse (or what would leave Recap deaf) in ``manifest``; empty when none.

    Checked: ``display_information.name`` (required, ≤ 35 characters), ``description`` (≤ 140),
    ``background_color`` (hex); ``features.bot_user.display_name`` (required, ≤ 80); slash commands
    (``/name`` ≤ 32 characters, a description ≤ 2,000, ``usage_hint`` ≤ 1,000); shortcuts (name ≤ 24,
    ``callback_id`` ≤ 255, description ≤ 150, type ``message`` or ``global``); bot scopes known to
    Slack, no duplicates; every subscribed bot event known and covered by a scope; and the mode:
    with ``socket_mode_enabled: true`` no request URL is needed; with false, the events and interactivity
    request URLs and each slash command's ``url`` are https URLs, as are ``oauth_config.redirect_urls``.

    Args:
        manifest: a parsed manifest (YAML or JSON).

    Returns:
        One readable line per problem.
    """
    problems: list[str] = []
    display = manifest.get("display_information") or {}
    _too_long(problems, "display_information.name", display.get("name"), 35, required=True)
    _too_long(problems, "display_information.description", display.get("description"), 140)
    color = display.get("background_color")
    if color is not None and not (isinstance(color, str) and _HEX_COLOR.match(color)):
        problems.append(f"display_information.background_color {color!r} is not a hex colour like #2c2d30")

    features = manifest.get("features") or {}
    bot_user = features.get("bot_user")
    if not bot_user:
        problems.append("features.bot_user is required (Recap posts as a bot)")
    else:
        _too_long(problems, "features.bot_user.display_name", bot_user.get("display_name"), 80, required=True)

    settings = manifest.get("settings") or {}
    socket_mode = settings.get("socket_mode_enabled")
    if not isinstance(socket_mode, bool):
        problems.append("settings.socket_mode_enabled must be true or false")
    http = socket_mode is False

    for i, command in enumerate(features.get("slash_commands") or []):
        where = f"features.slash_commands[{i}]"
        name = command.get("command")
        if not (isinstance(name, str) and _COMMAND.match(name)):
            problems.append(f"{where}.command {name!r} must be /name, lower case, at most 32 characters")
        _too_long(problems, f"{where}.description", command.get("description"), 2000, required=True)
        _too_long(problems, f"{where}.usage_hint", command.get("usage_hint"), 1000)
        if http and not _https(command.get("url")):
            problems.append(f"{where}.url must be an https URL in HTTP mode (got {command.get('url')!r})")

    for i, shortcut in enumerate(features.get("shortcuts") or []):
        where = f"features.shortcuts[{i}]"
        _too_long(problems, f"{where}.name", shortcut.get("name"), 24, required=True)
        _too_long(problems, f"{where}.callback_id", shortcut.get("callback_id"), 255, required=True)
        _too_long(problems, f"{where}.description", shortcut.get("description"), 150, required=True)
        if shortcut.get("type") not in ("message", "global"):
            problems.append(f"{where}.type must be message or global")
        if "url" in shortcut:
            problems.append(f"{where}.url does not exist: shortcuts use settings.interactivity.request_url")

    oauth = manifest.get("oauth_config") or {}
    scopes = list((oauth.get("scopes") or {}).get("bot") or [])
    if not scopes:
        problems.append("oauth_config.scopes.bot is empty")
    for scope in scopes:
        if scope not in KNOWN_BOT_SCOPES:
            problems.append(f"oauth_config.scopes.bot: {scope!r} is not a Slack bot scope")
    if len(set(scopes)) != len(scopes):
        problems.append("oauth_config.scopes.bot lists a scope twice")
    for url in oauth.get("redirect_urls") or []:
        if not _https(url):
            problems.append(f"oauth_config.redirect_urls: {url!r} is not an https URL")

    events = settings.get("event_subscriptions") or {}
    for event in events.get("bot_events") or []:
        if event not in EVENT_SCOPES:
            problems.append(f"settings.event_subscriptions.bot_events: unknown event {event!r}")
        elif EVENT_SCOPES[event] and not set(EVENT_SCOPES[event]) & set(scopes):
            problems.append(f"event {event} needs the scope {' or '.join(EVENT_SCOPES[event])}")
    interactivity = settings.get("interactivity") or {}
    if http:
        if events.get("bot_events") and not _https(events.get("request_url")):
            problems.append("settings.event_subscriptions.request_url must be an https URL in HTTP mode")
        if interactivity.get("is_enabled") and not _https(interactivity.get("request_url")):
            problems.append("settings.interactivity.request_url must be an https URL in HTTP mode")
    return problems


def render(manifest: dict[str, Any], *, as_json: bool) -> str:
    """``manifest`` as YAML (key order kept) or indented JSON, ending with a newline."""
    if as_json:
        return json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    return str(yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True, width=110))


def main(argv: Sequence[str]) -> int:
    """``recap manifest [--http --url URL [--oauth]] [--json]``: print a manifest to paste into Slack.

    Returns 0; raises :class:`InputError` (one line on the CLI) for a bad ``--url``, ``--url`` without
    ``--http`` or a manifest that fails :func:`manifest_problems`.
    """
    parser = argparse.ArgumentParser(
        prog="recap manifest",
        description="Print Recap's Slack app manifest: paste it at https://api.slack.com/apps -> Create New App "
                    "-> From a manifest. Without options: Socket Mode (manifest.yml).")
    parser.add_argument("--http", action="store_true", help="HTTP mode: request URLs filled in, Socket Mode off")
    parser.add_argument("--url", help="with --http: the public https URL Recap is served at, e.g. "
                                      "https://recap.example.com (requests go to URL/slack/events)")
    parser.add_argument("--oauth", action="store_true",
                        help="with --http: several workspaces (SLACK_CLIENT_ID): adds URL/slack/oauth_redirect")
    parser.add_argument("--json", action="store_true", help="print JSON instead of YAML")
    args = parser.parse_args(list(argv))
    if args.http and not args.url:
        raise InputError("--http needs --url https://YOUR-HOST (where Slack will send requests)")
    if not args.http and (args.url or args.oauth):
        raise InputError("--url and --oauth go with --http (Socket Mode needs no URL)")
    manifest = http_manifest(args.url, oauth=args.oauth) if args.http else socket_mode_manifest()
    problems = manifest_problems(manifest)
    if problems:
        raise InputError(f"the manifest is not valid: {problems[0]}")
    text = socket_mode_text() if not args.http and not args.json else render(manifest, as_json=args.json)
    sys.stdout.write(text)
    return 0
