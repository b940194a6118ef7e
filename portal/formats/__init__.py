"""Dates in each language's format: Django's FORMAT_MODULE_PATH (portal/formats/{en,fr}/formats.py), and
the labels built on them that several apps show the same way."""

from __future__ import annotations

import datetime

from django.utils.formats import date_format


def month_label(month: datetime.date) -> str:
    """A month as charts, tables and headings show it (the language's YEAR_MONTH_FORMAT): "Jan 2026" in
    English, "janv. 2026" in French. One function, so that a chart and its table name months alike."""
    return date_format(month, "YEAR_MONTH_FORMAT")
