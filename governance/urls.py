from django.urls import path

from governance import api, views

app_name = "governance"

urlpatterns = [
    path("", views.use_case_list, name="list"),
    path("new/", views.use_case_create, name="create"),
    path("similar/", views.use_case_similar, name="similar"),
    path("preview/", views.use_case_preview, name="preview"),
    path("<int:use_case_id>/", views.use_case_detail, name="detail"),
    path("<int:use_case_id>/edit/", views.use_case_edit, name="edit"),
    path("<int:use_case_id>/join/", views.use_case_join, name="join"),
    path("<int:use_case_id>/budget/", views.use_case_budget_change, name="budget-change"),
    path("<int:use_case_id>/<slug:action>/", views.use_case_transition, name="transition"),
]

api_urlpatterns = [
    path("use-cases/", api.UseCasesApi.as_view(), name="use-cases"),
    path("use-cases/<int:use_case_id>/", api.UseCaseDetailApi.as_view(), name="use-case-detail"),
    path("use-cases/<int:use_case_id>/submit/", api.SubmitApi.as_view(), name="use-case-submit"),
    path("use-cases/<int:use_case_id>/approve/", api.ApproveApi.as_view(), name="use-case-approve"),
    path(
        "use-cases/<int:use_case_id>/request-changes/",
        api.RequestChangesApi.as_view(),
        name="use-case-request-changes",
    ),
    path("use-cases/<int:use_case_id>/reject/", api.RejectApi.as_view(), name="use-case-reject"),
    path("use-cases/<int:use_case_id>/retire/", api.RetireApi.as_view(), name="use-case-retire"),
    path("use-cases/<int:use_case_id>/events/", api.EventsApi.as_view(), name="use-case-events"),
    path("use-cases/<int:use_case_id>/budget/", api.BudgetApi.as_view(), name="use-case-budget"),
    path("budgets/", api.BudgetsApi.as_view(), name="budgets"),
]
