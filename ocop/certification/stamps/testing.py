"""Pytest fixtures shared by the stamp tests (certification, public, interop, back office). Import the ones a
module needs; they build on the certification fixtures (product_a, province_decision, issue)."""

import pytest


@pytest.fixture
def certified_a(product_a, province_decision, issue):
    """Product A (Lâm Đồng) with a 4-star certificate valid today."""
    issue(province_decision, product_a, 4)
    return product_a


@pytest.fixture
def stamp_batch(certified_a):
    from ocop.certification.stamps.services import stamp_batch_order

    return stamp_batch_order(actor=None, product=certified_a, quantity=10, lot_code="L2026-01")


def first_code(batch, offset: int = 0) -> str:
    from ocop.certification.stamps import codes
    from ocop.certification.stamps.keys import stamp_key_secret

    return codes.code_make(stamp_key_secret(batch.key_id), batch.key_id, batch.serial_start + offset)


def bind_producer(user, subject):
    from ocop.accounts.access import scope_forget
    from ocop.accounts.models import RoleAssignment

    RoleAssignment.objects.filter(user=user, role="producer").update(object_id=str(subject.pk))
    scope_forget(user)
    return user


def revoke_batch_certificate(batch):
    """Revoke the certificate a batch stands for, through the service, as of yesterday."""
    import datetime

    from django.utils import timezone

    from ocop.certification.models import Certificate
    from ocop.certification.services import certificate_revoke

    today = timezone.localdate()
    return certificate_revoke(
        actor=None,
        certificate=Certificate.objects.get(pk=batch.certificate_id),
        ground="production_stopped",
        conclusion_on=today - datetime.timedelta(days=1),
        report="Ngừng sản xuất.",
        decision_number="9/QĐ-UBND",
        decided_on=today,
    )
