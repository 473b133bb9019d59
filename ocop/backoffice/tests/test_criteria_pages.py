"""Criteria sets in the back office: versions → sheets with their validity and defects → a sheet as printed →
correcting one criterion (central officers only), with the history and the sheet re-checked."""

import pytest
from django.urls import reverse

from ocop.backoffice.navigation import nav_for_user
from ocop.evaluation.loading import sheet_recheck
from ocop.evaluation.models import CriteriaSheet, Criterion, CriterionCorrection, CriterionOption
from ocop.evaluation.tests.factories import load_process_data

pytestmark = pytest.mark.django_db
REASON = "Đối chiếu bản ký 26/2026/QĐ-TTg, Phụ lục II"


@pytest.fixture
def sheet(db):
    """The synthetic 26/2026 sheet with one source typo: criterion 1.1 prints its 40-point option as 44, over
    the criterion's 40-point maximum (like 26/2026 sheet 4 printing 13 for 3), so the sheet is not usable."""
    sheet = load_process_data()["26_2026"]
    CriterionOption.objects.filter(criterion__sheet=sheet, criterion__position=1, points=40).update(points=44)
    sheet_recheck(sheet=sheet)
    sheet.refresh_from_db()
    assert not sheet.is_valid
    return sheet


@pytest.fixture
def criterion(sheet):
    return Criterion.objects.get(sheet=sheet, position=1)


def _urls(sheet, criterion):
    return {
        "versions": reverse("bo:criteria:version-list"),
        "sheets": reverse("bo:criteria:sheet-list", args=[sheet.version.code]),
        "sheet": reverse("bo:criteria:sheet-detail", args=[sheet.pk]),
        "criterion": reverse("bo:criteria:criterion-correct", args=[criterion.pk]),
    }


def _post(client, criterion, target, value, reason=REASON):
    url = reverse("bo:criteria:criterion-correct", args=[criterion.pk])
    return client.post(url, {"target": target, "new_value": value, "reason": reason})


def test_anonymous_visitors_are_sent_to_the_login_page(anon_client, sheet, criterion):
    for url in _urls(sheet, criterion).values():
        response = anon_client.get(url)
        assert response.status_code == 302 and reverse("bo:accounts:login") in response["Location"]
    response = _post(anon_client, criterion, "criterion:max_points", "41")
    assert response.status_code == 302
    assert not CriterionCorrection.objects.exists()


def test_permission_matrix_over_the_personas(
    sheet,
    criterion,
    client_for,
    producer,
    council_member_a,
    commune_officer_a,
    province_officer_a,
    central_officer,
    superuser,
):
    option = criterion.options.get(points=44)
    # persona: (GET status of every page, POST status of a correction)
    matrix = (
        (producer, 403, 403),
        (council_member_a, 403, 403),
        (commune_officer_a, 200, 403),
        (province_officer_a, 200, 403),
        (central_officer, 200, 302),
        (superuser, 200, 302),
    )
    for persona, get_status, post_status in matrix:
        client = client_for(persona)
        for page, url in _urls(sheet, criterion).items():
            got = client.get(url).status_code
            assert got == get_status, (persona.username, page, got)
        value = "40" if not CriterionCorrection.objects.exists() else "44"
        got = _post(client, criterion, f"option:{option.pk}:points", value).status_code
        assert got == post_status, (persona.username, got)
    assert CriterionCorrection.objects.count() == 2


def test_nav_offers_the_section_to_officers_only(sheet, producer, commune_officer_a, central_officer):
    url = reverse("bo:criteria:version-list")
    assert url in [i["url"] for i in nav_for_user(central_officer)["bo_nav"]]
    assert url in [i["url"] for i in nav_for_user(commune_officer_a)["bo_nav"]]
    assert url not in [i["url"] for i in nav_for_user(producer)["bo_nav"]]


def test_versions_and_sheets_show_validity_and_the_loaders_defects(sheet, client_for, province_officer_a):
    client = client_for(province_officer_a)
    versions = client.get(reverse("bo:criteria:version-list")).content.decode()
    assert "26_2026" in versions and f'href="{reverse("bo:criteria:sheet-list", args=["26_2026"])}"' in versions
    page = client.get(reverse("bo:criteria:sheet-list", args=["26_2026"])).content.decode()
    assert "Chưa dùng được" in page
    assert "Tiêu chí 1.1: phương án 44 điểm vượt điểm tối đa 40." in page


