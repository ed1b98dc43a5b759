"""A regular (non-editable) install carries what Recap reads at run time: the prompts and the sample."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_wheel_ships_every_prompt_and_the_sample(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w",
                    str(tmp_path), str(ROOT)], check=True, capture_output=True, timeout=300)
    (wheel,) = tmp_path.glob("recap-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    prompts = sorted(p.name for p in (ROOT / "prompts").glob("*.md"))
    assert prompts and all(f"bot/prompts/{name}" in names for name in prompts)
    assert "bot/sample/channels.json" in names and "bot/py.typed" in names
    assert "bot/slack/manifest.yml" in names  # `recap manifest` prints it
    assert all(f"bot/locales/{lang}.json" in names for lang in ("zh", "ja", "es", "de", "fr", "pt"))  # translations
    # the loader reads them from inside the package, so a wheel install finds them
    unpacked = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(unpacked)
    code = ("from bot.llm.prompts import PROMPTS_DIR, load_prompt; "
            "print(PROMPTS_DIR); assert load_prompt('system').strip()")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env={"PYTHONPATH": str(unpacked)},
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == str(unpacked / "bot" / "prompts")
