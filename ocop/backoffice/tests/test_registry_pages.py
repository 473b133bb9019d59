import datetime

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from ocop.accounts.models import Role, RoleAssignment
from ocop.certification.models import Certificate
from ocop.core.models import JobRun
from ocop.geo.models import AdminUnit
from ocop.registry.models import Product, Subject
from ocop.registry.services import product_create, subject_create, subject_update

pytestmark = pytest.mark.django_db

LISTS = settings.REFERENCE_DATA_DIR / "ocop-lists"
PASSWORD = "Ocop-Rat-Kho-Doan-2026"


def _commune(province, index=0):
    return AdminUnit.objects.filter(level="commune", province_code=province.code, valid_until__isnull=True).order_by(
        "code"
    )[index]


def make_subject(commune, name="Hợp tác xã Cà phê Cầu Đất", tax_code="", **values):
    return subject_create(
        actor=None,
        values={"name": name, "legal_form": "cooperative", "commune": commune, "tax_code": tax_code, **values},
        verified=True,
        check_access=False,
    )


def make_product(subject, name="Cà phê Arabica rang xay", star=None):
    product = product_create(actor=None, subject=subject, values={"name": name}, check_access=False)
    if star:
        today = datetime.date.today()
        Certificate.objects.create(
            product=product,
            star=star,
            valid_from=today - datetime.timedelta(days=30),
            valid_until=today + datetime.timedelta(days=1000),
            decision_number="123/QĐ-UBND",
        )
    return product


@pytest.fixture
def subject_a(commune_a):
    return make_subject(commune_a, tax_code="0101234567")


@pytest.fixture
def subject_b(province_b):
    return make_subject(_commune(province_b), name="Công ty Mắm cáy Gia Lai")


@pytest.fixture
def product_a(subject_a):
    return make_product(subject_a, star=4)


@pytest.fixture
def product_b(subject_b):
    return make_product(subject_b, name="Mắm cáy đặc biệt", star=3)


# ----------------------------------------------------------------------------------- permission matrix

PAGES = ["/bo/subjects/", "/bo/products/", "/bo/imports/", "/bo/my-subject/"]


@pytest.mark.parametrize("url", [*PAGES, "/bo/subjects/1/", "/bo/products/1/"])
def test_anonymous_is_sent_to_login(anon_client, url):
    response = anon_client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/bo/accounts/login/")


@pytest.mark.parametrize(
    ("persona", "subjects", "products", "imports"),
    [
        ("central_officer", 200, 200, 200),
        ("province_officer_a", 200, 200, 200),
        ("commune_officer_a", 200, 200, 403),
        ("producer", 403, 403, 403),
    ],
)
def test_list_pages_permission_matrix(request, client_for, persona, subjects, products, imports):
    client = client_for(request.getfixturevalue(persona))
    assert client.get("/bo/subjects/").status_code == subjects
    assert client.get("/bo/products/").status_code == products
    assert client.get("/bo/imports/").status_code == imports


def test_province_officer_a_never_sees_province_b(client_for, province_officer_a, product_a, product_b):
    client = client_for(province_officer_a)
    subjects = client.get("/bo/subjects/").content.decode()
    products = client.get("/bo/products/").content.decode()
    assert product_a.subject.name in subjects and product_b.subject.name not in subjects
    assert product_a.name in products and product_b.name not in products  # even though B's is published
    assert client.get(f"/bo/subjects/{product_b.subject_id}/").status_code == 404
    assert client.get(f"/bo/products/{product_b.pk}/").status_code == 404
    assert client.get(f"/bo/subjects/{product_a.subject_id}/").status_code == 200
    assert client.get(f"/bo/products/{product_a.pk}/").status_code == 200


def test_central_officer_sees_every_province(client_for, central_officer, product_a, product_b):
    client = client_for(central_officer)
    products = client.get("/bo/products/").content.decode()
    assert product_a.name in products and product_b.name in products
    assert client.get(f"/bo/subjects/{product_b.subject_id}/").status_code == 200
    assert client.get(f"/bo/products/{product_b.pk}/").status_code == 200


def test_commune_officer_sees_only_their_commune(client_for, commune_officer_a, subject_a, province_a):
    elsewhere = make_subject(_commune(province_a, 1), name="Hộ kinh doanh Trà Ô long")
    client = client_for(commune_officer_a)
    html = client.get("/bo/subjects/").content.decode()
    assert subject_a.name in html and elsewhere.name not in html
    assert client.get(f"/bo/subjects/{elsewhere.pk}/").status_code == 404


