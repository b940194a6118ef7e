"""Calendar months, as the apps count them: a month is the date of its first day."""

from __future__ import annotations

import datetime


def month_start(day: datetime.date) -> datetime.date:
    """The month `day` falls in."""
    return day.replace(day=1)


def months_back(month: datetime.date, count: int) -> datetime.date:
    """The month `count` months before `month` (after it, for a negative count)."""
    year, index = divmod(month.year * 12 + month.month - 1 - count, 12)
    return datetime.date(year, index + 1, 1)


def next_month(month: datetime.date) -> datetime.date:
    """The month after the one `month` falls in."""
    return months_back(month_start(month), -1)
