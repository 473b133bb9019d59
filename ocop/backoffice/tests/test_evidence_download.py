"""Downloading evidence from private storage: the producer, officers covering the subject, members of a council
holding a dossier the document is attached to; 404 for everyone else."""

from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ocop.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from ocop.backoffice.evaluation.evidence_files import content_disposition
from ocop.evaluation.models import Dossier
from ocop.evaluation.services import council_create, council_member_add, dossier_create, dossier_evidence_link
from ocop.evaluation.services.dossiers import evidence_upload
from ocop.evaluation.tests.factories import bind_producer, load_process_data, make_product
from ocop.geo.models import AdminUnit

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n% minh chung\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TITLE = 'Phiếu kiểm nghiệm "đợt 1"/2026'


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_ROOT = tmp_path


@pytest.fixture
def product(db, producer, province_a, commune_a):
    sheet = load_process_data()["26_2026"]
    product = make_product(province=province_a, commune=commune_a, category=sheet.product_set)
    bind_producer(producer, product.subject)
    return product


@pytest.fixture
def evidence(product, producer):
    upload = SimpleUploadedFile("kiem-nghiem.pdf", PDF, content_type="application/octet-stream")
    return evidence_upload(actor=producer, subject=product.subject, file=upload, title=TITLE, kind="quality_test")


@pytest.fixture
def council(product, province_officer_a, province_a, django_user_model):
    from ocop.evaluation.services import round_plan_year

    round_ = round_plan_year(actor=province_officer_a, level="province", province_code=province_a.code, year=2026)[1]
    council = council_create(actor=province_officer_a, round_=round_, name="Hội đồng OCOP tỉnh")
    for username in ("m1", "outsider-member"):
        user = django_user_model.objects.create_user(username=username, password="x")
        council_member_add(actor=province_officer_a, council=council, user=user, role="member")
    return council


@pytest.fixture
def other_council(council, province_officer_a, django_user_model):
    other = council_create(actor=province_officer_a, round_=council.round, name="Hội đồng khác")
    user = django_user_model.objects.create_user(username="other-m", password="x")
    council_member_add(actor=province_officer_a, council=other, user=user, role="member")
    return other


@pytest.fixture
def dossier(product, producer, evidence, council):
    """A dossier with the evidence attached, submitted and assigned to `council`."""
    dossier = dossier_create(actor=producer, product=product)
    dossier_evidence_link(actor=producer, dossier=dossier, evidence=evidence)
    Dossier.objects.filter(pk=dossier.pk).update(status=Dossier.Status.ADVISORY_REVIEW, council=council)
    return dossier


@pytest.fixture
def other_commune_officer(province_a, commune_a):
    commune = (
        AdminUnit.objects.filter(level="commune", province_code=province_a.code, valid_until__isnull=True)
        .exclude(code=commune_a.code)
        .order_by("code")
        .first()
    )
    user = UserFactory(username="commune-other", full_name="Cán bộ xã khác")
    RoleAssignmentFactory(user=user, role="commune_officer", admin_unit=commune)
    return user


def _url(evidence):
    return reverse("bo:evaluation:evidence-download", args=[evidence.pk])


def test_the_producer_downloads_the_file_as_an_attachment_with_a_safe_name(evidence, client_for, producer):
    response = client_for(producer).get(_url(evidence))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert 'filename="phieu-kiem-nghiem-dot-1-2026.pdf"' in disposition
    assert "filename*=UTF-8''" + quote("Phiếu kiểm nghiệm đợt 1 2026.pdf", safe="") in disposition
    assert "\n" not in disposition and disposition.count('"') == 2


def test_content_disposition_never_lets_a_title_break_the_header():
    value = content_disposition('a"\r\nSet-Cookie: x=1\\..', "image/png")
    assert "\r" not in value and "\n" not in value and value.count('"') == 2
    assert value.startswith('attachment; filename="a-set-cookie-x-1.png"; ')
    assert value.endswith("filename*=UTF-8''a%20Set-Cookie%3A%20x%3D1.png")
    assert content_disposition("Ảnh", "image/jpeg").startswith('attachment; filename="anh.jpg"')


def test_permission_matrix(
    dossier,
    evidence,
    council,
    other_council,
    client_for,
    anon_client,
    producer,
    commune_officer_a,
    other_commune_officer,
    province_officer_a,
    province_officer_b,
    central_officer,
    superuser,
    council_member_a,
):
    member = council.members.get(user__username="m1").user
    other_member = other_council.members.get(user__username="other-m").user
    expected = {
        producer: 200,
        commune_officer_a: 200,
        province_officer_a: 200,
        central_officer: 200,
        superuser: 200,
        member: 200,
        other_commune_officer: 404,
        province_officer_b: 404,
        other_member: 404,
        council_member_a: 404,  # a council-member role with no seat on the dossier's council
    }
    for persona, status in expected.items():
        got = client_for(persona).get(_url(evidence)).status_code
        assert got == status, (persona.username, got)
    response = anon_client.get(_url(evidence))
    assert response.status_code == 302 and reverse("bo:accounts:login") in response["Location"]


def test_council_members_do_not_get_a_draft_dossiers_evidence(evidence, product, producer, council, client_for):
    dossier = dossier_create(actor=producer, product=product)
    dossier_evidence_link(actor=producer, dossier=dossier, evidence=evidence)
    Dossier.objects.filter(pk=dossier.pk).update(council=council)  # still a draft
    assert client_for(council.members.get(user__username="m1").user).get(_url(evidence)).status_code == 404


def test_council_members_get_only_the_evidence_attached_to_the_dossier(dossier, product, producer, council, client_for):
    upload = SimpleUploadedFile("khac.pdf", PDF)
    unattached = evidence_upload(actor=producer, subject=product.subject, file=upload, title="Chưa gắn")
    member = council.members.get(user__username="m1").user
    assert client_for(member).get(_url(unattached)).status_code == 404
    assert client_for(producer).get(_url(unattached)).status_code == 200


def test_an_unknown_or_missing_file_is_not_found(evidence, client_for, producer, tmp_path):
    client = client_for(producer)
    assert client.get(reverse("bo:evaluation:evidence-download", args=[evidence.pk + 999])).status_code == 404
    (tmp_path / evidence.file.name).unlink()
    assert client.get(_url(evidence)).status_code == 404


def test_the_evidence_pages_link_the_download(dossier, evidence, client_for, producer, province_officer_a):
    url = _url(evidence)
    detail = reverse("bo:evaluation:dossier-detail", args=[dossier.pk])
    assert url in client_for(province_officer_a).get(detail).content.decode()
    Dossier.objects.filter(pk=dossier.pk).update(status=Dossier.Status.DRAFT)
    page = client_for(producer).get(reverse("bo:evaluation:dossier-evidence", args=[dossier.pk])).content.decode()
    assert page.count(url) == 2  # attached list and the library table
