"""The API lists its hottest operation first (PlatformAPI): moving it must not change where any URL resolves."""

from django.urls import resolve

from ocop.interop.api import PlatformAPI, api


def test_stamp_verify_is_the_first_pattern_tried():
    patterns = api.urls[0]
    assert str(patterns[0].pattern) == "verify/<code>"
    assert resolve("/api/v1/verify/ABCDE-FGHJK-MNPQR-STVWX").func.__name__ == patterns[0].callback.__name__


def test_no_other_pattern_could_take_a_hot_path():
    """Trying the hot patterns first is only safe because no other pattern matches their paths."""
    patterns = api.urls[0]
    hot = [p for p in patterns if str(p.pattern) in PlatformAPI.HOT_PATHS]
    assert len(hot) == len(PlatformAPI.HOT_PATHS), "every hot path names an operation"
    for pattern in patterns:
        if str(pattern.pattern) in PlatformAPI.HOT_PATHS:
            continue
        for sample in ("verify/ABCDEFGHJKMNPQRSTVWX", "verify/x"):
            assert pattern.resolve(sample) is None, (str(pattern.pattern), sample)
