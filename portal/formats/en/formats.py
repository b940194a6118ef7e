"""Dates and times in English, as the portal shows them: "30 Nov 2026, 18:18", never "11/30/2026 6:18 p.m.".

Django's English defaults are American (month first, 12-hour clock); the portal's readers are in Europe.
Anything not set here comes from Django's own English formats (numbers: "30,000.5").
"""

DATE_FORMAT = "j F Y"  # 30 November 2026, in sentences
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j M Y"  # 30 Nov 2026, in tables
SHORT_DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "M Y"  # Nov 2026: a month in charts, tables and ranges
MONTH_DAY_FORMAT = "j F"
