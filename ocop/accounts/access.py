"""Who may do what, from a user's active role assignments.

`scope_for(user)` is the single place that turns assignments into a `Scope`; selectors in other apps
filter their querysets with `scope.filter_q(...)` (or the code sets directly) so every read is scoped on
the server. Gates named `ensure_can_<verb>_<entity>` raise `ocop.core.errors.PermissionDenied`.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ocop.accounts.models import OFFICER_ROLES, Role, RoleAssignment
from ocop.core.errors import PermissionDenied

_CACHE_ATTR = "_ocop_scope"


@dataclass(frozen=True)
class Scope:
    """What a user's active assignments cover.

    - `nationwide`: central officers and superusers — every province.
    - `province_codes`: current provinces of provincial officers.
    - `commune_codes`: current communes of commune officers (a commune officer does not see the rest of
      the province, so these are kept apart from `province_codes`).
    - `subject_ids` / `council_ids`: objects bound to producer and council-member roles.
    - `council_province_codes`: provinces of council-member assignments; they give no read access to
      the province's data by themselves (a council member sees only their council's dossiers).
    """

    nationwide: bool = False
    province_codes: frozenset[str] = field(default_factory=frozenset)
    commune_codes: frozenset[str] = field(default_factory=frozenset)
    roles: frozenset[str] = field(default_factory=frozenset)
    subject_ids: frozenset[str] = field(default_factory=frozenset)
    council_ids: frozenset[str] = field(default_factory=frozenset)
    council_province_codes: frozenset[str] = field(default_factory=frozenset)
    is_superuser: bool = False

    @property
    def is_officer(self) -> bool:
        return self.is_superuser or bool(self.roles & OFFICER_ROLES)

    @property
    def is_empty(self) -> bool:
        """True when the scope reaches no administrative data at all (e.g. a producer, a new account)."""
        return not (self.nationwide or self.province_codes or self.commune_codes)

    def has_role(self, role: str) -> bool:
        return role in self.roles

    def covers_province(self, province_code: str) -> bool:
        """Whole-province access: nationwide or a provincial officer of that province."""
        return self.nationwide or province_code in self.province_codes

    def covers_commune(self, commune_code: str, province_code: str) -> bool:
        """Access to one commune: through its province or as that commune's officer."""
        return self.covers_province(province_code) or commune_code in self.commune_codes

    def filter_q(self, *, province_field: str, commune_field: str | None = None) -> Q:
        """A Q object restricting a queryset to this scope.

        `province_field` / `commune_field` are lookups to the record's current province and commune codes,
        e.g. `qs.filter(scope.filter_q(province_field="province_code", commune_field="commune_code"))`.
        Nationwide gives an unrestricted Q(); no officer scope gives a Q that matches nothing.
        """
        if self.nationwide:
            return Q()
        q = Q(pk__in=[])
        if self.province_codes:
            q |= Q(**{f"{province_field}__in": sorted(self.province_codes)})
        if self.commune_codes and commune_field:
            q |= Q(**{f"{commune_field}__in": sorted(self.commune_codes)})
        return q


def _compute_scope(user) -> Scope:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope()
    assignments = RoleAssignment.objects.active().filter(user=user).select_related("admin_unit")
    roles, provinces, communes, subjects, councils, council_provinces = set(), set(), set(), set(), set(), set()
    for a in assignments:
        roles.add(a.role)
        unit = a.admin_unit
        if a.role == Role.PROVINCIAL_OFFICER and unit is not None:
            provinces.add(unit.code)
        elif a.role == Role.COMMUNE_OFFICER and unit is not None:
            communes.add(unit.code)
        elif a.role == Role.PRODUCER and a.object_id:
            subjects.add(a.object_id)
        elif a.role == Role.COUNCIL_MEMBER:
            if a.object_id:
                councils.add(a.object_id)
            if unit is not None:
                council_provinces.add(unit.province_code or unit.code)
    return Scope(
        nationwide=user.is_superuser or Role.CENTRAL_OFFICER in roles,
        province_codes=frozenset(provinces),
        commune_codes=frozenset(communes),
        roles=frozenset(roles),
        subject_ids=frozenset(subjects),
        council_ids=frozenset(councils),
        council_province_codes=frozenset(council_provinces),
        is_superuser=bool(user.is_superuser),
    )


def scope_for(user) -> Scope:
    """The user's scope, computed once per user object (request.user is a fresh object per request,
    so this is a per-request cache). Services that change assignments call `scope_forget(user)`."""
    if user is None:
        return Scope()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    scope = _compute_scope(user)
    if getattr(user, "is_authenticated", False):
        setattr(user, _CACHE_ATTR, scope)
    return scope


def scope_forget(user) -> None:
    if user is not None and hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def is_officer(user) -> bool:
    """Central, provincial or commune officer (or superuser)."""
    return scope_for(user).is_officer


def ensure_can_access_province(user, province_code: str) -> None:
    """Raise PermissionDenied unless the user sees the whole province (nationwide or its provincial officer)."""
    if not scope_for(user).covers_province(province_code):
        raise PermissionDenied(_("Bạn không có quyền truy cập dữ liệu của tỉnh này."), code="province_out_of_scope")


def ensure_can_access_commune(user, commune_code: str, province_code: str) -> None:
    """Raise PermissionDenied unless the user covers the commune (through its province or as its officer)."""
    if not scope_for(user).covers_commune(commune_code, province_code):
        raise PermissionDenied(_("Bạn không có quyền truy cập dữ liệu của xã này."), code="commune_out_of_scope")


def ensure_can_manage_api_tokens(user) -> None:
    """API tokens act with their user's rights; only officers and superusers may hold them."""
    if not getattr(user, "is_authenticated", False) or not is_officer(user):
        raise PermissionDenied(_("Chỉ cán bộ quản lý mới được dùng token API."), code="api_token_forbidden")


def ensure_can_revoke_api_token(user, token) -> None:
    """A token is revoked by its owner or by a superuser."""
    if not (getattr(user, "is_superuser", False) or token.user_id == getattr(user, "pk", None)):
        raise PermissionDenied(code="api_token_forbidden")


# Roles a provincial officer may hand out inside their own province; everything else needs a central
# officer or a superuser (so a province cannot appoint officers of another province or central officers).
_PROVINCE_GRANTABLE = frozenset({Role.COMMUNE_OFFICER, Role.PRODUCER, Role.COUNCIL_MEMBER})


def ensure_can_assign_role(actor, role: str, unit=None) -> None:
    """Superusers and central officers assign any role; a provincial officer assigns commune officers,
    producer representatives and council members inside their province. `actor=None` is the platform
    itself (seeders, management commands) and is always allowed."""
    if actor is None:
        return
    scope = scope_for(actor)
    if scope.nationwide:
        return
    if role in _PROVINCE_GRANTABLE and unit is not None:
        province_code = unit.province_code or unit.code
        if province_code in scope.province_codes:
            return
    raise PermissionDenied(_("Bạn không có quyền giao vai trò này."), code="role_assign_forbidden")


def ensure_can_create_user(actor) -> None:
    """Accounts are created by officers (who then assign roles they may grant) or by the platform."""
    if actor is None or is_officer(actor):
        return
    raise PermissionDenied(_("Bạn không có quyền tạo tài khoản."), code="user_create_forbidden")
