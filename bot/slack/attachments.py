"""Files shared in a conversation, read as part of it: text snippets, text files and canvases.

A message that shares a file carries a ``files`` list of Slack file objects
(https://docs.slack.dev/reference/objects/file-object). Recap reads, within a size budget:

* **snippets** (``mode: "snippet"``) and **text files** (``mimetype`` ``text/*`` or a known text
  type such as JSON, YAML, CSV, XML): their bytes, decoded as UTF-8;
* **canvases** (``filetype: "quip"`` or ``"canvas"``, ``mimetype: "application/vnd.slack-docs"``): Slack
  has no method returning a canvas's content; downloading its ``url_private_download`` with the bot
  token returns the canvas as HTML (https://docs.slack.dev/surfaces/canvases), turned into text here.

Images, PDFs, archives and other binaries are named, never read. Downloads need the ``files:read``
scope and go only to Slack's file host over HTTPS (``files.slack.com``, or the host the Web API client
itself talks to, which is how tests point at a fake), with the bot token as a Bearer header
(https://docs.slack.dev/messaging/working-with-files#authenticated-downloads). The text of a file
becomes part of the message that shared it, so a point drawn from it cites that message, and it is
fenced by ``[file: name]`` … ``[end of file: name]`` lines: data, never instructions.
"""

from __future__ import annotations

import logging
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any, Protocol

logger = logging.getLogger(__name__)

CANVAS_MIMETYPE = "application/vnd.slack-docs"
CANVAS_FILETYPES = frozenset({"quip", "canvas"})
TEXT_MIMETYPES = frozenset({
    "application/json", "application/x-yaml", "application/yaml", "application/xml", "application/csv",
    "application/javascript", "application/x-sh", "application/sql", "application/toml",
})
UNREADABLE_MODES = frozenset({"tombstone", "hidden_by_limit", "external"})
SLACK_FILE_HOST = "files.slack.com"


@dataclass(frozen=True)
class FileBudget:
    """How much of a conversation's files is read.

    Attributes:
        per_file_chars: characters kept of one file (the rest is cut, and the cut is said).
        per_conversation_chars: characters of file text in one conversation read; files after that are
            named only.
        max_bytes: bytes downloaded of one file at most (a larger file is read up to here).
    """

    per_file_chars: int = 6_000
    per_conversation_chars: int = 30_000
    max_bytes: int = 256 * 1024


def file_kind(file: Mapping[str, Any]) -> str:
    """``"text"``, ``"canvas"`` or ``"binary"`` (named only) for a Slack file object."""
    if str(file.get("mode") or "") in UNREADABLE_MODES:
        return "binary"
    mimetype = str(file.get("mimetype") or "").lower()
    filetype = str(file.get("filetype") or "").lower()
    if mimetype == CANVAS_MIMETYPE or filetype in CANVAS_FILETYPES:
        return "canvas"
    if file.get("mode") == "snippet" or mimetype.startswith("text/") or mimetype in TEXT_MIMETYPES:
        return "text"
    return "binary"


def file_name(file: Mapping[str, Any]) -> str:
    """The name a person sees for a file: its title, else its file name."""
    if file.get("mode") == "tombstone":
        return "deleted file"
    return str(file.get("title") or file.get("name") or "untitled").strip() or "untitled"


