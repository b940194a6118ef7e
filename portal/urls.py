from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.authtoken.views import ObtainAuthToken

from courses.urls import api_urlpatterns as courses_api
from estimator.urls import api_urlpatterns as estimator_api
from governance.urls import api_urlpatterns as governance_api
from portal import api, views

portal_patterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/training/", views.dashboard_training, name="dashboard-training"),
    path("dashboard/what-if/", views.dashboard_what_if, name="dashboard-what-if"),
    path("usage/import/", views.usage_import_new, name="usage-import-new"),
    path("usage/import/<int:import_id>/", views.usage_import_detail, name="usage-import"),
    path("usage/template.csv", views.usage_csv_template, name="usage-template"),
]

urlpatterns = [
    path("", include((portal_patterns, "portal"))),
    path("estimator/", include("estimator.urls")),
    path("api/v1/estimator/", include((estimator_api, "estimator-api"))),
    path("governance/", include("governance.urls")),
    path("api/v1/governance/", include((governance_api, "governance-api"))),
    path("courses/", include("courses.urls")),
    path("api/v1/courses/", include((courses_api, "courses-api"))),
    path("api/v1/usage/records/", api.UsageRecordsApi.as_view(), name="usage-records"),
    path("api/v1/usage/summary/", api.UsageSummaryApi.as_view(), name="usage-summary"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.ApiRootView.as_view(), name="api-root"),
    path("api/v1/auth/token/", ObtainAuthToken.as_view(), name="api-token"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        # Swagger UI sets inline styles; its scripts are still our own files only.
        csp_update({"style-src": ["'unsafe-inline'"]})(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema")
        ),
        name="api-docs",
    ),
]
