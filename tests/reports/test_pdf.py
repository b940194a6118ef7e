"""The print user-agent stylesheet: WeasyPrint's own without its universal pseudo-element rules renders the
reports' PDFs exactly as WeasyPrint's does (same text, same pixels), and fails loudly if WeasyPrint changes."""

import subprocess
from pathlib import Path

import pytest
import weasyprint
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML

from reports import management, register
from reports.forms import parse_period
from reports.pdf import _print_html_class, print_user_agent_css
from tests.reports.test_register import complete
from tests.usage.test_dashboard import add_usage

pytestmark = pytest.mark.django_db

WEASYPRINT_CSS = (Path(weasyprint.__file__).parent / "css" / "html5_ua.css").read_text(encoding="utf-8")


def test_the_universal_pseudo_element_rules_are_scoped_or_left_out():
    css = print_user_agent_css(WEASYPRINT_CSS)

    rules = [line for line in css.splitlines() if line.startswith("::")]
    assert rules == []
    assert "li::marker { font-variant-numeric: tabular-nums" in css
    # Everything else is WeasyPrint's, line for line.
    assert len(css.splitlines()) == len(WEASYPRINT_CSS.splitlines())


@pytest.mark.parametrize(
    "changed",
    [
        "::marker { color: red }\n::marker { color: blue }",  # twice: which one to scope?
        "::footnote-call { content: counter(footnote) }",  # no ::marker rule any more
    ],
)
def test_a_weasyprint_whose_stylesheet_changed_is_refused(changed):
    with pytest.raises(ValueError, match="rules starting"):
        print_user_agent_css(changed)


def pages_as_png(pdf: bytes, directory: Path, name: str) -> list[bytes]:
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-", str(directory / name)], input=pdf, check=True)
    return [path.read_bytes() for path in sorted(directory.glob(f"{name}-*.png"))]


def pdf_text(pdf: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_reports_render_as_with_weasyprints_own_stylesheet(
    root, alice, sales, research, tmp_path, language
):
    add_usage([sales, research], months=3, per_month=2)
    complete(alice, days_ago=10)
    period = parse_period(str(timezone.localdate().year))
    with translation.override(language):
        documents = {
            "report": render_to_string(
                "reports/management_report.html", management.report_context(root, period=period)
            ),
            "register": render_to_string(
                "reports/register_pdf.html", {"register": register.register_build(root), "scope_label": "All"}
            ),
        }
    for name, html in documents.items():
        theirs = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
        ours = _print_html_class()(string=html, base_url=str(settings.BASE_DIR)).write_pdf()

        assert pdf_text(ours) == pdf_text(theirs)
        their_pages = pages_as_png(theirs, tmp_path, f"{name}-theirs")
        assert their_pages, name
        assert pages_as_png(ours, tmp_path, f"{name}-ours") == their_pages
