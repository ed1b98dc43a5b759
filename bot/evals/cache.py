"""A provider wrapper that stores completions on disk, so rerunning an eval costs nothing.

The key is the SHA-256 of ``provider name, model, system prompt, prompt, max_tokens``; the value a
JSON file ``<cache_dir>/<key[:2]>/<key>.json`` holding the :class:`~bot.llm.base.Completion`. Only
``complete`` is cached; ``stream`` yields the cached (or fresh) completion as one delta.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel

from bot.llm.base import Completion, Provider

DEFAULT_CACHE_DIR = Path(".cache") / "evals"


class CachedProvider:
    """Wrap ``inner`` so each distinct call reaches it once.

    Args:
        inner: any :class:`~bot.llm.base.Provider`.
        cache_dir: where completions are kept (created when needed).

    Attributes:
        name, model, context_tokens: the inner provider's.
        hits, misses: calls answered from disk / passed to ``inner``.
    """

    def __init__(self, inner: Provider, *, cache_dir: Path = DEFAULT_CACHE_DIR) -> None:
        self.inner = inner
        self.name = inner.name
        self.model = inner.model
        self.context_tokens = inner.context_tokens
        self.cache_dir = cache_dir
        self.hits = 0
        self.misses = 0

    def key(self, *, system: str, prompt: str, max_tokens: int, schema: type[BaseModel] | None = None) -> str:
        """The cache key of one call (hex SHA-256); the schema's name is part of it."""
        parts: list[object] = [self.name, self.model, system, prompt, max_tokens]
        if schema is not None:
            parts.append(schema.__name__)
        blob = json.dumps(parts, ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def _path(self, key: str) -> Path:
        return self.cache_dir / key[:2] / f"{key}.json"

    def complete(self, *, system: str, prompt: str, max_tokens: int = 1024,
                 schema: type[BaseModel] | None = None) -> Completion:
        """The cached completion, or the inner provider's (then stored). Raises LLMError like ``inner``."""
        path = self._path(self.key(system=system, prompt=prompt, max_tokens=max_tokens, schema=schema))
        if path.is_file():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                self.hits += 1
                return Completion(**data)
            except (ValueError, TypeError):
                path.unlink(missing_ok=True)  # a torn write: ask again
        completion = self.inner.complete(system=system, prompt=prompt, max_tokens=max_tokens, schema=schema)
        self.misses += 1
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(completion.__dict__, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)
        return completion

    def stream(self, *, system: str, prompt: str, max_tokens: int = 1024) -> Iterator[str]:
        """The completion as a single delta (streaming adds nothing to an eval)."""
        yield self.complete(system=system, prompt=prompt, max_tokens=max_tokens).text

    def count_tokens(self, text: str) -> int:
        """The inner provider's estimate."""
        return self.inner.count_tokens(text)
