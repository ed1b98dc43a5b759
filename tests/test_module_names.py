"""Every module-level name in ``bot/`` is bound once: the summarizer's rules are hundreds of regexes and helpers in one
module, and a second ``_CAVEAT = …`` further down silently replaces the first for every rule that reads it (this
happened once while adding a rule; nothing else would have caught it)."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import pytest

_BOT = Path(__file__).resolve().parents[1] / "bot"


def _bound_twice(path: Path) -> list[str]:
    names: Counter[str] = Counter()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            names[node.target.id] += 1
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names[node.name] += 1
    return sorted(name for name, count in names.items() if count > 1)


@pytest.mark.parametrize("path", sorted(_BOT.rglob("*.py")), ids=lambda p: str(p.relative_to(_BOT)))
def test_no_module_level_name_is_bound_twice(path: Path) -> None:
    assert _bound_twice(path) == []


def test_a_second_binding_is_found(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text('import re\n_CAVEAT = re.compile("a")\n\ndef f():\n    return 1\n\n_CAVEAT = re.compile("b")\n')
    assert _bound_twice(module) == ["_CAVEAT"]
