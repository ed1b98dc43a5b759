"""Parse the period of a channel summary: ``today``, ``yesterday``, ``7d``, ``24h``, ``2w``,
``this week``, ``last week``, ``since monday``, ``since 2024-05-01``.

All periods resolve in the workspace's time zone to a half-open window ``[oldest, latest)`` of aware
datetimes. Unknown text raises :class:`bot.errors.InputError` with a usage hint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.errors import InputError

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_WEEKDAY_ABBR = {d[:3]: i for i, d in enumerate(WEEKDAYS)}
_UNITS = {"m": 60, "min": 60, "h": 3600, "hr": 3600, "d": 86400, "day": 86400, "days": 86400,
          "w": 7 * 86400, "wk": 7 * 86400, "week": 7 * 86400, "weeks": 7 * 86400, "hours": 3600}
_RELATIVE = re.compile(r"^(?:last\s+)?(\d{1,4})\s*(m|min|h|hr|hours|d|day|days|w|wk|week|weeks)$")
MAX_WINDOW = timedelta(days=90)

PERIOD_HELP = "a period like `today`, `yesterday`, `24h`, `7d`, `2w`, `this week`, `last week`, `since monday`, `since 2024-05-01`"


@dataclass(frozen=True)
class Window:
    """A half-open time window ``[oldest, latest)``.

    Attributes:
        oldest, latest: aware datetimes.
        label: how to say it to a person ("the last 7 days", "today").
    """

    oldest: datetime
    latest: datetime
    label: str

    @property
    def oldest_ts(self) -> float:
        """``oldest`` as Unix seconds."""
        return self.oldest.timestamp()

    @property
    def latest_ts(self) -> float:
        """``latest`` as Unix seconds."""
        return self.latest.timestamp()


def _midnight(moment: datetime) -> datetime:
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


def _weekday_index(word: str) -> int | None:
    word = word.lower().rstrip(".")
    if word in WEEKDAYS:
        return WEEKDAYS.index(word)
    return _WEEKDAY_ABBR.get(word[:3]) if len(word) >= 3 and word[:3] in _WEEKDAY_ABBR and WEEKDAYS[_WEEKDAY_ABBR[word[:3]]].startswith(word) else None


def parse_period(text: str | None, *, now: datetime, tz: str = "UTC", default_hours: int = 24) -> Window:
    """Parse ``text`` into a :class:`Window` ending at ``now``.

    Args:
        text: the period as typed; None or empty means the last ``default_hours`` hours.
        now: the current time (aware).
        tz: IANA zone for calendar words (today, since monday).
        default_hours: default window length, hours.

    Raises:
        InputError: the text is not a period we understand, or it is longer than 90 days or in the future.
    """
    zone = ZoneInfo(tz)
    local_now = now.astimezone(zone)
    raw = (text or "").strip()
    words = raw.lower().strip()
    if not words:
        return Window(now - timedelta(hours=default_hours), now, f"the last {default_hours} hours")
    if words == "today":
        return Window(_midnight(local_now), now, "today")
    if words == "yesterday":
        start = _midnight(local_now) - timedelta(days=1)
        return Window(start, _midnight(local_now), "yesterday")
    if words == "this week":
        start = _midnight(local_now) - timedelta(days=local_now.weekday())
        return Window(start, now, "this week")
    if words == "last week":
        this_monday = _midnight(local_now) - timedelta(days=local_now.weekday())
        return Window(this_monday - timedelta(days=7), this_monday, "last week")
    match = _RELATIVE.match(words)
    if match:
        amount, unit = int(match.group(1)), match.group(2)
        if amount <= 0:
            raise InputError(f"`{raw}` is an empty period; try {PERIOD_HELP}.")
        delta = timedelta(seconds=amount * _UNITS[unit])
        if delta > MAX_WINDOW:
            raise InputError(f"`{raw}` is longer than Recap reads at once (90 days); try a shorter period.")
        return Window(now - delta, now, f"the last {_describe(amount, unit)}")
    if words.startswith("since "):
        rest = words[len("since "):].strip()
        day = _weekday_index(rest)
        if day is not None:
            back = (local_now.weekday() - day) % 7
            start = _midnight(local_now) - timedelta(days=back)
            return Window(start, now, f"since {WEEKDAYS[day].capitalize()}")
        if rest == "yesterday":
            return Window(_midnight(local_now) - timedelta(days=1), now, "since yesterday")
        try:
            start = datetime.strptime(rest, "%Y-%m-%d").replace(tzinfo=zone)
        except ValueError:
            raise InputError(f"I couldn't read the date in `{raw}`; try {PERIOD_HELP}.") from None
        if start > local_now:
            raise InputError(f"`{raw}` is in the future.")
        if now - start > MAX_WINDOW:
            raise InputError(f"`{raw}` is more than 90 days ago; try a shorter period.")
        return Window(start, now, f"since {rest}")
    raise InputError(f"I don't know the period `{raw}`; try {PERIOD_HELP}.")


def _describe(amount: int, unit: str) -> str:
    name = {"m": "minute", "min": "minute", "h": "hour", "hr": "hour", "hours": "hour", "d": "day",
            "day": "day", "days": "day", "w": "week", "wk": "week", "week": "week", "weeks": "week"}[unit]
    return f"{amount} {name}{'s' if amount != 1 else ''}" if amount != 1 else name
