"""Stamp codes: unforgeable, typo-tolerant where Crockford allows, and never an exception on garbage."""

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from ocop.certification.stamps import codes

KEY = b"k" * 32


def test_code_is_twenty_crockford_characters_and_round_trips():
    code = codes.code_make(KEY, 3, 123_456)

    parsed = codes.code_parse(code)
    assert len(code) == 20 and set(code) <= set(codes.ALPHABET)
    assert (parsed.key_id, parsed.serial) == (3, 123_456)
    assert codes.code_check(parsed, KEY)


def test_code_reads_lower_case_hyphens_and_crockford_aliases():
    code = codes.code_make(KEY, 1, 42)
    typed = codes.code_grouped(code).lower().replace("0", "o").replace("1", "l")

    assert codes.code_normalise(typed) == code
    assert codes.code_check(codes.code_parse(typed), KEY)


def test_code_made_with_another_key_does_not_verify():
    code = codes.code_make(b"other-key", 1, 42)

    assert not codes.code_check(codes.code_parse(code), KEY)


@settings(max_examples=300, deadline=None)
@given(
    serial=st.integers(0, codes.MAX_SERIAL),
    position=st.integers(0, codes.CODE_LENGTH - 1),
    replacement=st.sampled_from(codes.ALPHABET),
)
def test_any_single_character_change_fails(serial, position, replacement):
    code = codes.code_make(KEY, 1, serial)
    if replacement == code[position]:
        replacement = codes.ALPHABET[(codes.ALPHABET.index(replacement) + 1) % 32]
    changed = code[:position] + replacement + code[position + 1 :]

    parsed = codes.code_parse(changed)
    assert parsed is None or not codes.code_check(parsed, KEY)


@settings(max_examples=300, deadline=None)
@given(serial=st.integers(0, codes.MAX_SERIAL), bit=st.integers(0, 99))
def test_any_single_bit_flip_fails(serial, bit):
    code = codes.code_make(KEY, 1, serial)
    value = int("".join(f"{codes.ALPHABET.index(c):05b}" for c in code), 2) ^ (1 << bit)
    flipped = "".join(codes.ALPHABET[(value >> (5 * i)) & 31] for i in reversed(range(20)))

    parsed = codes.code_parse(flipped)
    assert parsed is None or not codes.code_check(parsed, KEY)


@given(st.text(max_size=200) | st.binary(max_size=64) | st.none() | st.integers())
def test_parse_never_raises(value):
    assert codes.code_parse(value) is None or isinstance(codes.code_parse(value), codes.ParsedCode)


def test_malformed_codes_are_rejected():
    code = codes.code_make(KEY, 1, 7)
    for bad in ("", code[:-1], code + "0", "U" + code[1:], "*" * 20, "0" + code[1:], "A" * 10_000, string.printable):
        assert codes.code_parse(bad) is None or not codes.code_check(codes.code_parse(bad), KEY), bad
