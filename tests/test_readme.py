"""The README's newcomer path: every example marked runnable works on a fresh clone, offline, with nothing
beside the clone (no ``../shared/data``, no key); every other ``recap`` example says what it needs."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
MARKER = "<!-- runnable: offline"
_FENCE = re.compile(r"```(?:sh|bash)?\n(.*?)```", re.S)


def _commands(block: str) -> list[str]:
    """The ``.venv/bin/recap …`` commands of a fenced block (``\\`` continuations joined, comments dropped)."""
    joined = block.replace("\\\n", " ")
    return [line.strip() for line in joined.splitlines() if line.strip().startswith(".venv/bin/recap ")]


def _runnable_block() -> str:
    start = README.index(MARKER)
    match = _FENCE.search(README, start)
    assert match is not None, "no fenced block after the runnable marker"
    return match.group(1)


RUNNABLE = _commands(_runnable_block())
EXPECTED = {  # what each kind of example must print: the real thing, not an empty success
    "summarize": "v2.4",
    "digest": "#launch",
    "manifest": "request_url: https://recap.example.com/slack/events",
    "eval": "pass",
}


def _recap() -> list[str]:
    script = shutil.which("recap", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "bot"]


def test_the_readme_marks_the_newcomer_examples():
    assert len(RUNNABLE) >= 6
    kinds = {shlex.split(c)[1] for c in RUNNABLE}
    assert {"summarize", "digest", "manifest", "eval"} <= kinds


@pytest.mark.parametrize("command", RUNNABLE, ids=[" ".join(shlex.split(c)[1:3]) for c in RUNNABLE])
def test_each_runnable_readme_example_runs_on_a_fresh_clone(command, tmp_path):
    argv = shlex.split(command, comments=True)
    assert argv[0] == ".venv/bin/recap"
    args = argv[1:]
    if args[0] == "eval":
        args += ["--report", str(tmp_path / "report.json")]  # not into the clone's reports/
    env = {key: value for key, value in os.environ.items()
           if not key.endswith("_API_KEY") and not key.endswith("_BASE_URL") and not key.startswith("SLACK_")}
    env.update(RECAP_SHARED_DATA=str(tmp_path / "no-shared-data"), DATABASE_URL="sqlite://", HOME=str(tmp_path))
    env.pop("LLM_PROVIDER", None)  # no key at all: Recap must pick the offline summarizer itself
    out = subprocess.run([*_recap(), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
    assert out.returncode == 0, f"{command}\n{out.stderr[-2000:]}"
    expected = "I can write the upgrade guide" if "--question" in args else EXPECTED[args[0]]  # the sample's answer
    assert expected in out.stdout, out.stdout[-2000:]
    assert "Traceback" not in out.stderr


def test_every_other_recap_example_says_what_it_needs():
    """An example outside the runnable block needs the evaluation data, a path of yours, or Slack."""
    runnable = set(RUNNABLE)
    for block in _FENCE.findall(README):
        for command in _commands(block):
            if command in runnable:
                continue
            assert ("../shared/data" in command or "path/to/" in command or "SLACK_BOT_TOKEN" in command
                    or "eval all" in command or "eval sections" in command or "eval questions" in command
                    or "eval headlines" in command
                    or command.startswith(".venv/bin/recap run")), command
    section = README[README.index("### The evaluation data"):]
    assert "RECAP_SHARED_DATA" in section
    for folder in sorted(p.name for p in (ROOT.parent / "shared" / "data").glob("*/")):
        assert f"`{folder}/`" in section, f"{folder} is not explained with its source and licence"