class _HTMLText(HTMLParser):
    """HTML → text: block elements end lines, list items get a bullet, scripts and styles dropped."""

    BLOCKS = frozenset({"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "pre",
                        "blockquote", "section", "article", "table", "ul", "ol", "hr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "head", "title"):
            self._skip += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")
            if tag == "li":
                self.parts.append("• ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head", "title"):
            self._skip = max(0, self._skip - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """The readable text of an HTML document (a canvas export): one line per block, no markup."""
    parser = _HTMLText()
    parser.feed(html)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).splitlines()]
    return "\n".join(line for line in lines if line)


class FileFetcher(Protocol):
    """Downloads a private file URL; returns at most ``max_bytes`` bytes and the content type, or None
    when it cannot (not allowed, not found, no scope, network error)."""

    def __call__(self, url: str, *, max_bytes: int) -> tuple[bytes, str] | None: ...


class SlackFileDownloader:
    """Authenticated downloads of ``url_private_download`` / ``url_private`` with the bot token.

    Args:
        token: the bot token (``xoxb-…``) of the workspace the file belongs to.
        api_base_url: the Web API base URL the client uses; its host is allowed besides
            ``files.slack.com`` (tests run a fake Slack on ``127.0.0.1``; http is allowed only there).
        timeout: seconds per download.
    """

    def __init__(self, token: str, *, api_base_url: str | None = None, timeout: float = 10.0) -> None:
        self.token = token
        self.timeout = timeout
        api = urllib.parse.urlsplit(api_base_url or "")
        self._extra_origin = (api.scheme, api.netloc) if api.netloc and api.netloc != "slack.com" else None

    def allowed(self, url: str) -> bool:
        """Only Slack's file host over HTTPS (or the fake's own origin): the token never leaves Slack."""
        parts = urllib.parse.urlsplit(url)
        if parts.scheme == "https" and parts.hostname == SLACK_FILE_HOST:
            return True
        return self._extra_origin is not None and (parts.scheme, parts.netloc) == self._extra_origin

    def __call__(self, url: str, *, max_bytes: int) -> tuple[bytes, str] | None:
        if not self.token or not self.allowed(url):
            return None
        request = urllib.request.Request(url, headers={"Authorization": f"Bearer {self.token}"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - host checked
                if response.status != 200:
                    return None
                return response.read(max_bytes + 1), str(response.headers.get("Content-Type") or "")
        except (urllib.error.URLError, OSError, ValueError) as exc:
            logger.info("could not download a shared file: %s", exc)
            return None


class AttachmentReader:
    """Reads the text of the files shared in one conversation, within a :class:`FileBudget`.

    One reader per conversation read (its budget is spent across the conversation's files); safe to
    call from several threads.

    Args:
        fetch: the downloader (None: every file is named only, e.g. an export without its files).
        budget: size limits.
    """

    def __init__(self, fetch: FileFetcher | None, budget: FileBudget | None = None) -> None:
        self.fetch = fetch
        self.budget = budget or FileBudget()
        self._spent = 0
        self._lock = threading.Lock()

    def text_of(self, file: Mapping[str, Any]) -> str | None:
        """The file's text (cut to the budget, the cut said), or None when it is named only."""
        kind = file_kind(file)
        if kind == "binary" or self.fetch is None:
            return None
        with self._lock:
            left = self.budget.per_conversation_chars - self._spent
        if left <= 0:
            return None
        url = str(file.get("url_private_download") or file.get("url_private") or "")
        got = self.fetch(url, max_bytes=self.budget.max_bytes) if url else None
        if got is None:
            preview = file.get("preview")  # snippets carry their first lines
            if kind == "text" and isinstance(preview, str) and preview.strip():
                got = (preview.encode("utf-8"), "text/plain")
            else:
                return None
        data, content_type = got
        text = data[: self.budget.max_bytes].decode("utf-8", errors="replace")
        if kind == "canvas":
            text = html_to_text(text)
        elif "text/html" in content_type.lower():
            return None  # a sign-in page instead of the file (no files:read scope, or not visible)
        text = text.replace("\r\n", "\n").strip()
        if not text:
            return None
        limit = min(self.budget.per_file_chars, left)
        cut = len(text) > limit or len(data) > self.budget.max_bytes
        text = text[:limit].rstrip()
        with self._lock:
            self._spent += len(text)
        return text + ("\n[… the rest of the file was not read]" if cut else "")


def files_of(raw: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The file objects of a raw message (``files``, or the legacy single ``file``)."""
    files = raw.get("files") or ([raw["file"]] if isinstance(raw.get("file"), dict) else [])
    return [f for f in files if isinstance(f, Mapping)]


def file_section(file: Mapping[str, Any], read: Callable[[Mapping[str, Any]], str | None] | None) -> str:
    """How a shared file appears in its message's text: ``[file: name]`` alone, or fenced with its text."""
    name = file_name(file)
    text = read(file) if read is not None else None
    if not text:
        return f"[file: {name}]"
    return f"[file: {name}]\n{text}\n[end of file: {name}]"
