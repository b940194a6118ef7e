from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("targets/", views.targets, name="targets"),
    path("targets/<int:target_id>/delete/", views.target_delete, name="target-delete"),
]

api_urlpatterns: list = []
