from django.urls import path

from ocop.public import views

app_name = "public"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("verify/", views.verify, name="verify"),
    path("verify/certificate/<str:number>", views.certificate_verify, name="certificate-verify"),
]