def test_producer_sees_only_their_own_subject(client_for, producer, subject_a, subject_b):
    RoleAssignment.objects.filter(user=producer, role=Role.PRODUCER).update(object_id=str(subject_a.pk))
    client = client_for(producer)
    assert client.get(f"/bo/subjects/{subject_a.pk}/").status_code == 200
    assert client.get(f"/bo/subjects/{subject_b.pk}/").status_code == 404
    assert subject_a.name in client.get("/bo/my-subject/").content.decode()


# ----------------------------------------------------------------------------------- lists and details


def test_subject_search_ignores_accents_and_filters(client_for, central_officer, subject_a, subject_b):
    client = client_for(central_officer)
    html = client.get("/bo/subjects/", {"q": "ca phe"}).content.decode()
    assert subject_a.name in html and subject_b.name not in html
    html = client.get("/bo/subjects/", {"province": subject_b.province_code}).content.decode()
    assert subject_b.name in html and subject_a.name not in html
    html = client.get("/bo/subjects/", {"legal_form": "household"}).content.decode()
    assert subject_a.name not in html and subject_b.name not in html


def test_subject_list_paginates_by_50(client_for, central_officer, commune_a):
    for n in range(55):
        make_subject(commune_a, name=f"Chủ thể số {n:02d}")
    client = client_for(central_officer)
    first = client.get("/bo/subjects/").content.decode()
    second = client.get("/bo/subjects/", {"page": 2}).content.decode()
    assert first.count("data-subject=") == 50 and second.count("data-subject=") == 5
    assert "Trang 1 / 2" in first


def test_product_filters_and_search(client_for, central_officer, product_a, product_b, subject_a):
    unrecognised = make_product(subject_a, name="Trà atisô túi lọc")
    client = client_for(central_officer)

    def names(**params):
        html = client.get("/bo/products/", params).content.decode()
        return {p.name for p in (product_a, product_b, unrecognised) if p.name in html}

    assert names(q="ca phe arabica") == {product_a.name}
    assert names(q="ca phe") == {product_a.name, unrecognised.name}  # "Cà phê" is in their subject's name
    assert names(q="TRA ATISO") == {unrecognised.name}
    assert names(q="0101234567") == {product_a.name, unrecognised.name}  # the subject's tax code
    assert names(q=product_b.ocop_code.lower()) == {product_b.name}
    assert names(q="mam cay") == {product_b.name}  # the subject's name
    assert names(stars="4") == {product_a.name}
    assert names(certificate="none") == {unrecognised.name}
    assert names(certificate="valid") == {product_a.name, product_b.name}
    assert names(province=product_b.subject.province_code) == {product_b.name}


def test_subject_detail_shows_products_and_edit_history(client_for, province_officer_a, product_a, subject_a):
    subject_update(actor=province_officer_a, subject=subject_a, values={"phone": "0263 3822 111"})
    html = client_for(province_officer_a).get(f"/bo/subjects/{subject_a.pk}/").content.decode()
    assert product_a.name in html and product_a.ocop_code in html
    assert "Lịch sử chỉnh sửa" in html
    assert "0263 3822 111" in html and province_officer_a.full_name in html


def test_product_detail_shows_certificates_in_vietnamese_dates(client_for, province_officer_a, product_a):
    certificate = product_a.certificates.get()
    html = client_for(province_officer_a).get(f"/bo/products/{product_a.pk}/").content.decode()
    assert "123/QĐ-UBND" in html
    assert certificate.valid_until.strftime("%d/%m/%Y") in html
    assert "4★" in html


# ----------------------------------------------------------------------------------- imports


def _upload(client, name, data=None, as_of=""):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = data if data is not None else (LISTS / name).read_bytes()
    return client.post("/bo/imports/", {"file": SimpleUploadedFile(name, data), "as_of": as_of})


def test_import_preview_then_commit_runs_the_job(client_for, province_officer_a, django_capture_on_commit_callbacks):
    client = client_for(province_officer_a)

    # given an uploaded real list
    response = _upload(client, "list_daknong_qd858_2025.csv", as_of="01/06/2025")
    assert response.status_code == 302
    preview_url = response["Location"]
    token = preview_url.rstrip("/").rsplit("/", 1)[1]
    assert (settings.PRIVATE_ROOT / "uploads" / f"{token}.upload").exists()

    # when the officer looks at the preview
    html = client.get(preview_url).content.decode()
    assert 'data-testid="errors-count">0<' in html
    assert 'value="product_name" selected' in html  # detected mapping, editable
    assert not Product.objects.exists()  # a preview writes nothing

    # and commits
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/bo/imports/{token}/commit/")

    # then the job ran and the progress page follows it
    job = JobRun.objects.get(kind="registry.import")
    assert response["Location"] == f"/bo/jobs/{job.pk}/"
    job.refresh_from_db()
    assert job.status == JobRun.Status.SUCCEEDED, job.message
    assert Product.objects.count() == 5
    assert not (settings.PRIVATE_ROOT / "uploads" / f"{token}.upload").exists()
    assert client.get(preview_url).status_code == 404  # the token is spent


