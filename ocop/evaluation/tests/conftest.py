import pytest


@pytest.fixture(scope="module")
def criteria_loaded(django_db_setup, django_db_blocker):
    """All three criteria versions and the regimes, loaded once per test module and removed afterwards so
    other modules start from the same database."""
    from ocop.evaluation.loading import load_criteria, load_regimes
    from ocop.evaluation.models import CriteriaSheet, CriterionCorrection, Regime
    from ocop.registry.models import CriteriaVersion

    with django_db_blocker.unblock():
        had_versions = CriteriaVersion.objects.exists()
        report = load_criteria()
        load_regimes()
    yield report
    with django_db_blocker.unblock():
        CriterionCorrection.objects.all().delete()
        Regime.objects.all().delete()
        CriteriaSheet.objects.all().delete()
        for model in (CriteriaSheet.criteria.field.model, CriteriaSheet.criteria.field.model.options.field.model):
            model.history.all().delete()
        if not had_versions:
            CriteriaVersion.objects.all().delete()
