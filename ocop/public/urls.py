from django.urls import path

from ocop.public import stamps, views

app_name = "public"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("verify/", views.verify, name="verify"),
    path("verify/certificate/<str:number>", views.certificate_verify, name="certificate-verify"),
    path("s/<str:code>", stamps.stamp_scan, name="stamp-scan"),
    path("s/<str:code>/location", stamps.stamp_locate, name="stamp-locate"),
    # GS1 Digital Link (docs/decisions/0007): with and without the lot.
    path("01/<str:gtin>/10/<str:lot>/21/<str:serial>", stamps.stamp_scan_link, name="stamp-link-lot"),
    path("01/<str:gtin>/21/<str:serial>", stamps.stamp_scan_link, name="stamp-link"),
]
