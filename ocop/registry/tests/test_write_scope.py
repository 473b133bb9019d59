"""No actor writes outside their scope: imports, the CLI and POST /api/v1/subjects."""

import io
import json

import pytest
from django.conf import settings
from django.core.management import call_command

from ocop.core.models import AuditEvent
from ocop.geo.models import AdminUnit
from ocop.registry.importing.commit import import_run
from ocop.registry.models import Product, Subject

pytestmark = pytest.mark.django_db

LISTS = settings.REFERENCE_DATA_DIR / "ocop-lists"
GIA_LAI_LIST = "list_binhdinh_github_gialai_ocop.csv"  # Bình Định, now Gia Lai (province B)
LAM_DONG_LIST = "list_lamdong_qd3981_2026.csv"  # province A


def test_an_officer_of_a_imports_nothing_of_province_b(province_officer_a):
    data = (LISTS / LAM_DONG_LIST).read_bytes() + b"\n" + (LISTS / GIA_LAI_LIST).read_bytes().split(b"\n", 2)[1]

    result = import_run(data=data, filename="mixed.csv", actor=province_officer_a)

    assert not result.committed
    out_of_scope = [e for e in result.summary()["errors"] if e["code"] == "province_out_of_scope"]
    assert len(out_of_scope) == 1 and "Gia Lai" in out_of_scope[0]["message"]
    assert not Product.objects.exists() and not Subject.objects.exists()


def test_an_officer_imports_their_own_province_and_a_central_officer_anywhere(province_officer_a, central_officer):
    assert import_run(data=(LISTS / LAM_DONG_LIST).read_bytes(), filename="a.csv", actor=province_officer_a).committed
    assert import_run(data=(LISTS / GIA_LAI_LIST).read_bytes(), filename="b.csv", actor=central_officer).committed


def test_the_cli_imports_as_a_named_user_with_their_scope(province_officer_a, capsys):
    with pytest.raises(SystemExit) as refused:
        call_command("import_products", str(LISTS / GIA_LAI_LIST), "--as", province_officer_a.username, "--json")
    assert refused.value.code == 1
    report = json.loads(capsys.readouterr().out)
    assert {e["code"] for e in report["errors"]} == {"province_out_of_scope"}
    assert not Product.objects.exists()

    out = io.StringIO()
    call_command("import_products", str(LISTS / LAM_DONG_LIST), "--as", province_officer_a.username, stdout=out)
    event = AuditEvent.objects.get(action="registry.import")
    assert event.actor == province_officer_a and event.data["via"] == "command line"


def _commune(province_code: str, index: int = 0) -> AdminUnit:
    return AdminUnit.objects.filter(level="commune", province_code=province_code, valid_until__isnull=True).order_by(
        "code"
    )[index]


def test_api_subjects_are_created_by_officers_in_their_units_only(
    client_for, producer, commune_officer_a, commune_a, province_officer_b
):
    mine, other = commune_a, _commune(commune_a.province_code, 5)
    post = lambda user, payload: client_for(user).post(  # noqa: E731
        "/api/v1/subjects", payload, content_type="application/json"
    )

    by_producer = post(producer, {"name": "HTX Tự Tạo", "commune_code": mine.code})
    outside = post(commune_officer_a, {"name": "HTX Xã Khác", "commune_code": other.code})
    b_in_a = post(province_officer_b, {"name": "HTX Tỉnh Khác", "commune_code": mine.code})
    bad_code = post(commune_officer_a, {"name": "HTX Mã Sai", "commune_code": "99999"})
    assert by_producer.status_code == 403 and by_producer.json()["code"] == "registration_required"
    assert outside.status_code == 403 and b_in_a.status_code == 403
    assert bad_code.status_code == 422 and "commune_code" in bad_code.json()["fields"]
    assert not Subject.objects.exists()

    created = post(commune_officer_a, {"name": "HTX Xã Mình", "commune_code": mine.code})
    assert created.status_code == 201, created.content
    subject = Subject.objects.get()
    assert subject.current_commune_code == mine.code and subject.province_code == mine.province_code
    # … and the commune's officer sees it.
    assert client_for(commune_officer_a).get(f"/api/v1/subjects/{subject.pk}").status_code == 200
