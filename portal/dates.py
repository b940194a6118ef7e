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


def quarter_start(month: datetime.date) -> datetime.date:
    """The first month of the quarter `month` falls in."""
    return datetime.date(month.year, (month.month - 1) // 3 * 3 + 1, 1)


# The dashboard's period presets, in the order it lists them. "This …" runs to this month (the months to
# come have no usage yet, and the comparison with the months before would be lopsided).
PERIOD_PRESETS = (
    "this-month",
    "last-month",
    "this-quarter",
    "last-quarter",
    "this-year",
    "last-year",
    "last-12-months",
)


def preset_period(preset: str, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last months (inclusive) of a preset period, seen from `today`."""
    this_month = month_start(today)
    this_quarter = quarter_start(this_month)
    periods = {
        "this-month": (this_month, this_month),
        "last-month": (months_back(this_month, 1), months_back(this_month, 1)),
        "this-quarter": (this_quarter, this_month),
        "last-quarter": (months_back(this_quarter, 3), months_back(this_quarter, 1)),
        "this-year": (this_month.replace(month=1), this_month),
        "last-year": (datetime.date(today.year - 1, 1, 1), datetime.date(today.year - 1, 12, 1)),
        "last-12-months": (months_back(this_month, 11), this_month),
    }
    return periods[preset]
