from django.contrib.auth import authenticate, get_user_model
from django.test import RequestFactory

from ocop.accounts.access import scope_for
from ocop.accounts.models import Role, RoleAssignment
from ocop.accounts.seed import seed
from ocop.core.seeding import DEMO_PASSWORD, demo_logins


def test_seed_creates_demo_personas_once(db, province_a, province_b):
    seed()
    seed()  # idempotent

    User = get_user_model()
    users = {u.username: u for u in User.objects.filter(username__startswith="demo-")}
    assert set(users) == {
        "demo-admin",
        "demo-trunguong",
        "demo-tinh",
        "demo-tinh-gialai",
        "demo-xa",
        "demo-hoidong",
        "demo-chuthe",
    }
    assert RoleAssignment.objects.filter(user__username__startswith="demo-").count() == 6
    assert users["demo-admin"].is_superuser
    assert scope_for(users["demo-trunguong"]).nationwide
    assert scope_for(users["demo-tinh"]).province_codes == {province_a.code}
    assert scope_for(users["demo-tinh-gialai"]).province_codes == {province_b.code}
    (commune_code,) = scope_for(users["demo-xa"]).commune_codes
    assert len(commune_code) == 5
    assert users["demo-xa"].role_assignments.get().admin_unit.province_code == province_a.code
    assert scope_for(users["demo-hoidong"]).council_province_codes == {province_a.code}
    assert scope_for(users["demo-chuthe"]).roles == {Role.PRODUCER}
    assert all(" " in u.full_name for u in users.values())


def test_demo_accounts_log_in_with_the_demo_password(db):
    seed()
    request = RequestFactory().post("/bo/accounts/login/")
    assert authenticate(request, username="demo-tinh", password=DEMO_PASSWORD) is not None
    assert any(line.startswith("demo-tinh / ") for line in demo_logins())


def test_province_a_is_lam_dong_code_68(province_a):
    # The demo and the personas rely on the current Lâm Đồng (merged 2025) keeping code 68.
    assert province_a.code == "68"
    assert province_a.full_name == "Tỉnh Lâm Đồng"
