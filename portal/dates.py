"""Calendar months, as the apps count them (a month is the date of its first day), and the share of a
year gone by. Pure Python: the calculation cores use it too."""

from __future__ import annotations

import calendar
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


def days_in_year(year: int) -> int:
    return 366 if calendar.isleap(year) else 365


def share_of_year(day: datetime.date) -> float:
    """The share of `day`'s year gone by at the end of `day` (1/365 on 1 January, 1.0 on 31 December)."""
    return day.timetuple().tm_yday / days_in_year(day.year)
