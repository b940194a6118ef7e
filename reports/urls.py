from django.urls import path

from reports import api, views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("targets/", views.targets, name="targets"),
    path("targets/<int:target_id>/delete/", views.target_delete, name="target-delete"),
    path("ghg-export/", views.export, name="export"),
    path("management-report.pdf", views.management_report, name="management-report"),
    path("ai-literacy-register/", views.register, name="register"),
]

api_urlpatterns = [
    path("targets/", api.TargetsApi.as_view(), name="targets"),
    path("ghg-export/", api.GhgExportApi.as_view(), name="ghg-export"),
    path("management-report/", api.ManagementReportApi.as_view(), name="management-report"),
    path("ai-literacy-register/", api.RegisterApi.as_view(), name="register"),
]
