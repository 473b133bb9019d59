import pytest
from hypothesis import given
from hypothesis import strategies as st

from ocop.core.text import fold, fold_compact, nfc


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Mắm cáy", "mam cay"),
        ("Đồng Tháp", "dong thap"),
        ("  Hoà   Bình ", "hoa binh"),
        ("Hòa Bình", "hoa binh"),
        ("THỪA THIÊN HUẾ", "thua thien hue"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold_removes_accents_case_and_extra_spaces(raw, folded):
    assert fold(raw) == folded


def test_fold_compact_joins_words_and_drops_punctuation():
    assert fold_compact("TP. Hồ Chí Minh") == "tphochiminh"


def test_nfc_makes_decomposed_and_composed_input_equal():
    decomposed = "Hoa\u0300"  # "Hoà" typed with a combining grave accent
    assert nfc(decomposed) == nfc("Hoà")
    assert nfc(decomposed) != decomposed


@given(st.text())
def test_fold_is_idempotent_and_ascii_for_vietnamese_letters(text):
    once = fold(text)
    assert fold(once) == once
    assert "đ" not in once
