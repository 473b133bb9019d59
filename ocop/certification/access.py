"""Who may decide, issue and revoke (26/2026/QĐ-TTg Art. 4 and 8).

Recognition and revocation follow the level that recognises the star: the province (its provincial
officers, acting for the Provincial People's Committee) for 3★/4★, the ministry (central officers) for 5★.
Superusers repair data in the admin; they do not act in this legal chain. `actor=None` is the platform itself
(seeders, management commands) and is always allowed.
"""

from django.utils.translation import gettext_lazy as _

from ocop.accounts.access import scope_for
from ocop.accounts.models import Role
from ocop.certification.models import Level
from ocop.core.errors import PermissionDenied


def _acts_for(actor, *, level: str, province_code: str) -> bool:
    scope = scope_for(actor)
    if level == Level.CENTRAL:
        return scope.has_role(Role.CENTRAL_OFFICER)
    return scope.has_role(Role.PROVINCIAL_OFFICER) and province_code in scope.province_codes


def ensure_can_create_decision(actor, *, level: str, province_code: str) -> None:
    """Provincial officers record their province's decisions; central officers the ministry's."""
    if actor is None or _acts_for(actor, level=level, province_code=province_code):
        return
    raise PermissionDenied(_("Bạn không có quyền ghi nhận quyết định của cấp này."), code="decision_forbidden")


def ensure_can_issue_certificate(actor, *, level: str, province_code: str) -> None:
    """Issue at the decision's level: the product's province for 3★/4★, the ministry for 5★."""
    if actor is None or _acts_for(actor, level=level, province_code=province_code):
        return
    raise PermissionDenied(_("Bạn không có quyền cấp giấy chứng nhận ở cấp này."), code="certificate_issue_forbidden")


def revocation_level(certificate) -> str:
    """The level competent to revoke: whoever recognises that star today (Art. 8(2))."""
    return Level.CENTRAL if certificate.star >= 5 else Level.PROVINCE


def ensure_can_revoke_certificate(actor, certificate) -> None:
    """Provincial officer of the product's province for 3★/4★; central officer for 5★."""
    province_code = certificate.product.subject.province_code
    if actor is None or _acts_for(actor, level=revocation_level(certificate), province_code=province_code):
        return
    raise PermissionDenied(
        _("Chỉ cơ quan có thẩm quyền công nhận mới được thu hồi giấy chứng nhận này."),
        code="certificate_revoke_forbidden",
    )


def ensure_can_record_reevaluation(actor, certificate) -> None:
    """Re-evaluation filings reach the province (Art. 7(6)): its provincial officers or central officers record them."""
    scope = scope_for(actor)
    if actor is None or (scope.is_officer and scope.covers_province(certificate.product.subject.province_code)):
        return
    raise PermissionDenied(code="reevaluation_forbidden")
