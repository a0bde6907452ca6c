"""When a harvest source is due: its schedule, and the start of its last run.

A schedule is `hourly`, `daily`, `weekly`, `monthly` (30 days) or an ISO 8601 duration of
days, hours and minutes (`P1D`, `PT6H`, `P1DT12H`, `PT30M`). Nothing in hdcat runs on its
own: `hdcat harvest run --due`, started every few minutes by cron or a systemd timer, runs the
sources that are due (as CKAN's `harvester run` does).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from hdcat.errors import HdcatError

NAMED = {
    "hourly": timedelta(hours=1),
    "daily": timedelta(days=1),
    "weekly": timedelta(days=7),
    "monthly": timedelta(days=30),
}
_DURATION = re.compile(r"P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?")


def interval(schedule: str) -> timedelta:
    """The time between two runs of a source with this schedule."""
    text = schedule.strip()
    if text.lower() in NAMED:
        return NAMED[text.lower()]
    match = _DURATION.fullmatch(text.upper())
    if match and text.upper() not in ("P", "PT") and not text.upper().endswith("T"):
        days, hours, minutes = (int(g or 0) for g in match.groups())
        span = timedelta(days=days, hours=hours, minutes=minutes)
        if span >= timedelta(minutes=1):
            return span
    raise HdcatError(
        f"schedule {schedule!r}: use hourly, daily, weekly, monthly or an ISO 8601 duration"
        " such as P1D or PT6H (at least one minute)")


def next_due(schedule: str | None, last_started: str | None) -> datetime | None:
    """When a source is next due (UTC): one interval after its last run started, at once if
    it never ran (datetime.min), never without a schedule (None)."""
    if not schedule:
        return None
    if last_started is None:
        return datetime.min.replace(tzinfo=UTC)
    return datetime.fromisoformat(last_started) + interval(schedule)


def is_due(schedule: str | None, last_started: str | None, now: datetime | None = None) -> bool:
    due = next_due(schedule, last_started)
    return due is not None and due <= (now or datetime.now(UTC))


def next_run(schedule: str | None, last_started: str | None) -> str | None:
    """next_due as shown to people: ISO 8601, or "now" for a source never run."""
    due = next_due(schedule, last_started)
    if due is None:
        return None
    return "now" if last_started is None else due.isoformat()
