"""HTML to PDF with WeasyPrint: the pages' templates and the dashboard's chart data, with a print stylesheet."""

from __future__ import annotations

import functools
import threading
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

_local = threading.local()

# WeasyPrint's HTML user-agent stylesheet gives every element six pseudo-elements (`::marker`,
# `::footnote-call`, `::footnote-marker`, `::note-call`, `::note-marker`, `::note-callback`): their styles
# are computed for each element, used or not, and were two thirds of a management report's style step
# (130 of 400 ms of WeasyPrint's time for the yearly report). Our print templates have no footnotes and no
# notes; markers belong to list items only. The same stylesheet, with those rules so scoped, renders the
# same PDF (tests/reports/test_pdf.py compares both).
UNIVERSAL_PSEUDO_RULES = {
    "::marker {": "li::marker {",
    "::footnote-call {": None,
    "::footnote-marker {": None,
    "::note-call {": None,
    "::note-marker {": None,
    "::note-callback {": None,
}


def print_user_agent_css(css: str) -> str:
    """WeasyPrint's user-agent CSS with its universal pseudo-element rules scoped or left out. A rule
    missing from `css` is an error: a WeasyPrint that changed its stylesheet must be looked at again."""
    lines = css.splitlines()
    for start, replacement in UNIVERSAL_PSEUDO_RULES.items():
        found = [index for index, line in enumerate(lines) if line.startswith(start)]
        if len(found) != 1:
            raise ValueError(f"WeasyPrint's user-agent stylesheet has {len(found)} rules starting {start!r}")
        line = lines[found[0]]
        lines[found[0]] = "" if replacement is None else replacement + line[len(start) :]
    return "\n".join(lines)


@functools.cache
def _print_html_class() -> type:
    # Imported on use: WeasyPrint takes about 0.8 s to import (it loads Pango and its fonts), which only
    # the processes that render a PDF should pay.
    import weasyprint
    from weasyprint import CSS, HTML
    from weasyprint.html import UA_COUNTER_STYLE

    css = (Path(weasyprint.__file__).parent / "css" / "html5_ua.css").read_text(encoding="utf-8")
    stylesheet = CSS(string=print_user_agent_css(css), counter_style=UA_COUNTER_STYLE)

    class PrintHTML(HTML):
        # WeasyPrint's own tests give documents another user-agent stylesheet this way (pinned version).
        def _ua_stylesheets(self, forms: bool = False) -> list[Any]:
            return [stylesheet]

    return PrintHTML


def _font_config() -> Any:
    """One WeasyPrint font configuration per thread, kept from one document to the next: making one
    reads fontconfig's configuration and font list again (and Pango's font maps are not to be shared
    between threads)."""
    config = getattr(_local, "font_config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration  # on use: see _print_html_class

        config = _local.font_config = FontConfiguration()
    return config


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    html = render_to_string(template, context)
    pdf: bytes = _print_html_class()(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        font_config=_font_config()
    )
    return pdf
