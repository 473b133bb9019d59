import datetime
import hashlib

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from ocop.accounts.access import scope_for
from ocop.accounts.models import ApiToken, Role, RoleAssignment
from ocop.accounts.services import (
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
    role_assign,
    role_revoke,
    user_create,
)
from ocop.accounts.tests.factories import UserFactory
from ocop.core.errors import Conflict, PermissionDenied, ValidationError
from ocop.core.models import AuditEvent
from ocop.geo.models import AdminUnit


@pytest.fixture
def legacy_province(db):
    return AdminUnit.objects.filter(level="province", valid_until__isnull=False).order_by("code").first()


# ------------------------------------------------------------------------------------------ role_assign


def test_assigning_a_provincial_officer_records_an_audit_event(central_officer, province_a):
    # given
    user = UserFactory()
    # when
    assignment = role_assign(actor=central_officer, user=user, role=Role.PROVINCIAL_OFFICER, unit=province_a)
    # then
    assert assignment.granted_by == central_officer
    assert scope_for(user).province_codes == {province_a.code}
    event = AuditEvent.objects.get(action="role.assign")
    assert event.actor == central_officer
    assert event.data["unit"] == province_a.code
    assert event.data["role"] == Role.PROVINCIAL_OFFICER


def test_provincial_officer_needs_a_province_not_a_commune(central_officer, commune_a):
    with pytest.raises(ValidationError) as exc:
        role_assign(actor=central_officer, user=UserFactory(), role=Role.PROVINCIAL_OFFICER, unit=commune_a)
    assert exc.value.code == "role_unit_wrong_level"
    assert "unit" in exc.value.fields


def test_commune_officer_needs_a_commune_not_a_province(central_officer, province_a):
    with pytest.raises(ValidationError) as exc:
        role_assign(actor=central_officer, user=UserFactory(), role=Role.COMMUNE_OFFICER, unit=province_a)
    assert exc.value.code == "role_unit_wrong_level"


@pytest.mark.parametrize("role", [Role.PROVINCIAL_OFFICER, Role.COMMUNE_OFFICER])
def test_officer_roles_need_a_unit(central_officer, role):
    with pytest.raises(ValidationError) as exc:
        role_assign(actor=central_officer, user=UserFactory(), role=role)
    assert exc.value.code == "role_unit_required"


def test_provincial_officer_refuses_a_legacy_province(central_officer, legacy_province):
    assert legacy_province is not None, "legacy provinces are part of the loaded data"
    with pytest.raises(ValidationError) as exc:
        role_assign(actor=central_officer, user=UserFactory(), role=Role.PROVINCIAL_OFFICER, unit=legacy_province)
    assert exc.value.code == "role_unit_not_current"


def test_commune_officer_refuses_a_legacy_commune(central_officer):
    legacy_commune = AdminUnit.objects.filter(level="commune", valid_until__isnull=False).first()
    with pytest.raises(ValidationError) as exc:
        role_assign(actor=central_officer, user=UserFactory(), role=Role.COMMUNE_OFFICER, unit=legacy_commune)
    assert exc.value.code == "role_unit_not_current"


def test_central_officer_takes_no_unit(superuser, province_a):
    with pytest.raises(ValidationError) as exc:
        role_assign(actor=superuser, user=UserFactory(), role=Role.CENTRAL_OFFICER, unit=province_a)
    assert exc.value.code == "role_unit_not_allowed"


def test_council_member_unit_must_be_a_province(central_officer, commune_a):
    with pytest.raises(ValidationError):
        role_assign(actor=central_officer, user=UserFactory(), role=Role.COUNCIL_MEMBER, unit=commune_a)


def test_unknown_role_is_refused(superuser):
    with pytest.raises(ValidationError) as exc:
        role_assign(actor=superuser, user=UserFactory(), role="king")
    assert exc.value.code == "role_invalid"


def test_validity_end_before_start_is_refused(superuser):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        role_assign(
            actor=superuser,
            user=UserFactory(),
            role=Role.CENTRAL_OFFICER,
            valid_from=today,
            valid_until=today - datetime.timedelta(days=1),
        )
    assert exc.value.code == "role_validity_invalid"


def test_identical_active_assignment_is_a_conflict(central_officer, province_a):
    user = UserFactory()
    role_assign(actor=central_officer, user=user, role=Role.PROVINCIAL_OFFICER, unit=province_a)
    with pytest.raises(Conflict):
        role_assign(actor=central_officer, user=user, role=Role.PROVINCIAL_OFFICER, unit=province_a)


def test_producer_role_is_bound_to_a_subject_by_object_id(superuser):
    user = UserFactory()
    role_assign(actor=superuser, user=user, role=Role.PRODUCER, object_id="42")
    assert scope_for(user).subject_ids == {"42"}


def test_province_officer_cannot_appoint_in_another_province(province_officer_a, province_b):
    commune_b = AdminUnit.objects.filter(level="commune", province_code=province_b.code, valid_until__isnull=True)[0]
    with pytest.raises(PermissionDenied):
        role_assign(actor=province_officer_a, user=UserFactory(), role=Role.COMMUNE_OFFICER, unit=commune_b)
    assert not RoleAssignment.objects.filter(admin_unit=commune_b).exists()


def test_province_officer_appoints_a_commune_officer_in_their_province(province_officer_a, commune_a):
    user = UserFactory()
    role_assign(actor=province_officer_a, user=user, role=Role.COMMUNE_OFFICER, unit=commune_a)
    assert scope_for(user).commune_codes == {commune_a.code}


