"""CSV files from French spreadsheets (issue 13, item 14): columns separated by ';' are imported like
commas; a file whose columns are not separated at all says so, in the reader's language, instead of
listing every column as missing."""

import pytest
from django.utils import translation

from tests.usage.test_usage import HEADER, good_rows, run_import
from usage.models import UsageRecord

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("separator", [";", "\t"])
def test_semicolon_and_tab_separated_files_are_imported(root, sales, tmp_path, settings, language, separator):
    content = (HEADER + good_rows(3)).replace(",", separator)

    with translation.override(language):
        result = run_import(root, content.encode(), tmp_path, settings)

    assert result.status == "done", result.message
    assert UsageRecord.objects.count() == 3


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "The first line has a single column (“date|department|use_case"),
        ("fr", "La première ligne n’a qu’une colonne (« date|department|use_case"),
    ],
)
def test_a_file_with_unknown_separators_says_how_to_separate_the_columns(
    root, sales, tmp_path, settings, language, expected
):
    content = (HEADER + good_rows(1)).replace(",", "|")

    with translation.override(language):
        result = run_import(root, content.encode(), tmp_path, settings)

    assert result.status == "invalid" and result.message.startswith(expected)
    assert "Missing columns" not in result.message and "Colonnes manquantes" not in result.message
    assert not UsageRecord.objects.exists()


def test_a_semicolon_file_missing_a_column_names_it(root, sales, tmp_path, settings):
    content = (HEADER + good_rows(1)).replace(",external_id", "").replace(",crm,0", ",crm").replace(",", ";")

    with translation.override("fr"):
        result = run_import(root, content.encode(), tmp_path, settings)

    assert result.status == "invalid" and "external_id" in result.message
