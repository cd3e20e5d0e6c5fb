"""UTC on both backends.

PostgreSQL returns `timestamptz` values in the session's time zone; SQLite stores the wall
time and returns it naive, silently dropping any offset it was given. So every timestamp is
converted to UTC before it is written or compared, and every one read is made aware again:

    >>> import datetime as dt
    >>> utc(dt.datetime(2024, 5, 1, 12, 0))  # naive, as SQLite returns it
    datetime.datetime(2024, 5, 1, 12, 0, tzinfo=datetime.timezone.utc)
"""

from __future__ import annotations

import datetime as dt


def utc(value: dt.datetime) -> dt.datetime:
    """`value` as an aware UTC datetime; a naive one is taken to be UTC already (SQLite)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def maybe_utc(value: dt.datetime | None) -> dt.datetime | None:
    return None if value is None else utc(value)


def require_aware(now: dt.datetime) -> dt.datetime:
    """The caller's clock, in UTC. A naive `now` is a programming error: its zone is a guess."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"now must be timezone-aware, got naive {now.isoformat()}")
    return now.astimezone(dt.UTC)
