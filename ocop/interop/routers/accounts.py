from ninja import Router, Schema

from ocop.accounts.selectors import role_assignment_list_for_user
from ocop.interop.auth import api_auth

router = Router(tags=["accounts"])


class RoleOut(Schema):
    role: str
    label: str
    unit_code: str | None
    unit_level: str | None
    unit_name: str | None
    object_id: str


class MeOut(Schema):
    username: str
    display_name: str
    is_superuser: bool
    roles: list[RoleOut]


@router.get("/me", response=MeOut, auth=api_auth, summary="Current user and roles")
def me(request):
    """The authenticated user (by token or session) with their active roles and the units they cover."""
    user = request.auth
    assignments = role_assignment_list_for_user(user=user)
    roles = [
        {
            "role": a.role,
            "label": str(a.get_role_display()),
            "unit_code": a.admin_unit.code if a.admin_unit_id else None,
            "unit_level": a.admin_unit.level if a.admin_unit_id else None,
            "unit_name": a.admin_unit.full_name if a.admin_unit_id else None,
            "object_id": a.object_id,
        }
        for a in assignments
    ]
    return {
        "username": user.get_username(),
        "display_name": user.display_name,
        "is_superuser": user.is_superuser,
        "roles": roles,
    }
