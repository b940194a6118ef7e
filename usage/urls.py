from django.urls import path

from usage import api, views

app_name = "usage"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/training/", views.dashboard_training, name="dashboard-training"),
    path("dashboard/what-if/", views.dashboard_what_if, name="dashboard-what-if"),
    path("usage/import/", views.usage_import_new, name="import-new"),
    path("usage/import/<int:import_id>/", views.usage_import_detail, name="import"),
    path("usage/template.csv", views.usage_csv_template, name="template"),
]

api_urlpatterns = [
    path("records/", api.UsageRecordsApi.as_view(), name="records"),
    path("summary/", api.UsageSummaryApi.as_view(), name="summary"),
]
