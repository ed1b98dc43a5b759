"""Shared files read as part of the conversation: kinds, budgets, the download host check, canvases."""

from __future__ import annotations

import http.server
import threading

from bot.slack.attachments import (
    AttachmentReader,
    FileBudget,
    SlackFileDownloader,
    file_kind,
    html_to_text,
)
from bot.slack.text import message_text
from tests.fakeslack import BOT_TOKEN, FakeSlack

CANVAS_HTML = (b"<html><head><title>x</title><style>p{}</style></head><body><h1>Launch plan</h1>"
               b"<p>We ship the beta on <b>March 3</b>.</p><ul><li>Ana owns the docs</li><li>Raj owns QA</li></ul>"
               b"</body></html>")


def test_kinds_follow_slacks_file_object() -> None:
    assert file_kind({"mode": "snippet", "filetype": "python", "mimetype": "text/plain"}) == "text"
    assert file_kind({"mimetype": "text/csv", "filetype": "csv"}) == "text"
    assert file_kind({"mimetype": "application/json", "filetype": "json"}) == "text"
    assert file_kind({"mimetype": "application/vnd.slack-docs", "filetype": "quip"}) == "canvas"
    assert file_kind({"mimetype": "application/pdf", "filetype": "pdf"}) == "binary"
    assert file_kind({"mimetype": "image/png", "filetype": "png"}) == "binary"
    assert file_kind({"mode": "tombstone", "mimetype": "text/plain"}) == "binary"
    assert file_kind({"mode": "hidden_by_limit", "mimetype": "text/plain"}) == "binary"


def test_canvas_html_becomes_lines_of_text() -> None:
    text = html_to_text(CANVAS_HTML.decode())
    assert text.splitlines() == ["Launch plan", "We ship the beta on March 3.", "• Ana owns the docs", "• Raj owns QA"]


def test_snippet_text_file_and_canvas_are_read_from_the_fake_and_pdf_is_named() -> None:
    with FakeSlack() as fake:
        files = [
            fake.file_object("deploy.sh", b"echo deploying to eu-west-1\n", mimetype="text/plain",
                             filetype="shell", mode="snippet"),
            fake.file_object("notes.txt", b"The root cause was the expired TLS certificate.\n",
                             mimetype="text/plain", filetype="text"),
            fake.file_object("Launch plan", CANVAS_HTML, mimetype="application/vnd.slack-docs", filetype="quip",
                             pretty_type="Canvas"),
            fake.file_object("design.pdf", b"%PDF-1.7 binary", mimetype="application/pdf", filetype="pdf"),
        ]
        reader = AttachmentReader(SlackFileDownloader(BOT_TOKEN, api_base_url=fake.base_url))
        text = message_text({"text": "files for the review", "files": files}, reader.text_of)
        downloads = [p["file"] for p in fake.calls_to("files-pri")]
    assert text.startswith("files for the review\n")
    assert "[file: deploy.sh]\necho deploying to eu-west-1\n[end of file: deploy.sh]" in text
    assert "expired TLS certificate" in text
    assert "• Ana owns the docs" in text and "<h1>" not in text
    assert "[file: design.pdf]" in text and "PDF-1.7" not in text
    assert files[3]["id"] not in downloads  # binaries are never downloaded
    assert len(downloads) == 3


def test_without_the_token_slack_answers_a_sign_in_page_which_is_not_the_file() -> None:
    with FakeSlack() as fake:
        file = fake.file_object("notes.txt", b"secret plan", mimetype="text/plain", filetype="text")
        reader = AttachmentReader(SlackFileDownloader("xoxb-wrong", api_base_url=fake.base_url))
        assert reader.text_of(file) is None
        assert message_text({"text": "", "files": [file]}, reader.text_of) == "[file: notes.txt]"


def test_the_token_goes_only_to_slacks_file_host() -> None:
    seen: list[str | None] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            seen.append(self.headers.get("Authorization"))
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"stolen")

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        evil = f"http://127.0.0.1:{server.server_address[1]}/x.txt"
        downloader = SlackFileDownloader(BOT_TOKEN, api_base_url="https://slack.com/api/")
        assert not downloader.allowed(evil)
        assert downloader.allowed("https://files.slack.com/files-pri/T1-F1/download/a.txt")
        assert not downloader.allowed("http://files.slack.com/files-pri/T1-F1/a.txt")
        assert not downloader.allowed("https://files.slack.com.evil.example/a.txt")
        reader = AttachmentReader(downloader)
        assert reader.text_of({"mimetype": "text/plain", "url_private_download": evil}) is None
        assert seen == []
    finally:
        server.shutdown()


def test_budgets_cut_a_file_and_stop_reading_after_the_conversations_share() -> None:
    with FakeSlack() as fake:
        big = fake.file_object("log.txt", b"line of the log\n" * 1000, mimetype="text/plain", filetype="text")
        other = fake.file_object("b.txt", b"second file body", mimetype="text/plain", filetype="text")
        reader = AttachmentReader(SlackFileDownloader(BOT_TOKEN, api_base_url=fake.base_url),
                                  FileBudget(per_file_chars=100, per_conversation_chars=100, max_bytes=4096))
        first = reader.text_of(big)
        second = reader.text_of(other)
    assert first is not None and first.endswith("[… the rest of the file was not read]")
    assert len(first.split("\n[…")[0]) <= 100
    assert second is None  # the conversation's budget is spent: named only


def test_a_snippet_falls_back_to_its_preview_when_the_download_fails() -> None:
    reader = AttachmentReader(lambda url, *, max_bytes: None)
    file = {"mode": "snippet", "mimetype": "text/plain", "name": "q.sql", "preview": "SELECT 1;",
            "url_private_download": "https://files.slack.com/x"}
    assert reader.text_of(file) == "SELECT 1;"
