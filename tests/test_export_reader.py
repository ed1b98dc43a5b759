"""ExportReader on hand-written fixtures (both layouts, folder and zip) and on real exports."""

from __future__ import annotations

import json
import time
import zipfile
from pathlib import Path

import pytest

from bot.errors import SlackReadError
from bot.slack.export import ExportReader, derive_domain

FIXTURES = Path(__file__).parent / "fixtures" / "export_small"
D = 1704067200  # 2024-01-01T00:00:00Z
PARENT = f"{D + 3600}.003600"


@pytest.fixture
def modern() -> ExportReader:
    return ExportReader(FIXTURES / "modern", domain="acme")


def _zip_folder(folder: Path, target: Path, *, prefix: str = "") -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, prefix + path.relative_to(folder).as_posix())
    return target


def test_channels_lists_every_index_file(modern: ExportReader) -> None:
    by_id = {c.id: c for c in modern.channels()}
    assert set(by_id) == {"C0GENERAL", "C0RANDOM", "G0SECRET", "D0ALBOB"}
    assert by_id["G0SECRET"].is_private and by_id["G0SECRET"].is_restricted
    assert by_id["D0ALBOB"].is_im and by_id["D0ALBOB"].name == "alice, Bob Brown"
    assert by_id["C0RANDOM"].is_archived
    assert modern.channel("#general").id == "C0GENERAL"
    assert modern.channel("C0GENERAL").name == "general"


def test_unknown_channel_lists_known_names(modern: ExportReader) -> None:
    with pytest.raises(SlackReadError) as info:
        modern.channel("nope")
    assert "general" in str(info.value) and "random" in str(info.value)


def test_history_window_drops_noise_and_resolves_text(modern: ExportReader) -> None:
    msgs = modern.history("general", oldest=D, latest=D + 86400, include_replies=False)
    assert [m.ts for m in msgs] == [PARENT, f"{D + 5000}.005000", f"{D + 6000}.006000"]
    parent, bot, file_only = msgs
    assert parent.text == "Release plan for v2 & docs: see #random and ask @Bob Brown"
    assert parent.reply_count == 3 and parent.thread_ts == PARENT
    assert parent.user_name == "alice"
    assert parent.permalink == f"https://acme.slack.com/archives/C0GENERAL/p{D + 3600}003600"
    assert bot.is_bot and bot.user_name == "ci-bot" and bot.user_id is None
    assert file_only.text == "[file: roadmap.pdf]"


def test_history_includes_replies_in_window_and_parent_for_context(modern: ExportReader) -> None:
    day2 = modern.history("general", oldest=D + 86400, latest=D + 2 * 86400)
    # the broadcast reply appears once, the parent (posted the day before) is included for context
    assert [m.ts for m in day2] == [PARENT, f"{D + 86400 + 3600}.003600", f"{D + 86400 + 7200}.007200"]
    broadcast = day2[1]
    assert broadcast.is_reply and broadcast.text == "Docs are merged the docs (https://example.org/docs)"
    assert day2[2].permalink.endswith(f"?thread_ts={PARENT}&cid=C0GENERAL")
    assert day2[2].text == "Changelog done, shipping @here"
    without = modern.history("general", oldest=D + 86400, latest=D + 2 * 86400, include_replies=False)
    assert [m.ts for m in without] == [f"{D + 86400 + 3600}.003600"]  # the broadcast shows in the channel


def test_thread_spanning_days_matches_reply_count(modern: ExportReader) -> None:
    thread = modern.thread("C0GENERAL", PARENT)
    assert thread[0].ts == PARENT
    assert len(thread) - 1 == thread[0].reply_count == 3
    assert all(m.thread_ts == PARENT for m in thread)
    # asking with a reply's ts gives the whole thread
    assert [m.ts for m in modern.thread("C0GENERAL", thread[2].ts)] == [m.ts for m in thread]


def test_thread_unknown_ts_raises(modern: ExportReader) -> None:
    with pytest.raises(SlackReadError):
        modern.thread("general", "1111111111.000001")


def test_window_reads_only_needed_day_files(modern: ExportReader) -> None:
    modern.history("general", oldest=D + 5 * 86400, latest=D + 6 * 86400)
    assert set(modern._day_cache) == {"general/2024-01-06.json"}


def test_legacy_layout_without_threads() -> None:
    reader = ExportReader(FIXTURES / "legacy")
    assert reader.domain == "legacy"
    msgs = reader.history("general", oldest=0, latest=2e9)
    assert [m.text for m in msgs] == [
        "Welcome to the team!",
        "[file: chart.png]",  # a legacy file_share: what its author wrote (nothing here), then the file
        "New post: Hello world",
        "<3 this",
    ]
    assert msgs[2].is_bot and msgs[2].user_name == "rss"
    assert all(m.thread_ts is None for m in msgs)
    assert [m.ts for m in reader.thread("C0OLD", msgs[0].ts)] == [msgs[0].ts]


