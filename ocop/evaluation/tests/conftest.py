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
