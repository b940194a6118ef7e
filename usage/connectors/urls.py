from django.urls import path

from usage.connectors import views

# Included by usage/urls.py under the "usage" namespace.
urlpatterns = [
    path("usage/connections/", views.connection_list, name="connections"),
    path("usage/connections/new/", views.connection_new, name="connection-new"),
    path("usage/connections/<int:connection_id>/", views.connection_detail, name="connection"),
    path("usage/connections/<int:connection_id>/edit/", views.connection_edit, name="connection-edit"),
    path("usage/connections/<int:connection_id>/test/", views.connection_test, name="connection-test"),
    path("usage/connections/<int:connection_id>/sync/", views.connection_sync, name="connection-sync"),
    path("usage/connections/<int:connection_id>/token/", views.connection_new_token, name="connection-token"),
    path("usage/connections/<int:connection_id>/rules/", views.rule_add, name="connection-rule-add"),
    path(
        "usage/connections/<int:connection_id>/rules/<int:rule_id>/delete/",
        views.rule_delete,
        name="connection-rule-delete",
    ),
]

otlp_urlpatterns = [path("otlp/v1/traces", views.otlp_traces, name="otlp-traces")]
