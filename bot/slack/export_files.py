"""The files of a Slack export, from a folder or its ``.zip``, and the workspace domain its name suggests."""

from __future__ import annotations

import json
import logging
import re
import threading
import zipfile
import zlib
from pathlib import Path
from typing import Any

from bot.errors import SlackReadError

logger = logging.getLogger(__name__)


def derive_domain(path: str | Path) -> str:
    """A workspace subdomain guessed from an export's folder or zip name.

    ``slack-export-rcontrib`` -> ``rcontrib``; ``Acme Slack export Jan 1 2020 - Dec 31 2020.zip`` ->
    ``acme``; ``example`` when nothing usable is left.
    """
    name = Path(path).name
    if name.lower().endswith(".zip"):
        name = name[:-4]
    name = name.lower()
    name = re.split(r"\s+slack export", name)[0]
    name = re.sub(r"^slack[-_ ]export[-_ ]?", "", name)
    name = re.sub(r"[^a-z0-9-]+", "-", name).strip("-")
    return name or "example"


def parse_domain(text: str) -> str | None:
    """A workspace subdomain as a person gives it (``acme``, ``acme.slack.com``, ``https://acme.slack.com/``) ->
    ``"acme"``; None when it is not one (letters, digits and hyphens, at most 63)."""
    domain = text.strip().lower().removeprefix("https://").removeprefix("http://").rstrip("/")
    domain = domain.removesuffix(".slack.com")
    return domain if re.fullmatch(r"[a-z0-9][a-z0-9-]{0,62}", domain) else None


class ExportFiles:
    """Files of an export, from a folder or a zip, by POSIX relative path."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._zip: zipfile.ZipFile | None = None
        self._prefix = ""
        self._names: set[str] = set()
        self._lock = threading.Lock()
        if path.is_dir():
            return
        if not path.exists():
            raise SlackReadError(f"Slack export not found: {path}")
        try:
            self._zip = zipfile.ZipFile(path)
            names = self._zip.namelist()
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise SlackReadError(
                f"{path} is not a readable Slack export zip (truncated or corrupt: {exc}). "
                "Download the export again, or unzip it and pass the folder."
            ) from exc
        roots = sorted(
            (n[: -len("channels.json")] for n in names if n.endswith("channels.json") and n.count("/") <= 1),
            key=len,
        )
        users_roots = sorted((n[: -len("users.json")] for n in names if n.endswith("users.json")), key=len)
        self._prefix = (roots or users_roots or [""])[0]
        self._names = {n[len(self._prefix) :] for n in names if n.startswith(self._prefix)}

    def exists(self, name: str) -> bool:
        if self._zip is None:
            return (self.path / name).is_file()
        return name in self._names

    def folders(self) -> list[str]:
        """Top-level folders (candidate channel folders)."""
        if self._zip is None:
            return sorted(p.name for p in self.path.iterdir() if p.is_dir())
        return sorted({n.split("/", 1)[0] for n in self._names if n.count("/") == 1 and n.split("/", 1)[0]})

    def listdir(self, folder: str) -> list[str]:
        """File names directly inside ``folder``."""
        if self._zip is None:
            target = self.path / folder
            return sorted(p.name for p in target.iterdir() if p.is_file()) if target.is_dir() else []
        prefix = folder.rstrip("/") + "/"
        return sorted(
            n[len(prefix) :] for n in self._names if n.startswith(prefix) and "/" not in n[len(prefix) :] and n != prefix
        )

    def read_json(self, name: str) -> Any:
        """Parse one JSON file; undecodable bytes are replaced, never fatal."""
        try:
            if self._zip is None:
                raw = (self.path / name).read_bytes()
            else:
                with self._lock:
                    raw = self._zip.read(self._prefix + name)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, KeyError) as exc:
            raise SlackReadError(f"cannot read {name} from the Slack export {self.path}: {exc}") from exc
        text = raw.decode("utf-8", errors="replace").lstrip("\ufeff")
        try:
            return json.loads(text)
        except ValueError as exc:
            raise SlackReadError(f"{name} in the Slack export {self.path} is not valid JSON: {exc}") from exc


__all__ = ["ExportFiles", "derive_domain"]