def test_import_mapping_can_be_changed_on_the_preview(client_for, central_officer):
    client = client_for(central_officer)
    preview_url = _upload(client, "list_daknong_qd858_2025.csv")["Location"]
    html = client.post(preview_url, {"product_name": "product_name", "subject_name": "subject_name"}).content.decode()
    # "province" set to ignore: the required column is missing, explained without a traceback
    assert "Thiếu cột bắt buộc" in html
    assert 'data-testid="import-commit"' not in html


def test_import_bad_file_shows_the_service_message(client_for, province_officer_a):
    client = client_for(province_officer_a)
    response = _upload(client, "list.xls", data=b"\xd0\xcf\x11\xe0 old excel")
    assert response.status_code == 422
    assert "Định dạng XLS cũ không được hỗ trợ" in response.content.decode()
    response = _upload(client, "list.csv", data=b"a,b\n1,2\n")
    assert "Không tìm thấy dòng tiêu đề" in response.content.decode()


def test_import_with_row_errors_shows_the_report_and_no_commit(client_for, province_officer_a):
    bad = (LISTS / "list_daknong_qd858_2025.csv").read_bytes().replace(b",4,,2025", b",6,,2025")
    client = client_for(province_officer_a)
    html = client.get(_upload(client, "bad.csv", data=bad)["Location"]).content.decode()
    assert 'data-testid="errors-count">5<' in html
    assert 'data-testid="import-commit"' not in html


def test_import_token_of_another_session_is_404(client_for, province_officer_a, central_officer):
    preview_url = _upload(client_for(province_officer_a), "list_daknong_qd858_2025.csv")["Location"]
    other = client_for(central_officer)
    assert other.get(preview_url).status_code == 404
    assert other.post(preview_url + "commit/").status_code == 404


# ----------------------------------------------------------------------------------- registration


def _registration(commune, **overrides):
    return {
        "username": "hoa.hoang",
        "full_name": "Hoàng Thị Hoa",
        "phone": "0912 345 678",
        "email": "hoa@example.vn",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "legal_form": "household",
        "name": "Hộ kinh doanh Mật ong Hoa",
        "tax_code": "",
        "address_line": "Thôn 3",
        "province": commune.province_code,
        "commune": commune.code,
        **overrides,
    }


def test_commune_options_follow_the_province(anon_client, province_a, commune_a):
    html = anon_client.get("/bo/register/communes/", {"province": province_a.code}).content.decode()
    assert f'value="{commune_a.code}"' in html


def test_registration_form_errors_are_shown(anon_client, commune_a):
    response = anon_client.post("/bo/register/", _registration(commune_a, password2="khac", tax_code="123"))
    assert response.status_code == 422
    assert "Hai mật khẩu không khớp" in response.content.decode()
    response = anon_client.post("/bo/register/", _registration(commune_a, tax_code="123"))
    assert "Mã số thuế gồm 10 chữ số" in response.content.decode()
    assert not Subject.objects.exists()
    assert not get_user_model().objects.filter(username="hoa.hoang").exists()  # all or nothing


def test_registration_return_resubmit_approve(
    anon_client, client_for, commune_a, commune_officer_a, province_officer_b
):
    # given a producer who registers
    response = anon_client.post("/bo/register/", _registration(commune_a))
    assert response.status_code == 302 and response["Location"] == "/bo/my-subject/"
    subject = Subject.objects.get()
    assert subject.verification_status == Subject.Verification.PENDING
    assert subject.current_commune_code == commune_a.code
    user = get_user_model().objects.get(username="hoa.hoang")
    assert RoleAssignment.objects.get(user=user, role=Role.PRODUCER).object_id == str(subject.pk)
    assert "Chờ xác minh" in anon_client.get("/bo/my-subject/").content.decode()  # logged in

    # when the commune officer finds it among the pending applications
    officer = client_for(commune_officer_a)
    assert subject.name in officer.get("/bo/subjects/", {"status": "pending"}).content.decode()
    assert "Xác minh hồ sơ đăng ký" in officer.get(f"/bo/subjects/{subject.pk}/").content.decode()
    # an officer of another province cannot decide
    assert (
        client_for(province_officer_b).post(f"/bo/subjects/{subject.pk}/verify/", {"decision": "verified"}).status_code
        == 404
    )

    # a return needs a reason
    response = officer.post(f"/bo/subjects/{subject.pk}/verify/", {"decision": "returned", "reason": ""})
    assert response.status_code == 422 and "Cần nêu lý do" in response.content.decode()
    officer.post(f"/bo/subjects/{subject.pk}/verify/", {"decision": "returned", "reason": "Thiếu địa chỉ cụ thể."})
    subject.refresh_from_db()
    assert subject.verification_status == Subject.Verification.RETURNED

    # then the producer sees the reason, fixes and resubmits
    html = anon_client.get("/bo/my-subject/").content.decode()
    assert "Thiếu địa chỉ cụ thể." in html and "Gửi lại hồ sơ" in html
    fixed = _registration(commune_a, address_line="Số 12, thôn 3")
    response = anon_client.post("/bo/my-subject/", fixed)
    assert response.status_code == 302
    subject.refresh_from_db()
    assert subject.verification_status == Subject.Verification.PENDING
    assert subject.address_line == "Số 12, thôn 3"

    # and the officer approves
    officer.post(f"/bo/subjects/{subject.pk}/verify/", {"decision": "verified"})
    subject.refresh_from_db()
    assert subject.verification_status == Subject.Verification.VERIFIED
    assert "Đã xác minh" in anon_client.get("/bo/my-subject/").content.decode()
    history = officer.get(f"/bo/subjects/{subject.pk}/").content.decode()
    assert "Số 12, thôn 3" in history and commune_officer_a.full_name in history


