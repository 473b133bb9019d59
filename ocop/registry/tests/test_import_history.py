"""What the importer's bulk writer leaves behind besides the rows: one "+" history record per created subject,
product and certificate, with the importing user and the values written, and nothing at all when it fails."""

from pathlib import Path

import pytest
from django.conf import settings
from django.db.models import Model

from ocop.certification.models import Certificate
from ocop.core.errors import Conflict
from ocop.registry.importing import commit
from ocop.registry.importing.commit import import_run
from ocop.registry.models import ImportBatch, Product, Subject

pytestmark = pytest.mark.django_db

LISTS = Path(settings.REFERENCE_DATA_DIR) / "ocop-lists"
LIST = "list_travinh_cauke_github.csv"  # subjects with several products, a row without stars
MODELS = (Subject, Product, Certificate)


def run(name=LIST, **kw):
    return import_run(data=(LISTS / name).read_bytes(), filename=name, **kw)


def tracked_values(obj: Model, model) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in model.history.model.tracked_fields}


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_created_row_has_one_creation_record_with_the_importing_user(model, central_officer):
    result = run(actor=central_officer)

    created = list(model.objects.filter(import_batch_id=result.batch_id).order_by("pk"))
    records = list(model.history.filter(import_batch_id=result.batch_id).order_by("id"))
    assert created and [r.id for r in records] == [o.pk for o in created]
    for obj, record in zip(created, records, strict=True):
        assert record.history_type == "+"
        assert record.history_user_id == central_officer.pk
        assert tracked_values(record, model) == tracked_values(obj, model)
    assert len({r.history_date for r in records}) == 1


def test_created_rows_carry_timestamps_and_the_verifying_user(central_officer):
    result = run(actor=central_officer)

    subject = Subject.objects.filter(import_batch_id=result.batch_id).first()
    assert subject.created_at and subject.updated_at and subject.verified_at
    assert subject.verified_by_id == subject.created_by_id == central_officer.pk
    product = Product.objects.filter(import_batch_id=result.batch_id).first()
    assert product.created_at and product.created_by_id == central_officer.pk
    assert product.history.get().photo == ""


def test_import_without_user_records_no_history_user():
    result = run()

    for model in MODELS:
        records = model.history.filter(import_batch_id=result.batch_id)
        assert records.exists() and not records.exclude(history_user=None).exists()


def test_reimport_adds_no_history(central_officer):
    run(actor=central_officer)
    counts = [m.history.count() for m in MODELS]

    second = run(actor=central_officer)

    assert second.committed and second.created_products == 0
    assert [m.history.count() for m in MODELS] == counts


def test_dry_run_leaves_no_history():
    result = run(dry_run=True)

    assert result.created_products and not result.committed
    assert [m.history.count() for m in MODELS] == [0, 0, 0]


def test_a_failure_while_writing_leaves_nothing_behind(monkeypatch):
    # Every product gets the same OCOP code: the unique index refuses the second, after subjects are written.
    monkeypatch.setattr(commit.ProductCodeAllocator, "next", lambda self, **kw: "OCOP-00-2025-000001")

    with pytest.raises(Conflict):
        run()

    assert not ImportBatch.objects.exists()
    for model in MODELS:
        assert not model.objects.exists() and not model.history.exists()
