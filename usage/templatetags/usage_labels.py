"""The dashboard's group names in templates, as its charts name them (usage.dashboard.group_label)."""

from __future__ import annotations

from typing import Any

from django import template

from usage import dashboard

register = template.Library()


@register.filter
def group_label(key: Any, by: str) -> str:
    """`{{ label|group_label:"month" }}` → "Jan 2026"; a missing department or use case → "Unattributed"."""
    return dashboard.group_label(by, key)
