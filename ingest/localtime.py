"""The bureau's clock: Asia/Shanghai (zoneinfo), and naive local times as the raw layer
stores them (data contract: datetimes are naive Asia/Shanghai local time). The one home of
the time zone; anything that needs it imports ``SHANGHAI`` from here."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def shanghai_naive(ts: float) -> datetime:
    """A POSIX timestamp as naive Asia/Shanghai local time."""
    return datetime.fromtimestamp(ts, tz=SHANGHAI).replace(tzinfo=None)


def now_shanghai() -> datetime:
    """Now, as naive Asia/Shanghai local time to the second."""
    return datetime.now(SHANGHAI).replace(tzinfo=None, microsecond=0)
