from django.urls import path
from django.utils.translation import gettext_lazy as _

from ocop.backoffice.navigation import NavItem, register_nav_item
from ocop.backoffice.stamps import views
from ocop.certification.stamps.access import can_use_stamps, can_view_stamp_alerts

app_name = "stamps"

urlpatterns = [
    path("", views.batch_list, name="batch-list"),
    path("order/", views.batch_order, name="batch-order"),
    path("<int:batch_id>/", views.batch_detail, name="batch-detail"),
    path("<int:batch_id>/files/", views.batch_files, name="batch-files"),
    path("<int:batch_id>/void/", views.batch_void, name="batch-void"),
    path("alerts/", views.alert_list, name="alert-list"),
    path("alerts/<int:alert_id>/", views.alert_detail, name="alert-detail"),
    path("alerts/<int:alert_id>/acknowledge/", views.alert_acknowledge, name="alert-acknowledge"),
    path("alerts/<int:alert_id>/resolve/", views.alert_resolve, name="alert-resolve"),
]

register_nav_item(
    NavItem(
        url_name="bo:stamps:batch-list",
        label=_("Tem OCOP"),
        hint=_("Đặt tem có mã QR cho sản phẩm được chứng nhận, tải tệp in, hủy lô tem"),
        visible=can_use_stamps,
        order=300,
    )
)
register_nav_item(
    NavItem(
        url_name="bo:stamps:alert-list",
        label=_("Cảnh báo tem giả"),
        hint=_("Tem bị quét bất thường theo sản phẩm và tỉnh"),
        visible=can_view_stamp_alerts,
        order=310,
    )
)
