import pytest


@pytest.fixture(scope="module")
def criteria_loaded(django_db_setup, django_db_blocker):
    """All three criteria versions and the regimes, loaded once per test module and removed afterwards so
    other modules start from the same database."""
    from ocop.evaluation.loading import load_criteria, load_regimes
    from ocop.evaluation.models import (
        CriteriaPart,
        CriteriaSection,
        CriteriaSheet,
        Criterion,
        CriterionCorrection,
        CriterionOption,
        Regime,
    )
    from ocop.registry.models import CriteriaVersion

    with django_db_blocker.unblock():
        had_versions = CriteriaVersion.objects.exists()
        report = load_criteria()
        load_regimes()
    yield report
    with django_db_blocker.unblock():
        # Raw deletes, children first: a cascading delete would write a history row per deleted row.
        for model in (
            CriterionCorrection,
            CriterionOption.history.model,
            Criterion.history.model,
            CriterionOption,
            Criterion,
            CriteriaSection,
            CriteriaPart,
            CriteriaSheet,
            Regime,
        ):
            model.objects.all()._raw_delete(model.objects.db)
        if not had_versions:
            CriteriaVersion.objects.all().delete()


# --- the dossier process (synthetic sheets: fast) ------------------------------------------------------------


@pytest.fixture
def process(db):
    """Criteria versions with a synthetic sheet each and the regimes; returns {version code: sheet}."""
    from ocop.evaluation.tests.factories import load_process_data

    return load_process_data()


@pytest.fixture
def product(process, province_a, commune_a, producer):
    from ocop.evaluation.tests.factories import bind_producer, make_product

    product = make_product(province=province_a, commune=commune_a, category=process["26_2026"].product_set)
    bind_producer(producer, product.subject)
    return product


@pytest.fixture
def round_a(process, province_officer_a, province_a):
    from ocop.evaluation.services import round_plan_year

    return round_plan_year(actor=province_officer_a, level="province", province_code=province_a.code, year=2026)[1]


@pytest.fixture
def council_a(round_a, province_officer_a, django_user_model):
    """A provincial council with a chair, three members, a secretary and an advisory seat."""
    from ocop.evaluation.services import council_create, council_member_add

    council = council_create(actor=province_officer_a, round_=round_a, name="Hội đồng OCOP tỉnh")
    for username, role in (
        ("chair", "chair"),
        ("m1", "member"),
        ("m2", "member"),
        ("m3", "member"),
        ("secretary", "secretary"),
        ("advisor", "advisory"),
    ):
        user = django_user_model.objects.create_user(username=username, password="x")
        council_member_add(actor=province_officer_a, council=council, user=user, role=role)
    return council


@pytest.fixture
def seat(council_a):
    """`seat("chair")` → that member's user."""
    return lambda username: council_a.members.get(user__username=username).user
