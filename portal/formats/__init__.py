"""Dates in each language's format: Django's FORMAT_MODULE_PATH (portal/formats/{en,fr}/formats.py), and
the labels built on them that several apps show the same way."""

from __future__ import annotations

import datetime

from django.utils.formats import date_format
from django.utils.translation import pgettext_lazy


def month_label(month: datetime.date) -> str:
    """A month as charts, tables and headings show it (the language's YEAR_MONTH_FORMAT): "Jan 2026" in
    English, "janv. 2026" in French. One function, so that a chart and its table name months alike."""
    return date_format(month, "YEAR_MONTH_FORMAT")


# The months' abbreviations ("N" in a format), as Django's own translations name them, listed here so that
# the portal's catalogue can give the French ones the usual forms (Imprimerie nationale: "janv.", "févr.",
# "sept."; Django's French says "jan.", "fév.", "sep."). The portal's catalogue comes before Django's.
MONTH_ABBREVIATIONS = (
    pgettext_lazy("abbrev. month", "Jan."),
    pgettext_lazy("abbrev. month", "Feb."),
    pgettext_lazy("abbrev. month", "Sept."),
)
