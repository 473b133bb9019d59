"""Who may do what with rounds, dossiers, councils and score sheets. Services call these gates; selectors use
`dossier_scope_q`. Roles on one dossier are computed by `dossier_actor_kinds` and matched against the workflow
table (ocop.evaluation.workflow).

- producer: the subject's representative (RoleAssignment producer, object_id = subject id);
- commune officer: of the commune the dossier was filed in;
- provincial officer: of the dossier's province;
- advisory team / council chair: seats on the council the dossier is assigned to (CouncilMember);
- central officer (and superuser): nationwide.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ocop.accounts.access import scope_for
from ocop.accounts.models import Role
from ocop.core.errors import NotFound, PermissionDenied

PRODUCER = "producer"
COMMUNE = "commune_officer"
PROVINCE = "provincial_officer"
ADVISORY = "advisory"
CHAIR = "council_chair"
MEMBER = "council_member"
CENTRAL = "central_officer"


def council_seat(user, council):
    """The user's active seat on `council`, or None."""
    if council is None or not getattr(user, "is_authenticated", False):
        return None
    return council.members.filter(user=user, active=True).first()


def dossier_actor_kinds(user, dossier) -> frozenset[str]:
    """The capacities in which `user` acts on `dossier` (see module docstring)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    scope = scope_for(user)
    kinds = set()
    if str(dossier.subject_id) in scope.subject_ids:
        kinds.add(PRODUCER)
    if scope.has_role(Role.COMMUNE_OFFICER) and dossier.commune_code in scope.commune_codes:
        kinds.add(COMMUNE)
    if scope.has_role(Role.PROVINCIAL_OFFICER) and dossier.province_code in scope.province_codes:
        kinds.add(PROVINCE)
    if scope.nationwide:
        kinds.add(CENTRAL)
    seat = council_seat(user, dossier.council) if dossier.council_id else None
    if seat is not None:
        kinds.add(MEMBER)
        if seat.role == seat.Role.CHAIR:
            kinds.add(CHAIR)
        elif seat.role == seat.Role.ADVISORY:
            kinds.add(ADVISORY)
    return frozenset(kinds)


def can_read_member_sheets(user, dossier) -> bool:
    """Who reads every council member's individual score sheet of a closed session — the one rule for the API, the
    pages and the PDFs: the council (its members, chair and secretary, who hold a seat) and the officers managing
    it (provincial standing agency, central). Not the producer nor the commune: they see the result, the mean and
    the reasons. A member always reads their own sheet, even before the close (`score_sheet_list_for_user`).
    The back-office printing once allowed fewer people than the API, which let the producer read every sheet:
    this is now the one rule (docs/decisions/0011-safe-to-run-anywhere.md)."""
    return bool(dossier_actor_kinds(user, dossier) & {MEMBER, CHAIR, PROVINCE, CENTRAL})


def dossier_scope_q(user) -> Q:
    """Dossiers `user` may read: own subject's (drafts included); officers covering the commune or province
    (drafts excluded — they are the producer's until submitted); members of the dossier's council."""
    scope = scope_for(user)
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    officer_q = scope.filter_q(province_field="province_code", commune_field="commune_code") & ~Q(status="draft")
    q = officer_q
    subject_ids = [int(s) for s in scope.subject_ids if str(s).isdigit()]
    if subject_ids:
        q |= Q(subject_id__in=subject_ids)
    council_ids = [int(c) for c in scope.council_ids if str(c).isdigit()]
    if council_ids:
        q |= Q(council_id__in=council_ids) & ~Q(status="draft")
    return q


def ensure_can_view_dossier(user, dossier) -> None:
    """NotFound (not PermissionDenied), so outsiders cannot probe which dossiers exist."""
    from ocop.evaluation.models import Dossier

    if not Dossier.objects.filter(dossier_scope_q(user), pk=dossier.pk).exists():
        raise NotFound(_("Không tìm thấy hồ sơ."), code="dossier_not_found")


def ensure_can_create_dossier(user, subject) -> None:
    """The subject's producer, or an officer covering its commune (entering a paper dossier)."""
    scope = scope_for(user)
    if str(subject.pk) in scope.subject_ids:
        return
    if scope.is_officer and scope.covers_commune(subject.current_commune_code, subject.province_code):
        return
    raise PermissionDenied(_("Bạn không được lập hồ sơ cho chủ thể này."), code="dossier_create_forbidden")


def ensure_can_edit_dossier(user, dossier) -> None:
    """The producer edits the dossier content (forms, self-assessment, evidence) while it is theirs."""
    ensure_can_view_dossier(user, dossier)
    kinds = dossier_actor_kinds(user, dossier)
    if PRODUCER in kinds or (COMMUNE in kinds and dossier.created_by_id == user.pk):
        return
    raise PermissionDenied(_("Chỉ chủ thể được sửa hồ sơ của mình."), code="dossier_edit_forbidden")


def ensure_can_upload_evidence(user, subject) -> None:
    ensure_can_create_dossier(user, subject)


def can_download_evidence(user, evidence) -> bool:
    """Whoever may enter a dossier for the subject (its producer, officers covering its commune), and members of a
    council holding a submitted dossier the document is attached to. Callers answer 404 otherwise (no probing)."""
    from ocop.evaluation.models import CouncilMember, Dossier, DossierEvidence

    if not getattr(user, "is_authenticated", False):
        return False
    try:
        ensure_can_create_dossier(user, evidence.subject)
        return True
    except PermissionDenied:
        pass
    councils = CouncilMember.objects.filter(user=user, active=True).values("council_id")
    return (
        DossierEvidence.objects.filter(evidence=evidence, dossier__council_id__in=councils)
        .exclude(dossier__status=Dossier.Status.DRAFT)
        .exists()
    )


def ensure_can_plan_round(user, *, level: str, province_code: str) -> None:
    """Provincial rounds: the province's officers or central officers; central rounds: central officers."""
    scope = scope_for(user)
    if scope.nationwide or (level == "province" and province_code in scope.province_codes):
        return
    raise PermissionDenied(_("Bạn không được lập kế hoạch đợt đánh giá này."), code="round_plan_forbidden")


def ensure_can_manage_council(user, council_or_round) -> None:
    """Councils are set up by the standing agency of their level (province officers / central officers)."""
    ensure_can_plan_round(user, level=council_or_round.level, province_code=council_or_round.province_code)


def ensure_can_view_round(user, round_) -> None:
    scope = scope_for(user)
    if scope.nationwide or round_.province_code in scope.province_codes:
        return
    if round_.councils.filter(members__user=user, members__active=True).exists():
        return
    raise NotFound(_("Không tìm thấy đợt đánh giá."), code="round_not_found")
