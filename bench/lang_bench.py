"""langdetect vs lingua as the backend of :func:`bot.lang.detect_language`: accuracy, start-up time, memory.

Usage: ``.venv/bin/python bench/lang_bench.py`` (needs ``lingua-language-detector`` installed).

Both backends run inside the same :func:`bot.lang.detect_language` (CJK by script, Slack markup removed,
one call on the joined non-CJK text), so only the detector differs. Three measures:

1. ``recap eval language``: the behaviour set ``evals/cases/language.jsonl`` (conversation level, the
   offline summarizer), through :func:`bot.evals.behaviour.run_behaviour` with each backend;
2. message level: every message of those cases alone (≥ 3 letters), labelled with its case's language;
3. short texts: the mentions of ``evals/cases/trigger.jsonl`` with a ``lang`` label, the bot mention
   removed (≥ 3 letters; a few words each, the hard case).

Start-up (import, build, first detection) and resident memory are measured in a fresh interpreter per
backend (growth of the peak resident set, ``VmHWM``). lingua is built with the languages :data:`bot.lang.LANGUAGE_NAMES`
lists, minus Chinese, Japanese and Korean (told by script), with lazily loaded models, in its default
(high-accuracy) mode and in its low-accuracy mode (``lingua-low``: trigram models only).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

STARTUP = r"""
import re, time, sys
def peak_kib():  # VmHWM: this process's peak resident memory (ru_maxrss would carry the parent's over exec)
    return int(re.search(r"VmHWM:\s+(\d+)", open("/proc/self/status").read()).group(1))
before = peak_kib()
t0 = time.perf_counter()
import bot.lang as lang
lang.BACKEND = sys.argv[1]
lang._DETECTOR = None
code = lang.detect_language(["Wir liefern am Freitag aus, die Tests sind grün.", "Ja, ich schreibe die Notizen."])
t1 = time.perf_counter()
code2 = lang.detect_language(["Nous livrons vendredi, les tests sont verts.", "Je rédige les notes de version."])
t2 = time.perf_counter()
after = peak_kib()
print(f"{code} {code2} {t1 - t0:.3f} {t2 - t1:.4f} {after - before}")
"""


def _letters(text: str) -> int:
    return len(re.findall(r"[^\W\d_]", text))


def _accuracy(backend: str) -> dict[str, float | int]:
    import bot.lang as lang
    from bot.evals.behaviour import run_behaviour
    from bot.evals.cli import offline_summarizer

    lang.BACKEND, lang._DETECTOR = backend, None
    report = run_behaviour("language", path=ROOT / "evals/cases/language.jsonl", summarizer=offline_summarizer(),
                           system="offline", threshold=False)
    cases = [json.loads(line) for line in (ROOT / "evals/cases/language.jsonl").read_text().splitlines() if line]
    messages = [(m["text"], c["expect"]["language"]) for c in cases for m in c["messages"] if _letters(m["text"]) >= 3]
    ok_messages = sum(lang.detect_language([t]) == want for t, want in messages)
    mentions = []
    for line in (ROOT / "evals/cases/trigger.jsonl").read_text().splitlines():
        case = json.loads(line)
        text = re.sub(r"<@[A-Z0-9]+>", " ", case["text"]).strip()
        if case.get("lang") and _letters(text) >= 3:
            mentions.append((text, case["lang"]))
    ok_mentions = sum(lang.detect_language([t]) == want for t, want in mentions)
    return {"eval_language": report.score, "eval_n": report.n,
            "messages": ok_messages / len(messages), "messages_n": len(messages),
            "short_texts": ok_mentions / len(mentions), "short_texts_n": len(mentions)}


def main() -> int:
    print(f"{'backend':<11} {'eval language':>14} {'messages':>10} {'short texts':>12} {'start-up s':>11} "
          f"{'next call s':>12} {'memory MiB':>11}")
    for backend in ("langdetect", "lingua", "lingua-low"):
        acc = _accuracy(backend)
        out = subprocess.run([sys.executable, "-c", STARTUP, backend], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.split()
        print(f"{backend:<11} {acc['eval_language']:>13.1%} {acc['messages']:>9.1%} {acc['short_texts']:>11.1%} "
              f"{float(out[2]):>11.2f} {float(out[3]):>12.4f} {int(out[4]) / 1024:>11.0f}"
              f"   (n = {acc['eval_n']} cases, {acc['messages_n']} messages, {acc['short_texts_n']} texts; "
              f"detected {out[0]}, {out[1]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
