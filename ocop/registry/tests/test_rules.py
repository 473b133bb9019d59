import pytest

from ocop.registry import rules


@pytest.mark.parametrize(
    ("value", "expected"), [("3", 3), ("3 sao", 3), ("★★★", 3), ("4*", 4), ("5★", 5), ("", None), ("***", 3)]
)
def test_stars_parse_understands_common_notations(value, expected):
    assert rules.stars_parse(value) == expected


@pytest.mark.parametrize("value", ["ba sao", "3.5", "x"])
def test_stars_parse_refuses_unreadable(value):
    with pytest.raises(ValueError):
        rules.stars_parse(value)


@pytest.mark.parametrize(
    ("value", "ok"), [("0123456789", True), ("0123456789-001", True), ("0123456789001", True), ("12345", False)]
)
def test_tax_code_format(value, ok):
    assert rules.tax_code_is_valid(rules.tax_code_normalise(value)) is ok


def test_gtin_check_digit_and_vietnam_prefix():
    assert rules.gtin_parse("8934588012228").is_vietnam
    assert not rules.gtin_parse("4006381333931").is_vietnam
    with pytest.raises(ValueError):
        rules.gtin_parse("8934588012220")


@pytest.mark.parametrize(
    ("name", "form"),
    [
        ("Công ty TNHH Seagull", "enterprise"),
        ("HTXNN Thông Hòa", "cooperative"),
        ("Hợp tác xã Trà Organic", "cooperative"),
        ("Tổ hợp tác Bánh tráng", "cooperative_group"),
        ("Hộ Lê Văn Năng", "household"),
        ("Cơ sở kinh doanh mật ong rừng Mây", "household"),
        ("Bánh tráng Bà Năm", None),
    ],
)
def test_legal_form_from_name(name, form):
    assert rules.legal_form_from_name(name) == form


def test_subject_name_key_meets_spelling_variants():
    assert rules.subject_name_key("HTX Hòa Qúy") == rules.subject_name_key("Hợp tác xã Hòa Quý")
    assert rules.subject_name_key("Cty TNHH A") == rules.subject_name_key("Công ty trách nhiệm hữu hạn A")
