import datetime

import pytest
from django.core import mail

from ocop.accounts.models import RoleAssignment
from ocop.certification.models import Notification
from ocop.certification.services import certificate_reevaluation_file, certificates_daily
from ocop.certification.tasks import certificates_daily_task
from ocop.registry.services import subject_bind_producer

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def cert(province_decision, product_a, issue, producer):
    producer.email = "san@example.vn"
    producer.save()
    RoleAssignment.objects.filter(user=producer).delete()
    subject_bind_producer(subject=product_a.subject, user=producer)
    return issue(province_decision, product_a, 4)  # valid until 14/09/2029


def _run(today, capture):
    with capture(execute=True):
        return certificates_daily(today=today)


def test_window_opening_is_told_once_to_the_producer_and_the_province(
    cert, producer, django_capture_on_commit_callbacks
):
    opens = cert.valid_until - datetime.timedelta(days=180)

    assert _run(opens - datetime.timedelta(days=1), django_capture_on_commit_callbacks)["opened"] == 0
    assert _run(opens, django_capture_on_commit_callbacks)["opened"] == 2
    assert _run(opens, django_capture_on_commit_callbacks)["opened"] == 0
    assert _run(opens + datetime.timedelta(days=3), django_capture_on_commit_callbacks)["opened"] == 0

    rows = Notification.objects.filter(certificate=cert, kind="reevaluation_window_open")
    assert {(n.recipient_user_id, n.province_code) for n in rows} == {
        (producer.pk, ""),
        (None, cert.product.subject.province_code),
    }
    assert all(n.sent_on == opens for n in rows)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["san@example.vn"]
    assert cert.number in mail.outbox[0].body and "Cà phê Arabica Cầu Đất" in mail.outbox[0].body


def test_closing_reminder_before_the_window_closes_once(cert, django_capture_on_commit_callbacks):
    closes = cert.valid_until - datetime.timedelta(days=120)
    reminder = cert.valid_until - datetime.timedelta(days=150)

    assert _run(reminder - datetime.timedelta(days=1), django_capture_on_commit_callbacks)["closing"] == 0
    assert _run(reminder, django_capture_on_commit_callbacks)["closing"] == 2
    assert _run(closes, django_capture_on_commit_callbacks)["closing"] == 0
    assert _run(closes + datetime.timedelta(days=1), django_capture_on_commit_callbacks) == {
        "opened": 0,
        "closing": 0,
        "expired": 0,
    }
    assert Notification.objects.filter(kind="reevaluation_window_closing").count() == 2


def test_no_reminder_once_a_reevaluation_is_filed(cert, django_capture_on_commit_callbacks):
    certificate_reevaluation_file(actor=None, certificate=cert, filed_on=D(2029, 3, 1))

    assert _run(cert.valid_until - datetime.timedelta(days=150), django_capture_on_commit_callbacks)["closing"] == 0


def test_expiry_is_marked_the_day_after_the_last_valid_day(cert, django_capture_on_commit_callbacks):
    assert _run(cert.valid_until, django_capture_on_commit_callbacks)["expired"] == 0

    assert _run(cert.valid_until + datetime.timedelta(days=1), django_capture_on_commit_callbacks)["expired"] == 1

    cert.refresh_from_db()
    assert cert.status == "expired" and cert.status_changed_on == D(2029, 9, 15)
    assert _run(cert.valid_until + datetime.timedelta(days=2), django_capture_on_commit_callbacks)["expired"] == 0


def test_expiry_waits_for_the_reevaluation_grace(cert, django_capture_on_commit_callbacks):
    certificate_reevaluation_file(actor=None, certificate=cert, filed_on=D(2029, 9, 1))

    assert _run(D(2029, 10, 1), django_capture_on_commit_callbacks)["expired"] == 0
    assert (
        _run(cert.reevaluation_grace_until + datetime.timedelta(days=1), django_capture_on_commit_callbacks)["expired"]
        == 1
    )


def test_periodic_task_runs_the_daily_service(cert):
    assert set(certificates_daily_task.call_local()) == {"opened", "closing", "expired"}
