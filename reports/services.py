"""Report settings (one row, edited by admins)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from portal.models import User
from reports.models import ReportSettings


def report_settings() -> ReportSettings:
    settings, _created = ReportSettings.objects.get_or_create(pk=1)
    return settings


def report_settings_update(*, user: User, refresher_months: int) -> ReportSettings:
    if not user.is_org_admin:
        raise PermissionDenied
    settings = report_settings()
    settings.refresher_months = refresher_months
    settings.save(update_fields=["refresher_months"])
    return settings
