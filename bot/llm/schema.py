"""The shape of a model's summary or answer: pydantic models, the JSON schema sent to the model, checks.

One set of models serves both ends of a call (the pattern of the OpenAI and Anthropic structured-output
guides, https://platform.openai.com/docs/guides/structured-outputs and
https://docs.anthropic.com/en/docs/build-with-claude/tool-use): :func:`strict_json_schema` turns them
into the schema the provider constrains generation with, and :func:`check_answer` validates what came
back, after :mod:`bot.llm.lenient` repaired the usual deviations of small models.

A summary answer::

    {"overview": str,
     "outcome": {"text": str, "sources": ["m9", ...]} | null,        where the conversation ended
     "key_points" | "decisions" | "open_questions": [{"text": str, "sources": ["m3", ...]}],
     "action_items": [{"text": str, "sources": [...], "owner": "@name" | null}]}

A question answer adds ``"answer": str``. Message ids (``m1``, ``m2``, …) are those of the transcript
(:func:`bot.llm.prompts.message_id`).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from bot.llm.lenient import normalize_owner, normalize_sources

SECTIONS = ("key_points", "decisions", "action_items", "open_questions")
MIN_MESSAGES_FOR_CONTENT = 3
"""A transcript with at least this many messages has something to summarize: all-empty sections are wrong."""


class SourcedPoint(BaseModel):
    """One point, citing the transcript messages it comes from."""

    text: str = Field(description="one plain sentence")
    sources: list[str] = Field(default_factory=list, description='message ids such as "m12"')


class ActionItem(SourcedPoint):
    """A task someone took on or was asked to do."""

    owner: str | None = Field(default=None, description="the person's @name as in the transcript, or null")


class SummaryAnswer(BaseModel):
    """A summary of a conversation (or of one part of it, or of partial summaries)."""

    overview: str = Field(default="", description="one sentence on what the conversation is about")
    outcome: SourcedPoint | None = Field(
        default=None, description="where the conversation ended (agreed, answered, still open), or null")
    key_points: list[SourcedPoint] = Field(default_factory=list, description="the main facts and points")
    decisions: list[SourcedPoint] = Field(default_factory=list, description="what people agreed")
    action_items: list[ActionItem] = Field(default_factory=list,
                                           description="tasks someone took on or was asked to do")
    open_questions: list[SourcedPoint] = Field(default_factory=list, description="questions nobody answered later")


class QuestionAnswer(SummaryAnswer):
    """The answer to a question about a conversation, with the points it rests on."""

    answer: str = Field(default="", description="a short, direct answer to the question (empty for a summary)")


def shape_hint(model: type[BaseModel]) -> str:
    """The answer's shape in one paragraph of the prompt, for an API that cannot carry the JSON schema
    (a compatible server without ``response_format``, or with JSON mode only): the keys, their types and
    their descriptions, from the same pydantic model as the schema.

    Args:
        model: :class:`SummaryAnswer` or :class:`QuestionAnswer`.

    Returns:
        ``Answer with one JSON object: {"overview": string (…), …}``.
    """
    item = '{"text": string, "sources": ["m3", …]}'
    parts = []
    for name, info in model.model_fields.items():
        if name in SECTIONS:
            shape = f'[{item[:-1]}, "owner": "@name" | null}}]' if name == "action_items" else f"[{item}]"
        elif name == "outcome":
            shape = f"{item} | null"
        else:
            shape = "string"
        parts.append(f'"{name}": {shape} ({info.description})' if info.description else f'"{name}": {shape}')
    return "Answer with one JSON object: {" + ", ".join(parts) + "}."


def strict_json_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The JSON schema of ``model`` in the strict subset both APIs accept.

    OpenAI's strict mode wants every property listed in ``required``, ``additionalProperties: false``
    on every object and no ``default``; ``$ref`` is inlined so that servers with partial schema support
    (llama.cpp's grammar converter) get one self-contained object. Titles and descriptions of the
    models are dropped except field descriptions, which guide the model.

    Args:
        model: a pydantic model class (:class:`SummaryAnswer`, :class:`QuestionAnswer`).

    Returns:
        A JSON-schema dict.
    """
    raw = model.model_json_schema()
    defs = raw.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, list):
            return [walk(item) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:  # the model's docstring stays out: field descriptions guide the model
            target = defs[node["$ref"].rsplit("/", 1)[-1]]
            return walk({k: v for k, v in target.items() if k != "description"})
        out = {k: walk(v) for k, v in node.items() if k not in ("title", "default")}
        if out.get("type") == "object" or "properties" in out:
            out["type"] = "object"
            out["additionalProperties"] = False
            out["required"] = list(out.get("properties", {}))
        return out

    schema: dict[str, Any] = walk(raw)
    schema.pop("description", None)
    return schema


# --------------------------------------------------------------------------------------------------
# Checks

# Template text a model may echo instead of answering (from prompts/*.md and the schema's descriptions).
_PLACEHOLDERS = (
    "one sentence: what the conversation is about", "one sentence on what the conversation is about",
    "what the whole conversation is about", "a fact the answer rests on", "a short, direct answer",
    "the answer to the question, from all parts", "one plain sentence", "message ids such as",
    "the person's @name as in the transcript", "where the conversation ended", "where it ended",
    "the main facts and points", "what people agreed", "tasks someone took on or was asked to do",
    "questions nobody answered later", "a short, direct answer to the question",
    "string", "text", "null", "none", "n/a", "overview", "outcome",
    "answer", *SECTIONS, *(s.replace("_", " ") for s in SECTIONS),
)
_JSONISH = re.compile(r'[\[{]\s*["{\[]|"\s*:\s*[\[{"]|\b(?:' + "|".join((*SECTIONS, "overview")) + r')"?\s*[:=]')
_WORDS = re.compile(r"\w+")
_ANGLED = re.compile(r"<[^@#!<>|]*>|\.\.\.?\s*same shape\s*\.\.\.?", re.IGNORECASE)


def is_template_echo(text: str) -> bool:
    """True when ``text`` is template or JSON text rather than content: a placeholder of our prompts
    ("one sentence: what the conversation is about"), ``...``, JSON syntax (``open_questions: [{``),
    or no word at all."""
    stripped = text.strip().strip("\"'`").strip()
    if not _WORDS.search(stripped) or _ANGLED.fullmatch(stripped):
        return True  # "...", "…", "-", "", "<one sentence>"
    lowered = " ".join(stripped.lower().rstrip(".:;,").split())
    if lowered in _PLACEHOLDERS or lowered.startswith(_PLACEHOLDERS[:11]):
        return True
    return bool(_JSONISH.search(stripped))


@dataclass
class Checked:
    """The result of :func:`check_answer`.

    Attributes:
        answer: the answer, normalised: citations as known ids, owners resolved, points without a
            known citation and echoed points removed.
        problems: what is wrong, one sentence each, written for the repair prompt; empty when all is well.
        fatal: True when the answer is unusable as it is (wrong shape, echo of the template, empty while
            the transcript has content); False when only some points had to be removed.
    """

    answer: SummaryAnswer
    problems: list[str] = field(default_factory=list)
    fatal: bool = False


def check_answer(data: Mapping[str, Any], *, model: type[SummaryAnswer], known_ids: Collection[str],
                 users: Mapping[str, str] | None = None, message_count: int = 0) -> Checked:
    """Validate a parsed answer against ``model`` and against the transcript it should come from.

    Deviations that carry no doubt are repaired quietly (``"m1, m2"`` sources, ``<@U123>`` owners, a
    string where a point object was expected, unknown ids next to known ones). What remains is reported:

    - wrong shape: none of the model's keys, or a field of the wrong type (fatal);
    - an echoed template: overview, answer or a point that is placeholder or JSON text (fatal when it
      is the overview or answer; the point is removed otherwise);
    - nothing said: every section empty (and no answer) although the transcript has at least
      :data:`MIN_MESSAGES_FOR_CONTENT` messages (fatal);
    - a point that cites no message of the transcript (removed); the ``outcome`` likewise (set to None).

    Args:
        data: the parsed JSON object (:func:`bot.llm.lenient.parse_json_object`).
        model: :class:`SummaryAnswer` or :class:`QuestionAnswer`.
        known_ids: the message ids the answer may cite (``{"m1", …}``).
        users: Slack user id -> name, to resolve ``<@U123>`` owners.
        message_count: messages in the transcript the answer summarizes (0: do not check emptiness).

    Returns:
        A :class:`Checked`; never raises.
    """
    problems: list[str] = []
    keys = set(model.model_fields)
    if not keys & set(data):
        return Checked(model(), [f"The answer has none of the keys {', '.join(sorted(keys))}."], fatal=True)
    cleaned: dict[str, Any] = {k: v for k, v in data.items() if k in keys}
    for section in SECTIONS:
        raw = cleaned.get(section)
        if raw is None:
            cleaned[section] = []
            continue
        if isinstance(raw, (str, dict)):
            raw = [raw]
        if not isinstance(raw, list):
            return Checked(model(), [f"{section} must be a list of objects."], fatal=True)
        items = []
        for item in raw:
            if isinstance(item, str):
                item = {"text": item}
            if not isinstance(item, dict):
                continue
            item = dict(item)
            item["sources"] = normalize_sources(item.get("sources", item.get("source")))
            if section == "action_items":
                item["owner"] = normalize_owner(item.get("owner"), users or {})
            else:
                item.pop("owner", None)
            items.append(item)
        cleaned[section] = items
    for key in ("overview", "answer"):
        if key in cleaned and cleaned[key] is None:
            cleaned[key] = ""
    ended = cleaned.get("outcome")
    if isinstance(ended, list):
        ended = ended[0] if ended else None
    if isinstance(ended, str):
        ended = {"text": ended} if ended.strip() else None
    if isinstance(ended, dict):
        ended = {"text": ended.get("text") or "", "sources": normalize_sources(ended.get("sources", ended.get("source")))}
    cleaned["outcome"] = ended if isinstance(ended, dict) else None
    try:
        answer = model.model_validate(cleaned)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        return Checked(model(), [f"Wrong shape at {where}: {first['msg']}."], fatal=True)

    fatal = False
    known = set(known_ids)
    for key in ("overview", "answer"):
        value = getattr(answer, key, "")
        if value and is_template_echo(value):
            problems.append(f"The {key} {value[:60]!r} repeats the template instead of saying something.")
            setattr(answer, key, "")
            fatal = True
    for section in SECTIONS:
        kept: list[SourcedPoint] = []
        for point in getattr(answer, section):
            point.text = point.text.strip()
            if not point.text or is_template_echo(point.text):
                problems.append(f"A point of {section} ({point.text[:40]!r}) is template text, not content.")
                continue
            point.sources = [s for s in point.sources if s in known]
            if not point.sources:
                problems.append(f"The point {point.text[:60]!r} cites no message of the transcript "
                                f"(use ids from m{_first(known)} to m{_last(known)}).")
                continue
            kept.append(point)
        setattr(answer, section, kept)
    if answer.outcome is not None:
        ended = answer.outcome
        ended.text = ended.text.strip()
        ended.sources = [s for s in ended.sources if s in known]
        if not ended.text or is_template_echo(ended.text):
            problems.append(f"The outcome ({ended.text[:40]!r}) is template text, not content.")
            answer.outcome = None
        elif not ended.sources:
            problems.append(f"The outcome {ended.text[:60]!r} cites no message of the transcript.")
            answer.outcome = None
    has_points = answer.outcome is not None or any(getattr(answer, s) for s in SECTIONS)
    if message_count >= MIN_MESSAGES_FOR_CONTENT and not has_points and not getattr(answer, "answer", ""):
        problems.append(f"Every list is empty although the transcript has {message_count} messages.")
        fatal = True
    if isinstance(answer, QuestionAnswer) and not answer.answer:
        problems.append("The answer field is empty.")
        fatal = True
    return Checked(answer, problems, fatal)


def _first(ids: set[str]) -> int:
    return min((int(i[1:]) for i in ids), default=1)


def _last(ids: set[str]) -> int:
    return max((int(i[1:]) for i in ids), default=1)