def test_producer_cannot_assign_roles(producer, province_a):
    with pytest.raises(PermissionDenied):
        role_assign(actor=producer, user=UserFactory(), role=Role.COUNCIL_MEMBER, unit=province_a)


# ------------------------------------------------------------------------------------------ role_revoke


def test_revoking_ends_the_scope_and_keeps_the_row(central_officer, province_a):
    user = UserFactory()
    assignment = role_assign(actor=central_officer, user=user, role=Role.PROVINCIAL_OFFICER, unit=province_a)
    scope_for(user)  # cached before the revoke

    role_revoke(actor=central_officer, assignment=assignment)

    assert scope_for(user).province_codes == set()
    assignment.refresh_from_db()
    assert assignment.revoked_at is not None and assignment.revoked_by == central_officer
    assert AuditEvent.objects.filter(action="role.revoke").count() == 1
    role_revoke(actor=central_officer, assignment=assignment)  # twice: no second event
    assert AuditEvent.objects.filter(action="role.revoke").count() == 1


def test_province_officer_cannot_revoke_a_provincial_officer(province_officer_a, province_officer_b):
    assignment = province_officer_b.role_assignments.get()
    with pytest.raises(PermissionDenied):
        role_revoke(actor=province_officer_a, assignment=assignment)


# ------------------------------------------------------------------------------------------ user_create


def test_user_create_normalises_and_audits(central_officer):
    decomposed = "Nguye\u0302\u0303n Va\u0306n A"  # "Nguyễn Văn A" typed with combining marks
    user = user_create(actor=central_officer, username="  cb-moi ", full_name=decomposed, email="a@example.vn")
    assert user.username == "cb-moi"
    assert user.full_name == "Nguyễn Văn A"
    assert not user.has_usable_password()
    assert AuditEvent.objects.filter(action="user.create", target_id=str(user.pk), actor=central_officer).exists()


def test_user_create_refuses_a_taken_username_case_insensitively(central_officer):
    UserFactory(username="Trung")
    with pytest.raises(ValidationError) as exc:
        user_create(actor=central_officer, username="trung", full_name="X")
    assert exc.value.code == "username_taken"


def test_only_superusers_create_superusers(central_officer, superuser):
    with pytest.raises(PermissionDenied):
        user_create(actor=central_officer, username="root2", full_name="X", is_superuser=True)
    assert user_create(actor=superuser, username="root2", full_name="X", is_superuser=True).is_superuser


def test_producers_cannot_create_users(producer):
    with pytest.raises(PermissionDenied):
        user_create(actor=producer, username="x", full_name="X")
    assert not get_user_model().objects.filter(username="x").exists()


# ------------------------------------------------------------------------------------------ API tokens


def test_token_is_stored_hashed_and_secret_returned_once(province_officer_a):
    token, secret = api_token_create(actor=province_officer_a, name="Sàn TMĐT")
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert stored.prefix == secret[:8]
    assert secret not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert len(secret) >= 40
    event = AuditEvent.objects.get(action="api_token.create")
    assert secret not in str(event.data)


def test_token_authenticates_as_its_user(province_officer_a):
    _, secret = api_token_create(actor=province_officer_a, name="a")
    assert api_token_authenticate(secret=secret) == province_officer_a
    assert api_token_authenticate(secret=secret + "x") is None
    assert api_token_authenticate(secret="") is None


def test_revoked_expired_and_inactive_user_tokens_authenticate_nobody(province_officer_a):
    token, secret = api_token_create(actor=province_officer_a, name="a")
    api_token_revoke(actor=province_officer_a, token=token)
    assert api_token_authenticate(secret=secret) is None

    token, secret = api_token_create(actor=province_officer_a, name="b")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert api_token_authenticate(secret=secret) is None

    _, secret = api_token_create(actor=province_officer_a, name="c")
    get_user_model().objects.filter(pk=province_officer_a.pk).update(is_active=False)
    assert api_token_authenticate(secret=secret) is None


def test_last_used_is_written_at_most_once_a_minute(province_officer_a, django_assert_num_queries):
    token, secret = api_token_create(actor=province_officer_a, name="a")
    api_token_authenticate(secret=secret)
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None
    with django_assert_num_queries(1):  # the lookup only, no UPDATE
        api_token_authenticate(secret=secret)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - datetime.timedelta(minutes=2))
    api_token_authenticate(secret=secret)
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first


@pytest.mark.parametrize("persona", ["producer", "council_member_a"])
def test_non_officers_cannot_create_tokens(persona, request):
    with pytest.raises(PermissionDenied):
        api_token_create(actor=request.getfixturevalue(persona), name="x")


def test_token_creation_refuses_empty_name_and_past_expiry(central_officer):
    with pytest.raises(ValidationError):
        api_token_create(actor=central_officer, name="   ")
    with pytest.raises(ValidationError):
        api_token_create(actor=central_officer, name="x", expires_at=timezone.now() - datetime.timedelta(days=1))


def test_only_owner_or_superuser_revokes_a_token(province_officer_a, province_officer_b, superuser):
    token, _ = api_token_create(actor=province_officer_a, name="a")
    with pytest.raises(PermissionDenied):
        api_token_revoke(actor=province_officer_b, token=token)
    api_token_revoke(actor=superuser, token=token)
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
