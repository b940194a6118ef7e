from django.urls import path

from usage.connectors import api

# Included by the project's URLs at the root (names: usage-connections…).
urlpatterns = [
    path("api/v1/usage/connections/", api.ConnectionListApi.as_view(), name="usage-connections"),
    path(
        "api/v1/usage/connections/<int:connection_id>/",
        api.ConnectionDetailApi.as_view(),
        name="usage-connection",
    ),
    path(
        "api/v1/usage/connections/<int:connection_id>/sync/",
        api.ConnectionSyncApi.as_view(),
        name="usage-connection-sync",
    ),
    path(
        "api/v1/usage/connections/<int:connection_id>/runs/",
        api.ConnectionRunsApi.as_view(),
        name="usage-connection-runs",
    ),
    path(
        "api/v1/usage/connections/<int:connection_id>/rules/",
        api.ConnectionRulesApi.as_view(),
        name="usage-connection-rules",
    ),
]
