import factory
from django.contrib.auth import get_user_model

from ocop.accounts.models import ApiToken, Role, RoleAssignment
from ocop.core.seeding import DEMO_PASSWORD

# Tests log in with a known password; the test settings use a fast hasher.
PASSWORD = DEMO_PASSWORD


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.vn")
    password = factory.django.Password(PASSWORD)


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    """Creates the row directly (no service validation): use it to arrange data, use
    `ocop.accounts.services.role_assign` when the rules are what the test is about."""

    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = Role.CENTRAL_OFFICER
    admin_unit = None
    object_id = ""


class ApiTokenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApiToken

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Đối tác {n}")
    prefix = "abcdefgh"
    key_hash = factory.Sequence(lambda n: f"{n:064x}")
