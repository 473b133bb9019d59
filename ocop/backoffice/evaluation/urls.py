from django.urls import path
from django.utils.translation import gettext_lazy as _

from ocop.backoffice.evaluation import evidence_files, officers, printing, producer, self_assessment, views
from ocop.backoffice.navigation import NavItem, register_nav_item

app_name = "evaluation"

urlpatterns = [
    path("", views.dossier_list, name="dossier-list"),
    path("new/", producer.dossier_create_page, name="dossier-create"),
    path("<int:dossier_id>/", views.dossier_detail, name="dossier-detail"),
    path("<int:dossier_id>/forms/", producer.dossier_forms, name="dossier-forms"),
    path("<int:dossier_id>/self-assessment/", self_assessment.self_assessment_edit, name="self-assessment"),
    path(
        "<int:dossier_id>/self-assessment/answer/",
        self_assessment.self_assessment_answer,
        name="self-assessment-answer",
    ),
    path("<int:dossier_id>/evidence/", producer.dossier_evidence, name="dossier-evidence"),
    path("<int:dossier_id>/evidence/upload/", producer.evidence_upload_action, name="evidence-upload"),
    path("<int:dossier_id>/evidence/link/", producer.evidence_link_action, name="evidence-link"),
    path("evidence/<int:evidence_id>/download/", evidence_files.evidence_download, name="evidence-download"),
    path("<int:dossier_id>/submit/", producer.dossier_submit_action, name="dossier-submit"),
    path("<int:dossier_id>/commune-review/", officers.commune_review, name="commune-review"),
    path("<int:dossier_id>/intake/", officers.province_intake, name="province-intake"),
    path("<int:dossier_id>/advisory/", officers.advisory_review, name="advisory-review"),
    path("<int:dossier_id>/print/<str:document>.pdf", printing.dossier_print, name="dossier-print"),
    path("<int:dossier_id>/print/sheets/<int:sheet_id>.pdf", printing.score_sheet_print, name="score-sheet-print"),
]

register_nav_item(
    NavItem(
        url_name="bo:evaluation:dossier-list",
        label=_("Hồ sơ OCOP"),
        hint=_("Hồ sơ đánh giá, phân hạng sản phẩm OCOP"),
        visible=views.can_see_dossiers,
        order=80,
    )
)
