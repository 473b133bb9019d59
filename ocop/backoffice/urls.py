"""Back office URLs. Each domain has its own module under ocop/backoffice/<domain>/urls.py."""

from django.urls import include, path

from ocop.backoffice import views

app_name = "bo"

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include("ocop.backoffice.accounts.urls")),
    path("jobs/", include("ocop.backoffice.jobs.urls")),
    path("geo/", include("ocop.backoffice.geo.urls")),
    path("", include("ocop.backoffice.registry.urls")),
    path("dossiers/", include("ocop.backoffice.evaluation.urls")),
    path("councils/", include("ocop.backoffice.councils.urls")),
    path("criteria/", include("ocop.backoffice.criteria.urls")),
    path("stamps/", include("ocop.backoffice.stamps.urls")),
    path("trace/", include("ocop.backoffice.traceability.urls")),
]
