from django.urls import path

from courses import api, views

app_name = "courses"

urlpatterns = [
    path("", views.course_list, name="list"),
    path("<slug:slug>/", views.course_detail, name="detail"),
    path("<slug:slug>/enroll/", views.course_enroll, name="enroll"),
    path("<slug:slug>/tasks/<int:task_id>/", views.task_workspace, name="task"),
    path("<slug:slug>/tasks/<int:task_id>/finish/", views.task_finish, name="finish"),
    path("<slug:slug>/tasks/<int:task_id>/give-up/", views.task_give_up, name="give-up"),
    path("<slug:slug>/modules/<int:order>/", views.module_page, name="module"),
    path("<slug:slug>/results/", views.my_results, name="results"),
    path("<slug:slug>/certificate/", views.certificate, name="certificate"),
    path("<slug:slug>/cohort/", views.cohort_results, name="cohort"),
    path("<slug:slug>/cohort.csv", views.cohort_csv, name="cohort-csv"),
]

api_urlpatterns = [
    path("", api.CoursesApi.as_view(), name="courses"),
    path("results/", api.ResultsApi.as_view(), name="results"),
]
