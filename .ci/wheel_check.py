"""Drive an installed Recap (a wheel in a clean venv) from outside the repository: `.ci/wheel` runs this.

Usage: ``python wheel_check.py VENV_BIN FAKELLM_PY WORKDIR``. Runs, with ``WORKDIR`` as the current
directory and an environment holding no keys:

1. ``recap summarize --sample`` (offline): it must print a summary of the sample;
2. ``recap manifest --http --url …``: the manifest ships in the wheel and gets its request URLs;
3. ``recap summarize --sample --provider openai`` against the fake OpenAI-compatible server of
   ``tests/fakellm.py`` (standard library only, loaded from its path, never from the installed package):
   the system prompt and the transcript prompt (both read from the wheel's ``bot/prompts``) must reach
   the server, and the printed summary must be the model's, not the offline fallback.

Exits 0 when both hold; otherwise prints one line ``wheel: …`` on stderr and exits 1.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

MODEL_OVERVIEW = "Wheel check: the team picks the v2.4 release date."
SUMMARY = {
    "overview": MODEL_OVERVIEW,
    "key_points": [{"text": "The flaky tests are the Postgres 16 upgrade path.", "sources": ["m2"]}],
    "decisions": [], "action_items": [], "open_questions": [],
}


def fail(message: str) -> None:
    print(f"wheel: {message}", file=sys.stderr)
    sys.exit(1)


def run_recap(bin_dir: Path, workdir: Path, args: list[str], extra_env: dict[str, str]) -> str:
    env = {"PATH": f"{bin_dir}{os.pathsep}/usr/bin:/bin", "HOME": str(workdir), "LANG": "C.UTF-8",
           "DATABASE_URL": "sqlite://", **extra_env}
    out = subprocess.run([str(bin_dir / "recap"), *args], cwd=workdir, env=env, capture_output=True, text=True,
                         timeout=90)
    if out.returncode != 0:
        last = (out.stderr.strip().splitlines() or ["(no output)"])[-1]
        fail(f"`recap {' '.join(args)}` exited {out.returncode}: {last}")
    return out.stdout


def main(argv: list[str]) -> int:
    bin_dir, fakellm_path, workdir = Path(argv[0]), Path(argv[1]), Path(argv[2])
    offline = run_recap(bin_dir, workdir, ["summarize", "--sample"], {"LLM_PROVIDER": "offline"})
    if "v2.4" not in offline:
        fail("`recap summarize --sample` printed no summary of the sample")

    manifest = run_recap(bin_dir, workdir, ["manifest", "--http", "--url", "https://recap.example.com"], {})
    if "request_url: https://recap.example.com/slack/events" not in manifest:
        fail("`recap manifest --http` printed no request URL (manifest.yml missing from the wheel?)")

    try:
        spec = importlib.util.spec_from_file_location("fakellm", fakellm_path)
        assert spec and spec.loader
        fakellm = importlib.util.module_from_spec(spec)
        sys.modules["fakellm"] = fakellm  # dataclasses look their module up
        spec.loader.exec_module(fakellm)
    except Exception as exc:  # noqa: BLE001 - one clear line, not a traceback
        fail(f"cannot load the fake model server {fakellm_path}: {type(exc).__name__}: {exc}")
    with fakellm.FakeLLM() as llm:
        llm.handler = lambda request: json.dumps(SUMMARY) if "<transcript>" in request.prompt else "v2.4 date"
        printed = run_recap(bin_dir, workdir, ["summarize", "--sample", "--provider", "openai"],
                            {"OPENAI_API_KEY": "wheel-check", "OPENAI_BASE_URL": llm.openai_base_url,
                             "LLM_MAX_RETRIES": "0"})
        requests = list(llm.requests)
    calls = [r for r in requests if "<transcript>" in r.prompt]
    if not calls:
        fail(f"no summary prompt reached the fake model ({len(requests)} request(s)): prompts missing from the wheel?")
    installed = subprocess.run(
        [str(bin_dir / "python"), "-I", "-c",
         "from importlib.resources import files; print(files('bot').joinpath('prompts/system.md').read_text())"],
        cwd=workdir, capture_output=True, text=True, timeout=60).stdout
    first_line = next((line.strip() for line in installed.splitlines() if line.strip()), "")
    if not first_line or first_line not in calls[0].system:
        fail("the wheel's system prompt (bot/prompts/system.md) did not reach the model")
    if "Maya" not in calls[0].prompt and "maya" not in calls[0].prompt:
        fail("the sample's messages are not in the prompt sent to the model")
    if MODEL_OVERVIEW not in printed or "Offline summary" in printed:
        fail("the printed summary is not the model's (offline fallback?): " + printed.strip().splitlines()[0][:120])
    print(f"wheel: ok: offline sample summarized; HTTP manifest printed; {len(calls)} model call(s) "
          "with the packaged prompts; "
          "model summary printed")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 4:
        fail("usage: wheel_check.py VENV_BIN FAKELLM_PY WORKDIR")
    sys.exit(main(sys.argv[1:]))
