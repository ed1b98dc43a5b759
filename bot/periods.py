"""Time windows: the one :class:`Window` type, the periods people type, and calendar weeks.

* :func:`parse_period` reads the period of a channel summary: ``today``, ``yesterday``, ``7d``, ``24h``,
  ``2w``, ``this week``, ``last week``, ``since monday``, ``since 2024-05-01``. Unknown text raises
  :class:`bot.errors.InputError` with a usage hint.
* :func:`iso_week`, :func:`days_window`, :func:`days_before` and :func:`weeks_between` build the
  calendar windows of digests and of ``recap summarize --week``: whole local days, DST-correct.

Every window is half-open, ``[oldest, latest)``, of aware datetimes in the zone it was built for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot import strings
from bot.errors import InputError

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_WEEKDAY_ABBR = {d[:3]: i for i, d in enumerate(WEEKDAYS)}
_UNITS = {"m": 60, "min": 60, "h": 3600, "hr": 3600, "d": 86400, "day": 86400, "days": 86400,
          "w": 7 * 86400, "wk": 7 * 86400, "week": 7 * 86400, "weeks": 7 * 86400, "hours": 3600}
_RELATIVE = re.compile(r"^(?:last\s+)?(\d{1,4})\s*(m|min|h|hr|hours|d|day|days|w|wk|week|weeks)$")
_ISO_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)
MAX_WINDOW = timedelta(days=90)

# English, for importers that read it once; the errors below resolve ``strings.PERIOD_HELP`` at call time.
PERIOD_HELP = str(strings.english()["PERIOD_HELP"])


@dataclass(frozen=True)
class Window:
    """A half-open time window ``[oldest, latest)``.

    Attributes:
        oldest: aware datetime, inclusive.
        latest: aware datetime, exclusive.
        label: how to say it to a person ("the last 7 days", "today", "28 Aug – 3 Sep 2023").
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

    def contains(self, ts: str) -> bool:
        """True when the Slack message timestamp ``ts`` (Unix seconds as text) lies in the window."""
        return self.oldest_ts <= float(ts) < self.latest_ts


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
            raise InputError(strings.PERIOD_EMPTY.format(raw=raw, help=strings.PERIOD_HELP))
        delta = timedelta(seconds=amount * _UNITS[unit])
        if delta > MAX_WINDOW:
            raise InputError(strings.PERIOD_TOO_LONG.format(raw=raw))
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
            raise InputError(strings.PERIOD_BAD_DATE.format(raw=raw, help=strings.PERIOD_HELP)) from None
        if start > local_now:
            raise InputError(strings.PERIOD_FUTURE.format(raw=raw))
        if now - start > MAX_WINDOW:
            raise InputError(strings.PERIOD_TOO_OLD.format(raw=raw))
        return Window(start, now, f"since {rest}")
    raise InputError(strings.PERIOD_UNKNOWN.format(raw=raw, help=strings.PERIOD_HELP))


def _describe(amount: int, unit: str) -> str:
    name = {"m": "minute", "min": "minute", "h": "hour", "hr": "hour", "hours": "hour", "d": "day",
            "day": "day", "days": "day", "w": "week", "wk": "week", "week": "week", "weeks": "week"}[unit]
    return f"{amount} {name}{'s' if amount != 1 else ''}" if amount != 1 else name


# ---------------------------------------------------------------------------------------- calendar windows


def _days_label(first: date, end_exclusive: date) -> str:
    last = end_exclusive - timedelta(days=1)
    return f"{first:%-d %b} – {last:%-d %b %Y}"


def days_window(first: date, end_exclusive: date, tz: str) -> Window:
    """Local midnight of ``first`` to local midnight of ``end_exclusive`` in the IANA zone ``tz``
    (DST-correct: a week in which clocks change is 167 or 169 hours long), labelled
    ``"28 Aug – 3 Sep 2023"``."""
    zone = ZoneInfo(tz)
    return Window(
        oldest=datetime.combine(first, time(0), tzinfo=zone),
        latest=datetime.combine(end_exclusive, time(0), tzinfo=zone),
        label=_days_label(first, end_exclusive),
    )


def iso_week(week: str, tz: str = "UTC") -> Window:
    """The ISO week ``"2023-W35"`` (or ``"2023W35"``) as a window from Monday 00:00 to the next Monday
    00:00 in ``tz``.

    Raises:
        InputError: not an ISO week.
    """
    match = _ISO_WEEK.match(week.strip())
    if not match:
        raise InputError(f"not an ISO week: {week!r} (use e.g. 2023-W35)")
    try:
        monday = date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
    except ValueError as exc:
        raise InputError(f"not an ISO week: {week!r}") from exc
    return days_window(monday, monday + timedelta(days=7), tz)


def days_before(moment: datetime, tz: str, *, days: int = 7) -> Window:
    """The ``days`` whole local days before the local day of ``moment`` (aware).

    A Monday 09:00 digest covers Monday to Sunday of the week before; a Friday 16:00 one the previous
    Friday to Thursday. Keyed on the local date, so a late (caught-up) run covers the same window.
    """
    local_day = moment.astimezone(ZoneInfo(tz)).date()
    return days_window(local_day - timedelta(days=days), local_day, tz)


def weeks_between(first: str, last: str) -> list[str]:
    """Every ISO week from ``first`` to ``last`` inclusive (``"2021-W01"`` … ``"2021-W52"``).

    Raises:
        InputError: a bound is not an ISO week, or ``last`` is before ``first``.
    """
    start, end = iso_week(first).oldest.date(), iso_week(last).oldest.date()
    if end < start:
        raise InputError(f"{last} is before {first}")
    out = []
    day = start
    while day <= end:
        year, number, _ = day.isocalendar()
        out.append(f"{year}-W{number:02d}")
        day += timedelta(days=7)
    return out
