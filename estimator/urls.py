from django.urls import path

from estimator import api, views

app_name = "estimator"

urlpatterns = [
    path("", views.estimate_page, name="estimate"),
    path("save/", views.estimate_save, name="estimate-save"),
    path("compare/", views.compare_page, name="compare"),
    path("models/", views.catalogue_page, name="catalogue"),
    path("models/options/", views.model_options, name="model-options"),
    path("scenario/", views.scenario_page, name="scenario"),
    path("method/", views.method_page, name="method"),
    path("saved/", views.saved_list, name="saved-list"),
    path("saved/compare/", views.saved_compare, name="saved-compare"),
    path("saved/<int:estimate_id>/", views.saved_detail, name="saved-detail"),
    path("saved/<int:estimate_id>/delete/", views.saved_delete, name="saved-delete"),
]

api_urlpatterns = [
    path("estimates/", api.EstimatesApi.as_view(), name="estimates"),
    path("estimates/<int:estimate_id>/", api.EstimateDetailApi.as_view(), name="estimate-detail"),
    path("models/", api.ModelsApi.as_view(), name="models"),
    path("regions/", api.RegionsApi.as_view(), name="regions"),
]
