"""A lenient reader for the JSON that real models write, and the normalisation of ids and owners.

Recorded from SmolLM2-135M and from larger models without JSON constraints (issue 12), each handled here:

- a raw newline (or tab) inside a string: ``json.JSONDecoder(strict=False)`` accepts control characters;
- a Markdown fence, with prose around it, even prose that contains ``}``: the object is decoded with
  ``raw_decode`` from its first ``{``, so whatever follows it is ignored;
- two objects in a row: the first with one of the expected keys wins;
- trailing commas before ``}`` or ``]``: removed outside strings;
- citations ``"m4,"``, ``"m1, m2"``, ``"[m6]"``, ``4``: every ``mN`` (or bare number) in them;
- owners ``<@U123>`` (the name of that user in the transcript) and ``@raj and @tom`` (the first known
  person).

Truncated JSON is not guessed at: the caller asks again with a larger budget or a smaller chunk.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping
from typing import Any

_DECODER = json.JSONDecoder(strict=False)
_FENCE = re.compile(r"```[ \t]*(?:json|JSON|javascript)?[ \t]*\n?(.*?)(?:```|\Z)", re.DOTALL)
_ID = re.compile(r"(?<![A-Za-z0-9])[mM]?(\d{1,6})(?!\d)")
_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|([^>]*))?>")
_OWNER_SPLIT = re.compile(r"\s*(?:,|;|&|/|\+|\band\b|\bund\b|\bet\b|\by\b|和|と)\s*", re.IGNORECASE)
_NO_OWNER = {"", "null", "none", "nobody", "n/a", "na", "unassigned", "unknown", "tbd", "-"}


def _drop_trailing_commas(text: str) -> str:
    """``text`` without commas that directly precede ``}`` or ``]`` (outside strings)."""
    out: list[str] = []
    in_string = escaped = False
    pending_comma: list[str] = []  # a comma and the whitespace after it, held until we see what follows
    for char in text:
        if in_string:
            out.append(char)
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
            continue
        if pending_comma:
            if char.isspace():
                pending_comma.append(char)
                continue
            if char in "}]":
                out.extend(pending_comma[1:])  # keep the whitespace, drop the comma
            else:
                out.extend(pending_comma)
            pending_comma = []
        if char == ",":
            pending_comma = [char]
            continue
        if char == '"':
            in_string = True
        out.append(char)
    out.extend(pending_comma)
    return "".join(out)


def _objects(text: str) -> list[dict[str, Any]]:
    """Every top-level JSON object found in ``text``, in order."""
    found: list[dict[str, Any]] = []
    fixed = _drop_trailing_commas(text)
    pos = fixed.find("{")
    tries = 0
    while pos >= 0 and tries < 50:
        tries += 1
        try:
            value, end = _DECODER.raw_decode(fixed, pos)
        except json.JSONDecodeError:
            pos = fixed.find("{", pos + 1)
            continue
        if isinstance(value, dict):
            found.append(value)
        pos = fixed.find("{", end)
    return found


def parse_json_object(text: str, *, expected: Collection[str] = ()) -> dict[str, Any]:
    """The JSON object in a completion, read leniently (see the module docstring).

    Args:
        text: the completion text.
        expected: keys the answer should have; among several objects the first with one of them wins.

    Returns:
        The object.

    Raises:
        ValueError: no JSON object could be read (:class:`json.JSONDecodeError` is a subclass).
    """
    candidates = [m.group(1) for m in _FENCE.finditer(text)] + [text]
    objects = [obj for candidate in candidates for obj in _objects(candidate)]
    if not objects:
        raise ValueError("the answer holds no JSON object" + (" (it looks cut off)" if "{" in text else ""))
    wanted = set(expected)
    for obj in objects:
        if wanted & set(obj):
            return obj
    return objects[0]


def normalize_sources(raw: object) -> list[str]:
    """Message ids from whatever a model wrote as ``sources``: ``["m4,"]``, ``"m1, m2"``, ``["[m6]"]``,
    ``[4]`` -> ``["m4"]``, ``["m1", "m2"]``, ``["m6"]``, ``["m4"]``; order kept, duplicates dropped."""
    items = raw if isinstance(raw, list) else [raw] if isinstance(raw, (str, int)) else []
    out: list[str] = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, (str, int)):
            continue
        for number in _ID.findall(str(item)):
            ident = f"m{int(number)}"
            if ident not in out:
                out.append(ident)
    return out


def normalize_owner(raw: object, users: Mapping[str, str]) -> str | None:
    """An action item's owner as ``@name``, or None.

    ``<@U123>`` (or ``<@U123|raj>``, or a bare ``U123``) becomes the name of that user in ``users``;
    several people (``@raj and @tom``, ``raj, tom``) become the first one who is known (in ``users``),
    else the first named. ``null``, ``none``, ``unassigned`` and the like are no owner.

    Args:
        raw: the model's ``owner`` value.
        users: Slack user id -> name, for the people of the transcript.

    Returns:
        ``"@name"`` or None. Whether the name really is in the conversation is the output guard's check.
    """
    if not isinstance(raw, str):
        return None

    def mention(match: re.Match[str]) -> str:
        return "@" + (users.get(match.group(1)) or match.group(2) or "")

    text = _MENTION.sub(mention, raw)
    names = [part.strip().strip("@").strip() for part in _OWNER_SPLIT.split(text)]
    names = [users.get(n, n) for n in names if n.lower() not in _NO_OWNER]
    if not names:
        return None
    known = {name.lower() for name in users.values()}
    for name in names:
        if name.lower() in known:
            return f"@{name}"
    return f"@{names[0]}"
