import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from ocop.accounts.access import (
    Scope,
    ensure_can_access_commune,
    ensure_can_access_province,
    ensure_can_assign_role,
    is_officer,
    scope_for,
)
from ocop.accounts.models import Role
from ocop.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from ocop.core.errors import PermissionDenied


def test_provincial_officer_scope_is_their_province(province_officer_a, province_a):
    scope = scope_for(province_officer_a)
    assert scope.province_codes == {province_a.code}
    assert not scope.nationwide
    assert scope.roles == {Role.PROVINCIAL_OFFICER}
    assert scope.is_officer


def test_central_officer_and_superuser_are_nationwide(central_officer, superuser, province_b):
    assert scope_for(central_officer).nationwide
    assert scope_for(superuser).nationwide
    assert scope_for(superuser).is_officer
    ensure_can_access_province(central_officer, province_b.code)
    ensure_can_access_province(superuser, province_b.code)


def test_commune_officer_covers_only_their_commune(commune_officer_a, commune_a, province_a):
    scope = scope_for(commune_officer_a)
    assert scope.commune_codes == {commune_a.code}
    assert scope.province_codes == set()
    assert scope.covers_commune(commune_a.code, province_a.code)
    with pytest.raises(PermissionDenied):
        ensure_can_access_province(commune_officer_a, province_a.code)
    ensure_can_access_commune(commune_officer_a, commune_a.code, province_a.code)
    with pytest.raises(PermissionDenied):
        ensure_can_access_commune(commune_officer_a, "99999", province_a.code)


def test_province_officer_is_refused_another_province(province_officer_a, province_b):
    with pytest.raises(PermissionDenied) as exc:
        ensure_can_access_province(province_officer_a, province_b.code)
    assert exc.value.code == "province_out_of_scope"


@pytest.mark.parametrize("persona", ["producer", "council_member_a"])
def test_producer_and_council_member_are_not_officers_and_see_no_province(persona, request, province_a):
    user = request.getfixturevalue(persona)
    assert not is_officer(user)
    assert scope_for(user).is_empty
    with pytest.raises(PermissionDenied):
        ensure_can_access_province(user, province_a.code)


def test_council_member_scope_keeps_council_and_province_apart(province_a):
    user = UserFactory()
    RoleAssignmentFactory(user=user, role=Role.COUNCIL_MEMBER, admin_unit=province_a, object_id="17")
    scope = scope_for(user)
    assert scope.council_ids == {"17"}
    assert scope.council_province_codes == {province_a.code}
    assert scope.province_codes == set()


def test_anonymous_and_inactive_users_have_empty_scope(province_a):
    assert scope_for(AnonymousUser()) == Scope()
    user = UserFactory(is_active=False)
    RoleAssignmentFactory(user=user, role=Role.CENTRAL_OFFICER)
    assert not scope_for(user).nationwide
    assert not is_officer(AnonymousUser())


def test_revoked_expired_and_future_assignments_do_not_count(province_a):
    today = timezone.localdate()
    user = UserFactory()
    RoleAssignmentFactory(user=user, role=Role.PROVINCIAL_OFFICER, admin_unit=province_a, revoked_at=timezone.now())
    RoleAssignmentFactory(
        user=user,
        role=Role.CENTRAL_OFFICER,
        valid_from=today - datetime.timedelta(days=30),
        valid_until=today - datetime.timedelta(days=1),
    )
    RoleAssignmentFactory(user=user, role=Role.COMMUNE_OFFICER, valid_from=today + datetime.timedelta(days=1))
    assert scope_for(user) == Scope()


def test_scope_is_computed_once_per_user_object(province_officer_a, django_assert_num_queries):
    scope_for(province_officer_a)
    with django_assert_num_queries(0):
        scope_for(province_officer_a)
        is_officer(province_officer_a)


def test_filter_q_restricts_querysets_by_scope(province_officer_a, commune_officer_a, central_officer, province_a):
    from ocop.geo.models import AdminUnit

    communes = AdminUnit.objects.filter(level="commune", valid_until__isnull=True)
    in_a = communes.filter(province_code=province_a.code).count()
    assert in_a > 1

    def visible(user):
        return communes.filter(scope_for(user).filter_q(province_field="province_code", commune_field="code"))

    assert visible(province_officer_a).count() == in_a
    assert visible(commune_officer_a).count() == 1
    assert visible(central_officer).count() == communes.count()
    assert visible(UserFactory()).count() == 0


def test_province_officer_may_assign_commune_roles_only_inside_province(
    province_officer_a, commune_a, province_b, province_a
):
    ensure_can_assign_role(province_officer_a, Role.COMMUNE_OFFICER, commune_a)
    ensure_can_assign_role(province_officer_a, Role.COUNCIL_MEMBER, province_a)
    with pytest.raises(PermissionDenied):
        ensure_can_assign_role(province_officer_a, Role.COUNCIL_MEMBER, province_b)
    with pytest.raises(PermissionDenied):
        ensure_can_assign_role(province_officer_a, Role.PROVINCIAL_OFFICER, province_a)
    with pytest.raises(PermissionDenied):
        ensure_can_assign_role(province_officer_a, Role.CENTRAL_OFFICER, None)
