"""Writes for evaluation: criteria corrections, rounds, dossiers and their workflow, councils and scoring."""

from ocop.evaluation.services.councils import (
    conflict_declare,
    council_close_scoring,
    council_create,
    council_member_add,
    council_open_scoring,
    score_sheet_save,
    score_sheet_submit,
)
from ocop.evaluation.services.criteria import criterion_correct, ensure_can_correct_criteria
from ocop.evaluation.services.dossiers import (
    DossierIssue,
    advisory_report_save,
    dossier_check,
    dossier_create,
    dossier_evidence_link,
    dossier_mark_decided,
    dossier_submit,
    dossier_transition,
    dossier_update,
    evidence_upload,
    reevaluation_window_check,
    self_assessment_save,
)
from ocop.evaluation.services.rounds import round_create_extra, round_plan_year, round_set_status

__all__ = [
    "DossierIssue",
    "advisory_report_save",
    "conflict_declare",
    "council_close_scoring",
    "council_create",
    "council_member_add",
    "council_open_scoring",
    "criterion_correct",
    "dossier_check",
    "dossier_create",
    "dossier_evidence_link",
    "dossier_mark_decided",
    "dossier_submit",
    "dossier_transition",
    "dossier_update",
    "ensure_can_correct_criteria",
    "evidence_upload",
    "reevaluation_window_check",
    "round_create_extra",
    "round_plan_year",
    "round_set_status",
    "score_sheet_save",
    "score_sheet_submit",
    "self_assessment_save",
]