@pytest.mark.parametrize("prefix", ["", "Acme Slack export Jan 1 2024/"])
def test_zip_reads_like_the_folder(tmp_path: Path, modern: ExportReader, prefix: str) -> None:
    zipped = ExportReader(_zip_folder(FIXTURES / "modern", tmp_path / "acme.zip", prefix=prefix))
    assert zipped.domain == "acme"
    assert {c.id for c in zipped.channels()} == {c.id for c in modern.channels()}
    assert zipped.thread("general", PARENT) == modern.thread("general", PARENT)
    assert zipped.history("D0ALBOB", oldest=D, latest=D + 86400)[0].text == "hi bob"


def test_truncated_zip_is_a_clear_error(tmp_path: Path) -> None:
    good = _zip_folder(FIXTURES / "modern", tmp_path / "full.zip")
    cut = tmp_path / "cut.zip"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(SlackReadError, match="truncated or corrupt"):
        ExportReader(cut)


def test_not_an_export_and_missing_path(tmp_path: Path) -> None:
    with pytest.raises(SlackReadError):
        ExportReader(tmp_path / "missing")
    with pytest.raises(SlackReadError, match="does not look like a Slack export"):
        ExportReader(tmp_path).channels()


def test_non_utf8_bytes_are_replaced(tmp_path: Path) -> None:
    (tmp_path / "general").mkdir()
    (tmp_path / "channels.json").write_text(json.dumps([{"id": "C1", "name": "general"}]))
    (tmp_path / "users.json").write_text("[]")
    body = b'[{"type": "message", "user": "U1", "text": "caf\xe9 ok", "ts": "1704067300.000100"}]'
    (tmp_path / "general" / "2024-01-01.json").write_bytes(body)
    msgs = ExportReader(tmp_path).history("general", oldest=D, latest=D + 86400)
    assert msgs[0].text == "caf\ufffd ok" and msgs[0].user_name == "U1"


@pytest.mark.parametrize(
    ("name", "domain"),
    [
        ("slack-export-rcontrib", "rcontrib"),
        ("Acme Corp Slack export Jan 1 2020 - Dec 31 2020.zip", "acme-corp"),
        ("testarchive", "testarchive"),
        ("___", "example"),
    ],
)
def test_derive_domain(name: str, domain: str) -> None:
    assert derive_domain(name) == domain


# ---------------------------------------------------------------- real exports


@pytest.mark.realdata
def test_rcontrib_sprint_threads_rebuilt(shared_data: Path) -> None:
    reader = ExportReader(shared_data / "slack-export-rcontrib")
    assert reader.domain == "rcontrib"
    channel = reader.channel("r-project-sprint")  # folder missing from channels.json: ID is its name
    msgs = reader.history(channel.id, oldest=0, latest=2e9)
    parents = [m for m in msgs if m.reply_count and not m.is_reply]
    assert len(parents) >= 20
    for parent in parents:
        thread = reader.thread(channel.id, parent.ts)
        assert thread[0].ts == parent.ts
        assert len(thread) - 1 == parent.reply_count
    assert not any(m.text.endswith("has joined the channel") for m in msgs)


@pytest.mark.realdata
def test_rcontrib_week_of_busy_channel_is_fast(shared_data: Path) -> None:
    reader = ExportReader(shared_data / "slack-export-rcontrib")
    start = time.perf_counter()
    week = reader.history("general", oldest=1690000000, latest=1690000000 + 7 * 86400)
    assert time.perf_counter() - start < 1.0
    assert len(reader._day_cache) <= 9
    assert all(1690000000 <= float(m.ts) < 1690000000 + 7 * 86400 or m.reply_count for m in week)


@pytest.mark.realdata
def test_houstondatavis_old_layout(shared_data: Path) -> None:
    reader = ExportReader(shared_data / "slack-export-houstondatavis")
    msgs = reader.history("general", oldest=0, latest=2e9)
    assert len(msgs) > 100
    assert all(m.thread_ts is None for m in msgs)
    assert all("<@U" not in m.text for m in msgs)
    assert msgs == sorted(msgs, key=lambda m: float(m.ts))


@pytest.mark.realdata
def test_viewer_fixture_testarchive(shared_data: Path) -> None:
    reader = ExportReader(shared_data / "slack-export-viewer-fixture" / "testarchive")
    names = {c.name for c in reader.channels()}
    assert {"enrique", "traveling-sailor"} <= names
    assert reader.history("enrique", oldest=0, latest=2e9)


def test_rcontrib_reactions_are_read(shared_data: Path) -> None:
    """The export keeps each emoji's ``count``: "@Ahmadou Dicko submits his first patch! :tada:" got 31."""
    reader = ExportReader(shared_data / "slack-export-rcontrib")
    week = reader.history("r-project-sprint", oldest=1693559299.0, latest=1693559300.0)
    assert [(m.ts, m.reactions) for m in week] == [("1693559299.706479", 31)]
