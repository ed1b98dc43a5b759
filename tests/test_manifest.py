"""manifest.yml declares exactly what the code listens to and calls; `recap manifest` prints it, or its
HTTP-mode variant, both valid by the rules of Slack's manifest reference."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from bot.__main__ import main as recap_main
from bot.slack.manifest import http_manifest, manifest_problems, socket_mode_manifest

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


# ---- `recap manifest`: the Socket Mode manifest as shipped, and the HTTP-mode one with its URLs filled in


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = recap_main(["manifest", *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_recap_manifest_prints_the_socket_mode_manifest_as_shipped(capsys):
    code, out, _ = _run(capsys)
    assert code == 0 and out == (ROOT / "manifest.yml").read_text()  # comments kept: paste-ready
    printed = yaml.safe_load(out)
    assert printed["settings"]["socket_mode_enabled"] is True
    assert "request_url" not in printed["settings"]["event_subscriptions"]
    assert manifest_problems(printed) == []


@pytest.mark.parametrize("oauth", [False, True])
def test_recap_manifest_http_fills_every_request_url(capsys, oauth):
    code, out, _ = _run(capsys, "--http", "--url", "https://recap.example.com/", *(["--oauth"] if oauth else []))
    assert code == 0
    printed = yaml.safe_load(out)
    events = "https://recap.example.com/slack/events"
    settings = printed["settings"]
    assert settings["socket_mode_enabled"] is False
    assert settings["event_subscriptions"]["request_url"] == events
    assert settings["interactivity"] == {"is_enabled": True, "request_url": events}  # ONE interactivity URL
    assert [c["url"] for c in printed["features"]["slash_commands"]] == [events]
    assert all("url" not in s for s in printed["features"]["shortcuts"])  # shortcuts use interactivity
    redirects = printed["oauth_config"].get("redirect_urls")
    assert redirects == (["https://recap.example.com/slack/oauth_redirect"] if oauth else None)
    # everything else is the shipped manifest: same scopes, events, commands
    shipped = socket_mode_manifest()
    assert printed["oauth_config"]["scopes"] == shipped["oauth_config"]["scopes"]
    assert settings["event_subscriptions"]["bot_events"] == shipped["settings"]["event_subscriptions"]["bot_events"]
    assert manifest_problems(printed) == []


def test_recap_manifest_json_keeps_a_path_prefix(capsys):
    code, out, _ = _run(capsys, "--http", "--url", "https://host.example:8443/recap", "--json")
    printed = json.loads(out)
    assert code == 0 and printed["settings"]["interactivity"]["request_url"] == "https://host.example:8443/recap/slack/events"


@pytest.mark.parametrize("argv, says", [
    (["--http", "--url", "http://recap.example.com"], "must be your public https URL"),
    (["--http", "--url", "recap.example.com"], "must be your public https URL"),
    (["--http", "--url", "https://recap.example.com/?a=1"], "must not have a ?query"),
    (["--http"], "--http needs --url"),
    (["--url", "https://recap.example.com"], "go with --http"),
])
def test_recap_manifest_bad_input_is_one_line(capsys, argv, says):
    code, out, err = _run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and says in err and "Traceback" not in err


def test_the_validator_catches_what_slack_refuses():
    good = http_manifest("https://recap.example.com", oauth=True)
    assert manifest_problems(good) == []

    def broken(change) -> list[str]:
        manifest = http_manifest("https://recap.example.com", oauth=True)
        change(manifest)
        return manifest_problems(manifest)

    assert broken(lambda m: m["display_information"].pop("name")) == ["display_information.name is required"]
    assert "Slack allows 35" in broken(lambda m: m["display_information"].update(name="R" * 36))[0]
    assert "not a Slack bot scope" in broken(lambda m: m["oauth_config"]["scopes"]["bot"].append("chat:writes"))[0]
    assert broken(lambda m: m["oauth_config"]["scopes"]["bot"].remove("app_mentions:read")) == [
        "event app_mention needs the scope app_mentions:read"]
    assert "unknown event" in broken(lambda m: m["settings"]["event_subscriptions"]["bot_events"].append("no_such"))[0]
    assert "interactivity.request_url" in broken(lambda m: m["settings"]["interactivity"].pop("request_url"))[0]
    assert "event_subscriptions.request_url" in broken(
        lambda m: m["settings"]["event_subscriptions"].update(request_url="http://x.example/slack/events"))[0]
    assert "slash_commands[0].url" in broken(lambda m: m["features"]["slash_commands"][0].pop("url"))[0]
    assert "redirect_urls" in broken(lambda m: m["oauth_config"].update(redirect_urls=["http://x/slack/oauth"]))[0]
    assert "socket_mode_enabled" in broken(lambda m: m["settings"].pop("socket_mode_enabled"))[0]
    assert "shortcuts use settings.interactivity" in broken(
        lambda m: m["features"]["shortcuts"][0].update(url="https://x.example/s"))[0]
    # Socket Mode needs no URL at all
    assert manifest_problems(socket_mode_manifest()) == []


def test_the_readme_names_one_interactivity_url_and_the_command():
    readme = (ROOT / "README.md").read_text()
    assert "shortcut URL" not in readme and "shortcut and interactivity URLs" not in readme
    assert "recap manifest --http --url" in readme
