"""HTML to PDF with WeasyPrint: the same templates and SVG charts as on screen, with a print stylesheet."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    # Imported on use: WeasyPrint takes about 0.8 s to import (it loads Pango and its fonts), which
    # only the processes that render a PDF should pay.
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
