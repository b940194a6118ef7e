"""HTML to PDF with WeasyPrint: the pages' templates and the dashboard's chart data, with a print stylesheet."""

from __future__ import annotations

import threading
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

_local = threading.local()


def _font_config() -> Any:
    """One WeasyPrint font configuration per thread, kept from one document to the next: making one
    reads fontconfig's configuration and font list again (and Pango's font maps are not to be shared
    between threads)."""
    config = getattr(_local, "font_config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration  # on use: see render_pdf

        config = _local.font_config = FontConfiguration()
    return config


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    # Imported on use: WeasyPrint takes about 0.8 s to import (it loads Pango and its fonts), which
    # only the processes that render a PDF should pay.
    from weasyprint import HTML

    html = render_to_string(template, context)
    pdf: bytes = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(font_config=_font_config())
    return pdf
