from django.urls import path
from django.utils.translation import gettext_lazy as _

from ocop.backoffice.councils import analytics, central, chair, common, decisions, scoring, views
from ocop.backoffice.navigation import NavItem, register_nav_item

app_name = "councils"

urlpatterns = [
    path("", views.council_list, name="council-list"),
    path("new/", views.council_new, name="council-new"),
    path("<int:council_id>/", views.council_detail, name="council-detail"),
    path("<int:council_id>/members/", views.member_add, name="member-add"),
    path("<int:council_id>/dossiers/<int:dossier_id>/open/", views.dossier_open, name="dossier-open"),
    path("scoring/", scoring.my_scoring, name="my-scoring"),
    path("scoring/<int:dossier_id>/", scoring.sheet_detail, name="sheet-detail"),
    path("scoring/<int:dossier_id>/conflict/", scoring.conflict_save, name="conflict-save"),
    path("scoring/<int:dossier_id>/save/", scoring.sheet_save, name="sheet-save"),
    path("scoring/<int:dossier_id>/submit/", scoring.sheet_submit, name="sheet-submit"),
    path("dossiers/<int:dossier_id>/", chair.dossier_progress, name="dossier-progress"),
    path("dossiers/<int:dossier_id>/close/", chair.dossier_close, name="dossier-close"),
    path("dossiers/<int:dossier_id>/rescore/", chair.dossier_rescore, name="dossier-rescore"),
    path("dossiers/<int:dossier_id>/result/", chair.dossier_result, name="dossier-result"),
    path("dossiers/<int:dossier_id>/central-proposal/", central.central_proposal, name="central-proposal"),
    path("dossiers/<int:dossier_id>/central/", central.central_review, name="central-review"),
    path("rounds/<int:round_id>/analytics/", analytics.round_analytics, name="round-analytics"),
    path("decisions/", decisions.decision_list, name="decision-list"),
    path("decisions/rounds/<int:round_id>/", decisions.decision_record, name="decision-record"),
    path("certificates/", decisions.certificate_list, name="certificate-list"),
    path("certificates/<str:number>/pdf/", decisions.certificate_pdf, name="certificate-pdf"),
]

register_nav_item(
    NavItem(
        url_name="bo:councils:council-list",
        label=_("Hội đồng"),
        hint=_("Hội đồng đánh giá, thành viên, mở chấm điểm, phân tích"),
        visible=common.can_manage_councils,
        order=300,
    )
)
register_nav_item(
    NavItem(
        url_name="bo:councils:my-scoring",
        label=_("Chấm điểm"),
        hint=_("Hồ sơ được phân công chấm điểm"),
        visible=common.has_council_seat,
        order=310,
    )
)
register_nav_item(
    NavItem(
        url_name="bo:councils:decision-list",
        label=_("Quyết định & giấy chứng nhận"),
        hint=_("Ghi quyết định công nhận, giấy chứng nhận đã cấp"),
        visible=common.can_manage_councils,
        order=320,
    )
)
