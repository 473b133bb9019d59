"""Reads and gates shared by the council pages. Interface-side reads only: every query is scoped by an
`ocop.evaluation.access` gate or selector first, and every calculation is a call into `ocop.evaluation.rules`."""

from django.core.exceptions import PermissionDenied as HttpPermissionDenied
from django.http import Http404

from ocop.accounts.access import scope_for
from ocop.core.errors import DomainError, NotFound
from ocop.evaluation import access, rules
from ocop.evaluation.models import (
    ConflictDeclaration,
    Council,
    CouncilMember,
    CriteriaPart,
    Dossier,
    EvaluationRound,
    ScoreSheet,
    ScoringSession,
)
from ocop.evaluation.selectors import criteria_sheet_spec, dossier_get_for_user, regime_scoring_policy

S = Dossier.Status
SCORING_STATUSES = (S.COUNCIL_SCORING, S.CENTRAL_SCORING)


def http_error(exc: DomainError):
    """NotFound → 404, anything else → 403 (for gates called outside forms)."""
    if isinstance(exc, NotFound):
        return Http404(str(exc.message))
    return HttpPermissionDenied(str(exc.message))


def can_manage_councils(user) -> bool:
    """Provincial and central officers (the standing agency that records councils)."""
    scope = scope_for(user)
    return scope.nationwide or bool(scope.province_codes)


