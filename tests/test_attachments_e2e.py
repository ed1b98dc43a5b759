"""End to end: a thread whose substance is a shared snippet, a text file and a canvas is summarized with
them, points citing the messages that shared them; a PDF is named, never read."""

from __future__ import annotations

import json
import re

import pytest

from tests.fakeslack import FakeSlack

CANVAS = (b"<html><body><h1>Incident review</h1><p>Customer impact lasted forty minutes across the EU region.</p>"
          b"<ul><li>Rotate certificates with the new automation before renewal dates.</li></ul></body></html>")


@pytest.fixture
def workspace():
    with FakeSlack() as fake:
        for uid, name in [("U1", "maya"), ("U2", "raj"), ("U3", "lena")]:
            fake.add_user(uid, name)
        fake.add_channel("C0GEN", "general", members=["U1", "U2", "U3"])
        yield fake


def test_snippet_text_file_and_canvas_are_summarized_and_cited(harness, workspace):
    fake = workspace
    parent = fake.post("C0GEN", "U1", "Incident follow-up: notes and the timeline are attached below.")
    thread_ts = parent["ts"]
    snippet = fake.post("C0GEN", "U2", "", thread_ts=thread_ts, files=[fake.file_object(
        "timeline.txt", b"The outage began when the load balancer rejected the expired TLS certificate.\n",
        mimetype="text/plain", filetype="text", mode="snippet")])
    notes = fake.post("C0GEN", "U3", "root cause notes", thread_ts=thread_ts, files=[fake.file_object(
        "rootcause.md", b"Root cause: the certificate renewal job had been disabled during the migration.\n",
        mimetype="text/markdown", filetype="markdown")])
    canvas = fake.post("C0GEN", "U1", "", thread_ts=thread_ts, files=[fake.file_object(
        "Incident review", CANVAS, mimetype="application/vnd.slack-docs", filetype="quip", pretty_type="Canvas")])
    fake.post("C0GEN", "U2", "the architecture diagram", thread_ts=thread_ts, files=[fake.file_object(
        "design.pdf", b"%PDF-1.7 secret-binary", mimetype="application/pdf", filetype="pdf")])
    mention = fake.post("C0GEN", "U1", "<@U0BOT> summarize", thread_ts=thread_ts)
    harness.event({"type": "app_mention", "user": "U1", "text": f"<@{fake.bot_user_id}> summarize",
                   "ts": mention["ts"], "thread_ts": thread_ts, "channel": "C0GEN"}, event_id="EvFiles1")
    final = json.dumps(harness.wait_calls("chat.update")[-1].get("blocks"), ensure_ascii=False)

    from_files = ["expired TLS certificate", "renewal job had been disabled", "forty minutes", "Rotate certificates"]
    assert sum(phrase in final for phrase in from_files) >= 2, final
    cited = set(re.findall(r"/p(\d{16})", final))
    sharing = {m["ts"].replace(".", "") for m in (snippet, notes, canvas)}
    assert cited & sharing, (cited, sharing)
    assert "secret-binary" not in final
    downloaded = {p["file"] for p in fake.calls_to("files-pri")}
    pdf_id = next(m for m in fake.channels["C0GEN"].replies[thread_ts] if "design.pdf" in json.dumps(m))["files"][0]["id"]
    assert pdf_id not in downloaded and len(downloaded) == 3