def test_sheet_detail_shows_parts_criteria_options_points_and_star_minimums(sheet, client_for, province_officer_a):
    page = client_for(province_officer_a).get(reverse("bo:criteria:sheet-detail", args=[sheet.pk])).content.decode()
    assert "Phần A. A (40 điểm)" in page and "Tiêu chí 1" in page and "Tiêu chí 3" in page
    assert "44 điểm" in page and "5★" in page and "4★" in page
    assert "Phiếu chưa dùng được để chấm điểm" in page
    assert ">Chi tiết</a>" in page and ">Đính chính</a>" not in page  # read-only for a provincial officer


def test_central_officer_is_offered_the_correction_link(sheet, client_for, central_officer):
    page = client_for(central_officer).get(reverse("bo:criteria:sheet-detail", args=[sheet.pk])).content.decode()
    assert ">Đính chính</a>" in page


def test_central_officer_corrects_the_typo_and_the_sheet_becomes_valid(sheet, criterion, client_for, central_officer):
    option = criterion.options.get(points=44)
    client = client_for(central_officer)
    form_page = client.get(reverse("bo:criteria:criterion-correct", args=[criterion.pk])).content.decode()
    assert 'name="reason"' in form_page and f'value="option:{option.pk}:points"' in form_page
    # when
    response = _post(client, criterion, f"option:{option.pk}:points", "40")
    # then
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Phiếu đánh giá hợp lệ, dùng được để chấm điểm." in page
    assert "Phiếu hợp lệ, dùng được để chấm điểm." in page
    correction = CriterionCorrection.objects.get()
    assert (correction.old_value, correction.new_value, correction.actor, correction.reason) == (
        44,
        40,
        central_officer,
        REASON,
    )
    assert REASON in page and "Nguyễn Văn Trung" in page and "<del>44</del>" in page and "<ins>40</ins>" in page
    assert CriteriaSheet.objects.get(pk=sheet.pk).is_valid
    sheet_page = client.get(reverse("bo:criteria:sheet-detail", args=[sheet.pk])).content.decode()
    assert REASON in sheet_page


def test_a_correction_that_leaves_a_defect_says_the_sheet_is_still_unusable(sheet, criterion, client_for, superuser):
    option = criterion.options.get(points=44)
    client = client_for(superuser)
    response = _post(client, criterion, f"option:{option.pk}:points", "41", reason="Thử")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "vẫn còn 1 lỗi" in page and "phương án 41 điểm vượt điểm tối đa 40" in page
    assert not CriteriaSheet.objects.get(pk=sheet.pk).is_valid


@pytest.mark.parametrize(
    ("target", "value", "reason", "message"),
    [
        ("points", "40", "   ", "Cần ghi lý do đính chính."),
        ("points", "bốn mươi", REASON, "Phải là số nguyên không âm."),
        ("points", "-3", REASON, "Phải là số nguyên không âm."),
        ("min_star", "7", REASON, "Hạng sao phải từ 1 đến 5."),
        ("max_points", "40", REASON, "Giá trị mới trùng giá trị hiện tại."),
        ("max_points", "", REASON, "Phải là số nguyên không âm."),
        ("text", "  ", REASON, "Không được để trống."),
        ("scoring", "tuỳ ý", REASON, "Cách tính điểm không hợp lệ."),
    ],
)
def test_bad_corrections_show_vietnamese_errors_and_write_nothing(
    sheet, criterion, client_for, central_officer, target, value, reason, message
):
    option = criterion.options.get(points=44)
    full = f"option:{option.pk}:{target}" if target in ("points", "min_star") else f"criterion:{target}"
    response = _post(client_for(central_officer), criterion, full, value, reason=reason)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not CriterionCorrection.objects.exists()
    option.refresh_from_db()
    assert option.points == 44


def test_an_option_of_another_criterion_is_not_a_choice(sheet, criterion, client_for, central_officer):
    other = CriterionOption.objects.filter(criterion__sheet=sheet).exclude(criterion=criterion).first()
    response = _post(client_for(central_officer), criterion, f"option:{other.pk}:points", "1")
    assert response.status_code == 422
    assert not CriterionCorrection.objects.exists()
