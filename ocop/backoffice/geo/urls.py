from django.urls import path
from django.utils.translation import gettext_lazy as _

from ocop.accounts.access import is_officer
from ocop.backoffice.geo import views
from ocop.backoffice.navigation import NavItem, register_nav_item

app_name = "geo"

urlpatterns = [
    path("", views.province_list, name="province-list"),
    path("<str:code>/export/", views.province_export, name="province-export"),
]

register_nav_item(
    NavItem(
        url_name="bo:geo:province-list",
        label=_("Đơn vị hành chính"),
        hint=_("Tra cứu và xuất danh sách xã / phường theo tỉnh"),
        visible=is_officer,
        order=800,
    )
)
