from django.conf import settings


def platform(request):
    return {"PUBLIC_URL": settings.PUBLIC_URL, "PLATFORM_NAME": "OCOP"}
