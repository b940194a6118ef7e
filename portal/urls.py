from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.urls import api_urlpatterns as accounts_api
from accounts.urls import auth_urlpatterns
from courses.urls import api_urlpatterns as courses_api
from estimator.urls import api_urlpatterns as estimator_api
from governance.urls import api_urlpatterns as governance_api
from portal import api, views
from reports.urls import api_urlpatterns as reports_api
from usage.connectors.urls import otlp_urlpatterns
from usage.urls import api_urlpatterns as usage_api

portal_patterns = [
    path("", views.home, name="home"),
]

urlpatterns = [
    path("", include((portal_patterns, "portal"))),
    path("estimator/", include("estimator.urls")),
    path("api/v1/estimator/", include((estimator_api, "estimator-api"))),
    path("governance/", include("governance.urls")),
    path("api/v1/governance/", include((governance_api, "governance-api"))),
    path("courses/", include("courses.urls")),
    path("api/v1/courses/", include((courses_api, "courses-api"))),
    path("", include("usage.urls")),
    path("api/v1/usage/", include((usage_api, "usage-api"))),
    path("", include((otlp_urlpatterns, "otlp"))),
    path("reports/", include("reports.urls")),
    path("api/v1/reports/", include((reports_api, "reports-api"))),
    path("accounts/", include(auth_urlpatterns)),
    path("accounts/", include("accounts.urls")),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.ApiRootView.as_view(), name="api-root"),
    path("api/v1/auth/", include(accounts_api)),
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

handler400 = "portal.rest.bad_request"
handler403 = "portal.rest.permission_denied"
handler404 = "portal.rest.page_not_found"
handler500 = "portal.rest.server_error"
