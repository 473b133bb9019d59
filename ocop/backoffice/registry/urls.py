from django.urls import path, register_converter
from django.utils.translation import gettext_lazy as _

from ocop.accounts.access import is_officer
from ocop.backoffice.navigation import NavItem, register_nav_item
from ocop.backoffice.registry import exports, imports, registration, views

app_name = "registry"


class UploadTokenConverter:
    regex = r"[A-Za-z0-9_-]{16,64}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(UploadTokenConverter, "upload_token")

urlpatterns = [
    path("subjects/", views.subject_list, name="subject-list"),
    path("subjects/export/", exports.subject_export, name="subject-export"),
    path("subjects/<int:subject_id>/", views.subject_detail, name="subject-detail"),
    path("subjects/<int:subject_id>/verify/", views.subject_verify, name="subject-verify"),
    path("products/", views.product_list, name="product-list"),
    path("products/export/", exports.product_export, name="product-export"),
    path("products/<int:product_id>/", views.product_detail, name="product-detail"),
    path("imports/", imports.import_upload, name="import-upload"),
    path("imports/<upload_token:token>/", imports.import_preview, name="import-preview"),
    path("imports/<upload_token:token>/commit/", imports.import_commit, name="import-commit"),
    path("register/", registration.subject_register, name="subject-register"),
    path("register/communes/", registration.commune_options, name="commune-options"),
    path("my-subject/", registration.my_subject, name="my-subject"),
]

register_nav_item(
    NavItem(
        url_name="bo:registry:subject-list",
        label=_("Chủ thể"),
        hint=_("Chủ thể OCOP trên địa bàn, hồ sơ đăng ký chờ xác minh"),
        visible=is_officer,
        order=100,
    )
)
register_nav_item(
    NavItem(
        url_name="bo:registry:product-list",
        label=_("Sản phẩm"),
        hint=_("Sản phẩm OCOP, hạng sao và giấy chứng nhận"),
        visible=is_officer,
        order=110,
    )
)
register_nav_item(
    NavItem(
        url_name="bo:registry:import-upload",
        label=_("Nhập danh sách"),
        hint=_("Nhập danh sách sản phẩm được công nhận từ tệp CSV/XLSX"),
        visible=imports.can_import,
        order=120,
    )
)
register_nav_item(
    NavItem(
        url_name="bo:registry:my-subject",
        label=_("Hồ sơ chủ thể của tôi"),
        hint=_("Trạng thái hồ sơ đăng ký chủ thể OCOP"),
        visible=registration.has_producer_role,
        order=90,
    )
)
