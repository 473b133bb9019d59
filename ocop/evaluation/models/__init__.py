"""Evaluation models: criteria data (criteria.py), rounds, dossiers and their history (dossiers.py), councils,
score sheets and results (councils.py)."""

from ocop.evaluation.models.councils import (
    ConflictDeclaration,
    Council,
    CouncilMember,
    DossierResult,
    ScoreSheet,
    ScoringSession,
)
from ocop.evaluation.models.criteria import (
    CriteriaPart,
    CriteriaSection,
    CriteriaSheet,
    Criterion,
    CriterionCorrection,
    CriterionOption,
    Regime,
)
from ocop.evaluation.models.dossiers import (
    Dossier,
    DossierEvent,
    DossierEvidence,
    EvaluationRound,
    Evidence,
    Level,
    ReceptionCounter,
    SelfAssessment,
    private_storage,
)

__all__ = [
    "ConflictDeclaration",
    "Council",
    "CouncilMember",
    "CriteriaPart",
    "CriteriaSection",
    "CriteriaSheet",
    "Criterion",
    "CriterionCorrection",
    "CriterionOption",
    "Dossier",
    "DossierEvent",
    "DossierEvidence",
    "DossierResult",
    "EvaluationRound",
    "Evidence",
    "Level",
    "ReceptionCounter",
    "Regime",
    "ScoreSheet",
    "ScoringSession",
    "SelfAssessment",
    "private_storage",
]
