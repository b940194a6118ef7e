from django.urls import path

from usage import api, views
from usage.connectors import api as connectors_api
from usage.connectors.urls import urlpatterns as connection_urlpatterns

app_name = "usage"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/tables/<slug:name>/", views.dashboard_table, name="dashboard-table"),
    path("dashboard/training/", views.dashboard_training, name="dashboard-training"),
    path("dashboard/what-if/", views.dashboard_what_if, name="dashboard-what-if"),
    path("usage/import/", views.usage_import_new, name="import-new"),
    path("usage/imports/", views.usage_import_list, name="imports"),
    path("usage/import/<int:import_id>/", views.usage_import_detail, name="import"),
    path("usage/import/<int:import_id>/retry/", views.usage_import_retry, name="import-retry"),
    path("usage/import/<int:import_id>/cancel/", views.usage_import_cancel, name="import-cancel"),
    path("usage/import/<int:import_id>/undo/", views.usage_import_undo, name="import-undo"),
    path("usage/template.csv", views.usage_csv_template, name="template"),
    *connection_urlpatterns,
]

api_urlpatterns = [
    path("records/", api.UsageRecordsApi.as_view(), name="records"),
    path("summary/", api.UsageSummaryApi.as_view(), name="summary"),
    path("imports/", api.UsageImportListApi.as_view(), name="imports"),
    path("imports/<int:import_id>/", api.UsageImportDetailApi.as_view(), name="import"),
    path("imports/<int:import_id>/undo/", api.UsageImportUndoApi.as_view(), name="import-undo"),
    path("connections/", connectors_api.ConnectionListApi.as_view(), name="connections"),
    path("connections/<int:connection_id>/", connectors_api.ConnectionDetailApi.as_view(), name="connection"),
    path(
        "connections/<int:connection_id>/sync/",
        connectors_api.ConnectionSyncApi.as_view(),
        name="connection-sync",
    ),
    path(
        "connections/<int:connection_id>/runs/",
        connectors_api.ConnectionRunsApi.as_view(),
        name="connection-runs",
    ),
    path(
        "connections/<int:connection_id>/rules/",
        connectors_api.ConnectionRulesApi.as_view(),
        name="connection-rules",
    ),
]