def has_council_seat(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return CouncilMember.objects.filter(user=user, active=True).exists()


def ensure_council_manager(user) -> None:
    if not can_manage_councils(user):
        raise HttpPermissionDenied


def round_list_for_manager(user):
    """Rounds the officer plans (their province's, or every round for central officers)."""
    scope = scope_for(user)
    qs = EvaluationRound.objects.select_related("regime")
    if scope.nationwide:
        return qs
    return qs.filter(level="province", province_code__in=sorted(scope.province_codes))


def round_get_for_manager(user, round_id: int) -> EvaluationRound:
    round_ = round_list_for_manager(user).filter(pk=round_id).first()
    if round_ is None:
        raise Http404
    return round_


def council_list_for_manager(user):
    return Council.objects.filter(round__in=round_list_for_manager(user)).select_related("round")


def council_get_for_manager(user, council_id: int) -> Council:
    """The council when `user` may manage it (ensure_can_manage_council); 404 otherwise (no probing)."""
    council = Council.objects.select_related("round").filter(pk=council_id).first()
    if council is None:
        raise Http404
    try:
        access.ensure_can_manage_council(user, council)
    except DomainError as exc:
        raise Http404 from exc
    return council


def council_dossiers(council: Council):
    return council.dossiers.select_related("product", "subject").order_by("id")


def open_session(dossier: Dossier) -> ScoringSession | None:
    return dossier.scoring_sessions.filter(status=ScoringSession.Status.OPEN).first()


def dossier_for_council_page(user, dossier_id: int) -> tuple[Dossier, CouncilMember | None]:
    """A dossier with a council that `user` reads as a seat holder or as the officer managing the council.
    Returns (dossier, seat). 403 for users with neither a seat nor a council to manage, 404 for the rest."""
    if not (can_manage_councils(user) or has_council_seat(user)):
        raise HttpPermissionDenied
    try:
        dossier = dossier_get_for_user(user=user, pk=dossier_id)
    except DomainError as exc:
        raise http_error(exc) from exc
    if dossier.council_id is None:
        raise Http404
    seat = access.council_seat(user, dossier.council)
    if seat is None:
        try:
            access.ensure_can_manage_council(user, dossier.council)
        except DomainError as exc:
            raise Http404 from exc
    return dossier, seat


def declaration_for(seat: CouncilMember, dossier: Dossier) -> ConflictDeclaration | None:
    return ConflictDeclaration.objects.filter(member=seat, dossier=dossier).first()


def member_dossier_rows(user) -> list[dict]:
    """The dossiers on the councils where `user` sits, with the state of the user's own sheet."""
    seats = {m.council_id: m for m in CouncilMember.objects.filter(user=user, active=True)}
    from ocop.evaluation.selectors import dossier_list_for_user

    dossiers = (
        dossier_list_for_user(user=user).filter(council_id__in=list(seats)).select_related("council").order_by("-id")
    )
    rows = []
    for dossier in dossiers:
        seat = seats[dossier.council_id]
        session = open_session(dossier)
        sheet = ScoreSheet.objects.filter(session=session, member=seat).first() if session else None
        declaration = declaration_for(seat, dossier)
        rows.append(
            {
                "dossier": dossier,
                "seat": seat,
                "session": session,
                "sheet": sheet,
                "recused": bool(declaration and declaration.has_conflict),
                "declared": declaration is not None,
            }
        )
    return rows


# --- the sheet -----------------------------------------------------------------------------------------------


def sheet_form(dossier: Dossier, answers: dict) -> list[dict]:
    """Parts → sections → criteria → options of the dossier's sheet in printed order, each option marked
    `checked` from `answers`, ready for the template."""
    from ocop.evaluation.models import Criterion

    parts = (
        CriteriaPart.objects.filter(sheet=dossier.criteria_sheet)
        .prefetch_related("sections__criteria__options")
        .order_by("position")
    )
    out = []
    for part in parts:
        sections = []
        for section in part.sections.all():
            criteria = []
            for criterion in section.criteria.all():
                chosen = answers.get(str(criterion.pk))
                picks = list(chosen) if isinstance(chosen, list) else ([] if chosen is None else [chosen])
                if criterion.scoring == Criterion.Scoring.NO_OPTIONS_PRINTED:
                    options = [
                        {"points": 0, "text": _no_text(), "min_star": None},
                        {"points": criterion.max_points, "text": _yes_text(), "min_star": None},
                    ]
                else:
                    options = [
                        {"points": o.points, "text": o.text, "min_star": o.min_star}
                        for o in criterion.options.all()
                        if o.points is not None
                    ]
                remaining = list(picks)
                for option in options:
                    option["checked"] = option["points"] in remaining
                    if option["checked"] and criterion.scoring == Criterion.Scoring.SUM_OF_SELECTED:
                        remaining.remove(option["points"])
                    elif option["checked"]:
                        remaining = []
                criteria.append(
                    {
                        "criterion": criterion,
                        "options": options,
                        "multiple": criterion.scoring == Criterion.Scoring.SUM_OF_SELECTED,
                        "answered": chosen is not None,
                    }
                )
            sections.append({"section": section, "criteria": criteria})
        out.append({"part": part, "sections": sections})
    return out


def _no_text():
    from django.utils.translation import gettext

    return gettext("Không đạt")


def _yes_text():
    from django.utils.translation import gettext

    return gettext("Đạt")


def answers_from_post(dossier: Dossier, data) -> dict:
    """Form fields `c<criterion id>` → {criterion id: points}; a list for sum-of-selected criteria.
    Values that are not whole numbers are passed on as they are, so the rules reject them."""
    from ocop.evaluation.models import Criterion

    answers = {}
    for pk, scoring in Criterion.objects.filter(sheet=dossier.criteria_sheet).values_list("pk", "scoring"):
        values = [v for v in data.getlist(f"c{pk}") if v != ""]
        if scoring == Criterion.Scoring.SUM_OF_SELECTED:
            if values or f"c{pk}-present" in data:
                answers[str(pk)] = [_int(v) for v in values]
        elif values:
            answers[str(pk)] = _int(values[-1])
    return answers


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def sheet_preview(dossier: Dossier, answers: dict) -> dict:
    """Running total, part subtotals, the star band of the total and the star minimums that band misses.
    All numbers come from `ocop.evaluation.rules` over the sheet and the regime's data."""
    spec = criteria_sheet_spec(sheet=dossier.criteria_sheet)
    policy = regime_scoring_policy(regime=dossier.regime)
    points = rules.scored_points(spec, answers, require_complete=False)
    total = sum(points.values())
    subtotals = rules.part_subtotals(spec, answers, require_complete=False)
    band = rules.star_band(total, policy.bands)
    achieved = {c.key: points.get(c.key) for c in spec.criteria}
    star = rules.star_rating(total=total, achieved=achieved, sheet=spec, bands=policy.bands)
    missed = rules.minimums_missed(spec, achieved, band) if star != band else []
    return {
        "total": total,
        "max_total": sum(spec.part_max_points.values()),
        "subtotals": [(code, subtotals.get(code, 0), spec.part_max_points[code]) for code in spec.part_max_points],
        "band": band,
        "star": star,
        "missed": missed,
        "answered": len(points),
        "criteria_count": len(spec.criteria),
        "complete": len(points) == len(spec.criteria),
    }
