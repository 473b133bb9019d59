from django.urls import path
from django.utils.translation import gettext_lazy as _

from ocop.backoffice.criteria import views
from ocop.backoffice.navigation import NavItem, register_nav_item

app_name = "criteria"

urlpatterns = [
    path("", views.version_list, name="version-list"),
    path("versions/<str:version_code>/", views.sheet_list, name="sheet-list"),
    path("sheets/<int:sheet_id>/", views.sheet_detail, name="sheet-detail"),
    path("criteria/<int:criterion_id>/", views.criterion_correct_page, name="criterion-correct"),
]

register_nav_item(
    NavItem(
        url_name="bo:criteria:version-list",
        label=_("Bộ tiêu chí"),
        hint=_("Phiếu đánh giá theo bộ sản phẩm, lỗi dữ liệu nguồn và đính chính"),
        visible=views.can_view_criteria,
        order=700,
    )
)
