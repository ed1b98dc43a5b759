"""manifest.yml declares exactly what the code listens to and calls."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = yaml.safe_load((ROOT / "manifest.yml").read_text())
HANDLER_SOURCE = "\n".join(p.read_text() for p in (ROOT / "handlers").glob("*.py"))
LEGACY_ONLY = {"assistant_thread_started", "assistant_thread_context_changed"}  # assistant_view variant


def test_every_subscribed_event_has_a_listener_and_back():
    subscribed = {e.split(".")[0] for e in MANIFEST["settings"]["event_subscriptions"]["bot_events"]}
    handled = set(re.findall(r'app\.event\("([a-z_]+)"', HANDLER_SOURCE))
    assert subscribed <= handled
    assert handled - subscribed <= LEGACY_ONLY


def test_slash_command_and_shortcut_match_the_listeners():
    commands = {c["command"] for c in MANIFEST["features"]["slash_commands"]}
    assert commands == set(re.findall(r'app\.command\("([^"]+)"', HANDLER_SOURCE))
    from handlers.shortcuts import SHORTCUT_CALLBACK_ID

    assert [s["callback_id"] for s in MANIFEST["features"]["shortcuts"]] == [SHORTCUT_CALLBACK_ID]
    assert all(c["should_escape"] for c in MANIFEST["features"]["slash_commands"])  # channels arrive as <#C…>


def test_scopes_cover_the_web_api_methods_used():
    scopes = set(MANIFEST["oauth_config"]["scopes"]["bot"])
    code = "\n".join(p.read_text() for p in [*(ROOT / "bot").rglob("*.py"), *(ROOT / "handlers").glob("*.py")])
    needs = {
        "chat_postMessage": "chat:write", "reactions_add": "reactions:write", "users_info": "users:read",
        "conversations_members": "channels:read", "assistant_threads_setTitle": "assistant:write",
        "conversations_replies": "channels:history", "conversations_open": "im:write",
        "users_list": "users:read", "chat_postEphemeral": "chat:write", "reactions_remove": "reactions:write",
    }
    for method, scope in needs.items():
        if method in code:
            assert scope in scopes, f"{method} needs {scope}"
    assert {"commands", "app_mentions:read", "groups:history", "im:history", "mpim:history"} <= scopes
