"""Usage in the Django admin: connections: credentials write-only, rules inline, the sync history read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext as _

from portal.models import User
from usage.connectors import services
from usage.connectors.forms import ConnectionForm
from usage.models import Connection, MappingRule, SyncRun


class MappingRuleInline(admin.TabularInline):
    model = MappingRule
    extra = 0
    autocomplete_fields = ()


class SyncRunInline(admin.TabularInline):
    model = SyncRun
    extra = 0
    can_delete = False
    fields = ("created_at", "trigger", "requested_by", "status", "start_date", "end_date", "buckets_read",
              "records_written", "unattributed_buckets", "error")  # fmt: skip
    readonly_fields = fields
    ordering = ["-created_at"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Connection)
class ConnectionAdmin(admin.ModelAdmin):
    form = ConnectionForm
    list_display = ["name", "kind", "schedule_hours", "synced_through", "is_demo"]
    list_filter = ["kind", "is_demo"]
    readonly_fields = ["secret_set_at", "synced_through", "next_sync_at"]
    inlines = [MappingRuleInline, SyncRunInline]

    def save_model(self, request: HttpRequest, obj: Connection, form: Any, change: bool) -> None:
        secret = form.cleaned_data.get("secret")
        if not change:
            user = request.user
            assert isinstance(user, User)  # the admin site lets signed-in staff only in
            obj.created_by = user
        super().save_model(request, obj, form, change)
        if secret and obj.kind != Connection.Kind.OTLP:
            services.connection_set_secret(connection=obj, secret=secret)
        elif not change and obj.kind == Connection.Kind.OTLP:
            token = services.connection_set_secret(connection=obj, secret="")
            self.message_user(
                request, _("The exporters' token, shown this once: %(token)s") % {"token": token}
            )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        services.connection_reattribute(connection=form.instance)  # rules may have changed