def test_reject_needs_a_reason_and_producer_cannot_verify(client_for, producer, commune_a, anon_client):
    anon_client.post("/bo/register/", _registration(commune_a))
    subject = Subject.objects.get()
    user = get_user_model().objects.get(username="hoa.hoang")
    assert client_for(user).post(f"/bo/subjects/{subject.pk}/verify/", {"decision": "verified"}).status_code == 403
    subject.refresh_from_db()
    assert subject.verification_status == Subject.Verification.PENDING


def test_logged_in_user_is_sent_from_register_to_their_application(client_for, producer):
    assert client_for(producer).get("/bo/register/")["Location"] == "/bo/my-subject/"


def test_nav_shows_registry_items_by_role(client_for, province_officer_a, commune_officer_a, producer):
    assert "/bo/imports/" in client_for(province_officer_a).get("/bo/").content.decode()
    commune_home = client_for(commune_officer_a).get("/bo/").content.decode()
    assert "/bo/subjects/" in commune_home and "/bo/imports/" not in commune_home
    producer_home = client_for(producer).get("/bo/").content.decode()
    assert "/bo/my-subject/" in producer_home and "/bo/subjects/" not in producer_home


def test_registry_pages_in_english(client_for, central_officer, subject_a):
    client = client_for(central_officer)
    client.post("/i18n/setlang/", {"language": "en", "next": "/bo/"})
    html = client.get("/bo/subjects/").content.decode()
    assert "OCOP subjects" in html and "Filters" in html
    assert "Edit history" in client.get(f"/bo/subjects/{subject_a.pk}/").content.decode()


def _xlsx_rows(response):
    import io

    from python_calamine import CalamineWorkbook

    data = b"".join(response.streaming_content)
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()


def test_product_export_keeps_the_filters_and_the_officers_scope(
    client_for, province_officer_a, product_a, product_b, django_capture_on_commit_callbacks
):
    # given the list page offers the export with the current filter
    client = client_for(province_officer_a)
    html = client.get("/bo/products/", {"q": "ca phe"}).content.decode()
    assert 'action="/bo/products/export/"' in html
    assert 'name="q" value="ca phe"' in html
    # when the officer exports
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/bo/products/export/", {"q": "ca phe"})
    job = JobRun.objects.get(kind="registry.export_products")
    assert response["Location"] == f"/bo/jobs/{job.pk}/"
    assert job.status == JobRun.Status.SUCCEEDED
    # then the file holds province A's matching product and nothing of province B
    rows = _xlsx_rows(client.get(f"/bo/jobs/{job.pk}/download/"))
    names = [row[1] for row in rows[1:]] + [row[0] for row in rows[1:]]
    assert product_a.name in names
    assert product_b.name not in names


def test_subject_export_is_refused_to_a_producer(client_for, producer):
    assert client_for(producer).post("/bo/subjects/export/").status_code == 403
    assert not JobRun.objects.exists()


def test_subject_export_runs_for_a_central_officer(
    client_for, central_officer, subject_a, subject_b, django_capture_on_commit_callbacks
):
    client = client_for(central_officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/bo/subjects/export/", {})
    job = JobRun.objects.get(kind="registry.export_subjects")
    assert response.status_code == 302
    assert job.status == JobRun.Status.SUCCEEDED
    assert job.result.get("rows", 0) >= 2
