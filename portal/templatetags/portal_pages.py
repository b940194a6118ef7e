"""Filters of the site's own pages (error pages)."""

from __future__ import annotations

import re

from django import template

register = template.Library()

# What Django itself puts in a 404's message: a class name, or get_object_or_404's model name. Not for people.
TECHNICAL_404 = re.compile(r"^(|Http404|Resolver404|No \w+ matches the given query\.)$")


@register.filter
def error_reason(message: object) -> str:
    """The reason an error page may show: a sentence the portal wrote for people, else nothing."""
    text = str(message or "").strip()
    return "" if TECHNICAL_404.match(text) else text
