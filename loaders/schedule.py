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


def is_due(schedule: str | None, last_started: str | None, now: datetime | None = None) -> bool:
    """Whether a source is due: it has a schedule, and it never ran or its last run started
    at least one interval ago."""
    if not schedule:
        return False
    if last_started is None:
        return True
    now = now or datetime.now(UTC)
    return datetime.fromisoformat(last_started) + interval(schedule) <= now


def next_run(schedule: str | None, last_started: str | None) -> str | None:
    """When a scheduled source is next due (ISO 8601, UTC), or None if it has no schedule."""
    if not schedule:
        return None
    if last_started is None:
        return "now"
    return (datetime.fromisoformat(last_started) + interval(schedule)).isoformat()
