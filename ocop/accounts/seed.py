"""Demo accounts for `make run` (idempotent): one per persona, all with the shared demo password.

Units are picked by name from the loaded administrative units, so the seed survives code changes in
the data; a persona whose unit cannot be found is created without its role and reported.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from ocop.accounts.models import Role, RoleAssignment
from ocop.accounts.services import role_assign, user_create
from ocop.core.seeding import DEMO_PASSWORD

PROVINCE_A = "Lâm Đồng"
PROVINCE_B = "Gia Lai"

# username, full name, role, unit key ("A", "B", "commune-A" or None)
DEMO_USERS = [
    ("demo-trunguong", "Nguyễn Văn Trung", Role.CENTRAL_OFFICER, None),
    ("demo-tinh", "Trần Thị Lâm", Role.PROVINCIAL_OFFICER, "A"),
    ("demo-tinh-gialai", "Rơ Mah Hờ Len", Role.PROVINCIAL_OFFICER, "B"),
    ("demo-xa", "Lê Văn Xuân", Role.COMMUNE_OFFICER, "commune-A"),
    ("demo-hoidong", "Phạm Thị Hội", Role.COUNCIL_MEMBER, "A"),
    ("demo-chuthe", "Đỗ Văn Sản", Role.PRODUCER, None),
]


def current_province(name: str):
    """The province named `name` that is in force today (None when the units are not loaded)."""
    from ocop.geo.models import AdminUnit

    today = timezone.localdate()
    return (
        AdminUnit.objects.filter(level="province", name=name, valid_until__isnull=True)
        .exclude(valid_from__gt=today)
        .first()
    )


def first_current_commune(province):
    """A stable pick: the current commune with the lowest code in the province."""
    from ocop.geo.models import AdminUnit

    if province is None:
        return None
    today = timezone.localdate()
    return (
        AdminUnit.objects.filter(level="commune", province_code=province.code, valid_until__isnull=True)
        .exclude(valid_from__gt=today)
        .order_by("code")
        .first()
    )


def _ensure_user(username: str, full_name: str, *, is_superuser: bool = False):
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = user_create(
            actor=None, username=username, full_name=full_name, password=DEMO_PASSWORD, is_superuser=is_superuser
        )
        return user, True
    return user, False


def seed() -> str:
    """Create the demo accounts and their roles if missing; never changes existing passwords."""
    province_a = current_province(PROVINCE_A)
    units = {
        "A": province_a,
        "B": current_province(PROVINCE_B),
        "commune-A": first_current_commune(province_a),
        None: None,
    }
    created, missing = 0, []
    with transaction.atomic():
        _, was_created = _ensure_user("demo-admin", "Quản Trị Viên", is_superuser=True)
        created += was_created
        for username, full_name, role, unit_key in DEMO_USERS:
            user, was_created = _ensure_user(username, full_name)
            created += was_created
            unit = units[unit_key]
            if unit_key is not None and unit is None:
                missing.append(username)
                continue
            if not RoleAssignment.objects.active().filter(user=user, role=role, admin_unit=unit).exists():
                role_assign(actor=None, user=user, role=role, unit=unit)
    message = f"{created} demo accounts created" if created else "demo accounts present"
    if missing:
        message += f"; no unit found for {', '.join(missing)} (load administrative units first)"
    return message
