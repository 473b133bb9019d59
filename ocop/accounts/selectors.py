"""Reads for accounts."""

from ocop.accounts.models import RoleAssignment


def role_assignment_list_for_user(*, user, on=None):
    """The user's assignments in force on `on` (today by default), with their units, in a stable order."""
    return RoleAssignment.objects.active(on=on).filter(user=user).select_related("admin_unit").order_by("role", "id")
