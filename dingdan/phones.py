"""Phone numbers as merchants paste them, turned into one stored form, without Django (the
chain parser uses this too; customers/phone.py adds the refusal a person reads).

A mainland mobile is kept as its 11 digits (13800138000), whatever spaces, dashes, +86 or
full-width digits it came with. A mainland landline written with its area code
(021-6123 4567, 0755 8600 1234) is kept as its digits (02161234567). A number from elsewhere
must carry its +country code and is kept in E.164 (+14155550123). Anything else is not a
phone number."""

import re
import unicodedata

import phonenumbers

MAINLAND_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
MAX_INPUT_LENGTH = 32
# Separators people type between digit groups; anything else (letters, #, ext.) is refused.
_SEPARATORS = re.compile(r"[\s\-.()/]")


def stored_phone(raw: str) -> str | None:
    """The stored form of `raw`, or None when it is not a mobile number."""
    text = unicodedata.normalize("NFKC", raw or "").strip()
    compact = _SEPARATORS.sub("", text)
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if len(text) > MAX_INPUT_LENGTH or not re.fullmatch(r"\+?[0-9]+", compact):
        return None
    if compact.startswith("+"):
        if compact.startswith("+86"):
            return _mainland(compact[3:])
        return _international(compact)
    if len(compact) == 13 and compact.startswith("86"):
        compact = compact[2:]
    if compact.startswith("0"):
        return _landline(compact)
    return _mainland(compact)


def _mainland(digits: str) -> str | None:
    return digits if MAINLAND_MOBILE.match(digits) else None


def _landline(digits: str) -> str | None:
    """0 + area code + local number, 10 to 12 digits, as the numbering plan allows."""
    if not 10 <= len(digits) <= 12:
        return None
    number = phonenumbers.parse(digits, "CN")
    if phonenumbers.number_type(number) != phonenumbers.PhoneNumberType.FIXED_LINE:
        return None
    return digits if phonenumbers.is_valid_number(number) else None


def _international(compact: str) -> str | None:
    try:
        number = phonenumbers.parse(compact, None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_digits(text: str) -> str:
    """Only the digits of a search term, full-width ones included ("138 0013" → "1380013")."""
    return re.sub(r"[^0-9]", "", unicodedata.normalize("NFKC", text or ""))
