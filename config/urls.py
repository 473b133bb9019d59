from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from ocop.interop.api import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("bo/", include("ocop.backoffice.urls")),
    path("", include("ocop.public.urls")),
]

# Public media (product photos). The embedded set-up has no separate web server; production puts
# media on object storage or behind the reverse proxy, where this route is never reached.
# Private files (exports, evidence) never live under MEDIA_ROOT: they are served by views that check access.
urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]

handler404 = "ocop.core.views.page_not_found"
handler500 = "ocop.core.views.server_error"
handler403 = "ocop.core.views.permission_denied"
