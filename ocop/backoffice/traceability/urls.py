from django.urls import path
from django.utils.translation import gettext_lazy as _

from ocop.backoffice.navigation import NavItem, register_nav_item
from ocop.backoffice.traceability import views

app_name = "traceability"

urlpatterns = [
    path("", views.lot_list, name="lot-list"),
    path("products/<int:product_id>/lots/new/", views.lot_new, name="lot-new"),
    path("lots/<int:lot_id>/", views.lot_detail, name="lot-detail"),
    path("lots/<int:lot_id>/events/new/", views.event_new, name="event-new"),
]

register_nav_item(
    NavItem(
        url_name="bo:traceability:lot-list",
        label=_("Truy xuất nguồn gốc"),
        hint=_("Lô sản phẩm, nhật ký sự kiện truy xuất (EPCIS 2.0) và mã truy vết"),
        visible=views.can_use_trace,
        order=300,
    )
)
