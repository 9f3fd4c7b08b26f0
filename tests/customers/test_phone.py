"""Merchants paste phone numbers however the customer typed them; dingdan keeps one spelling,
so the customer is found again by phone whatever the format."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dingdan.customers.phone import InvalidPhone, normalize_phone, phone_digits
from dingdan.customers.privacy import mask_phone


@pytest.mark.parametrize(
    "typed",
    [
        "13800138000",
        "138 0013 8000",
        "138-0013-8000",
        "138.0013.8000",
        " 13800138000 ",
        "+86 13800138000",
        "+86-138-0013-8000",
        "+8613800138000",
        "(+86) 138 0013 8000",
        "8613800138000",
        "0086 138 0013 8000",
        "１３８００１３８０００",
        "＋８６ １３８ ００１３ ８０００",
        "138\u30000013\u30008000",
    ],
)
def test_every_usual_spelling_of_a_mainland_mobile_becomes_its_11_digits(typed):
    assert normalize_phone(typed) == "13800138000"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("+1 415 555 0123", "+14155550123"),
        ("+1 (415) 555-0123", "+14155550123"),
        ("001 415 555 0123", "+14155550123"),
        ("+852 9123 4567", "+85291234567"),
        ("+44 7911 123456", "+447911123456"),
        ("+886 912 345 678", "+886912345678"),
    ],
)
def test_a_number_from_elsewhere_needs_its_plus_code_and_is_kept_in_e164(typed, stored):
    assert normalize_phone(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "12345",
        "1380013800",  # 10 digits
        "138001380001",  # 12 digits
        "12800138000",  # 12x is not a mobile prefix
        "23800138000",
        "+86 010 1234 5678",  # a Beijing landline
        "4155550123",  # American number without its +1
        "+1 555",
        "+999 12345678",
        "138-0013-800O",  # letter O for zero
        "tel:13800138000",
        "13800138000 ext 12",
        "138#0013#8000",
        "++8613800138000",
        "+",
        "１２３",
        "1" * 40,
    ],
)
def test_anything_else_is_refused_naming_what_was_typed(typed):
    with pytest.raises(InvalidPhone) as refused:
        normalize_phone(typed)
    assert refused.value.status == 400
    assert refused.value.code == "invalid_input"
    assert typed.strip()[:32] in str(refused.value.fields["phone"])


def test_refusal_explains_what_a_valid_number_looks_like():
    from django.utils import translation

    with pytest.raises(InvalidPhone) as refused:
        normalize_phone("12345")
    assert str(refused.value.fields["phone"]) == "不是有效的手机号：12345"
    with translation.override("en"), pytest.raises(InvalidPhone) as refused:
        normalize_phone("12345")
    assert str(refused.value.fields["phone"]) == "Not a valid mobile number: 12345"
    assert "+" in str(refused.value) and "11" in str(refused.value)


def test_search_terms_keep_only_their_digits():
    assert phone_digits("138 0013") == "1380013"
    assert phone_digits("８０００") == "8000"
    assert phone_digits("王芳") == ""


def test_masking_hides_the_middle_of_a_number():
    assert mask_phone("13800138000") == "138****8000"
    assert mask_phone("+14155550123") == "+1 ****0123"
    assert mask_phone("") == ""


FULL_WIDTH = str.maketrans("0123456789+", "０１２３４５６７８９＋")

mainland_mobiles = st.builds(
    lambda second, rest: f"1{second}{rest}",
    st.sampled_from("3456789"),
    st.text(alphabet="0123456789", min_size=9, max_size=9),
)


@st.composite
def typed_like_a_person(draw, number: str) -> str:
    prefix = draw(st.sampled_from(["", "+86", "+86 ", "+86-", "86", "0086 ", "(+86) "]))
    out = prefix
    for digit in number:
        out += draw(st.sampled_from(["", "", "", " ", "-", "."])) + digit
    if draw(st.booleans()):
        out = out.translate(FULL_WIDTH)
    padding = draw(st.sampled_from(["", " ", "\t", "\u3000"]))
    return padding + out.strip(" -.") + padding


@given(st.data(), mainland_mobiles)
def test_any_formatting_of_a_valid_mobile_normalises_to_the_same_11_digits(data, number):
    typed = data.draw(typed_like_a_person(number))
    assert normalize_phone(typed) == number


@given(st.text(max_size=40))
def test_any_text_is_either_refused_or_stored_in_one_of_the_two_forms(text):
    try:
        stored = normalize_phone(text)
    except InvalidPhone:
        return
    assert (len(stored) == 11 and stored.isascii() and stored.isdigit()) or (
        stored.startswith("+") and stored[1:].isascii() and stored[1:].isdigit()
    )
    assert normalize_phone(stored) == stored
