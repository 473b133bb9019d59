from django.urls import path

from ocop.backoffice.jobs import views

app_name = "jobs"

urlpatterns = [
    path("<uuid:job_id>/", views.job_detail, name="job-detail"),
    path("<uuid:job_id>/progress/", views.job_progress, name="job-progress"),
    path("<uuid:job_id>/download/", views.job_download, name="job-download"),
    path("<uuid:job_id>/rerun/", views.job_rerun, name="job-rerun"),
]
