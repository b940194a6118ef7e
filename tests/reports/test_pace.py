"""Pace and forecast of a yearly target: pure table tests."""

import datetime

import pytest

from portal.dates import share_of_year
from reports import pace


@pytest.mark.parametrize(
    ("day", "share"),
    [
        (datetime.date(2026, 1, 1), 1 / 365),
        (datetime.date(2026, 7, 2), 183 / 365),
        (datetime.date(2026, 12, 31), 1.0),
        (datetime.date(2028, 12, 31), 1.0),  # leap year
        (datetime.date(2028, 2, 29), 60 / 366),
    ],
)
def test_the_pace_is_the_share_of_the_year_gone_by(day, share):
    assert share_of_year(day) == pytest.approx(share)


@pytest.mark.parametrize(
    ("monthly", "ahead", "expected"),
    [
        ([], 3, 0.0),
        ([10.0], 3, 30.0),  # one month: flat
        ([10.0, 10.0, 10.0], 2, 20.0),  # flat
        ([1.0, 2.0, 3.0], 2, 4.0 + 5.0),  # rising by one a month
        ([30.0, 20.0, 10.0], 3, 0.0 + 0.0 + 0.0),  # falling: never below zero
        ([5.0, 4.0, 3.0], 3, 2.0 + 1.0 + 0.0),
        ([1.0, 2.0, 3.0], 0, 0.0),  # nothing ahead
    ],
)
def test_the_trend_projects_the_least_squares_line(monthly, ahead, expected):
    assert pace.trend_projection(monthly, ahead) == pytest.approx(expected)


def test_the_trend_uses_the_last_twelve_months_only():
    old_spike = [1000.0] * 5
    steady = [10.0] * 12
    assert pace.trend_projection(old_spike + steady, 2) == pytest.approx(20.0)


@pytest.mark.parametrize(
    ("day", "to_date", "off_pace", "spans"),
    [
        # target 365 kg: pace is 1 kg a day
        (datetime.date(2026, 1, 10), (5.0, 9.0, 12.0), False, True),  # pace 10: central under
        (datetime.date(2026, 1, 10), (10.5, 11.0, 12.0), True, False),  # the whole range is above
        (datetime.date(2026, 1, 10), (2.0, 4.0, 6.0), False, False),  # the whole range is under
        (datetime.date(2026, 1, 10), (8.0, 10.0, 12.0), False, True),  # exactly on pace is on pace
    ],
)
def test_off_pace_compares_the_central_year_to_date_with_the_pace(day, to_date, off_pace, spans):
    progress = pace.progress(
        target=365.0, day=day, to_date=to_date, complete_months=[], complete_this_year=0.0
    )
    assert progress.pace == pytest.approx(10.0)
    assert progress.off_pace is off_pace
    assert progress.range_spans_pace is spans
    assert progress.forecast is None


def test_the_forecast_adds_the_trend_to_the_complete_months_with_the_estimate_range():
    # Given March 15: January and February complete (10 and 20 kg), March so far 8 kg
    progress = pace.progress(
        target=200.0,
        day=datetime.date(2026, 3, 15),
        to_date=(19.0, 38.0, 57.0),
        complete_months=[10.0, 20.0],
        complete_this_year=30.0,
    )
    # Then the trend (+10 kg a month) projects March to December: 30 + 40 + … + 120
    central = 30.0 + sum(30.0 + 10 * k for k in range(10))
    assert progress.forecast == pytest.approx((central / 2, central, central * 1.5))
    assert progress.forecast_above_target is True
